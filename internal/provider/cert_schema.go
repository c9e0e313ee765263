package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// schemaVersion is bumped with a state upgrader whenever stored state changes shape.
const schemaVersion = 1

// certAttributes are the attributes every certificate resource shares: subject
// organization, validity and renewal, key settings and the issued results.
func certAttributes(subject pki.Subject) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": computedString("The certificate's serial number, in decimal."),
		"organization": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Subject organization (O). Default `%s`. Changing it issues a new certificate.", subject.Organization),
			Optional:            true, Computed: true,
			Default:       stringdefault.StaticString(subject.Organization),
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"organizational_unit": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Subject organizational unit (OU). Default `%s`. Changing it issues a new certificate.", subject.OrganizationalUnit),
			Optional:            true, Computed: true,
			Default:       stringdefault.StaticString(subject.OrganizationalUnit),
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"validity_days": wholeNumberAttribute("days", schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Days the certificate is valid: `not_after - not_before`, exactly. Default `%d` (the Makefile's `MCP_CERT_DAYS`). Changing it issues a new certificate.", pki.DefaultValidityDays),
			Optional:            true, Computed: true,
			Default:       int64default.StaticInt64(pki.DefaultValidityDays),
			Validators:    []validator.Int64{int64validator.Between(1, pki.MaxValidityDays)},
			PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
		}),
		"early_renewal_days": wholeNumberAttribute("days", schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("Days before `not_after` at which the certificate is due for renewal: from then on, plan shows a replacement (a CA rotates instead, "+
				"and a leaf whose reissue could not outlive the window waits for its CA's successor). Must be less than `validity_days`. Default `%d`. Changing it never reissues by itself.", pki.DefaultEarlyRenewalDays),
			Optional: true, Computed: true,
			Default:    int64default.StaticInt64(pki.DefaultEarlyRenewalDays),
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		}),
		"key_algorithm": schema.StringAttribute{
			MarkdownDescription: "Private key algorithm: `RSA` (default), `ECDSA` or `ED25519`. Changing it issues a new certificate and key.",
			Optional:            true, Computed: true,
			Default:       stringdefault.StaticString(pki.DefaultAlgorithm),
			Validators:    []validator.String{stringvalidator.OneOf(pki.Algorithms...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"rsa_bits": wholeNumberAttribute("bits", schema.Int64Attribute{
			MarkdownDescription: fmt.Sprintf("RSA key size: 2048, 3072 or 4096 (default `%d`). Read only when `key_algorithm` is `RSA`.", pki.DefaultRSABits),
			Optional:            true, Computed: true,
			Default:    int64default.StaticInt64(pki.DefaultRSABits),
			Validators: []validator.Int64{int64validator.OneOf(pki.RSABits...)},
			PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.Int64Request, resp *int64planmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = keySettingInUse(ctx, req.Plan, pki.AlgorithmRSA)
			}, "Reissues when the key is RSA.", "Reissues when the key is RSA.")},
		}),
		"ecdsa_curve": schema.StringAttribute{
			MarkdownDescription: "ECDSA curve: `P256` (default) or `P384`. Read only when `key_algorithm` is `ECDSA`. Signatures are SHA-256 on either curve.",
			Optional:            true, Computed: true,
			Default:    stringdefault.StaticString(pki.DefaultCurve),
			Validators: []validator.String{stringvalidator.OneOf(pki.Curves...)},
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(func(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = keySettingInUse(ctx, req.Plan, pki.AlgorithmECDSA)
			}, "Reissues when the key is ECDSA.", "Reissues when the key is ECDSA.")},
		},
		"cert_pem":        computedString("The certificate, PEM encoded."),
		"private_key_pem": computedSensitiveString("The certificate's private key, PKCS#8 PEM (`BEGIN PRIVATE KEY`). Stored in state: protect the state."),
		"serial_number":   computedString("Random 128-bit serial number, in decimal."),
		"not_before": computedString(fmt.Sprintf("Start of validity, RFC 3339: the time of issue minus %d minutes, for peers whose clocks run a little behind; "+
			"never earlier than the CA's `not_before`; `not_after` is exactly `validity_days` later.",
			int(pki.ClockSkewMargin.Minutes()))),
		"not_after": computedString("End of validity, RFC 3339."),
		"ready_for_renewal": schema.BoolAttribute{
			MarkdownDescription: "True when the next plan gives it a new certificate: a leaf in its renewal window (`now >= not_after - early_renewal_days`) whose reissue would outlive that window, or a CA whose successor is due to sign or that is replaced.",
			Computed:            true,
		},
	}
}

