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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// mcptls_ca's lifecycle: it rotates instead of renewing. The decision is pure
// (pki.PlanRotation, on the provider's clock); planUpdate shows it and keeps
// it in private state, and update applies that same decision with
// pki.RotationPlan.Apply, so the apply does what the plan said.

// caLifecycle is mcptls_ca's lifecycle.
type caLifecycle struct{}

func (*caModel) lifecycle() lifecycle { return caLifecycle{} }

// rotationKey is the private state key of the planned pki.RotationPlan.
const rotationKey = "rotation"

// privateData is a resource's private state, in a request or a response.
type privateData interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

// rotationPlanIn reads the decision ModifyPlan left; the zero plan when none.
func rotationPlanIn(ctx context.Context, private privateData) pki.RotationPlan {
	var p pki.RotationPlan
	if private == nil {
		return p
	}
	if data, _ := private.GetKey(ctx, rotationKey); len(data) > 0 {
		_ = json.Unmarshal(data, &p)
	}
	return p
}

// unchanged: a CA's phase moves with the clock, so every plan decides.
func (caLifecycle) unchanged(context.Context, time.Time, attributeGetter, *diag.Diagnostics) bool {
	return false
}

func (caLifecycle) plan(*planStep) {}

// planCreate says what a new CA's rotation attributes will be, and that a CA
// bringing its own key keeps none in state.
func (caLifecycle) planCreate(s *planStep) {
	m, _, cfg := s.caModels()
	if !cfg.PrivateKeyPEMWO.IsNull() {
		m.PrivateKeyPEM = types.StringNull()
	}
	m.TrustBundlePEM = types.StringUnknown()
	m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	m.RotationPhase = types.StringValue(pki.PhaseStable)
}

func (caLifecycle) broughtKey(cfg certModel) (crypto.Signer, diag.Diagnostics) {
	m, _ := cfg.(*caModel) // caLifecycle serves mcptls_ca alone
	return m.ownKey()
}

// caModels gives a CA step's models (nil for a model that is absent, as prior
// is in create): caLifecycle serves mcptls_ca alone.
func (s *planStep) caModels() (plan, prior, cfg *caModel) {
	plan, _ = s.plan.(*caModel)
	prior, _ = s.prior.(*caModel)
	cfg, _ = s.cfg.(*caModel)
	return plan, prior, cfg
}

// stable sets the rotation attributes of a CA that was just issued (or imported).
func (m *caModel) stable() {
	m.TrustBundlePEM = m.CertPEM
	m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	m.RotationPhase = types.StringValue(pki.PhaseStable)
}

