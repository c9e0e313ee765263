package provider

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	Name        types.String     `tfsdk:"name"`
	CommonName  types.String     `tfsdk:"common_name"`
	URL         types.String     `tfsdk:"url"`
	GRPCTarget  types.String     `tfsdk:"grpc_target"`
	DNSNames    types.Set        `tfsdk:"dns_names"`
	IPAddresses types.Set        `tfsdk:"ip_addresses"`
	ServerHost  types.String     `tfsdk:"server_host"`
	ServerPort  WholeNumberValue `tfsdk:"server_port"`
	SSLCertReqs WholeNumberValue `tfsdk:"ssl_cert_reqs"`
	ServerEnv   types.Map        `tfsdk:"server_env"`
	HealthPort  types.Int64      `tfsdk:"health_port"`
}

// NewPluginCertResource is mcptls_plugin_cert: one plugin server's certificate.
func NewPluginCertResource() resource.Resource {
	return &certResource{kind: certKind{
		typeSuffix: "plugin_cert",
		profile:    pki.ProfileServer,
		newModel:   func() certModel { return &pluginModel{} },
		schema: func() schema.Schema {
			return schema.Schema{
				MarkdownDescription: "A plugin server's certificate (`certs/mcp/plugins/<name>/`): CN `mcp-plugin-<name>`, extended key usage serverAuth, " +
					"SANs `<name>`, `mcp-plugin-<name>`, `localhost`, the host of the plugin's `url` or `grpc_target`, and any `dns_names` / `ip_addresses`. " +
					"`server_env` starts the plugin server on the plugin's transport: MCP over HTTP (`url`, or neither) or gRPC (`grpc_target`).",
				Attributes: mergeAttributes(certAttributes(pki.DefaultPluginSubject), leafAttributes(), map[string]schema.Attribute{
					"name": schema.StringAttribute{
						MarkdownDescription: "The plugin's `name` in the gateway's config.yaml, a directory of the certs/mcp tree: letters, digits, `.`, `_` and `-`, at most 53 characters. " +
							"Changing it issues a new certificate; a name that is no DNS name (`My_Plugin`) is issued with a warning.",
						Required:      true,
						PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
					},
					"common_name": schema.StringAttribute{
						MarkdownDescription: "`mcp-plugin-<name>`.",
						Computed:            true,
					},
					"url": schema.StringAttribute{
						MarkdownDescription: "The plugin's `mcp.url`: its host becomes a DNS or IP SAN (an internationalized host in the IDNA form the gateway's client, httpx, connects to: `xn--…`), its port the default `server_port`, and the gateway's URL rules apply. " +
							"Conflicts with `grpc_target`; see the [transports guide](../guides/transports.md).",
						Optional:   true,
						Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRoot("grpc_target"))},
					},
					"grpc_target": schema.StringAttribute{
						MarkdownDescription: "The plugin's `grpc.target` (`host:port`, or grpcio's `dns:///host:port`, `ipv4:a.b.c.d:port`, `ipv4:///a.b.c.d:port`, `ipv6:[addr]:port`): its host becomes a DNS or IP SAN, its port the default `server_port`, and `server_env` renders `PLUGINS_GRPC_SERVER_*`. " +
							"A list of several addresses is an error: grpcio checks the certificate against the whole list as one name. " +
							"Conflicts with `url`; see the [transports guide](../guides/transports.md).",
						Optional: true,
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
						MarkdownDescription: "`PLUGINS_SERVER_HOST` (or `PLUGINS_GRPC_SERVER_HOST`), the bind address. Default `" + envmap.DefaultServerHost + "`.",
						Optional:            true, Computed: true, Default: stringdefault.StaticString(envmap.DefaultServerHost),
						Validators: []validator.String{serverHostValidator},
					},
					"server_port": wholeNumberAttribute("", schema.Int64Attribute{
						MarkdownDescription: "`PLUGINS_SERVER_PORT` (or `PLUGINS_GRPC_SERVER_PORT`). Default: the explicit port of `url`, else 8000; the port of `grpc_target`. " +
							"For MCP at most 64535, so the health port (+1000) fits.",
						Optional: true, Computed: true,
					}),
					"ssl_cert_reqs": wholeNumberAttribute("", schema.Int64Attribute{
						MarkdownDescription: "`PLUGINS_SERVER_SSL_CERT_REQS`: 0 CERT_NONE, 1 CERT_OPTIONAL, 2 CERT_REQUIRED (default, mTLS). " +
							"For gRPC, `PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH` `none`, `optional` or `require`.",
						Optional: true, Computed: true, Default: int64default.StaticInt64(envmap.DefaultSSLCertReqs),
						Validators: []validator.Int64{int64validator.Between(0, 2)},
					}),
					"server_env": schema.MapAttribute{
						MarkdownDescription: "The plugin server's env map, with paths under `cert_dir`: for MCP, `PLUGINS_TRANSPORT = \"http\"` (unset, the runtime runs stdio in every container) and `PLUGINS_SERVER_*`; " +
							"for gRPC, `PLUGINS_GRPC_SERVER_*`.",
						Computed: true, ElementType: types.StringType,
					},
					"health_port": schema.Int64Attribute{
						MarkdownDescription: "Where the MCP plugin runtime serves plain-HTTP health checks when TLS is on: `server_port + 1000`. Null for gRPC, whose health service shares the server's port.",
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
	if known(m.Name) {
		name := m.Name.ValueString()
		if err := pki.ValidatePluginName(name); err != nil {
			diags.AddAttributeError(path.Root("name"), "Invalid plugin name", err.Error())
		} else if warning := pki.PluginNameHostWarning(name); warning != "" {
			diags.AddAttributeWarning(path.Root("name"), "Plugin name is no DNS name", warning)
		}
	}
	if known(m.URL) {
		e, err := pluginconfig.MCPEndpoint(m.URL.ValueString())
		if err == nil {
			err = e.SANCheck()
		}
		switch {
		case err != nil:
			diags.AddAttributeError(path.Root("url"), "Invalid plugin URL", err.Error())
		case !e.TLS():
			diags.AddAttributeWarning(path.Root("url"), "Plugin URL without TLS",
				fmt.Sprintf("The url is %s://, so the gateway connects without TLS, while server_env turns TLS on for the plugin server: they cannot talk. Use https:// in the gateway's config.", e.Scheme))
		case m.ServerPort.IsNull() && e.ExplicitPort:
			if err := envmap.ValidatePort(e.Port); err != nil {
				diags.AddAttributeError(path.Root("url"), "URL port leaves no room for the health port", err.Error()+": set server_port to the port the plugin server listens on")
			}
		}
		if err == nil {
			hostWarning(&diags, path.Root("url"), e)
		}
	}
	if known(m.GRPCTarget) {
		e, err := pluginconfig.GRPCEndpoint(m.GRPCTarget.ValueString())
		if err == nil {
			err = e.SANCheck()
		}
		if err != nil {
			diags.AddAttributeError(path.Root("grpc_target"), "Invalid gRPC target", err.Error())
		} else {
			hostWarning(&diags, path.Root("grpc_target"), e)
		}
		if !m.PrivateKeyPassphraseWO.IsNull() {
			diags.AddAttributeError(path.Root("private_key_passphrase_wo"), "gRPC cannot load an encrypted key",
				"The plugin's gRPC server (cpex 0.1.3) ignores keyfile_password (it reads no PLUGINS_GRPC_SERVER_SSL_KEYFILE_PASSWORD), "+
					"so it cannot load an encrypted key and does not start (\"Invalid private key\"). Leave private_key_passphrase_wo out for a gRPC plugin; "+
					"protect its key file with its permissions (0600) or a secret store.")
		}
		if known(m.SSLCertReqs) && m.SSLCertReqs.ValueInt64() == 1 {
			diags.AddAttributeWarning(path.Root("ssl_cert_reqs"), "gRPC client_auth optional is not enforced",
				"The gateway's gRPC server (cpex 0.1.3) treats client_auth optional like none: it never asks for the gateway's certificate. Use 2 (require) for mTLS.")
		}
	}
	if known(m.ServerPort) {
		check := envmap.ValidatePort
		if !m.GRPCTarget.IsNull() {
			check = envmap.ValidateGRPCPort
		}
		if err := check(int(m.ServerPort.ValueInt64())); err != nil {
			diags.AddAttributeError(path.Root("server_port"), "Invalid server port", err.Error())
		}
	}
	return diags
}

// known is a configured value that is neither null nor unknown.
func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// hostWarning says what a host SAN with `_` means for clients.
func hostWarning(diags *diag.Diagnostics, at path.Path, e pluginconfig.Endpoint) {
	for _, h := range e.Hosts {
		if w := pki.SANHostWarning(h); w != "" {
			diags.AddAttributeWarning(at, "Plugin host is no DNS name", w)
		}
	}
}

// endpoint is url or grpc_target read once; ok is false when neither is set.
func (m *pluginModel) endpoint() (pluginconfig.Endpoint, bool, error) {
	switch {
	case !m.URL.IsNull():
		e, err := pluginconfig.MCPEndpoint(m.URL.ValueString())
		return e, true, err
	case !m.GRPCTarget.IsNull():
		e, err := pluginconfig.GRPCEndpoint(m.GRPCTarget.ValueString())
		return e, true, err
	}
	return pluginconfig.Endpoint{}, false, nil
}

func (m *pluginModel) sanInputsKnown() bool {
	return known(m.Name) && !m.URL.IsUnknown() && !m.GRPCTarget.IsUnknown() && !m.DNSNames.IsUnknown() && !m.IPAddresses.IsUnknown()
}

// sans computes the certificate's effective SANs from the inputs.
func (m *pluginModel) sans() (pki.SANs, diag.Diagnostics) {
	var diags diag.Diagnostics
	var dns, ips []string
	diags.Append(m.DNSNames.ElementsAs(context.Background(), &dns, false)...)
	diags.Append(m.IPAddresses.ElementsAs(context.Background(), &ips, false)...)
	e, _, err := m.endpoint()
	at := path.Root("url")
	if !m.GRPCTarget.IsNull() {
		at = path.Root("grpc_target")
	}
	if err != nil {
		diags.AddAttributeError(at, "Invalid plugin endpoint", err.Error())
		return pki.SANs{}, diags
	}
	sans, err := pki.PluginSANs(m.Name.ValueString(), e.Host(), dns, ips)
	if err != nil { // validation has named the attribute already; this is a backstop
		if m.URL.IsNull() && m.GRPCTarget.IsNull() {
			at = path.Root("name")
		}
		diags.AddAttributeError(at, "Invalid subject alternative name", err.Error())
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
	cfg, ok := config.(*pluginModel)
	if !ok {
		return diag.Diagnostics{diag.NewErrorDiagnostic("Internal error", "mcptls_plugin_cert derived from another model")}
	}
	m.CommonName = types.StringUnknown()
	if !m.Name.IsUnknown() {
		m.CommonName = types.StringValue(pki.PluginCommonNamePrefix + m.Name.ValueString())
	}
	grpc := !m.GRPCTarget.IsNull()
	if cfg.ServerPort.IsNull() {
		m.ServerPort = m.defaultPort()
	}
	m.HealthPort, m.ServerEnv = types.Int64Unknown(), types.MapUnknown(types.StringType)
	if m.GRPCTarget.IsUnknown() || m.ServerPort.IsUnknown() || m.CertDir.IsUnknown() || m.Name.IsUnknown() || m.ServerHost.IsUnknown() || m.SSLCertReqs.IsUnknown() {
		return nil
	}
	l := envmap.Listener{CertDir: m.CertDir.ValueString(), Plugin: m.Name.ValueString(), Host: m.ServerHost.ValueString(),
		Port: int(m.ServerPort.ValueInt64()), CertReqs: int(m.SSLCertReqs.ValueInt64())}
	if grpc {
		m.HealthPort = types.Int64Null()
		m.ServerEnv = stringMap(envmap.GRPCServer{Listener: l}.Env())
		return nil
	}
	server := envmap.Server{Listener: l}
	m.HealthPort = types.Int64Value(int64(server.HealthPort()))
	m.ServerEnv = stringMap(server.Env())
	return nil
}

// defaultPort is the explicit port of url, else 8000; the port of grpc_target.
func (m *pluginModel) defaultPort() WholeNumberValue {
	if m.URL.IsUnknown() || m.GRPCTarget.IsUnknown() {
		return WholeNumberValue{Int64Value: types.Int64Unknown()}
	}
	e, ok, err := m.endpoint()
	switch {
	case ok && err == nil && e.Transport == pluginconfig.TransportGRPC && !e.Socket:
		return newWholeNumberValue(int64(e.Port))
	case !m.GRPCTarget.IsNull():
		return newWholeNumberValue(envmap.DefaultGRPCServerPort)
	case ok && err == nil && e.ExplicitPort:
		return newWholeNumberValue(int64(e.Port))
	}
	return newWholeNumberValue(envmap.DefaultServerPort)
}

func (m *pluginModel) keepIssued(string) {}

func (m *pluginModel) secretEnv(passphrase string) map[string]string {
	if !m.GRPCTarget.IsNull() {
		return map[string]string{} // refused in validate: nothing would read it
	}
	return envmap.ServerPasswordEnv(passphrase)
}

// reissuePaths replaces the certificate only when its effective SANs change, so
// moving the URL to another port (or spelling a SAN twice) keeps it.
func (m *pluginModel) reissuePaths(prior certModel) []path.Path {
	p, ok := prior.(*pluginModel)
	if !ok {
		return nil
	}
	var changed []path.Path
	if !m.URL.Equal(p.URL) {
		changed = append(changed, path.Root("url"))
	}
	if !m.GRPCTarget.Equal(p.GRPCTarget) {
		changed = append(changed, path.Root("grpc_target"))
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
	m.GRPCTarget = types.StringNull()
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
	m.ServerPort = newWholeNumberValue(envmap.DefaultServerPort)
	m.SSLCertReqs = newWholeNumberValue(envmap.DefaultSSLCertReqs)
	return m.importLeaf(dir, filepath.Dir(filepath.Dir(filepath.Clean(dir))))
}
