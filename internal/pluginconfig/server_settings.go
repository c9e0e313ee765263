package pluginconfig

import "strings"

// The plugin server's own blocks (models.py MCPServerConfig, GRPCServerConfig,
// UnixSocketServerConfig). Any server_settings present disables
// PLUGINS_SERVER_* on the plugin server; grpc_server_settings likewise
// PLUGINS_GRPC_SERVER_*.

// ServerSettings is `server_settings:`.
type ServerSettings struct {
	Host string
	Port int
	UDS  string
	TLS  *ServerTLS
}

// GRPCServerSettings is `grpc_server_settings:`.
type GRPCServerSettings struct {
	Host string
	Port int
	UDS  string
	TLS  *GRPCServerTLS
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

// listener reads host, port and uds, shared by both server blocks.
func (p *parser) listener(fs fields, defaultPort int, what string) (host string, port int, uds string) {
	host, port = DefaultServerHost, defaultPort
	for _, key := range []string{"host", "port", "uds"} {
		p.decides(fs.value(key), fs.at+key)
	}
	if v := fs.value("host"); v != nil {
		if v.isNull() {
			fs.fail(v, "host", "Input should be a valid string", "write the bind address or leave the key out")
		} else if s, sv := fs.str("host"); sv != nil {
			host = s
		}
	}
	if v, _, ok := fs.integer("port"); ok {
		port = int(v)
	} else if v := fs.value("port"); v != nil && v.isNull() {
		fs.fail(v, "port", "Input should be a valid integer", "write the port or leave the key out")
	}
	uds, udsNode := fs.str("uds")
	if udsNode != nil && strings.TrimSpace(uds) == "" {
		p.errorAt(udsNode, "%suds is empty (the gateway: \"%s uds must be a non-empty string.\")", fs.at, what)
	}
	return host, port, uds
}

func (p *parser) serverSettings(n *node) *ServerSettings {
	if n == nil {
		return nil
	}
	fs := fields{p: p, m: n, at: "server_settings."}
	s := &ServerSettings{}
	s.Host, s.Port, s.UDS = p.listener(fs, DefaultServerPort, "MCP server")
	s.TLS = p.serverTLS(fs.mapping("tls"), fs.at+"tls.")
	if s.UDS != "" && s.TLS != nil {
		p.errorAt(n.keyOf("tls"), "%stls cannot be used with uds (the gateway: \"TLS configuration is not supported for Unix domain sockets.\"): a Unix socket runs without TLS", fs.at)
	}
	return s
}

func (p *parser) grpcServerSettings(n *node) *GRPCServerSettings {
	if n == nil {
		return nil
	}
	fs := fields{p: p, m: n, at: "grpc_server_settings."}
	s := &GRPCServerSettings{}
	s.Host, s.Port, s.UDS = p.listener(fs, DefaultGRPCServerPort, "gRPC server")
	s.TLS = p.grpcServerTLS(fs.mapping("tls"), fs.at+"tls.")
	if s.UDS != "" && s.TLS != nil {
		p.errorAt(n.keyOf("tls"), "%stls cannot be used with uds (the gateway: \"TLS configuration is not supported for Unix domain sockets\"): a Unix socket runs without TLS", fs.at)
	}
	return s
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
