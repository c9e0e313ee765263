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

// Validate checks the input; an error names its field.
func (c Client) Validate() error { return field("cert_dir", ValidateCertDir(c.CertDir)) }

// Env renders the gateway's MCP client variables.
func (c Client) Env() map[string]string {
	env := clientEnv("PLUGINS_CLIENT_MTLS_", c.CertDir, c.Verify)
	env["PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME"] = strconv.FormatBool(c.CheckHostname)
	return env
}

// Server holds what one MCP plugin server's PLUGINS_SERVER_* variables say.
type Server struct{ Listener }

// Validate checks the values the plugin server would reject at start-up;
// an error names its field. The port leaves room for the health port.
func (s Server) Validate() error { return s.validate(ValidatePort) }

// HealthPort is where the plugin runtime serves plain-HTTP health checks.
func (s Server) HealthPort() int { return s.Port + HealthPortOffset }

// TransportHTTP is PLUGINS_TRANSPORT for a plugin server that listens: unset,
// the runtime runs stdio whenever stdin is not a TTY (every container).
const TransportHTTP = "http"

// Env renders the plugin server's variables.
func (s Server) Env() map[string]string {
	env := s.env("PLUGINS_SERVER_")
	env["PLUGINS_TRANSPORT"] = TransportHTTP
	env["PLUGINS_SERVER_SSL_CERT_REQS"] = strconv.Itoa(s.CertReqs)
	return env
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
