// Package pluginconfig reads the gateway's plugin config.yaml strictly where it
// matters, keeps what it does not model, and reports positions in every error.
package pluginconfig

// File is a plugin configuration file.
type File struct {
	Plugins        []Plugin
	PluginDirs     []string
	PluginSettings map[string]any
	ServerSettings *ServerSettings
	// Extra keeps top-level keys this package does not model.
	Extra map[string]any
}

// Plugin is one entry of the plugins list.
type Plugin struct {
	Name, Kind, Description, Version, Author, Mode string
	Hooks, Tags                                    []string
	Priority                                       *int
	Conditions, Config                             any
	MCP                                            *MCP
	Extra                                          map[string]any
	// Line and Column locate the entry in the file.
	Line, Column int
}

// External reports whether the gateway runs the plugin out of process.
func (p Plugin) External() bool { return p.Kind == "external" }

// MCP is how the gateway reaches an external plugin.
type MCP struct {
	Proto, URL, Script, UDS string
	Cmd                     []string
	TLS                     *ClientTLS
	// URLInfo is set when URL is.
	URLInfo *URLInfo
	Extra   map[string]any
}

// TLSEnabled is true when the URL's scheme or an mcp.tls block asks for TLS.
func (m *MCP) TLSEnabled() bool {
	return m != nil && (m.TLS != nil || (m.URLInfo != nil && m.URLInfo.TLS()))
}

// TLSFiles are the file settings both TLS blocks share.
type TLSFiles struct {
	CertFile, KeyFile, CABundle, KeyfilePassword string
}

// field returns where a shared TLS key is stored, or nil for other keys.
func (t *TLSFiles) field(key string) *string {
	return map[string]*string{"certfile": &t.CertFile, "keyfile": &t.KeyFile, "ca_bundle": &t.CABundle, "keyfile_password": &t.KeyfilePassword}[key]
}

// ClientTLS is a plugin's mcp.tls block, which wins over PLUGINS_CLIENT_MTLS_*.
type ClientTLS struct {
	TLSFiles
	Verify, CheckHostname *bool
}

// ServerSettings is the plugin server's own block; present at all, it disables
// PLUGINS_SERVER_*.
type ServerSettings struct {
	Host string
	Port *int
	UDS  string
	TLS  *ServerTLS
}

// ServerTLS is server_settings.tls.
type ServerTLS struct {
	TLSFiles
	SSLCertReqs *int
}

// Protocols the gateway accepts in mcp.proto (case-sensitive).
var Protocols = []string{"SSE", "HTTP", "STDIO", "STREAMABLEHTTP", "GRPC"}
