package pluginconfig

import "strings"

// MCP is a plugin's `mcp:` block: how the gateway reaches a plugin server over
// MCP (models.py MCPClientConfig).
type MCP struct {
	Proto, URL, Script, UDS string
	Cmd                     []string
	TLS                     *ClientTLS
	// URLInfo is set when URL is.
	URLInfo *URLInfo
}

// TransportType values. HTTP and GRPC exist in the gateway's enum, but its
// PluginConfig refuses them for a plugin's mcp.proto.
const (
	ProtoSSE            = "SSE"
	ProtoHTTP           = "HTTP"
	ProtoSTDIO          = "STDIO"
	ProtoStreamableHTTP = "STREAMABLEHTTP"
	ProtoGRPC           = "GRPC"
)

var transportTypes = []string{ProtoSSE, ProtoHTTP, ProtoSTDIO, ProtoStreamableHTTP, ProtoGRPC}

// TLSEnabled is true when the gateway talks TLS to the plugin: an https or
// wss URL (an mcp.tls block only supplies the files).
func (m *MCP) TLSEnabled() bool {
	return m != nil && m.UDS == "" && m.URLInfo != nil && m.URLInfo.TLS()
}

func (p *parser) mcp(n *node, at string) *MCP {
	if n == nil {
		return nil
	}
	mark := len(p.problems)
	fs := fields{p: p, m: n, at: at + "mcp."}
	m := &MCP{}
	// proto: TransportType (required, case-sensitive).
	if n.get("proto") == nil {
		fs.missing("proto", "add `proto: STREAMABLEHTTP` (or SSE, STDIO)")
	} else {
		m.Proto, _ = fs.enum("proto", transportTypes...)
	}
	var urlNode *node
	m.URL, urlNode = fs.str("url")
	m.Script, _ = fs.str("script")
	var cmdNode *node
	m.Cmd, cmdNode = fs.strings("cmd", true)
	env := fs.mapping("env")
	cwd, _ := fs.str("cwd")
	var udsNode *node
	m.UDS, udsNode = fs.str("uds")
	tlsNode := fs.mapping("tls")
	m.TLS = p.clientTLS(tlsNode, fs.at+"tls.")
	for _, key := range []string{"proto", "url", "uds"} {
		p.decides(n.get(key), fs.at+key)
	}
	fs.integer("reconnect_attempts")
	fs.number("reconnect_delay")

	// Field validators.
	if urlNode != nil && m.URL != "" { // validate_url skips an empty url
		info, err := checkURL(m.URL, p.opts.SSRFProtection)
		if err != nil {
			p.errorAt(urlNode, "%surl: %v", fs.at, err)
		} else {
			m.URLInfo = &info
			p.warnURL(urlNode, info, fs.at)
		}
	}
	if cmdNode != nil {
		if len(m.Cmd) == 0 {
			p.errorAt(cmdNode, "%scmd is empty (the gateway: \"MCP stdio cmd must be a non-empty list.\"): write the command and its arguments", fs.at)
		}
		for _, part := range m.Cmd {
			if strings.TrimSpace(part) == "" {
				p.errorAt(cmdNode, "%scmd has an empty entry (the gateway: \"MCP stdio cmd entries must be non-empty strings.\")", fs.at)
				break
			}
		}
	}
	if env != nil {
		p.stdioEnv(env, fs)
	}
	if udsNode != nil && strings.TrimSpace(m.UDS) == "" {
		p.errorAt(udsNode, "%suds is empty (the gateway: \"MCP client uds must be a non-empty string.\"): write the socket's path", fs.at)
	}
	if p.failed(mark) {
		return m
	}
	if m.Proto == ProtoSSE {
		// external/mcp/client.py connects for STDIO and STREAMABLEHTTP only.
		p.warnAt(n.get("proto"), "%sproto SSE loads, but the gateway's plugin client (cpex 0.1.3) connects only over STREAMABLEHTTP and STDIO: the plugin never initializes (\"Plugin session not initialized\"); use STREAMABLEHTTP", fs.at)
	}
	if tlsNode != nil && m.URLInfo != nil && !m.URLInfo.TLS() && m.UDS == "" {
		p.warnAt(n.keyOf("tls"), "%stls has no effect on a %s:// url: the gateway connects without TLS; use https://", fs.at, m.URLInfo.Scheme)
	}
	// validate_tls_usage, then validate_transport_fields.
	httpLike := m.Proto == ProtoSSE || m.Proto == ProtoStreamableHTTP
	switch {
	case tlsNode != nil && !httpLike:
		p.errorAt(n.keyOf("tls"), "%stls applies only to SSE and STREAMABLEHTTP (the gateway: \"TLS configuration is only valid for HTTP/SSE transports\")", fs.at)
	case tlsNode != nil && m.UDS != "":
		p.errorAt(n.keyOf("tls"), "%stls cannot be used with uds (the gateway: \"TLS configuration is not supported for Unix domain sockets.\"): a Unix socket runs without TLS", fs.at)
	case m.Proto == ProtoSTDIO && m.URL != "":
		p.errorAt(n.keyOf("url"), "%surl applies only to SSE and STREAMABLEHTTP (the gateway: \"URL is only valid for HTTP/SSE transports\"): remove it, or use STREAMABLEHTTP", fs.at)
	case m.Proto != ProtoSTDIO && (m.Script != "" || len(m.Cmd) > 0 || (env != nil && len(env.pairs) > 0) || cwd != ""):
		p.errorAt(n, "%sscript, cmd, env and cwd apply only to STDIO (the gateway: \"script/cmd/env/cwd are only valid for STDIO transport\")", fs.at)
	case m.Proto != ProtoStreamableHTTP && m.UDS != "":
		p.errorAt(n.keyOf("uds"), "%suds applies only to STREAMABLEHTTP (the gateway: \"uds is only valid for STREAMABLEHTTP transport\")", fs.at)
	}
	return m
}

// stdioEnv is MCPClientConfig.validate_env: a non-empty dict of strings.
func (p *parser) stdioEnv(env *node, fs fields) {
	if len(env.pairs) == 0 {
		p.errorAt(env, "%senv is empty (the gateway: \"MCP stdio env must be a non-empty dict.\"): remove it or add variables", fs.at)
		return
	}
	for _, e := range env.pairs {
		if e.key.tag != tagStr || strings.TrimSpace(e.key.value) == "" {
			p.errorAt(e.key, "%senv has a key that is not a non-empty string (the gateway: \"MCP stdio env keys must be non-empty strings.\")", fs.at)
			return
		}
		if e.value.kind != scalarNode || e.value.tag != tagStr {
			p.errorAt(e.value, "%senv.%s is %s (the gateway: \"Input should be a valid string\"): quote it", fs.at, e.key.value, e.value.describe())
			return
		}
	}
}

// warnURL flags URLs the gateway accepts but no certificate can serve.
func (p *parser) warnURL(n *node, u URLInfo, at string) {
	switch e := u.endpoint(); {
	case e.TLS():
		p.warnEndpoint(n, e, at+"url")
	case u.Host == "":
		p.warnAt(n, "%surl has no host: the gateway accepts it but cannot connect; write the plugin server's host", at)
	case strings.Contains(u.Host, "*"):
		p.warnAt(n, "%surl host %q is a pattern, not a host a client can connect to", at, u.Host)
	}
}
