// Package envmap lays out the certs/mcp tree of the gateway's Makefile and renders
// the PLUGINS_SERVER_* and PLUGINS_CLIENT_MTLS_* environment maps that point into it.
package envmap

import (
	"errors"
	"fmt"
	"path"
	"strconv"
)

// DefaultCertDir is where `make certs-mcp-all` writes.
const DefaultCertDir = "certs/mcp"

// Defaults for the plugin server's bind settings.
const (
	DefaultServerHost  = "127.0.0.1"
	DefaultServerPort  = 8000
	DefaultSSLCertReqs = 2 // CERT_REQUIRED: the server demands a client certificate.
	// HealthPortOffset: the plugin runtime serves plain-HTTP health on port+1000.
	HealthPortOffset = 1000
)

// Layout names the files of the certs/mcp tree under one root directory.
type Layout struct{ Dir string }

func (l Layout) join(parts ...string) string {
	return path.Join(append([]string{l.Dir}, parts...)...)
}

// CA files.
func (l Layout) CACert() string { return l.join("ca", "ca.crt") }
func (l Layout) CAKey() string  { return l.join("ca", "ca.key") }

// Gateway client files; GatewayCA is the copy of the CA certificate.
func (l Layout) GatewayCert() string { return l.join("gateway", "client.crt") }
func (l Layout) GatewayKey() string  { return l.join("gateway", "client.key") }
func (l Layout) GatewayCA() string   { return l.join("gateway", "ca.crt") }
func (l Layout) GatewayPEM() string  { return l.join("gateway", "client.pem") }

// Plugin server files; PluginCA is the copy of the CA certificate.
func (l Layout) PluginCert(name string) string { return l.join("plugins", name, "server.crt") }
func (l Layout) PluginKey(name string) string  { return l.join("plugins", name, "server.key") }
func (l Layout) PluginCA(name string) string   { return l.join("plugins", name, "ca.crt") }

// ValidateCertDir rejects an empty directory, which would put files at the root.
func ValidateCertDir(dir string) error {
	if dir == "" {
		return errors.New("cert_dir must not be empty")
	}
	return nil
}

// Client holds what the gateway's PLUGINS_CLIENT_MTLS_* variables say.
type Client struct {
	CertDir       string
	Verify        bool
	CheckHostname bool
}

// Env renders the gateway's client variables.
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

// Server holds what one plugin server's PLUGINS_SERVER_* variables say.
type Server struct {
	CertDir  string
	Plugin   string
	Host     string
	Port     int
	CertReqs int
}

// Validate checks the values the gateway would reject at start-up.
func (s Server) Validate() error {
	if err := ValidatePort(s.Port); err != nil {
		return err
	}
	return ValidateCertReqs(s.CertReqs)
}

// ValidateCertReqs checks ssl_cert_reqs, Python's ssl.VerifyMode values.
func ValidateCertReqs(reqs int) error {
	if reqs < 0 || reqs > 2 {
		return fmt.Errorf("ssl_cert_reqs must be 0 (CERT_NONE), 1 (CERT_OPTIONAL) or 2 (CERT_REQUIRED), got %d", reqs)
	}
	return nil
}

// ValidatePort leaves room for the health port at port+1000.
func ValidatePort(port int) error {
	if max := 65535 - HealthPortOffset; port < 1 || port > max {
		return fmt.Errorf("port must be between 1 and %d so the health port (port+%d) is valid, got %d", max, HealthPortOffset, port)
	}
	return nil
}

// HealthPort is where the plugin runtime serves plain-HTTP health checks.
func (s Server) HealthPort() int { return s.Port + HealthPortOffset }

// Env renders the plugin server's variables.
func (s Server) Env() map[string]string {
	l := Layout{s.CertDir}
	return map[string]string{
		"PLUGINS_SERVER_HOST":          s.Host,
		"PLUGINS_SERVER_PORT":          strconv.Itoa(s.Port),
		"PLUGINS_SERVER_SSL_ENABLED":   "true",
		"PLUGINS_SERVER_SSL_KEYFILE":   l.PluginKey(s.Plugin),
		"PLUGINS_SERVER_SSL_CERTFILE":  l.PluginCert(s.Plugin),
		"PLUGINS_SERVER_SSL_CA_CERTS":  l.PluginCA(s.Plugin),
		"PLUGINS_SERVER_SSL_CERT_REQS": strconv.Itoa(s.CertReqs),
	}
}
