package provider

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// mcptls_ca's staged rotation, mapped onto plan and state. The decision is
// pure (pki.PlanRotation, on the provider's clock); ModifyPlan shows it and
// hands it to Update in private state, so the apply does what the plan said.

// rotationNote is one apply's rotation, as ModifyPlan decided it.
type rotationNote struct {
	Stage   bool     `json:"stage,omitempty"`
	Promote bool     `json:"promote,omitempty"`
	Retire  []string `json:"retire,omitempty"` // serials of older CAs leaving the bundle
}

const rotationKey = "rotation"

// privateData is a resource's private state, in a request or a response.
type privateData interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

func rotationNoteIn(ctx context.Context, private privateData) rotationNote {
	var note rotationNote
	if private == nil {
		return note
	}
	if data, _ := private.GetKey(ctx, rotationKey); len(data) > 0 {
		_ = json.Unmarshal(data, &note)
	}
	return note
}

// stable sets the rotation attributes of a CA that was just issued (or imported).
func (m *caModel) stable() {
	m.TrustBundlePEM = m.CertPEM
	m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	m.RotationPhase = types.StringValue(pki.PhaseStable)
}

// planCreate says what a new CA's rotation attributes will be, and that a CA
// bringing its own key (in cfg) keeps none in state.
func (m *caModel) planCreate(cfg *caModel) {
	if !cfg.PrivateKeyPEMWO.IsNull() {
		m.PrivateKeyPEM = types.StringNull()
	}
	m.TrustBundlePEM = types.StringUnknown()
	m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	m.RotationPhase = types.StringValue(pki.PhaseStable)
}

// chain reads the stored CA, its successor and the older CAs of the bundle.
func (m *caModel) chain() (pki.CAChain, error) {
	var c pki.CAChain
	var err error
	if c.Current, err = pki.ParseCertificate(m.CertPEM.ValueString()); err != nil {
		return c, fmt.Errorf("cert_pem: %w", err)
	}
	if !m.NextCertPEM.IsNull() {
		if c.Next, err = pki.ParseCertificate(m.NextCertPEM.ValueString()); err != nil {
			return c, fmt.Errorf("next_cert_pem: %w", err)
		}
	}
	if m.TrustBundlePEM.IsNull() {
		return c, nil
	}
	bundle, err := pki.ParseCertificates(m.TrustBundlePEM.ValueString())
	if err != nil {
		return c, fmt.Errorf("trust_bundle_pem: %w", err)
	}
	for _, b := range bundle {
		if !b.Equal(c.Current) && (c.Next == nil || !b.Equal(c.Next)) {
			c.Older = append(c.Older, b)
		}
	}
	return c, nil
}

func encodeBundle(certs []*x509.Certificate) string {
	var b strings.Builder
	for _, c := range certs {
		b.WriteString(pki.EncodeCertificate(c.Raw))
	}
	return b.String()
}

