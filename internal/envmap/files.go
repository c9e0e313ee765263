package envmap

import (
	"path"
	"strings"
)

// The guide's certs/mcp tree as files: what `make certs-mcp-all` writes, with
// its modes (keys 600, certificates 644), rendered from the certificates so
// nothing is stored twice.

// File is one file of the tree.
type File struct {
	Content string
	Mode    string // as hashicorp/local's file_permission takes it
}

// Certificate is what one certificate contributes: its PEM, its key (empty
// when it is kept elsewhere), the bundle its party trusts, and the gateway's
// client.pem.
type Certificate struct {
	CertPEM, KeyPEM, BundlePEM, ClientPEM string
}

// File modes of the tree.
const (
	KeyMode  = "0600"
	CertMode = "0644"
)

// Tree renders the tree, with paths relative to its root. gateway may be nil;
// plugins are keyed by plugin name.
func Tree(ca Certificate, gateway *Certificate, plugins map[string]Certificate) map[string]File {
	l := Layout{}
	out := map[string]File{}
	add := func(p, content, mode string) {
		if content != "" {
			out[p] = File{Content: content, Mode: mode}
		}
	}
	add(l.CACert(), ca.CertPEM, CertMode)
	add(l.CAKey(), ca.KeyPEM, KeyMode)
	if gateway != nil {
		add(l.GatewayCert(), gateway.CertPEM, CertMode)
		add(l.GatewayKey(), gateway.KeyPEM, KeyMode)
		add(l.GatewayCA(), gateway.BundlePEM, CertMode)
		add(l.GatewayPEM(), gateway.ClientPEM, KeyMode)
	}
	for name, p := range plugins {
		add(l.PluginCert(name), p.CertPEM, CertMode)
		add(l.PluginKey(name), p.KeyPEM, KeyMode)
		add(l.PluginCA(name), p.BundlePEM, CertMode)
	}
	return out
}

// Files of a Kubernetes TLS secret (kubernetes.io/tls, plus the CA bundle).
const (
	SecretCert = "tls.crt"
	SecretKey  = "tls.key"
	SecretCA   = "ca.crt"
)

// Mounted points an env map at a secret mounted at dir: every *_CERTFILE,
// *_KEYFILE, *_CA_BUNDLE and *_CA_CERTS variable becomes dir/tls.crt,
// dir/tls.key or dir/ca.crt; other variables are kept.
func Mounted(env map[string]string, dir string) map[string]string {
	out := make(map[string]string, len(env))
	for k, v := range env {
		switch {
		case strings.HasSuffix(k, "_CERTFILE"):
			v = path.Join(dir, SecretCert)
		case strings.HasSuffix(k, "_KEYFILE"):
			v = path.Join(dir, SecretKey)
		case strings.HasSuffix(k, "_CA_BUNDLE"), strings.HasSuffix(k, "_CA_CERTS"):
			v = path.Join(dir, SecretCA)
		}
		out[k] = v
	}
	return out
}
