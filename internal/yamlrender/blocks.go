package yamlrender

import (
	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
)

// The blocks say what the env maps say (package envmap), from the same
// structs and the same Layout. Each renders as a one-key YAML document
// (`tls:`, `server_settings:`, ...) ending in a line break, ready for
// Terraform's indent() or yamldecode().

func mcpClientTLS(c envmap.Client) mapping {
	l := envmap.Layout{Dir: c.CertDir}
	return mapping{
		{"certfile", l.GatewayCert()},
		{"keyfile", l.GatewayKey()},
		{"ca_bundle", l.GatewayCA()},
		{"verify", c.Verify},
		{"check_hostname", c.CheckHostname},
	}
}

// grpcClientTLS has no check_hostname (GRPCClientTLSConfig has none: gRPC
// always checks the target's host) and verify is always true, as in
// envmap.GRPCClient: cpex 0.1.3 reads false as "use the public roots".
func grpcClientTLS(c envmap.GRPCClient) mapping {
	l := envmap.Layout{Dir: c.CertDir}
	return mapping{
		{"certfile", l.GatewayCert()},
		{"keyfile", l.GatewayKey()},
		{"ca_bundle", l.GatewayCA()},
		{"verify", true},
	}
}

// MCPClientTLS is the `tls:` block a gateway's MCP plugin entry carries under
// `mcp:`. Present, it replaces PLUGINS_CLIENT_MTLS_* as a whole. An error
// names the field at fault (envmap.FieldError).
func MCPClientTLS(c envmap.Client) (string, error) {
	if err := validate(c, map[string]string{"cert_dir": c.CertDir}); err != nil {
		return "", err
	}
	return mapping{{"tls", mcpClientTLS(c)}}.document(), nil
}

// GRPCClientTLS is the `tls:` block a gateway's gRPC plugin entry carries
// under `grpc:`. Present, it replaces PLUGINS_GRPC_CLIENT_MTLS_* as a whole.
func GRPCClientTLS(c envmap.GRPCClient) (string, error) {
	if err := validate(c, map[string]string{"cert_dir": c.CertDir}); err != nil {
		return "", err
	}
	return mapping{{"tls", grpcClientTLS(c)}}.document(), nil
}

// ServerSettings is an MCP plugin server's `server_settings:` block. Present,
// it disables PLUGINS_SERVER_* on that server entirely.
func ServerSettings(s envmap.Server) (string, error) {
	return serverSettings("server_settings", s, s.Listener, entry{"ssl_cert_reqs", s.CertReqs})
}

// GRPCServerSettings is a gRPC plugin server's `grpc_server_settings:` block,
// client_auth from ssl_cert_reqs as envmap.ClientAuth maps it. Present, it
// disables PLUGINS_GRPC_SERVER_* on that server entirely.
func GRPCServerSettings(s envmap.GRPCServer) (string, error) {
	return serverSettings("grpc_server_settings", s, s.Listener, entry{"client_auth", envmap.ClientAuth(s.CertReqs)})
}

// serverSettings is what both server blocks share: host, port and the tls
// files of the plugin; auth is the last tls key, the transport's own.
func serverSettings(key string, input validator, l envmap.Listener, auth entry) (string, error) {
	if err := validate(input, map[string]string{"name": l.Plugin, "cert_dir": l.CertDir, "host": l.Host}); err != nil {
		return "", err
	}
	files := envmap.Layout{Dir: l.CertDir}
	return mapping{{key, mapping{
		{"host", l.Host},
		{"port", l.Port},
		{"tls", mapping{
			{"certfile", files.PluginCert(l.Plugin)},
			{"keyfile", files.PluginKey(l.Plugin)},
			{"ca_bundle", files.PluginCA(l.Plugin)},
			auth,
		}},
	}}}.document(), nil
}

// validator is an envmap input that checks itself.
type validator interface{ Validate() error }

// validate runs the input's own checks, then refuses a template opener in
// the text values written into a config the gateway renders as a template.
func validate(input validator, text map[string]string) error {
	if err := input.Validate(); err != nil {
		return err
	}
	for _, name := range []string{"name", "cert_dir", "host"} {
		if value, ok := text[name]; ok {
			if err := noTemplate(name, value); err != nil {
				return &envmap.FieldError{Field: name, Err: err}
			}
		}
	}
	return nil
}