// planRotation writes the rotation due at now into the plan m (which carries
// the planned early_renewal_days and rotation_overlap_days) and returns what
// Update must do; replace asks for a new CA instead.
func (m *caModel) planRotation(now time.Time, prior *caModel, diags *diag.Diagnostics) (note rotationNote, replace bool) {
	m.TrustBundlePEM, m.NextCertPEM, m.NextPrivateKeyPEM, m.RotationPhase = prior.TrustBundlePEM, prior.NextCertPEM, prior.NextPrivateKeyPEM, prior.RotationPhase
	if m.EarlyRenewalDays.IsUnknown() || m.RotationOverlapDays.IsUnknown() {
		m.TrustBundlePEM, m.RotationPhase = types.StringUnknown(), types.StringUnknown()
		return note, false
	}
	chain, err := prior.chain()
	if err != nil {
		diags.AddAttributeError(path.Root("trust_bundle_pem"), "Stored CA chain is unreadable",
			err.Error()+". Restore the state from a backup, or issue a new CA: terraform apply -refresh=false -replace=<address of this mcptls_ca>.")
		return note, false
	}
	p := pki.PlanRotation(now, chain, int(m.EarlyRenewalDays.ValueInt64()), int(m.RotationOverlapDays.ValueInt64()))
	if p.Replace {
		diags.AddWarning("CA is replaced", capitalize(p.Reason)+".")
		return note, true
	}
	if !p.Changes() {
		return note, false
	}
	m.RotationPhase = types.StringValue(p.Phase)
	m.TrustBundlePEM = types.StringUnknown()
	if p.Stage {
		note.Stage = true
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringUnknown(), types.StringUnknown()
		if !prior.PrivateKeyWOVersion.IsNull() {
			m.NextPrivateKeyPEM = types.StringNull() // re-signed from the CA's own key
		}
	}
	if p.Promote {
		note.Promote = true
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
		f := m.fields()
		f.CertPEM, f.PrivateKeyPEM, f.SerialNumber, f.ID = types.StringUnknown(), prior.NextPrivateKeyPEM, types.StringUnknown(), types.StringUnknown()
		f.NotBefore, f.NotAfter = types.StringUnknown(), types.StringUnknown()
	}
	for _, old := range p.Retire {
		note.Retire = append(note.Retire, old.SerialNumber.String())
	}
	diags.AddWarning(fmt.Sprintf("CA rotation: %s", p.Phase), capitalize(p.Reason)+".")
	if p.ShortOverlap != "" {
		diags.AddAttributeWarning(path.Root("rotation_overlap_days"), "CA rotation staged late: the overlap is shorter than asked", p.ShortOverlap)
	}
	return note, false
}

// applyRotation does what the plan decided, on the prior state's chain. A CA
// with its own key (ownKey, from private_key_pem_wo) re-signs its successor
// with that key: same subject and key, so a leaf signed by either certificate
// verifies against both, and state still holds no CA key.
func (m *caModel) applyRotation(now time.Time, prior *caModel, ownKey crypto.Signer, note rotationNote) diag.Diagnostics {
	var diags diag.Diagnostics
	if !note.Stage && !note.Promote && len(note.Retire) == 0 {
		return diags
	}
	chain, err := prior.chain()
	if err != nil {
		diags.AddAttributeError(path.Root("trust_bundle_pem"), "Stored CA chain is unreadable", err.Error())
		return diags
	}
	if note.Promote {
		m.PrivateKeyPEM = prior.NextPrivateKeyPEM
		m.setCert(chain.Next, prior.NextCertPEM.ValueString())
		chain = pki.CAChain{Current: chain.Next, Older: append([]*x509.Certificate{chain.Current}, chain.Older...)}
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	}
	var kept []*x509.Certificate
	for _, old := range chain.Older {
		if !containsString(note.Retire, old.SerialNumber.String()) {
			kept = append(kept, old)
		}
	}
	chain.Older = kept
	if note.Stage {
		key, keyPEM := ownKey, types.StringNull()
		if key == nil {
			generated, err := pki.GenerateKey(m.keySpec(), nil)
			if err != nil {
				diags.AddAttributeError(path.Root("key_algorithm"), "Cannot generate the successor CA's key", err.Error())
				return diags
			}
			text, err := pki.EncodePrivateKey(generated)
			if err != nil {
				diags.AddError("Cannot encode the successor CA's key", err.Error())
				return diags
			}
			key, keyPEM = generated, types.StringValue(text)
		}
		request, _ := m.request()
		request.ValidityDays, request.Now = int(m.ValidityDays.ValueInt64()), now
		issued, err := pki.Issue(request, key, nil)
		if err != nil {
			diags.AddError("Cannot issue the successor CA", err.Error())
			return diags
		}
		chain.Next = issued.Cert
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringValue(issued.CertPEM), keyPEM
	}
	m.TrustBundlePEM = types.StringValue(encodeBundle(chain.Bundle()))
	m.RotationPhase = types.StringValue(chain.Phase())
	return diags
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
