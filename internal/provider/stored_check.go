package provider

import (
	"context"
	"crypto/x509"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// storedAttribute names the attribute a pki.CheckStored error is about.
func storedAttribute(err error) string {
	part, _ := pki.PartOf(err)
	switch part {
	case pki.PartPrivateKey:
		return "private_key_pem"
	case pki.PartIssuer:
		return "ca_cert_pem"
	}
	return "cert_pem"
}

// reissueKey is the private state key under which Read leaves, for ModifyPlan,
// why a leaf's stored certificate cannot be kept.
const reissueKey = "reissue"

// reissueNote is the JSON stored at reissueKey.
type reissueNote struct {
	Attribute string `json:"attribute"`
	Reason    string `json:"reason"`
}

// privateState is resp.Private of Read and req.Private of ModifyPlan.
type privateState interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

// reissueNoteIn reads the note Read left; nil when there is none.
func reissueNoteIn(ctx context.Context, private privateState) *reissueNote {
	if private == nil {
		return nil
	}
	data, diags := private.GetKey(ctx, reissueKey)
	if diags.HasError() || len(data) == 0 {
		return nil
	}
	var note reissueNote
	if err := json.Unmarshal(data, &note); err != nil || note.Reason == "" {
		return nil
	}
	return &note
}

// checkStored runs pki.CheckStored for Read. A damaged leaf is recorded for
// ModifyPlan to reissue, with a warning; a damaged CA is an error, because
// reissuing it would replace everything it signed. It returns the certificate
// only when the check passed.
func (r *certResource) checkStored(ctx context.Context, certPEM, keyPEM, caPEM string, private privateState, diags *diag.Diagnostics) *x509.Certificate {
	profile := r.kind.profile
	cert, err := pki.CheckStored(profile, certPEM, keyPEM, caPEM)
	if err == nil {
		if reissueNoteIn(ctx, private) != nil { // state was repaired by hand since
			diags.Append(private.SetKey(ctx, reissueKey, nil)...)
		}
		return cert
	}
	attribute := storedAttribute(err)
	reason := "Stored " + attribute + ": " + err.Error()
	if profile == pki.ProfileCA {
		diags.AddAttributeError(path.Root(attribute), "Stored CA is damaged",
			reason+".\n\nThis CA signed other certificates, so it is not reissued silently: a new CA replaces every certificate it signed. "+
				"If state was edited by mistake, restore it from a backup (terraform state push). "+
				"To issue a new CA, and with it new certificates for everything it signed, run\n\n"+
				"  terraform apply -refresh=false -replace=ADDRESS\n\n"+
				"with the address of this mcptls_ca shown above (for example mcptls_ca.this). "+
				"-refresh=false skips this check, which would stop that run too; the certificates it signed are then reissued because their ca_cert_pem changes.")
		return nil
	}
	note, jsonErr := json.Marshal(reissueNote{Attribute: attribute, Reason: reason})
	if jsonErr != nil {
		diags.AddError("Cannot record the reissue", jsonErr.Error())
		return nil
	}
	diags.Append(private.SetKey(ctx, reissueKey, note)...)
	diags.AddAttributeWarning(path.Root(attribute), "Stored certificate will be reissued",
		reason+".\n\nState does not hold this resource's certificate intact (it was edited, or restored from something else), "+
			"so the next apply replaces it with a new certificate from the CA.")
	return nil
}

// planReissue makes ModifyPlan replace a leaf Read found damaged, the way
// renewal does.
func planReissue(note *reissueNote, diags *diag.Diagnostics) {
	diags.AddAttributeWarning(path.Root(note.Attribute), "Reissuing the stored certificate",
		note.Reason+". The certificate is replaced with a new one from the CA.")
}
