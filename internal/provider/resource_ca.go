package provider

import (
	"crypto"
	"fmt"
	"path/filepath"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

type caModel struct {
	CertFields
	CommonName          types.String     `tfsdk:"common_name"`
	RotationOverlapDays WholeNumberValue `tfsdk:"rotation_overlap_days"`
	TrustBundlePEM      types.String     `tfsdk:"trust_bundle_pem"`
	NextCertPEM         types.String     `tfsdk:"next_cert_pem"`
	NextPrivateKeyPEM   types.String     `tfsdk:"next_private_key_pem"`
	RotationPhase       types.String     `tfsdk:"rotation_phase"`
	PrivateKeyPEMWO     types.String     `tfsdk:"private_key_pem_wo"`
	PrivateKeyWOVersion WholeNumberValue `tfsdk:"private_key_wo_version"`
}

// NewCAResource is mcptls_ca: the self-signed root that signs everything else.
func NewCAResource() resource.Resource {
	return &certResource{kind: certKind{
		typeSuffix: "ca",
		profile:    pki.ProfileCA,
		newModel:   func() certModel { return &caModel{} },
		schema: func() schema.Schema {
			return schema.Schema{
				MarkdownDescription: "A self-signed CA for the gateway and its plugins (`certs/mcp/ca/`): CA:TRUE with pathlen:0, keyCertSign and cRLSign. " +
					"It rotates without an outage: its successor is created and trusted `rotation_overlap_days` before it signs, all in place.",
				Attributes: rotatedInputs(mergeAttributes(certAttributes(pki.DefaultCASubject), map[string]schema.Attribute{
					"common_name": commonNameAttribute(pki.DefaultCASubject.CommonName),
					"rotation_overlap_days": wholeNumberAttribute("days", schema.Int64Attribute{
						MarkdownDescription: fmt.Sprintf("Days the successor CA is trusted before it signs. A change that needs a new CA stages a successor too. `0` replaces the CA instead, with an outage. "+
							"Default `%d`; see [Rotating the CA without an outage](../guides/rotation.md).",
							pki.DefaultRotationOverlapDays),
						Optional: true, Computed: true,
						Default:    int64default.StaticInt64(pki.DefaultRotationOverlapDays),
						Validators: []validator.Int64{int64validator.AtLeast(0)},
					}),
					"trust_bundle_pem": schema.StringAttribute{
						MarkdownDescription: "Every CA certificate a party must trust now, newest first: this CA, its staged successor, and the CA it replaced until that expires. " +
							"Give it to the leaves' `trust_bundle_pem`: it is their `ca.crt`.",
						Computed: true,
					},
					"next_cert_pem": schema.StringAttribute{
						MarkdownDescription: "The staged successor CA's certificate while `rotation_phase` is `staged`; null otherwise.",
						Computed:            true,
					},
					"next_private_key_pem": schema.StringAttribute{
						MarkdownDescription: "The staged successor's private key while `rotation_phase` is `staged`; null otherwise.",
						Computed:            true, Sensitive: true,
					},
					"private_key_pem_wo": schema.StringAttribute{
						MarkdownDescription: "Write-only (Terraform and OpenTofu >= 1.11): the CA's own private key (PEM, described by `key_algorithm`), so that state holds no CA key and leaves sign with `ca_private_key_pem_wo`. " +
							"Set `private_key_wo_version` with it; see [Keeping keys out of state](../guides/keys-out-of-state.md#a-ca-key-of-your-own).",
						Optional: true, Sensitive: true, WriteOnly: true,
					},
					"private_key_wo_version": wholeNumberAttribute("", schema.Int64Attribute{
						MarkdownDescription: "Version of `private_key_pem_wo`: change it to bring another key. With `rotation_overlap_days` above 0 a successor made from it is staged in place " +
							"and signs after the overlap (the leaves sign with the current key until then); with `0` the CA is replaced. A different `private_key_pem_wo` under the same version is an error.",
						Optional: true,
					}),
					"rotation_phase": schema.StringAttribute{
						MarkdownDescription: "`stable` (one CA), `staged` (a successor is trusted but does not sign yet) or `promoted` (the successor signs; the old CA is still trusted). " +
							"A plan shows the phase the apply leads to, and a warning says why.",
						Computed: true,
					},
				})),
			}
		},
	}}
}

// caSettingInputs are the CA's inputs that its certificate embodies
// (pki.CASettings.Mismatch names them): a change needs a new CA, which is a
// staged rotation, not a replacement, while rotation_overlap_days is above 0.
var caSettingInputs = []string{"common_name", "organization", "organizational_unit", "validity_days", "key_algorithm", "rsa_bits", "ecdsa_curve", "private_key_wo_version"}

// changeSentence is what the CA's setting inputs say a change does.
const changeSentence = " A new value needs a new CA: with `rotation_overlap_days` above 0 a successor that has it is staged in place " +
	"and signs after the overlap; with `0` the CA is replaced (see the rotation guide)."

// leafChangeSentence is what the shared descriptions say a change does to a leaf.
var leafChangeSentence = regexp.MustCompile(` ?Changing it [^.]*\.`)

// rotatedInputs takes the replacement off the CA's setting inputs: the CA's
// lifecycle decides (ca_rotation.go) and says so in their descriptions.
func rotatedInputs(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	for _, name := range caSettingInputs {
		change := changeSentence
		if name == "private_key_wo_version" {
			change = "" // its own description says it
		}
		switch a := attrs[name].(type) {
		case schema.StringAttribute:
			a.PlanModifiers = nil
			a.MarkdownDescription = leafChangeSentence.ReplaceAllString(a.MarkdownDescription, "") + change
			attrs[name] = a
		case schema.Int64Attribute:
			a.PlanModifiers = nil
			a.MarkdownDescription = leafChangeSentence.ReplaceAllString(a.MarkdownDescription, "") + change
			attrs[name] = a
		default:
			panic("no CA setting input " + name)
		}
	}
	return attrs
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

func (m *caModel) fields() *CertFields     { return &m.CertFields }
func (m *caModel) leafFields() *LeafFields { return nil }

// validate keeps the staging point after the issue: with early_renewal_days
// and rotation_overlap_days covering the whole validity, the CA would stage a
// successor the moment it is created.
func (m *caModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if m.RotationOverlapDays.IsUnknown() || m.ValidityDays.IsUnknown() || m.EarlyRenewalDays.IsUnknown() {
		return diags
	}
	validity := int64OrDefault(m.ValidityDays, pki.DefaultValidityDays)
	early := int64OrDefault(m.EarlyRenewalDays, pki.DefaultEarlyRenewalDays)
	overlap := int64OrDefault(m.RotationOverlapDays, pki.DefaultRotationOverlapDays)
	diags.Append(m.checkOwnKey()...)
	if overlap > 0 && early == 0 {
		diags.AddAttributeError(path.Root("early_renewal_days"), "A rotating CA needs a renewal window",
			fmt.Sprintf("With rotation_overlap_days = %d the successor signs early_renewal_days before this CA expires, so that the certificates it reissues roll out while "+
				"the old ones are still valid; with early_renewal_days = 0 that is the moment the CA expires. Set early_renewal_days to at least 1 (the default is %d), "+
				"or rotation_overlap_days to 0 to replace the CA at its end instead.", overlap, pki.DefaultEarlyRenewalDays))
	}
	if overlap > 0 && early < validity && early+overlap >= validity {
		diags.AddAttributeError(path.Root("rotation_overlap_days"), "Rotation overlap covers the whole validity",
			fmt.Sprintf("early_renewal_days (%d) + rotation_overlap_days (%d) must be less than validity_days (%d), or the CA would stage its successor as soon as it is created: "+
				"lower rotation_overlap_days, or set it to 0 to replace the CA at its renewal point instead.", early, overlap, validity))
	}
	return diags
}
func (m *caModel) derive(certModel) diag.Diagnostics  { return nil }
func (m *caModel) keepIssued(string)                  { m.stable() }
func (m *caModel) reissuePaths(certModel) []path.Path { return nil }

// ownKey parses private_key_pem_wo (from configuration); nil when unset.
func (m *caModel) ownKey() (crypto.Signer, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.PrivateKeyPEMWO.IsNull() || m.PrivateKeyPEMWO.IsUnknown() {
		return nil, diags
	}
	key, err := pki.ParsePrivateKey(m.PrivateKeyPEMWO.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("private_key_pem_wo"), "Invalid CA private key", err.Error())
	}
	return key, diags
}

// checkOwnKey: the key brought must be the kind the key settings describe
// (they are stored, and a change of them means a new CA), and comes with a version.
func (m *caModel) checkOwnKey() diag.Diagnostics {
	key, diags := m.ownKey()
	if key == nil || diags.HasError() {
		if !m.PrivateKeyWOVersion.IsNull() && m.PrivateKeyPEMWO.IsNull() {
			diags.AddAttributeError(path.Root("private_key_wo_version"), "Version without a key",
				"private_key_wo_version versions private_key_pem_wo: set both, or neither.")
		}
		return diags
	}
	if m.PrivateKeyWOVersion.IsNull() {
		diags.AddAttributeError(path.Root("private_key_wo_version"), "Missing key version",
			"Set private_key_wo_version with private_key_pem_wo: a write-only value leaves no trace in state, so the version is how a new key is noticed (change it to issue a new CA from a new key).")
	}
	spec, err := pki.SpecOf(key.Public())
	if err != nil {
		diags.AddAttributeError(path.Root("private_key_pem_wo"), "Unsupported CA key", err.Error())
		return diags
	}
	f := m.fields()
	if f.KeyAlgorithm.IsUnknown() || f.RSABits.IsUnknown() || f.ECDSACurve.IsUnknown() {
		return diags
	}
	want := pki.KeySpec{Algorithm: stringOr(f.KeyAlgorithm, pki.DefaultAlgorithm), RSABits: int64OrDefault(f.RSABits, pki.DefaultRSABits), Curve: stringOr(f.ECDSACurve, pki.DefaultCurve)}
	if spec.Algorithm != want.Algorithm || (spec.Algorithm == pki.AlgorithmRSA && spec.RSABits != want.RSABits) || (spec.Algorithm == pki.AlgorithmECDSA && spec.Curve != want.Curve) {
		diags.AddAttributeError(path.Root("key_algorithm"), "Key settings do not describe private_key_pem_wo",
			fmt.Sprintf("private_key_pem_wo is %s, but the key settings ask for %s: set key_algorithm (and rsa_bits or ecdsa_curve) to match the key.", describeSpec(spec), describeSpec(want)))
	}
	return diags
}

func describeSpec(s pki.KeySpec) string {
	switch s.Algorithm {
	case pki.AlgorithmRSA:
		return fmt.Sprintf("an RSA %d key", s.RSABits)
	case pki.AlgorithmECDSA:
		return "an ECDSA " + s.Curve + " key"
	}
	return "an Ed25519 key"
}

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.IsUnknown() {
		return def
	}
	return v.ValueString()
}

func (m *caModel) request() (pki.Request, diag.Diagnostics) {
	return pki.Request{Profile: pki.ProfileCA, Subject: m.subject(m.CommonName.ValueString())}, nil
}

func (m *caModel) importFrom(dir string) error {
	cert, err := m.importCert(filepath.Join(dir, "ca.crt"), filepath.Join(dir, "ca.key"))
	if err != nil {
		return err
	}
	m.CommonName = types.StringValue(cert.Subject.CommonName)
	m.RotationOverlapDays = newWholeNumberValue(pki.DefaultRotationOverlapDays)
	m.stable()
	return nil
}
