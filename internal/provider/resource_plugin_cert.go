package provider

import (
	"context"
	"net"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

type pluginModel struct {
	CertFields
	LeafFields
	Name        types.String `tfsdk:"name"`
	CommonName  types.String `tfsdk:"common_name"`
	URL         types.String `tfsdk:"url"`
	DNSNames    types.Set    `tfsdk:"dns_names"`
	IPAddresses types.Set    `tfsdk:"ip_addresses"`
	ServerHost  types.String `tfsdk:"server_host"`
	ServerPort  types.Int64  `tfsdk:"server_port"`
	SSLCertReqs types.Int64  `tfsdk:"ssl_cert_reqs"`
	ServerEnv   types.Map    `tfsdk:"server_env"`
	HealthPort  types.Int64  `tfsdk:"health_port"`
}

// NewPluginCertResource is mcptls_plugin_cert: one plugin server's certificate.
func NewPluginCertResource() resource.Resource {
	return &certResource{kind: certKind{
		typeSuffix: "plugin_cert",
		newModel:   func() certModel { return &pluginModel{} },
		schema: func() schema.Schema {
			return schema.Schema{
				MarkdownDescription: "A plugin server's certificate (`certs/mcp/plugins/<name>/`): CN `mcp-plugin-<name>`, extended key usage serverAuth, " +
					"SANs `<name>`, `mcp-plugin-<name>`, `localhost`, the plugin URL's host, and any `dns_names` / `ip_addresses`.",
				Attributes: mergeAttributes(certAttributes(pki.DefaultPluginSubject), leafAttributes(), map[string]schema.Attribute{
					"name": schema.StringAttribute{
						MarkdownDescription: "The plugin's `name` in the gateway's config.yaml. Must be usable as a DNS label (letters, digits, inner hyphens; at most 52 characters). Changing it issues a new certificate.",
						Required:            true,
						PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
					"common_name": schema.StringAttribute{
						MarkdownDescription: "`mcp-plugin-<name>`.",
						Computed:            true,
					},
					"url": schema.StringAttribute{
						MarkdownDescription: "The plugin's `mcp.url`. Its host becomes a DNS or IP SAN, so `check_hostname` works by IP too; its port is the default `server_port`. A new certificate is issued only when the SANs change.",
						Optional:            true,
					},
					"dns_names": schema.SetAttribute{
						MarkdownDescription: "Extra DNS SANs. A new certificate is issued only when the SANs change.",
						Optional:            true, ElementType: types.StringType,
						Validators: []validator.Set{setvalidator.ValueStringsAre(dnsNameValidator)},
					},
					"ip_addresses": schema.SetAttribute{
						MarkdownDescription: "Extra IP SANs. A new certificate is issued only when the SANs change.",
						Optional:            true, ElementType: types.StringType,
						Validators: []validator.Set{setvalidator.ValueStringsAre(ipAddressValidator)},
					},
					"server_host": schema.StringAttribute{
						MarkdownDescription: "`PLUGINS_SERVER_HOST`, the bind address. Default `" + envmap.DefaultServerHost + "`.",
						Optional:            true, Computed: true, Default: stringdefault.StaticString(envmap.DefaultServerHost),
					},
					"server_port": schema.Int64Attribute{
						MarkdownDescription: "`PLUGINS_SERVER_PORT`. Default: the explicit port of `url`, else 8000. At most 64535 so the health port fits.",
						Optional:            true, Computed: true,
					},
					"ssl_cert_reqs": schema.Int64Attribute{
						MarkdownDescription: "`PLUGINS_SERVER_SSL_CERT_REQS`: 0 CERT_NONE, 1 CERT_OPTIONAL, 2 CERT_REQUIRED (default, mTLS).",
						Optional:            true, Computed: true, Default: int64default.StaticInt64(envmap.DefaultSSLCertReqs),
						Validators: []validator.Int64{int64validator.Between(0, 2)},
					},
					"server_env": schema.MapAttribute{
						MarkdownDescription: "The plugin server's `PLUGINS_SERVER_*` variables, with paths under `cert_dir`.",
						Computed:            true, ElementType: types.StringType,
					},
					"health_port": schema.Int64Attribute{
						MarkdownDescription: "Where the plugin runtime serves plain-HTTP health checks when TLS is on: `server_port + 1000`.",
						Computed:            true,
					},
				}),
			}
		},
	}}
}

func (m *pluginModel) fields() *CertFields     { return &m.CertFields }
func (m *pluginModel) leafFields() *LeafFields { return &m.LeafFields }

func (m *pluginModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.Name.IsUnknown() && !m.Name.IsNull() {
		if err := pki.ValidatePluginName(m.Name.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("name"), "Invalid plugin name", err.Error())
		}
	}
	if !m.URL.IsUnknown() && !m.URL.IsNull() {
		u, err := pluginconfig.ParseURL(m.URL.ValueString())
		if err == nil && net.ParseIP(u.Host) == nil {
			// The host becomes a DNS SAN (dns_names and ip_addresses have validators of their own).
			err = pki.ValidateDNSName(u.Host)
		}
		if err != nil {
			diags.AddAttributeError(path.Root("url"), "Invalid plugin URL", err.Error())
		}
	}
	if !m.ServerPort.IsUnknown() && !m.ServerPort.IsNull() {
		if err := envmap.ValidatePort(int(m.ServerPort.ValueInt64())); err != nil {
			diags.AddAttributeError(path.Root("server_port"), "Invalid server port", err.Error())
		}
	}
	return diags
}

func (m *pluginModel) sanInputsKnown() bool {
	return !m.Name.IsUnknown() && !m.Name.IsNull() && !m.URL.IsUnknown() && !m.DNSNames.IsUnknown() && !m.IPAddresses.IsUnknown()
}

// sans computes the certificate's effective SANs from the inputs.
func (m *pluginModel) sans() (pki.SANs, diag.Diagnostics) {
	var diags diag.Diagnostics
	var dns, ips []string
	diags.Append(m.DNSNames.ElementsAs(context.Background(), &dns, false)...)
	diags.Append(m.IPAddresses.ElementsAs(context.Background(), &ips, false)...)
	host := ""
	if !m.URL.IsNull() {
		u, err := pluginconfig.ParseURL(m.URL.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("url"), "Invalid plugin URL", err.Error())
			return pki.SANs{}, diags
		}
		host = u.Host
	}
	sans, err := pki.PluginSANs(m.Name.ValueString(), host, dns, ips)
	if err != nil { // validation has named the attribute already; this is a backstop
		diags.AddError("Invalid subject alternative name", err.Error())
	}
	return sans, diags
}

