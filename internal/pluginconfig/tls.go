package pluginconfig

import "strings"

// TLS blocks (models.py MCPTransportTLSConfigBase and its four subclasses).
// The gateway also checks that certfile, keyfile and ca_bundle exist on its
// own machine; mcptls runs elsewhere, so it does not.

// TLSFiles are the fields every TLS block has.
type TLSFiles struct {
	CertFile, KeyFile, CABundle, KeyfilePassword string
}

// ClientTLS is a plugin's mcp.tls block (MCPClientTLSConfig). Present, it
// replaces PLUGINS_CLIENT_MTLS_* as a whole.
type ClientTLS struct {
	TLSFiles
	Verify, CheckHostname bool
}

// GRPCClientTLS is a plugin's grpc.tls block (GRPCClientTLSConfig).
type GRPCClientTLS struct {
	TLSFiles
	Verify bool
}

// ServerTLS is server_settings.tls (MCPServerTLSConfig).
type ServerTLS struct {
	TLSFiles
	SSLCertReqs int
}

// GRPCServerTLS is grpc_server_settings.tls (GRPCServerTLSConfig).
type GRPCServerTLS struct {
	TLSFiles
	ClientAuth string
}

// tlsFiles reads the shared fields and applies validate_cert_key.
func (p *parser) tlsFiles(n *node, at string) (TLSFiles, fields) {
	fs := fields{p: p, m: n, at: at}
	var t TLSFiles
	t.CertFile, _ = fs.str("certfile")
	t.KeyFile, _ = fs.str("keyfile")
	t.CABundle, _ = fs.str("ca_bundle")
	t.KeyfilePassword, _ = fs.str("keyfile_password")
	if t.KeyFile != "" && t.CertFile == "" {
		p.errorAt(n.keyOf("keyfile"), "%skeyfile without certfile (the gateway: \"keyfile requires certfile to be specified\"): add the certificate's path as certfile", at)
	}
	return t, fs
}

func (p *parser) clientTLS(n *node, at string) *ClientTLS {
	if n == nil {
		return nil
	}
	files, fs := p.tlsFiles(n, at)
	t := &ClientTLS{TLSFiles: files, Verify: true, CheckHostname: true}
	if v, ok := fs.boolean("verify"); ok {
		t.Verify = v
	}
	if v, ok := fs.boolean("check_hostname"); ok {
		t.CheckHostname = v
	}
	return t
}

func (p *parser) grpcClientTLS(n *node, at string) *GRPCClientTLS {
	if n == nil {
		return nil
	}
	files, fs := p.tlsFiles(n, at)
	t := &GRPCClientTLS{TLSFiles: files, Verify: true}
	if v, ok := fs.boolean("verify"); ok {
		t.Verify = v
	}
	return t
}

func (p *parser) serverTLS(n *node, at string) *ServerTLS {
	if n == nil {
		return nil
	}
	files, fs := p.tlsFiles(n, at)
	t := &ServerTLS{TLSFiles: files, SSLCertReqs: 2}
	if v, node, ok := fs.integer("ssl_cert_reqs"); ok {
		t.SSLCertReqs = int(v)
		if v < 0 || v > 2 {
			// The model takes any int; the runtime's ssl.VerifyMode does not.
			p.warnAt(node, "%sssl_cert_reqs is %d: the gateway loads it, but the plugin server cannot start with it; use 0 (none), 1 (optional) or 2 (required)", at, v)
		}
	} else if v := n.get("ssl_cert_reqs"); v != nil && v.isNull() {
		fs.fail(v, "ssl_cert_reqs", "Input should be a valid integer", "write 0, 1 or 2, or leave the key out for 2")
	}
	return t
}

func (p *parser) grpcServerTLS(n *node, at string) *GRPCServerTLS {
	if n == nil {
		return nil
	}
	files, fs := p.tlsFiles(n, at)
	t := &GRPCServerTLS{TLSFiles: files, ClientAuth: "require"}
	if v := n.get("client_auth"); v != nil {
		if s, sv := fs.str("client_auth"); sv != nil {
			lower := strings.ToLower(s)
			if lower != "none" && lower != "optional" && lower != "require" {
				p.errorAt(sv, "%sclient_auth is %q (the gateway: \"client_auth must be one of {'none', 'optional', 'require'}, got '%s'\")", at, s, s)
			}
			t.ClientAuth = lower
		} else if v.isNull() {
			fs.fail(v, "client_auth", "Input should be a valid string", "write none, optional or require")
		}
	}
	return t
}
