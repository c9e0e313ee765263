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

// Endpoint is the TCP host and port the gateway connects to, from the MCP URL
// or the gRPC target; ok is false for sockets, STDIO and native plugins.
func (p Plugin) Endpoint() (host string, port int, ok bool) {
	switch {
	case p.MCP != nil && p.MCP.URLInfo != nil && p.MCP.UDS == "":
		return p.MCP.URLInfo.Host, p.MCP.URLInfo.Port, p.MCP.URLInfo.Host != ""
	case p.GRPC != nil && p.GRPC.UDS == "" && p.GRPC.Host != "":
		return p.GRPC.Host, p.GRPC.Port, true
	}
	return "", 0, false
}

// TLSEnabled is true when the gateway talks TLS to the plugin today: an
// https/wss MCP URL, or a gRPC TCP target.
func (p Plugin) TLSEnabled() bool { return p.MCP.TLSEnabled() || p.GRPC.TLSEnabled() }

// NeedsServerCert is true for an external plugin the gateway reaches over
// TLS: MCP at an https/wss URL, or gRPC at a TCP target. Plain-http URLs, Unix
// sockets and STDIO run without TLS.
func (p Plugin) NeedsServerCert() bool { return p.External() && p.TLSEnabled() }

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