func (m *pluginModel) request() (pki.Request, diag.Diagnostics) {
	sans, diags := m.sans()
	return pki.Request{
		Profile:     pki.ProfileServer,
		Subject:     pki.PluginSubject(m.Name.ValueString(), m.subject("")),
		DNSNames:    sans.DNSNames,
		IPAddresses: sans.IPAddresses,
	}, diags
}

func (m *pluginModel) derive(config certModel) diag.Diagnostics {
	cfg := config.(*pluginModel)
	m.CommonName = types.StringUnknown()
	if !m.Name.IsUnknown() {
		m.CommonName = types.StringValue(pki.PluginCommonNamePrefix + m.Name.ValueString())
	}
	if cfg.ServerPort.IsNull() {
		m.ServerPort = types.Int64Value(envmap.DefaultServerPort)
		switch {
		case m.URL.IsUnknown():
			m.ServerPort = types.Int64Unknown()
		case !m.URL.IsNull():
			if u, err := pluginconfig.ParseURL(m.URL.ValueString()); err == nil && u.ExplicitPort {
				m.ServerPort = types.Int64Value(int64(u.Port))
			}
		}
	}
	m.HealthPort, m.ServerEnv = types.Int64Unknown(), types.MapUnknown(types.StringType)
	if m.ServerPort.IsUnknown() || m.CertDir.IsUnknown() || m.Name.IsUnknown() || m.ServerHost.IsUnknown() || m.SSLCertReqs.IsUnknown() {
		return nil
	}
	server := envmap.Server{
		CertDir: m.CertDir.ValueString(), Plugin: m.Name.ValueString(), Host: m.ServerHost.ValueString(),
		Port: int(m.ServerPort.ValueInt64()), CertReqs: int(m.SSLCertReqs.ValueInt64()),
	}
	m.HealthPort = types.Int64Value(int64(server.HealthPort()))
	m.ServerEnv = stringMap(server.Env())
	return nil
}

func (m *pluginModel) keepIssued(string) {}

// reissuePaths replaces the certificate only when its effective SANs change, so
// moving the URL to another port (or spelling a SAN twice) keeps it.
func (m *pluginModel) reissuePaths(prior certModel) []path.Path {
	p := prior.(*pluginModel)
	var changed []path.Path
	if !m.URL.Equal(p.URL) {
		changed = append(changed, path.Root("url"))
	}
	if !m.DNSNames.Equal(p.DNSNames) {
		changed = append(changed, path.Root("dns_names"))
	}
	if !m.IPAddresses.Equal(p.IPAddresses) {
		changed = append(changed, path.Root("ip_addresses"))
	}
	if len(changed) == 0 || !m.sanInputsKnown() {
		return changed
	}
	want, diags := m.sans()
	cert, err := pki.ParseCertificate(p.CertPEM.ValueString())
	if diags.HasError() || err != nil || !want.Equal(pki.SANsOf(cert.DNSNames, cert.IPAddresses)) {
		return changed
	}
	return nil
}

func (m *pluginModel) importFrom(dir string) error {
	cert, err := m.importCert(filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key"))
	if err != nil {
		return err
	}
	m.Name = types.StringValue(filepath.Base(filepath.Clean(dir)))
	if err := pki.ValidatePluginName(m.Name.ValueString()); err != nil {
		return err
	}
	base, _ := pki.PluginSANs(m.Name.ValueString(), "", nil, nil)
	var extraDNS []string
	for _, d := range cert.DNSNames {
		if !containsFold(base.DNSNames, d) {
			extraDNS = append(extraDNS, d)
		}
	}
	var ips []string
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	m.URL = types.StringNull()
	m.DNSNames = stringSetOrNull(extraDNS)
	m.IPAddresses = stringSetOrNull(ips)
	m.ServerHost = types.StringValue(envmap.DefaultServerHost)
	m.ServerPort = types.Int64Value(envmap.DefaultServerPort)
	m.SSLCertReqs = types.Int64Value(envmap.DefaultSSLCertReqs)
	return m.importLeaf(dir, filepath.Dir(filepath.Dir(filepath.Clean(dir))))
}
