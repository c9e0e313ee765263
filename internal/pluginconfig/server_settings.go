package pluginconfig

import "strings"

// The plugin server's own blocks (models.py MCPServerConfig, GRPCServerConfig,
// UnixSocketServerConfig). Any server_settings present disables
// PLUGINS_SERVER_* on the plugin server; grpc_server_settings likewise
// PLUGINS_GRPC_SERVER_*.

// Listener is what both server blocks bind: a host and port, or a Unix socket.
type Listener struct {
	Host string
	Port int
	UDS  string
}

// ServerSettings is `server_settings:`.
type ServerSettings struct {
	Listener
	TLS *ServerTLS
}

// GRPCServerSettings is `grpc_server_settings:`.
type GRPCServerSettings struct {
	Listener
	TLS *GRPCServerTLS
}

// UnixSocketServerSettings is `unix_socket_server_settings:`.
type UnixSocketServerSettings struct {
	Path string
}

// Server defaults of the gateway's models.
const (
	DefaultServerHost     = "127.0.0.1"
	DefaultServerPort     = 8000
	DefaultGRPCServerPort = 50051
)

// serverBlock reads what both server blocks share (MCPServerConfig,
// GRPCServerConfig): host, port, uds, a tls block read by readTLS, and the
// rule that tls and uds exclude each other (said is the gateway's message).
func serverBlock[T any](p *parser, n *node, key, what string, defaultPort int, readTLS func(*node, string) *T, said string) (Listener, *T) {
	fs := fields{p: p, m: n, at: key + "."}
	l := Listener{Host: DefaultServerHost, Port: defaultPort}
	for _, k := range []string{"host", "port", "uds"} {
		p.decides(fs.value(k), fs.at+k)
	}
	if v := fs.value("host"); v != nil {
		if v.isNull() {
			fs.fail(v, "host", "Input should be a valid string", "write the bind address or leave the key out")
		} else if s, sv := fs.str("host"); sv != nil {
			l.Host = s
		}
	}
	if v, _, ok := fs.integer("port"); ok {
		l.Port = int(v)
	} else if v := fs.value("port"); v != nil && v.isNull() {
		fs.fail(v, "port", "Input should be a valid integer", "write the port or leave the key out")
	}
	var udsNode *node
	l.UDS, udsNode = fs.str("uds")
	if udsNode != nil && strings.TrimSpace(l.UDS) == "" {
		p.errorAt(udsNode, "%suds is empty (the gateway: \"%s uds must be a non-empty string.\")", fs.at, what)
	}
	tls := readTLS(fs.mapping("tls"), fs.at+"tls.")
	if l.UDS != "" && tls != nil {
		p.errorAt(n.keyOf("tls"), "%stls cannot be used with uds (the gateway: %q): a Unix socket runs without TLS", fs.at, said)
	}
	return l, tls
}

func (p *parser) serverSettings(n *node) *ServerSettings {
	if n == nil {
		return nil
	}
	l, tls := serverBlock(p, n, "server_settings", "MCP server", DefaultServerPort, p.serverTLS, "TLS configuration is not supported for Unix domain sockets.")
	return &ServerSettings{Listener: l, TLS: tls}
}

func (p *parser) grpcServerSettings(n *node) *GRPCServerSettings {
	if n == nil {
		return nil
	}
	l, tls := serverBlock(p, n, "grpc_server_settings", "gRPC server", DefaultGRPCServerPort, p.grpcServerTLS, "TLS configuration is not supported for Unix domain sockets")
	return &GRPCServerSettings{Listener: l, TLS: tls}
}

func (p *parser) unixSocketServerSettings(n *node) *UnixSocketServerSettings {
	if n == nil {
		return nil
	}
	fs := fields{p: p, m: n, at: "unix_socket_server_settings."}
	s := &UnixSocketServerSettings{Path: "/tmp/mcpgateway-plugins.sock"}
	if v := fs.value("path"); v != nil {
		if path, pv := fs.str("path"); pv != nil {
			s.Path = path
		} else if v.isNull() {
			fs.fail(v, "path", "Input should be a valid string", "write the socket's path or leave the key out")
		}
	}
	return s
}
