package provider

import (
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

type caModel struct {
	CertFields
	CommonName types.String `tfsdk:"common_name"`
}

// NewCAResource is mcptls_ca: the self-signed root that signs everything else.
func NewCAResource() resource.Resource {
	return &certResource{kind: certKind{
		typeSuffix: "ca",
		newModel:   func() certModel { return &caModel{} },
		schema: func() schema.Schema {
			return schema.Schema{
				MarkdownDescription: "A self-signed CA for the gateway and its plugins (`certs/mcp/ca/`): CA:TRUE with pathlen:0, keyCertSign and cRLSign.",
				Attributes: mergeAttributes(certAttributes(pki.DefaultCASubject), map[string]schema.Attribute{
					"common_name": commonNameAttribute(pki.DefaultCASubject.CommonName),
				}),
			}
		},
	}}
}

// commonNameAttribute is the subject CN input of the CA and the gateway.
func commonNameAttribute(def string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: "Subject common name (CN). Default `" + def + "`. Changing it issues a new certificate.",
		Optional:            true, Computed: true,
		Default:       stringdefault.StaticString(def),
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

func (m *caModel) fields() *CertFields                { return &m.CertFields }
func (m *caModel) leafFields() *LeafFields            { return nil }
func (m *caModel) validate() diag.Diagnostics         { return nil }
func (m *caModel) derive(certModel) diag.Diagnostics  { return nil }
func (m *caModel) keepIssued(string)                  {}
func (m *caModel) reissuePaths(certModel) []path.Path { return nil }

func (m *caModel) request() (pki.Request, diag.Diagnostics) {
	return pki.Request{Profile: pki.ProfileCA, Subject: m.subject(m.CommonName.ValueString())}, nil
}

func (m *caModel) importFrom(dir string) error {
	cert, err := m.importCert(filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key"))
	if err != nil {
		return err
	}
	m.CommonName = types.StringValue(cert.Subject.CommonName)
	return nil
}
