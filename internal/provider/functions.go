package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// The env map functions render the same maps as the resources (package
// envmap) for paths, hosts and ports a deploy chooses.

// envFunction is one env map function: its parameters and how to render.
type envFunction struct {
	name, summary, description string
	params                     []function.Parameter
	// render reads the arguments; an error names the argument by index.
	render func(args []any) (map[string]string, *function.FuncError)
}

func (f envFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f envFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{Summary: f.summary, Description: f.description, Parameters: f.params, Return: function.MapReturn{ElementType: types.StringType}}
}

// argumentTargets makes a variable of the right type for each parameter.
func argumentTargets(params []function.Parameter) []any {
	args := make([]any, len(params))
	for i, p := range params {
		switch p.(type) {
		case function.StringParameter:
			args[i] = new(string)
		case function.BoolParameter:
			args[i] = new(bool)
		case function.NumberParameter:
			args[i] = new(types.Number)
		case function.MapParameter:
			args[i] = new(map[string]string)
		}
	}
	return args
}

func (f envFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	args := argumentTargets(f.params)
	if resp.Error = req.Arguments.Get(ctx, args...); resp.Error != nil {
		return
	}
	env, err := f.render(args)
	if err != nil {
		resp.Error = err
		return
	}
	resp.Error = resp.Result.Set(ctx, env)
}

// checks runs one check per argument in order, so an error names the right one.
func checks(fns ...func() error) *function.FuncError {
	for i, fn := range fns {
		if err := fn(); err != nil {
			return function.NewArgumentFuncError(int64(i), err.Error())
		}
	}
	return nil
}

// wholeNumber reads a number argument that must be an integer (ports and
// ssl_cert_reqs); the framework's own conversion error for 1.5 would blame
// the provider.
func wholeNumber(name string, arg any, out *int) func() error {
	return func() error {
		v := arg.(*types.Number).ValueBigFloat()
		n, accuracy := v.Int64()
		if !v.IsInt() || accuracy != big.Exact || n < -1<<31 || n > 1<<31 {
			return fmt.Errorf("%s must be a whole number, got %s", name, v.Text('g', 10))
		}
		*out = int(n)
		return nil
	}
}

var (
	nameParam     = function.StringParameter{Name: "name", Description: "The plugin's name: letters, digits, `.`, `_` and `-`."}
	certDirParam  = function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the process sees it: no control characters, no `..`."}
	hostParam     = function.StringParameter{Name: "host", Description: "Bind address."}
	certReqsParam = function.NumberParameter{Name: "ssl_cert_reqs", Description: "0 CERT_NONE, 1 CERT_OPTIONAL, 2 CERT_REQUIRED."}
)

func newServerEnvFunction() function.Function {
	return envFunction{
		name:        "server_env",
		summary:     "An MCP plugin server's PLUGINS_SERVER_* environment map.",
		description: "Renders PLUGINS_TRANSPORT (\"http\": unset, the runtime runs stdio in every container), PLUGINS_SERVER_HOST, _PORT, _SSL_ENABLED (\"true\"), _SSL_KEYFILE, _SSL_CERTFILE, _SSL_CA_CERTS (under <cert_dir>/plugins/<name>/) and _SSL_CERT_REQS.",
		params:      []function.Parameter{nameParam, certDirParam, hostParam, function.NumberParameter{Name: "port", Description: "Bind port, 1-64535 (the health port is port+1000)."}, certReqsParam},
		render: func(args []any) (map[string]string, *function.FuncError) {
			s := envmap.Server{Plugin: *args[0].(*string), CertDir: *args[1].(*string), Host: *args[2].(*string)}
			err := checks(
				func() error { return pki.ValidatePluginName(s.Plugin) },
				func() error { return envmap.ValidateCertDir(s.CertDir) },
				func() error { return envmap.ValidateHost(s.Host) },
				chain(wholeNumber("port", args[3], &s.Port), func() error { return envmap.ValidatePort(s.Port) }),
				chain(wholeNumber("ssl_cert_reqs", args[4], &s.CertReqs), func() error { return envmap.ValidateCertReqs(s.CertReqs) }),
			)
			return s.Env(), err
		},
	}
}

func newGRPCServerEnvFunction() function.Function {
	return envFunction{
		name:        "grpc_server_env",
		summary:     "A gRPC plugin server's PLUGINS_GRPC_SERVER_* environment map.",
		description: "Renders PLUGINS_GRPC_SERVER_HOST, _PORT, _SSL_ENABLED (\"true\"), _SSL_KEYFILE, _SSL_CERTFILE, _SSL_CA_CERTS (under <cert_dir>/plugins/<name>/) and _SSL_CLIENT_AUTH (none, optional or require from ssl_cert_reqs 0, 1, 2).",
		params:      []function.Parameter{nameParam, certDirParam, hostParam, function.NumberParameter{Name: "port", Description: "Bind port, 1-65535."}, certReqsParam},
		render: func(args []any) (map[string]string, *function.FuncError) {
			s := envmap.GRPCServer{Plugin: *args[0].(*string), CertDir: *args[1].(*string), Host: *args[2].(*string)}
			err := checks(
				func() error { return pki.ValidatePluginName(s.Plugin) },
				func() error { return envmap.ValidateCertDir(s.CertDir) },
				func() error { return envmap.ValidateHost(s.Host) },
				chain(wholeNumber("port", args[3], &s.Port), func() error { return envmap.ValidateGRPCPort(s.Port) }),
				chain(wholeNumber("ssl_cert_reqs", args[4], &s.CertReqs), func() error { return envmap.ValidateCertReqs(s.CertReqs) }),
			)
			return s.Env(), err
		},
	}
}

func newClientEnvFunction() function.Function {
	return envFunction{
		name:        "client_env",
		summary:     "The gateway's PLUGINS_CLIENT_MTLS_* environment map (MCP plugins).",
		description: "Renders PLUGINS_CLIENT_MTLS_CERTFILE, _KEYFILE, _CA_BUNDLE (under <cert_dir>/gateway/), _VERIFY and _CHECK_HOSTNAME (\"true\"/\"false\").",
		params: []function.Parameter{certDirParam,
			function.BoolParameter{Name: "verify", Description: "Verify the plugin's certificate chain."},
			function.BoolParameter{Name: "check_hostname", Description: "Check the plugin URL's host against its certificate."}},
		render: func(args []any) (map[string]string, *function.FuncError) {
			c := envmap.Client{CertDir: *args[0].(*string), Verify: *args[1].(*bool), CheckHostname: *args[2].(*bool)}
			return c.Env(), checks(func() error { return envmap.ValidateCertDir(c.CertDir) })
		},
	}
}

func newGRPCClientEnvFunction() function.Function {
	return envFunction{
		name:        "grpc_client_env",
		summary:     "The gateway's PLUGINS_GRPC_CLIENT_MTLS_* environment map (gRPC plugins).",
		description: "Renders PLUGINS_GRPC_CLIENT_MTLS_CERTFILE, _KEYFILE, _CA_BUNDLE (under <cert_dir>/gateway/) and _VERIFY (always \"true\": gRPC always checks the plugin's certificate and its host).",
		params:      []function.Parameter{certDirParam},
		render: func(args []any) (map[string]string, *function.FuncError) {
			c := envmap.GRPCClient{CertDir: *args[0].(*string)}
			return c.Env(), checks(func() error { return envmap.ValidateCertDir(c.CertDir) })
		},
	}
}

// chain runs checks of one argument in order.
func chain(fns ...func() error) func() error {
	return func() error {
		for _, fn := range fns {
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	}
}
