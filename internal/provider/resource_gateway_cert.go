package provider

import (
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

type gatewayModel struct {
	CertFields
	LeafFields
	CommonName    types.String `tfsdk:"common_name"`
	Verify        types.Bool   `tfsdk:"verify"`
	CheckHostname types.Bool   `tfsdk:"check_hostname"`
	ClientPEM     types.String `tfsdk:"client_pem"`
	ClientEnv     types.Map    `tfsdk:"client_env"`
	GRPCClientEnv types.Map    `tfsdk:"grpc_client_env"`
}

// NewGatewayCertResource is mcptls_gateway_cert: the client certificate the gateway
// presents to every plugin server.
func NewGatewayCertResource() resource.Resource {
	return &certResource{kind: certKind{
		typeSuffix: "gateway_cert",
		profile:    pki.ProfileClient,
		newModel:   func() certModel { return &gatewayModel{} },
		schema: func() schema.Schema {
			return schema.Schema{
				MarkdownDescription: "The gateway's client certificate (`certs/mcp/gateway/`): CA:FALSE, digitalSignature, extended key usage clientAuth.",
				Attributes: mergeAttributes(certAttributes(pki.DefaultGatewaySubject), leafAttributes(), map[string]schema.Attribute{
					"common_name": commonNameAttribute(pki.DefaultGatewaySubject.CommonName),
					"verify": schema.BoolAttribute{
						MarkdownDescription: "`PLUGINS_CLIENT_MTLS_VERIFY`: verify the plugin's certificate chain. Default `true`.",
						Optional:            true, Computed: true, Default: booldefault.StaticBool(true),
					},
					"check_hostname": schema.BoolAttribute{
						MarkdownDescription: "`PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME`: check the plugin URL's host against its certificate. Default `true`; plugin certificates carry their URL's host as a SAN, so it can stay on.",
						Optional:            true, Computed: true, Default: booldefault.StaticBool(true),
					},
					"client_pem": computedSensitiveString("Certificate then private key in one PEM (`client.pem`, for `curl --cert`)."),
					"client_env": schema.MapAttribute{
						MarkdownDescription: "The gateway's `PLUGINS_CLIENT_MTLS_*` variables for MCP plugins, with paths under `cert_dir`.",
						Computed:            true, ElementType: types.StringType,
					},
					"grpc_client_env": schema.MapAttribute{
						MarkdownDescription: "The gateway's `PLUGINS_GRPC_CLIENT_MTLS_*` variables for gRPC plugins, with paths under `cert_dir`. " +
							"`_VERIFY` is always `\"true\"`: the gateway (cpex 0.1.3) reads `false` as \"trust the public roots\", which refuses this CA.",
						Computed: true, ElementType: types.StringType,
					},
				}),
			}
		},
	}}
}

func (m *gatewayModel) fields() *CertFields     { return &m.CertFields }
func (m *gatewayModel) leafFields() *LeafFields { return &m.LeafFields }

// validate warns that an encrypted gateway key serves MCP plugins only.
func (m *gatewayModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.PrivateKeyPassphraseWO.IsNull() && !m.PrivateKeyPassphraseWO.IsUnknown() {
		diags.AddAttributeWarning(path.Root("private_key_passphrase_wo"), "An encrypted gateway key serves MCP plugins only",
			"The gateway's gRPC client (cpex 0.1.3) ignores keyfile_password: it reads no PLUGINS_GRPC_CLIENT_MTLS_KEYFILE_PASSWORD, so with this key every gRPC plugin "+
				"fails to connect (\"Invalid private key\"), and secret_env holds the MCP client's password only. If the gateway has gRPC plugins, leave "+
				"private_key_passphrase_wo out, or give the gRPC side an unencrypted key of its own through grpc.tls in the gateway's config.")
	}
	return diags
}
func (m *gatewayModel) reissuePaths(certModel) []path.Path { return nil }

func (m *gatewayModel) request() (pki.Request, diag.Diagnostics) {
	return pki.Request{Profile: pki.ProfileClient, Subject: m.subject(m.CommonName.ValueString())}, nil
}

func (m *gatewayModel) derive(certModel) diag.Diagnostics {
	m.ClientEnv, m.GRPCClientEnv = types.MapUnknown(types.StringType), types.MapUnknown(types.StringType)
	if m.CertDir.IsUnknown() {
		return nil
	}
	m.GRPCClientEnv = stringMap(envmap.GRPCClient{CertDir: m.CertDir.ValueString()}.Env())
	if m.Verify.IsUnknown() || m.CheckHostname.IsUnknown() {
		return nil
	}
	m.ClientEnv = stringMap(envmap.Client{CertDir: m.CertDir.ValueString(), Verify: m.Verify.ValueBool(), CheckHostname: m.CheckHostname.ValueBool()}.Env())
	return nil
}

func (m *gatewayModel) secretEnv(passphrase string) map[string]string {
	return envmap.ClientPasswordEnv(passphrase)
}

func (m *gatewayModel) keepIssued(keyPEM string) {
	m.ClientPEM = types.StringValue(m.CertPEM.ValueString() + keyPEM)
}

func (m *gatewayModel) importFrom(dir string) error {
	cert, err := m.importCert(filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
	if err != nil {
		return err
	}
	m.CommonName = types.StringValue(cert.Subject.CommonName)
	m.Verify, m.CheckHostname = types.BoolValue(true), types.BoolValue(true)
	m.keepIssued(m.PrivateKeyPEM.ValueString())
	return m.importLeaf(dir, filepath.Dir(filepath.Clean(dir)))
}
