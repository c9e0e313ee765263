package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
	"github.com/mcptls/terraform-provider-mcptls/internal/yamlrender"
)

// The YAML block functions render what the env map functions render, as the
// YAML blocks that replace those env sets (package yamlrender): same
// arguments, same paths, a string ready for indent() or yamldecode().

// yamlFunction is one YAML block function: its parameters and how to render.
type yamlFunction struct {
	name, summary, description string
	params                     []function.Parameter
	// render reads the arguments; an error names the argument by index.
	render func(args []any) (string, *function.FuncError)
}

func (f yamlFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f yamlFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{Summary: f.summary, Description: f.description, Parameters: f.params, Return: function.StringReturn{}}
}

func (f yamlFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	args := argumentTargets(f.params)
	if resp.Error = req.Arguments.Get(ctx, args...); resp.Error != nil {
		return
	}
	out, err := f.render(args)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, out)
}

var yamlCertDirParam = function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the process sees it: no control characters, no `..`, no `{{`, `{%` or `{#` (the gateway renders its config as a Jinja2 template)."}

func newMCPClientTLSYAMLFunction() function.Function {
	return yamlFunction{
		name:    "mcp_client_tls_yaml",
		summary: "The `tls:` block of an MCP plugin's entry in the gateway's config.yaml (under `mcp:`).",
		description: "Renders `tls:` with certfile, keyfile, ca_bundle (under <cert_dir>/gateway/, the files client_env names), verify and check_hostname, as a YAML document ending in a line break. " +
			"Present, the block replaces PLUGINS_CLIENT_MTLS_* for that plugin as a whole.",
		params: []function.Parameter{yamlCertDirParam,
			function.BoolParameter{Name: "verify", Description: "Verify the plugin's certificate chain."},
			function.BoolParameter{Name: "check_hostname", Description: "Check the plugin URL's host against its certificate."}},
		render: func(args []any) (string, *function.FuncError) {
			c := envmap.Client{CertDir: *args[0].(*string), Verify: *args[1].(*bool), CheckHostname: *args[2].(*bool)}
			if err := checks(func() error { return yamlrender.ValidateCertDir(c.CertDir) }); err != nil {
				return "", err
			}
			return rendered(yamlrender.MCPClientTLS(c))
		},
	}
}

func newGRPCClientTLSYAMLFunction() function.Function {
	return yamlFunction{
		name:    "grpc_client_tls_yaml",
		summary: "The `tls:` block of a gRPC plugin's entry in the gateway's config.yaml (under `grpc:`).",
		description: "Renders `tls:` with certfile, keyfile, ca_bundle (under <cert_dir>/gateway/, the files grpc_client_env names) and verify (always true, as grpc_client_env), " +
			"as a YAML document ending in a line break. The gRPC block has no check_hostname: gRPC always checks the target's host. " +
			"Present, the block replaces PLUGINS_GRPC_CLIENT_MTLS_* for that plugin as a whole.",
		params: []function.Parameter{yamlCertDirParam},
		render: func(args []any) (string, *function.FuncError) {
			c := envmap.GRPCClient{CertDir: *args[0].(*string)}
			if err := checks(func() error { return yamlrender.ValidateCertDir(c.CertDir) }); err != nil {
				return "", err
			}
			return rendered(yamlrender.GRPCClientTLS(c))
		},
	}
}

func newServerSettingsYAMLFunction() function.Function {
	return yamlFunction{
		name:    "server_settings_yaml",
		summary: "An MCP plugin server's `server_settings:` block (its own config.yaml).",
		description: "Renders `server_settings:` with host, port and `tls:` (certfile, keyfile, ca_bundle under <cert_dir>/plugins/<name>/, the files server_env names, and ssl_cert_reqs), " +
			"as a YAML document ending in a line break. Present, server_settings disables PLUGINS_SERVER_* on that server entirely; PLUGINS_TRANSPORT=http is still needed in its environment.",
		params: []function.Parameter{nameParam, yamlCertDirParam, hostParam,
			function.NumberParameter{Name: "port", Description: "Bind port, 1-64535 (the health port is port+1000)."}, certReqsParam},
		render: func(args []any) (string, *function.FuncError) {
			s := envmap.Server{Plugin: *args[0].(*string), CertDir: *args[1].(*string), Host: *args[2].(*string)}
			if err := checks(
				func() error { return pki.ValidatePluginName(s.Plugin) },
				func() error { return yamlrender.ValidateCertDir(s.CertDir) },
				func() error { return yamlrender.ValidateHost(s.Host) },
				chain(wholeNumber("port", args[3], &s.Port), func() error { return envmap.ValidatePort(s.Port) }),
				chain(wholeNumber("ssl_cert_reqs", args[4], &s.CertReqs), func() error { return envmap.ValidateCertReqs(s.CertReqs) }),
			); err != nil {
				return "", err
			}
			return rendered(yamlrender.ServerSettings(s))
		},
	}
}

func newGRPCServerSettingsYAMLFunction() function.Function {
	return yamlFunction{
		name:    "grpc_server_settings_yaml",
		summary: "A gRPC plugin server's `grpc_server_settings:` block (its own config.yaml).",
		description: "Renders `grpc_server_settings:` with host, port and `tls:` (certfile, keyfile, ca_bundle under <cert_dir>/plugins/<name>/, the files grpc_server_env names, " +
			"and client_auth: none, optional or require from ssl_cert_reqs 0, 1, 2), as a YAML document ending in a line break. " +
			"Present, grpc_server_settings disables PLUGINS_GRPC_SERVER_* on that server entirely.",
		params: []function.Parameter{nameParam, yamlCertDirParam, hostParam,
			function.NumberParameter{Name: "port", Description: "Bind port, 1-65535."}, certReqsParam},
		render: func(args []any) (string, *function.FuncError) {
			s := envmap.GRPCServer{Plugin: *args[0].(*string), CertDir: *args[1].(*string), Host: *args[2].(*string)}
			if err := checks(
				func() error { return pki.ValidatePluginName(s.Plugin) },
				func() error { return yamlrender.ValidateCertDir(s.CertDir) },
				func() error { return yamlrender.ValidateHost(s.Host) },
				chain(wholeNumber("port", args[3], &s.Port), func() error { return envmap.ValidateGRPCPort(s.Port) }),
				chain(wholeNumber("ssl_cert_reqs", args[4], &s.CertReqs), func() error { return envmap.ValidateCertReqs(s.CertReqs) }),
			); err != nil {
				return "", err
			}
			return rendered(yamlrender.GRPCServerSettings(s))
		},
	}
}

// rendered passes a block on; the arguments were checked one by one first, so
// an error left here is the provider's.
func rendered(out string, err error) (string, *function.FuncError) {
	if err != nil {
		return "", function.NewFuncError(err.Error())
	}
	return out, nil
}
