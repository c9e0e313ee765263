// Package provider adapts the pure pki, pluginconfig and envmap packages to the
// Terraform plugin framework. It holds no certificate logic of its own.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

var (
	_ provider.Provider                       = (*mcptlsProvider)(nil)
	_ provider.ProviderWithFunctions          = (*mcptlsProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*mcptlsProvider)(nil)
)

type mcptlsProvider struct {
	version string
	clock   Clock
}

// New returns the provider factory used by main and by the acceptance tests.
func New(version string) func() provider.Provider {
	return NewWithClock(version, SystemClock{})
}

// NewWithClock lets tests drive renewal with their own clock, one per test.
func NewWithClock(version string, clock Clock) func() provider.Provider {
	return func() provider.Provider { return &mcptlsProvider{version: version, clock: clock} }
}

func (p *mcptlsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "mcptls"
	resp.Version = p.version
}

func (p *mcptlsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Builds the mutual-TLS material between an MCP gateway and its external plugin servers: " +
			"a CA, the gateway's client certificate, one server certificate per plugin, and the `PLUGINS_*` environment maps that point at them. " +
			"The provider takes no configuration.",
	}
}

func (p *mcptlsProvider) Configure(_ context.Context, _ provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	data := &providerData{clock: p.clock}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *mcptlsProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	const never = " Ephemeral (Terraform >= 1.10, OpenTofu >= 1.11): issued anew on every run, never stored in state or plan; " +
		"hand it to write-only arguments. Its inputs and results are those of the managed resource of the same name; " +
		"its CA key may come from an ephemeral source through ca_private_key_pem."
	return []func() ephemeral.EphemeralResource{
		newEphemeralCert(NewGatewayCertResource, "The gateway's client certificate and key."+never),
		newEphemeralCert(NewPluginCertResource, "A plugin server's certificate and key."+never),
	}
}

func (p *mcptlsProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewCAResource, NewGatewayCertResource, NewPluginCertResource}
}

func (p *mcptlsProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewPluginConfigDataSource, NewCertCheckDataSource}
}

func (p *mcptlsProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		newServerEnvFunction, newClientEnvFunction, newGRPCServerEnvFunction, newGRPCClientEnvFunction,
		newFilesFunction, newMountedEnvFunction,
		newMCPClientTLSYAMLFunction, newGRPCClientTLSYAMLFunction, newServerSettingsYAMLFunction, newGRPCServerSettingsYAMLFunction, newPluginConfigTLSYAMLFunction,
	}
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	clock Clock
}
