package pluginconfig

import "strings"

// GRPC is a plugin's `grpc:` block (models.py GRPCClientConfig): a TCP target
// or a Unix socket, exactly one.
type GRPC struct {
	Target, UDS string
	TLS         *GRPCClientTLS
	// Endpoint is read from Target, when grpcio can read it.
	Endpoint *Endpoint
}

// TLSEnabled is true for a target (not grpc.uds): the gateway's gRPC client
// builds a secure channel from grpc.tls or PLUGINS_GRPC_CLIENT_MTLS_*,
// which mcptls fills.
func (g *GRPC) TLSEnabled() bool { return g != nil && g.UDS == "" && g.Target != "" }

func (p *parser) grpc(n *node, at string) *GRPC {
	if n == nil {
		return nil
	}
	mark := len(p.problems)
	fs := fields{p: p, m: n, at: at + "grpc."}
	g := &GRPC{}
	target, targetNode := fs.str("target")
	uds, udsNode := fs.str("uds")
	g.Target, g.UDS = target, uds
	g.TLS = p.grpcClientTLS(fs.mapping("tls"), fs.at+"tls.")
	p.decides(n.get("target"), fs.at+"target")
	p.decides(n.get("uds"), fs.at+"uds")
	// validate_target
	if targetNode != nil {
		switch {
		case target == "":
			p.errorAt(targetNode, "%starget is empty (the gateway: \"gRPC target address cannot be empty\"): write host:port", fs.at)
		case !strings.Contains(target, ":"):
			p.errorAt(targetNode, "%starget %q has no port (the gateway: \"gRPC target must be in host:port format, got '%s'\"): write host:port, e.g. %s:50051", fs.at, target, target, target)
		default:
			e, err := GRPCEndpoint(target)
			switch {
			case err != nil:
				p.warnAt(targetNode, "%starget: %v; the gateway loads it, but its gRPC client (grpcio) cannot connect: write host:port", fs.at, err)
			default:
				g.Endpoint = &e
				p.warnEndpoint(targetNode, e, fs.at+"target")
			}
		}
	}
	if udsNode != nil && strings.TrimSpace(uds) == "" {
		p.errorAt(udsNode, "%suds is empty (the gateway: \"gRPC client uds must be a non-empty string.\"): write the socket's path", fs.at)
	}
	if p.failed(mark) {
		return g
	}
	// validate_target_or_uds: set means present and not null.
	switch {
	case targetNode == nil && udsNode == nil:
		p.errorAt(n, "%s needs `target` or `uds` (the gateway: \"gRPC client must have either 'target' or 'uds' configured\")", section(fs.at))
	case targetNode != nil && udsNode != nil:
		p.errorAt(n.keyOf("uds"), "%s has both `target` and `uds` (the gateway: \"gRPC client cannot have both 'target' and 'uds' configured\"): keep one", section(fs.at))
	case udsNode != nil && g.TLS != nil:
		p.errorAt(n.keyOf("tls"), "%stls cannot be used with uds (the gateway: \"TLS configuration is not supported for Unix domain sockets\"): a Unix socket runs without TLS", fs.at)
	}
	return g
}
