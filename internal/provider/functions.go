package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
)

// The env map functions render the same maps as the resources (package
// envmap) for paths, hosts and ports a deploy chooses; the YAML block
// functions (function_blocks_yaml.go) render the same settings as YAML.
// Both are built here, a server pair and a client pair each, from one
// parameter list and one reading of the arguments.

var (
	nameParam     = function.StringParameter{Name: "name", Description: "The plugin's name: letters, digits, `.`, `_` and `-`."}
	certDirParam  = function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the process sees it: no control characters, no `..`."}
	hostParam     = function.StringParameter{Name: "host", Description: "Bind address."}
	certReqsParam = function.NumberParameter{Name: "ssl_cert_reqs", Description: "0 CERT_NONE, 1 CERT_OPTIONAL, 2 CERT_REQUIRED."}
	mcpPortDoc    = "Bind port, 1-64535 (the health port is port+1000)."
	grpcPortDoc   = "Bind port, 1-65535."
	envMap        = function.MapReturn{ElementType: types.StringType}
	verifyParams  = []function.Parameter{
		function.BoolParameter{Name: "verify", Description: "Verify the plugin's certificate chain."},
		function.BoolParameter{Name: "check_hostname", Description: "Check the plugin URL's host against its certificate."},
	}
)

// serverFunction is a plugin server function: name, cert_dir, host, port and
// ssl_cert_reqs, rendered by render from the listener they make.
func serverFunction(name, summary, description string, certDir function.StringParameter, portDoc string, ret function.Return, render func(envmap.Listener) (any, error)) function.Function {
	return adapter{
		name: name, summary: summary, description: description, ret: ret,
		params: []function.Parameter{nameParam, certDir, hostParam, function.NumberParameter{Name: "port", Description: portDoc}, certReqsParam},
		run: func(_ context.Context, a arguments) (any, error) {
			l, numbers := a.listener()
			out, err := render(l)
			if err := a.first(numbers, err); err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// clientFunction is a gateway client function: cert_dir, and for MCP verify
// and check_hostname.
func clientFunction(name, summary, description string, certDir function.StringParameter, mcp bool, ret function.Return, render func(envmap.Client) (any, error)) function.Function {
	params := []function.Parameter{certDir}
	if mcp {
		params = append(params, verifyParams...)
	}
	return adapter{
		name: name, summary: summary, description: description, params: params, ret: ret,
		run: func(_ context.Context, a arguments) (any, error) {
			return render(envmap.Client{CertDir: a.str("cert_dir"), Verify: a.boolean("verify"), CheckHostname: a.boolean("check_hostname")})
		},
	}
}

// envOf is an input's env map, once it has checked itself.
func envOf(in interface {
	Validate() error
	Env() map[string]string
}) (any, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return in.Env(), nil
}

func newServerEnvFunction() function.Function {
	return serverFunction("server_env", "An MCP plugin server's PLUGINS_SERVER_* environment map.",
		"Renders PLUGINS_TRANSPORT (\"http\": unset, the runtime runs stdio in every container), PLUGINS_SERVER_HOST, _PORT, _SSL_ENABLED (\"true\"), _SSL_KEYFILE, _SSL_CERTFILE, _SSL_CA_CERTS (under <cert_dir>/plugins/<name>/) and _SSL_CERT_REQS.",
		certDirParam, mcpPortDoc, envMap, func(l envmap.Listener) (any, error) { return envOf(envmap.Server{Listener: l}) })
}

func newGRPCServerEnvFunction() function.Function {
	return serverFunction("grpc_server_env", "A gRPC plugin server's PLUGINS_GRPC_SERVER_* environment map.",
		"Renders PLUGINS_GRPC_SERVER_HOST, _PORT, _SSL_ENABLED (\"true\"), _SSL_KEYFILE, _SSL_CERTFILE, _SSL_CA_CERTS (under <cert_dir>/plugins/<name>/) and _SSL_CLIENT_AUTH (none, optional or require from ssl_cert_reqs 0, 1, 2).",
		certDirParam, grpcPortDoc, envMap, func(l envmap.Listener) (any, error) { return envOf(envmap.GRPCServer{Listener: l}) })
}

func newClientEnvFunction() function.Function {
	return clientFunction("client_env", "The gateway's PLUGINS_CLIENT_MTLS_* environment map (MCP plugins).",
		"Renders PLUGINS_CLIENT_MTLS_CERTFILE, _KEYFILE, _CA_BUNDLE (under <cert_dir>/gateway/), _VERIFY and _CHECK_HOSTNAME (\"true\"/\"false\").",
		certDirParam, true, envMap, func(c envmap.Client) (any, error) { return envOf(c) })
}

func newGRPCClientEnvFunction() function.Function {
	return clientFunction("grpc_client_env", "The gateway's PLUGINS_GRPC_CLIENT_MTLS_* environment map (gRPC plugins).",
		"Renders PLUGINS_GRPC_CLIENT_MTLS_CERTFILE, _KEYFILE, _CA_BUNDLE (under <cert_dir>/gateway/) and _VERIFY (always \"true\": gRPC always checks the plugin's certificate and its host).",
		certDirParam, false, envMap, func(c envmap.Client) (any, error) { return envOf(envmap.GRPCClient{CertDir: c.CertDir}) })
}
