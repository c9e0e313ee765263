// Package envmap lays out the certs/mcp tree of the gateway's Makefile and renders
// the PLUGINS_* environment maps that point into it, one per transport and side.
package envmap

import "path"

// DefaultCertDir is where `make certs-mcp-all` writes.
const DefaultCertDir = "certs/mcp"

// Layout names the files of the certs/mcp tree under one root directory.
// Dir is validated (ValidateCertDir) before it gets here, so joining only
// drops doubled or trailing slashes.
type Layout struct{ Dir string }

func (l Layout) join(parts ...string) string {
	return path.Join(append([]string{l.Dir}, parts...)...)
}

// CA files.
func (l Layout) CACert() string { return l.join("ca", "ca.crt") }
func (l Layout) CAKey() string  { return l.join("ca", "ca.key") }

// Gateway client files; GatewayCA is the CA bundle the gateway trusts.
func (l Layout) GatewayCert() string { return l.join("gateway", "client.crt") }
func (l Layout) GatewayKey() string  { return l.join("gateway", "client.key") }
func (l Layout) GatewayCA() string   { return l.join("gateway", "ca.crt") }
func (l Layout) GatewayPEM() string  { return l.join("gateway", "client.pem") }

// Plugin server files; PluginCA is the CA bundle the plugin server trusts.
func (l Layout) PluginCert(name string) string { return l.join("plugins", name, "server.crt") }
func (l Layout) PluginKey(name string) string  { return l.join("plugins", name, "server.key") }
func (l Layout) PluginCA(name string) string   { return l.join("plugins", name, "ca.crt") }