// leafAttributes are the attributes of certificates signed by the CA.
func leafAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ca_cert_pem": schema.StringAttribute{
			MarkdownDescription: "The signing CA's certificate, PEM (usually `mcptls_ca.<name>.cert_pem`). A different CA certificate issues a new certificate; re-encoding the same one does not.",
			Required:            true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = req.PlanValue.IsUnknown() || !pki.SameCertificate(req.StateValue.ValueString(), req.PlanValue.ValueString())
			}, "Reissues when the CA certificate changes.", "Reissues when the CA certificate changes.")},
		},
		"ca_private_key_pem": schema.StringAttribute{
			MarkdownDescription: "The signing CA's private key, PEM (PKCS#8, PKCS#1 or SEC1); several keys one after the other sign with the one of `ca_cert_pem`. Stored in state: " +
				"to keep it out, use `ca_private_key_pem_wo` instead (exactly one of the two).",
			Optional:  true,
			Sensitive: true,
		},
		"ca_private_key_pem_wo": schema.StringAttribute{
			MarkdownDescription: "Write-only (Terraform and OpenTofu >= 1.11): the signing CA's private key, never stored in state or plan; exactly one of `ca_private_key_pem` and this. " +
				"Several keys one after the other sign with the one of `ca_cert_pem` (a CA key being rotated). See [Keeping keys out of state](../guides/keys-out-of-state.md).",
			Optional: true, Sensitive: true, WriteOnly: true,
		},
		"private_key_passphrase_wo": schema.StringAttribute{
			MarkdownDescription: "Write-only (Terraform and OpenTofu >= 1.11): encrypts `private_key_pem` (PKCS#8), and `secret_env` holds it as the `*_KEYFILE_PASSWORD` variables. " +
				"Set `private_key_passphrase_wo_version` with it; see [Keeping keys out of state](../guides/keys-out-of-state.md#encrypted-keys).",
			Optional: true, Sensitive: true, WriteOnly: true,
		},
		"private_key_passphrase_wo_version": wholeNumberAttribute("", schema.Int64Attribute{
			MarkdownDescription: "Version of `private_key_passphrase_wo`: changing it (or setting or removing it) issues a new certificate and key encrypted with the passphrase given then.",
			Optional:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
		}),
		"secret_env": schema.MapAttribute{
			MarkdownDescription: "The `*_KEYFILE_PASSWORD` variables of this certificate's env maps when `private_key_passphrase_wo` is set, else empty. " +
				"Sensitive and stored in state: deploy `merge(<env map>, secret_env)`. The env maps themselves stay non-sensitive, so plans show them.",
			Computed: true, Sensitive: true, ElementType: types.StringType,
		},
		"trust_bundle_pem": schema.StringAttribute{
			MarkdownDescription: "The CA certificates this party trusts, PEM: what its `ca.crt` (`*_CA_BUNDLE`, `*_CA_CERTS`) holds. Default: `ca_cert_pem`. " +
				"Give it `mcptls_ca.<name>.trust_bundle_pem` so a CA rotation reaches this party before the new CA signs. Must hold `ca_cert_pem`. A new bundle updates in place.",
			Optional: true, Computed: true,
		},
		"cert_dir": schema.StringAttribute{
			MarkdownDescription: fmt.Sprintf("Directory of the `certs/mcp` tree the env map paths point into, as the deploy sees it. Default `%s`. No control characters and no `..` (env maps end up in env files). Changing it only changes the env map.", envmap.DefaultCertDir),
			Optional:            true, Computed: true,
			Default:    stringdefault.StaticString(envmap.DefaultCertDir),
			Validators: []validator.String{certDirValidator},
		},
	}
}

// wholeNumberAttribute makes an Int64 attribute answer a number with a fraction
// with an error on the attribute ("validity_days must be a whole number of days,
// got 1.5") instead of the framework's "Value Conversion Error"; Terraform's type
// stays number, so schema and state keep their shape. Its model field must be a
// WholeNumberValue (ValueInt64 and IsNull work as on types.Int64; fill it with
// newWholeNumberValue(n)). unit words the message and may be empty. For any
// whole-number input, such as server_port or ssl_cert_reqs.
func wholeNumberAttribute(unit string, a schema.Int64Attribute) schema.Int64Attribute {
	a.CustomType = WholeNumberType{Unit: unit}
	return a
}

// keySettingInUse makes rsa_bits or ecdsa_curve reissue only when the planned
// key_algorithm is the one that reads it.
func keySettingInUse(ctx context.Context, plan tfsdk.Plan, algorithm string) bool {
	var current types.String
	plan.GetAttribute(ctx, path.Root("key_algorithm"), &current)
	return current.IsUnknown() || current.ValueString() == algorithm
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func computedSensitiveString(description string) schema.StringAttribute {
	a := computedString(description)
	a.Sensitive = true
	return a
}

// mergeAttributes joins attribute maps; a name defined twice is a programming error.
func mergeAttributes(maps ...map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, m := range maps {
		for name, a := range m {
			if _, dup := out[name]; dup {
				panic("attribute defined twice: " + name)
			}
			out[name] = a
		}
	}
	return out
}
