package envmap

import "strconv"

// MCP over HTTP: the gateway's PLUGINS_CLIENT_MTLS_* and the plugin server's
// PLUGINS_SERVER_* (cpex settings.py).

// Defaults for the plugin server's bind settings.
const (
	DefaultServerHost  = "127.0.0.1"
	DefaultServerPort  = 8000
	DefaultSSLCertReqs = 2 // CERT_REQUIRED: the server demands a client certificate.
	// HealthPortOffset: the plugin runtime serves plain-HTTP health on port+1000.
	HealthPortOffset = 1000
)

// Client holds what the gateway's PLUGINS_CLIENT_MTLS_* variables say.
type Client struct {
	CertDir       string
	Verify        bool
	CheckHostname bool
}

// Env renders the gateway's MCP client variables.
func (c Client) Env() map[string]string {
	l := Layout{c.CertDir}
	return map[string]string{
		"PLUGINS_CLIENT_MTLS_CERTFILE":       l.GatewayCert(),
		"PLUGINS_CLIENT_MTLS_KEYFILE":        l.GatewayKey(),
		"PLUGINS_CLIENT_MTLS_CA_BUNDLE":      l.GatewayCA(),
		"PLUGINS_CLIENT_MTLS_VERIFY":         strconv.FormatBool(c.Verify),
		"PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME": strconv.FormatBool(c.CheckHostname),
	}
}

// Server holds what one MCP plugin server's PLUGINS_SERVER_* variables say.
type Server struct {
	CertDir  string
	Plugin   string
	Host     string
	Port     int
	CertReqs int
}

// Validate checks the values the plugin server would reject at start-up.
func (s Server) Validate() error {
	if err := ValidatePort(s.Port); err != nil {
		return err
	}
	return ValidateCertReqs(s.CertReqs)
}

// HealthPort is where the plugin runtime serves plain-HTTP health checks.
func (s Server) HealthPort() int { return s.Port + HealthPortOffset }

// TransportHTTP is PLUGINS_TRANSPORT for a plugin server that listens: unset,
// the runtime runs stdio whenever stdin is not a TTY (every container).
const TransportHTTP = "http"

// Env renders the plugin server's variables.
func (s Server) Env() map[string]string {
	l := Layout{s.CertDir}
	return map[string]string{
		"PLUGINS_TRANSPORT":            TransportHTTP,
		"PLUGINS_SERVER_HOST":          s.Host,
		"PLUGINS_SERVER_PORT":          strconv.Itoa(s.Port),
		"PLUGINS_SERVER_SSL_ENABLED":   "true",
		"PLUGINS_SERVER_SSL_KEYFILE":   l.PluginKey(s.Plugin),
		"PLUGINS_SERVER_SSL_CERTFILE":  l.PluginCert(s.Plugin),
		"PLUGINS_SERVER_SSL_CA_CERTS":  l.PluginCA(s.Plugin),
		"PLUGINS_SERVER_SSL_CERT_REQS": strconv.Itoa(s.CertReqs),
	}
}

// Passwords of encrypted keys (*_KEYFILE_PASSWORD): empty maps without one. They
// are kept apart from the env maps, which plans show.

// ClientPasswordEnv is the gateway's, for MCP plugins. There is no gRPC
// one: cpex 0.1.3's gRPC client never reads
// PLUGINS_GRPC_CLIENT_MTLS_KEYFILE_PASSWORD (nor its server
// PLUGINS_GRPC_SERVER_SSL_KEYFILE_PASSWORD), so an encrypted key cannot
// serve gRPC at all.
func ClientPasswordEnv(passphrase string) map[string]string {
	return passwordEnv(passphrase, "PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD")
}

// ServerPasswordEnv is an MCP plugin server's.
func ServerPasswordEnv(passphrase string) map[string]string {
	return passwordEnv(passphrase, "PLUGINS_SERVER_SSL_KEYFILE_PASSWORD")
}

func passwordEnv(passphrase, name string) map[string]string {
	if passphrase == "" {
		return map[string]string{}
	}
	return map[string]string{name: passphrase}
}
