package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// serverEnvFunction renders PLUGINS_SERVER_* for paths and ports a deploy chooses.
type serverEnvFunction struct{}

func newServerEnvFunction() function.Function { return serverEnvFunction{} }

func (serverEnvFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "server_env"
}

func (serverEnvFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:     "A plugin server's PLUGINS_SERVER_* environment map.",
		Description: "Renders PLUGINS_SERVER_HOST, _PORT, _SSL_ENABLED (\"true\"), _SSL_KEYFILE, _SSL_CERTFILE, _SSL_CA_CERTS (under <cert_dir>/plugins/<name>/) and _SSL_CERT_REQS.",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "name", Description: "The plugin's name; a DNS label."},
			function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the plugin server sees it."},
			function.StringParameter{Name: "host", Description: "Bind address."},
			function.Int64Parameter{Name: "port", Description: "Bind port, 1-64535 (the health port is port+1000)."},
			function.Int64Parameter{Name: "ssl_cert_reqs", Description: "0 CERT_NONE, 1 CERT_OPTIONAL, 2 CERT_REQUIRED."},
		},
		Return: function.MapReturn{ElementType: types.StringType},
	}
}

func (serverEnvFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var name, certDir, host string
	var port, reqs int64
	if resp.Error = req.Arguments.Get(ctx, &name, &certDir, &host, &port, &reqs); resp.Error != nil {
		return
	}
	// One check per argument, in argument order, so errors name the right one.
	checks := []func() error{
		func() error { return pki.ValidatePluginName(name) },
		func() error { return envmap.ValidateCertDir(certDir) },
		func() error {
			if host == "" {
				return errors.New("host must not be empty")
			}
			return nil
		},
		func() error { return envmap.ValidatePort(int(port)) },
		func() error { return envmap.ValidateCertReqs(int(reqs)) },
	}
	for i, check := range checks {
		if err := check(); err != nil {
			resp.Error = function.NewArgumentFuncError(int64(i), err.Error())
			return
		}
	}
	server := envmap.Server{CertDir: certDir, Plugin: name, Host: host, Port: int(port), CertReqs: int(reqs)}
	resp.Error = resp.Result.Set(ctx, server.Env())
}

// clientEnvFunction renders PLUGINS_CLIENT_MTLS_* for a chosen cert_dir.
type clientEnvFunction struct{}

func newClientEnvFunction() function.Function { return clientEnvFunction{} }

func (clientEnvFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "client_env"
}

func (clientEnvFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary:     "The gateway's PLUGINS_CLIENT_MTLS_* environment map.",
		Description: "Renders PLUGINS_CLIENT_MTLS_CERTFILE, _KEYFILE, _CA_BUNDLE (under <cert_dir>/gateway/), _VERIFY and _CHECK_HOSTNAME (\"true\"/\"false\").",
		Parameters: []function.Parameter{
			function.StringParameter{Name: "cert_dir", Description: "Root of the certs/mcp tree as the gateway sees it."},
			function.BoolParameter{Name: "verify", Description: "Verify the plugin's certificate chain."},
			function.BoolParameter{Name: "check_hostname", Description: "Check the plugin URL's host against its certificate."},
		},
		Return: function.MapReturn{ElementType: types.StringType},
	}
}

func (clientEnvFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var certDir string
	var verify, checkHostname bool
	if resp.Error = req.Arguments.Get(ctx, &certDir, &verify, &checkHostname); resp.Error != nil {
		return
	}
	if err := envmap.ValidateCertDir(certDir); err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, envmap.Client{CertDir: certDir, Verify: verify, CheckHostname: checkHostname}.Env())
}