// chain reads the stored CA, its successor and the older CAs of the bundle.
// A certificate whose key state does not hold came from private_key_pem_wo.
func (m *caModel) chain() (pki.CAChain, error) {
	var c pki.CAChain
	var err error
	if c.Current, err = pki.ParseCertificate(m.CertPEM.ValueString()); err != nil {
		return c, fmt.Errorf("cert_pem: %w", err)
	}
	c.CurrentOwnKey = m.PrivateKeyPEM.IsNull()
	if !m.NextCertPEM.IsNull() {
		if c.Next, err = pki.ParseCertificate(m.NextCertPEM.ValueString()); err != nil {
			return c, fmt.Errorf("next_cert_pem: %w", err)
		}
		c.NextOwnKey = m.NextPrivateKeyPEM.IsNull()
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

// policy is the CA's schedule from its (planned or stored) inputs.
func (m *caModel) policy() pki.RotationPolicy {
	return pki.RotationPolicy{EarlyDays: int(m.EarlyRenewalDays.ValueInt64()), OverlapDays: int(m.RotationOverlapDays.ValueInt64())}
}

// settings are the inputs a CA certificate embodies, with the key brought
// (nil when generated).
func (m *caModel) settings(ownKey crypto.PublicKey) pki.CASettings {
	return pki.CASettings{Subject: m.subject(m.CommonName.ValueString()), Key: m.keySpec(), ValidityDays: int(m.ValidityDays.ValueInt64()), OwnKey: ownKey}
}

// unknownSettings names the inputs of the rotation decision that are not
// known (cfg holds the write-only key).
func (m *caModel) unknownSettings(cfg *caModel) []string {
	var out []string
	for _, v := range []struct {
		name  string
		value interface{ IsUnknown() bool }
	}{
		{"early_renewal_days", m.EarlyRenewalDays}, {"rotation_overlap_days", m.RotationOverlapDays}, {"validity_days", m.ValidityDays},
		{"common_name", m.CommonName}, {"organization", m.Organization}, {"organizational_unit", m.OrganizationalUnit},
		{"key_algorithm", m.KeyAlgorithm}, {"rsa_bits", m.RSABits}, {"ecdsa_curve", m.ECDSACurve},
		{"private_key_wo_version", m.PrivateKeyWOVersion}, {"private_key_pem_wo", cfg.PrivateKeyPEMWO},
	} {
		if v.value.IsUnknown() {
			out = append(out, v.name)
		}
	}
	return out
}

// newestOwnKey is the certificate of the chain last made from the brought
// key: the staged successor when there is one from it, else the current CA.
func newestOwnKey(c pki.CAChain) *x509.Certificate {
	switch {
	case c.Next != nil && c.NextOwnKey:
		return c.Next
	case c.CurrentOwnKey:
		return c.Current
	}
	return nil
}

func encodeBundle(certs []*x509.Certificate) string {
	var b strings.Builder
	for _, c := range certs {
		b.WriteString(pki.EncodeCertificate(c.Raw))
	}
	return b.String()
}

// planUpdate writes the rotation due at s.now into the plan (which carries the
// planned inputs) and keeps the decision in private state for update.
func (caLifecycle) planUpdate(s *planStep) []path.Path {
	m, prior, cfg := s.caModels()
	// No decision of an earlier plan may reach this apply.
	s.diags.Append(s.private.SetKey(s.ctx, rotationKey, nil)...)
	m.TrustBundlePEM, m.NextCertPEM, m.NextPrivateKeyPEM, m.RotationPhase = prior.TrustBundlePEM, prior.NextCertPEM, prior.NextPrivateKeyPEM, prior.RotationPhase
	f := m.fields()
	f.NotAfter = prior.NotAfter
	f.ReadyForRenewal = types.BoolValue(false)
	// The plan decides whether a change stages a successor or replaces the
	// CA, and the apply does what it decided: a setting known only at apply
	// could turn a staging into a replacement after the plan was shown.
	if unknown := m.unknownSettings(cfg); len(unknown) > 0 {
		s.diags.AddAttributeError(path.Root(unknown[0]), "CA setting not known at plan",
			fmt.Sprintf("%s of this existing CA will only be known at apply, but mcptls_ca decides at plan what a change does (in place, a staged successor, or a new CA), "+
				"and an apply must do what its plan showed. Give a value known at plan (a variable or a literal), or apply what it comes from first "+
				"(terraform apply -target=<that resource>).", strings.Join(unknown, ", ")))
		return nil
	}
	chain, err := prior.chain()
	if err != nil {
		s.diags.AddAttributeError(path.Root("trust_bundle_pem"), "Stored CA chain is unreadable",
			err.Error()+". Restore the state from a backup, or issue a new CA: terraform apply -refresh=false -replace=<address of this mcptls_ca>.")
		return nil
	}
	ownKey, diags := cfg.ownKey()
	if s.diags.Append(diags...); diags.HasError() {
		return nil
	}
	var ownPublic crypto.PublicKey
	if ownKey != nil {
		ownPublic = ownKey.Public()
		if newest := newestOwnKey(chain); newest != nil && m.PrivateKeyWOVersion.Equal(prior.PrivateKeyWOVersion) && !pki.KeyMatches(newest, ownKey) {
			s.diags.AddAttributeError(path.Root("private_key_wo_version"), "CA key changed without a new private_key_wo_version",
				fmt.Sprintf("private_key_pem_wo is not the key of this CA's certificate %q (serial %s), and private_key_wo_version is still %d. "+
					"To keep this CA, give its key again. To bring a new key, change private_key_wo_version with it: "+
					"with rotation_overlap_days above 0 that stages a successor CA made from the new key, which signs after the overlap "+
					"(leaves keep signing with the current key until then); with 0 it replaces the CA.",
					newest.Subject.String(), newest.SerialNumber, m.PrivateKeyWOVersion.ValueInt64()))
			return nil
		}
	}
	p := pki.PlanRotation(s.now, chain, m.policy(), m.settings(ownPublic))
	if data, err := json.Marshal(p); err == nil {
		s.diags.Append(s.private.SetKey(s.ctx, rotationKey, data)...)
	} else {
		s.diags.AddError("Cannot record the CA rotation", err.Error())
		return nil
	}
	if p.Replace {
		s.diags.AddWarning("CA is replaced", capitalize(p.Reason)+".")
		f.ReadyForRenewal = types.BoolUnknown()
		replace := []path.Path{path.Root("ready_for_renewal")}
		for _, cause := range p.Causes {
			replace = append(replace, path.Root(cause))
		}
		return replace
	}
	if !p.Changes() {
		return nil
	}
	m.RotationPhase = types.StringValue(p.Phase)
	m.TrustBundlePEM = types.StringUnknown()
	if p.Promote {
		// Known at plan: the leaves see their new CA and plan their reissue.
		f.setCert(chain.Next, prior.NextCertPEM.ValueString())
		f.PrivateKeyPEM = prior.NextPrivateKeyPEM
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	}
	if p.Discard {
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	}
	if p.Stage {
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringUnknown(), types.StringUnknown()
		if ownKey != nil {
			m.NextPrivateKeyPEM = types.StringNull() // made from the CA's own key
		}
	}
	summary := fmt.Sprintf("CA rotation: %s", p.Phase)
	if len(p.Causes) > 0 {
		summary += " (" + strings.Join(p.Causes, ", ") + ")"
	}
	s.diags.AddWarning(summary, capitalize(p.Reason)+".")
	if p.Late != "" {
		s.diags.AddAttributeWarning(path.Root("rotation_overlap_days"), "CA rotation staged late: the overlap is shorter than asked", p.Late)
	}
	return nil
}

// update applies the planned rotation to the prior state's chain. A successor
// is issued with the planned inputs; a CA with its own key (from
// private_key_pem_wo) makes it from that key, and state still holds no CA key.
func (caLifecycle) update(s *planStep) diag.Diagnostics {
	var diags diag.Diagnostics
	m, prior, cfg := s.caModels()
	p := rotationPlanIn(s.ctx, s.private)
	if !p.Changes() {
		return diags
	}
	chain, err := prior.chain()
	if err != nil {
		diags.AddAttributeError(path.Root("trust_bundle_pem"), "Stored CA chain is unreadable", err.Error())
		return diags
	}
	var successor *pki.Issued
	nextKeyPEM := types.StringNull()
	ownKey, keyDiags := cfg.ownKey()
	if diags.Append(keyDiags...); diags.HasError() {
		return diags
	}
	if p.Stage {
		key := ownKey
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
			key, nextKeyPEM = generated, types.StringValue(text)
		}
		request := p.SuccessorRequest(m.subject(m.CommonName.ValueString()), int(m.ValidityDays.ValueInt64()), s.now)
		if successor, err = pki.Issue(request, key, nil); err != nil {
			diags.AddError("Cannot issue the successor CA", err.Error())
			return diags
		}
	}
	var successorCert *x509.Certificate
	if successor != nil {
		successorCert = successor.Cert
	}
	after, err := p.Apply(chain, successorCert, ownKey != nil)
	if err != nil {
		diags.AddError("Cannot apply the planned CA rotation", err.Error())
		return diags
	}
	if p.Promote {
		m.setCert(after.Current, prior.NextCertPEM.ValueString())
		m.PrivateKeyPEM = prior.NextPrivateKeyPEM
	}
	switch {
	case p.Stage:
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringValue(successor.CertPEM), nextKeyPEM
	case p.Promote || p.Discard:
		m.NextCertPEM, m.NextPrivateKeyPEM = types.StringNull(), types.StringNull()
	}
	m.TrustBundlePEM = types.StringValue(encodeBundle(after.Bundle()))
	m.RotationPhase = types.StringValue(after.Phase())
	diags.Append(s.private.SetKey(s.ctx, rotationKey, nil)...) // done: state keeps no decision
	return diags
}

// readyForRenewal: the next plan gives the CA a new certificate when it
// promotes its successor or replaces it. The stored inputs stand for the
// configuration, and a brought key for the one the chain was last made from.
func (caLifecycle) readyForRenewal(ctx context.Context, now time.Time, state tfsdk.State, _ *x509.Certificate, diags *diag.Diagnostics) (bool, bool) {
	m := &caModel{}
	if diags.Append(state.Get(ctx, m)...); diags.HasError() || len(m.unknownSettings(m)) > 0 {
		return false, false
	}
	chain, err := m.chain()
	if err != nil {
		return false, false
	}
	var own crypto.PublicKey
	if newest := newestOwnKey(chain); newest != nil {
		own = newest.PublicKey
	}
	return pki.PlanRotation(now, chain, m.policy(), m.settings(own)).NewCertificate(), true
}
