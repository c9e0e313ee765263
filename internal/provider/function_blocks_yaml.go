package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/yamlrender"
)

// The YAML block functions render what the env map functions render, as the
// YAML blocks that replace those env sets (package yamlrender): same
// arguments, same paths, a string ready for indent() or yamldecode().

var yamlCertDirParam = function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the process sees it: no control characters, no `..`, no `{{`, `{%` or `{#` (the gateway renders its config as a Jinja2 template)."}

func newMCPClientTLSYAMLFunction() function.Function {
	return clientFunction("mcp_client_tls_yaml", "The `tls:` block of an MCP plugin's entry in the gateway's config.yaml (under `mcp:`).",
		"Renders `tls:` with certfile, keyfile, ca_bundle (under <cert_dir>/gateway/, the files client_env names), verify and check_hostname, as a YAML document ending in a line break. "+
			"Present, the block replaces PLUGINS_CLIENT_MTLS_* for that plugin as a whole.",
		yamlCertDirParam, true, function.StringReturn{}, func(c envmap.Client) (any, error) { return yamlrender.MCPClientTLS(c) })
}

func newGRPCClientTLSYAMLFunction() function.Function {
	return clientFunction("grpc_client_tls_yaml", "The `tls:` block of a gRPC plugin's entry in the gateway's config.yaml (under `grpc:`).",
		"Renders `tls:` with certfile, keyfile, ca_bundle (under <cert_dir>/gateway/, the files grpc_client_env names) and verify (always true, as grpc_client_env), "+
			"as a YAML document ending in a line break. The gRPC block has no check_hostname: gRPC always checks the target's host. "+
			"Present, the block replaces PLUGINS_GRPC_CLIENT_MTLS_* for that plugin as a whole.",
		yamlCertDirParam, false, function.StringReturn{}, func(c envmap.Client) (any, error) {
			return yamlrender.GRPCClientTLS(envmap.GRPCClient{CertDir: c.CertDir})
		})
}

func newServerSettingsYAMLFunction() function.Function {
	return serverFunction("server_settings_yaml", "An MCP plugin server's `server_settings:` block (its own config.yaml).",
		"Renders `server_settings:` with host, port and `tls:` (certfile, keyfile, ca_bundle under <cert_dir>/plugins/<name>/, the files server_env names, and ssl_cert_reqs), "+
			"as a YAML document ending in a line break. Present, server_settings disables PLUGINS_SERVER_* on that server entirely; PLUGINS_TRANSPORT=http is still needed in its environment.",
		yamlCertDirParam, mcpPortDoc, function.StringReturn{}, func(l envmap.Listener) (any, error) {
			return yamlrender.ServerSettings(envmap.Server{Listener: l})
		})
}

func newGRPCServerSettingsYAMLFunction() function.Function {
	return serverFunction("grpc_server_settings_yaml", "A gRPC plugin server's `grpc_server_settings:` block (its own config.yaml).",
		"Renders `grpc_server_settings:` with host, port and `tls:` (certfile, keyfile, ca_bundle under <cert_dir>/plugins/<name>/, the files grpc_server_env names, "+
			"and client_auth: none, optional or require from ssl_cert_reqs 0, 1, 2), as a YAML document ending in a line break. "+
			"Present, grpc_server_settings disables PLUGINS_GRPC_SERVER_* on that server entirely.",
		yamlCertDirParam, grpcPortDoc, function.StringReturn{}, func(l envmap.Listener) (any, error) {
			return yamlrender.GRPCServerSettings(envmap.GRPCServer{Listener: l})
		})
}
