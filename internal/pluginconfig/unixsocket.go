package pluginconfig

import "strings"

// UnixSocket is a plugin's `unix_socket:` block (models.py
// UnixSocketClientConfig): a local socket without TLS.
type UnixSocket struct {
	Path string
}

func (p *parser) unixSocket(n *node, at string) *UnixSocket {
	if n == nil {
		return nil
	}
	fs := fields{p: p, m: n, at: at + "unix_socket."}
	u := &UnixSocket{}
	path, pathNode := fs.requiredStr("path", "write the socket's absolute path")
	u.Path = path
	p.decides(n.get("path"), fs.at+"path")
	fs.integer("reconnect_attempts")
	fs.number("reconnect_delay")
	fs.number("timeout")
	// validate_path
	if pathNode != nil {
		switch {
		case path == "":
			p.errorAt(pathNode, "%spath is empty (the gateway: \"Unix socket path cannot be empty\")", fs.at)
		case !strings.HasPrefix(path, "/"):
			p.errorAt(pathNode, "%spath %q is relative (the gateway: \"Unix socket path must be absolute, got '%s'\"): start it with /", fs.at, path, path)
		}
	}
	if t := n.get("tls"); t != nil {
		// The model has no tls field and ignores extra keys.
		p.warnAt(n.keyOf("tls"), "%stls is ignored by the gateway: a Unix socket runs without TLS", fs.at)
	}
	return u
}
