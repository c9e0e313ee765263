package provider

import (
	"context"
	"crypto"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// issue generates a key (or takes the CA's own, write-only one) and signs the
// certificate that plan describes, at now; cfg holds the configuration, where
// write-only inputs are. It fills plan with what was issued. The managed
// resources' Create and the ephemeral resources' Open share it.
func issue(ctx context.Context, typeName string, plan, cfg certModel, now time.Time) diag.Diagnostics {
	var diags diag.Diagnostics
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "private_key_pem", "ca_private_key_pem", "ca_private_key_pem_wo", "client_pem")
	var issuer *pki.Issuer
	passphrase := ""
	if leaf, cfgLeaf := plan.leafFields(), cfg.leafFields(); leaf != nil {
		ctx = tflog.MaskLogStrings(ctx, cfgLeaf.caKey().ValueString())
		signing := *cfgLeaf
		signing.CACertPEM = leaf.CACertPEM
		if issuer, diags = parseIssuer(&signing); diags.HasError() {
			return diags
		}
		passphrase = cfgLeaf.PrivateKeyPassphraseWO.ValueString()
	}
	request, requestDiags := plan.request()
	if diags.Append(requestDiags...); diags.HasError() {
		return diags
	}
	f := plan.fields()
	request.ValidityDays, request.Now = int(f.ValidityDays.ValueInt64()), now

	key, keyDiags := plan.lifecycle().broughtKey(cfg)
	if diags.Append(keyDiags...); diags.HasError() {
		return diags
	}
	ownKey := key != nil
	if !ownKey {
		var err error
		if key, err = pki.GenerateKey(f.keySpec(), nil); err != nil {
			diags.AddAttributeError(path.Root("key_algorithm"), "Cannot generate the private key", err.Error())
			return diags
		}
	}
	keyPEM, err := encodeKey(key, passphrase)
	if err != nil {
		diags.AddError("Cannot encode the private key", err.Error())
		return diags
	}
	ctx = tflog.MaskLogStrings(ctx, keyPEM)
	issued, err := pki.Issue(request, key, issuer)
	if d := caValidityDiag(err); d != nil {
		diags.Append(d)
		return diags
	}
	if err != nil {
		diags.AddError("Cannot issue the certificate", err.Error())
		return diags
	}
	if issued.Clamped >= 24*time.Hour {
		diags.AddAttributeWarning(path.Root("validity_days"), "Validity shortened to the CA's",
			fmt.Sprintf("A certificate never outlives its CA: not_after was set to the CA's not_after (%s), %d days earlier than validity_days asked.",
				issued.Cert.NotAfter.Format(time.RFC3339), int(issued.Clamped.Hours()/24)))
	}
	f.PrivateKeyPEM = types.StringValue(keyPEM)
	if ownKey {
		f.PrivateKeyPEM = types.StringNull() // the CA's key stays where it came from
	}
	f.setCert(issued.Cert, issued.CertPEM)
	// Plans converge: what was just issued is not replaced by the next plan,
	// even when it is due at once (it then waits for the CA's successor).
	f.ReadyForRenewal = types.BoolValue(false)
	if due, _ := f.renewalDue(now); due {
		diags.AddAttributeWarning(path.Root("early_renewal_days"), "Certificate is due for renewal as soon as it is issued",
			"Its not_after was cut to the CA's, which is inside early_renewal_days. It is not reissued again until the CA's successor signs, which reissues it; "+
				"with rotation_overlap_days = 0 on the CA, that is when the CA is replaced.")
	}
	if lm, ok := plan.(leafModel); ok {
		lm.leafFields().SecretEnv = stringMap(lm.secretEnv(passphrase))
	}
	plan.keepIssued(keyPEM)
	tflog.Info(ctx, "issued certificate", map[string]any{
		"type": typeName, "subject": issued.Cert.Subject.String(),
		"serial": f.SerialNumber.ValueString(), "not_after": f.NotAfter.ValueString(),
	})
	return diags
}

// encodeKey writes a key as PKCS#8 PEM, encrypted when there is a passphrase.
func encodeKey(key crypto.Signer, passphrase string) (string, error) {
	if passphrase != "" {
		return pki.EncryptPrivateKey(key, passphrase)
	}
	return pki.EncodePrivateKey(key)
}

// leafModel is a gateway or plugin model: what its secret_env holds.
type leafModel interface {
	certModel
	// secretEnv is the *_KEYFILE_PASSWORD variables of its env maps, empty
	// without a passphrase.
	secretEnv(passphrase string) map[string]string
}
