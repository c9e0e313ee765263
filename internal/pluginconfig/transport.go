package pluginconfig

// What a plugin's transport tells mcptls: how the gateway reaches it, where,
// and whether its server needs a certificate.

// Transports a plugin can have; a native plugin has none.
const (
	TransportMCP        = "mcp"
	TransportGRPC       = "grpc"
	TransportUnixSocket = "unix_socket"
)

// Transport names the plugin's transport block, or "" for none.
func (p Plugin) Transport() string {
	switch {
	case p.MCP != nil:
		return TransportMCP
	case p.GRPC != nil:
		return TransportGRPC
	case p.UnixSocket != nil:
		return TransportUnixSocket
	}
	return ""
}

// Endpoint is where the gateway connects over the network, from the MCP URL
// or the gRPC target; ok is false for sockets (mcp.uds, grpc.uds,
// unix_socket), STDIO and native plugins.
func (p Plugin) Endpoint() (Endpoint, bool) {
	switch {
	case p.MCP != nil && p.MCP.URLInfo != nil && p.MCP.UDS == "":
		return p.MCP.URLInfo.endpoint(), true
	case p.GRPC != nil && p.GRPC.UDS == "" && p.GRPC.Endpoint != nil:
		return *p.GRPC.Endpoint, true
	}
	return Endpoint{}, false
}

// TLSEnabled is true when the gateway talks TLS to the plugin today: an
// https/wss MCP URL, or a gRPC target.
func (p Plugin) TLSEnabled() bool { return p.MCP.TLSEnabled() || p.GRPC.TLSEnabled() }

// NeedsServerCert is true for an external plugin whose endpoint a server
// certificate serves (Endpoint.CarriesCertificate): MCP at an https/wss URL,
// gRPC at a TCP target. Plain-http URLs, sockets and STDIO run without TLS.
// These are the plugins of tls_plugins, each one mcptls_plugin_cert accepts.
func (p Plugin) NeedsServerCert() bool {
	e, ok := p.Endpoint()
	return p.External() && ok && e.CarriesCertificate()
}

// SocketPath is the Unix socket the gateway connects to, if any.
func (p Plugin) SocketPath() string {
	switch {
	case p.MCP != nil:
		return p.MCP.UDS
	case p.GRPC != nil:
		return p.GRPC.UDS
	case p.UnixSocket != nil:
		return p.UnixSocket.Path
	}
	return ""
}
