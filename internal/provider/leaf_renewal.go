package provider

import (
	"context"
	"crypto"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// A leaf's lifecycle: it is reissued when it enters its renewal window, unless
// the reissue could not outlive the window (pki.PlanLeafRenewal); a new CA
// (ca_cert_pem) or a changed input that defines it replaces it by the schema.

// leafLifecycle is the gateway's and the plugins' lifecycle.
type leafLifecycle struct{}

func (*LeafFields) lifecycle() lifecycle { return leafLifecycle{} }

// unchanged: a no-op plan of a leaf outside its renewal window needs nothing.
func (leafLifecycle) unchanged(ctx context.Context, now time.Time, plan attributeGetter, diags *diag.Diagnostics) bool {
	var f CertFields
	diags.Append(plan.GetAttribute(ctx, path.Root("not_after"), &f.NotAfter)...)
	diags.Append(plan.GetAttribute(ctx, path.Root("early_renewal_days"), &f.EarlyRenewalDays)...)
	if diags.HasError() {
		return false
	}
	due, known := f.renewalDue(now)
	return known && !due
}

// plan refuses a CA that cannot sign now, at plan time rather than in
// Create (it needs the provider's clock, so not in ValidateConfig), and
// defaults the trust bundle.
func (leafLifecycle) plan(s *planStep) {
	leaf := s.plan.leafFields()
	if !leaf.CACertPEM.IsUnknown() && !leaf.CACertPEM.IsNull() {
		if ca, err := pki.ParseCACertificate(leaf.CACertPEM.ValueString()); err == nil {
			if d := caValidityDiag(pki.CheckCAValidAt(ca, s.now)); d != nil {
				s.diags.Append(d)
				return
			}
		}
	}
	leaf.planTrustBundle(s.cfg.leafFields())
}

func (leafLifecycle) planCreate(*planStep) {}

// planUpdate measures the renewal window on the issued not_after with the
// planned early_renewal_days and validity_days.
func (leafLifecycle) planUpdate(s *planStep) []path.Path {
	f, leaf, prior := s.plan.fields(), s.plan.leafFields(), s.prior.leafFields()
	// secret_env changes only with a new key; state from before it existed holds null.
	leaf.SecretEnv = prior.SecretEnv
	if leaf.SecretEnv.IsNull() {
		leaf.SecretEnv = stringMap(nil)
	}
	f.NotAfter = s.prior.fields().NotAfter
	if s.reissue != nil {
		// Replaced the way renewal does: the flag changes, and it requires replacement.
		planReissue(s.reissue, s.diags)
		f.ReadyForRenewal = types.BoolUnknown()
		return []path.Path{path.Root("ready_for_renewal")}
	}
	r, ok := leafRenewal(s.now, f, leaf)
	switch {
	case !ok:
		f.ReadyForRenewal = types.BoolUnknown()
	case r.Reissue:
		f.ReadyForRenewal = types.BoolUnknown()
		return []path.Path{path.Root("ready_for_renewal")}
	default:
		f.ReadyForRenewal = types.BoolValue(false)
		if r.Waits() {
			s.diags.Append(waitWarning(f, r))
		}
	}
	return nil
}

func (leafLifecycle) update(*planStep) diag.Diagnostics { return nil }

// readyForRenewal: the next plan replaces the certificate when it is due and
// reissued, and when its CA's staged successor signs from now (the plan that
// promotes it gives the leaf a new ca_cert_pem). Read runs on every plan: the
// successor's signing time is remembered by the texts (pki.SuccessorSignsAt).
func (leafLifecycle) readyForRenewal(ctx context.Context, now time.Time, state tfsdk.State, cert *x509.Certificate, diags *diag.Diagnostics) (bool, bool) {
	var f CertFields
	var leaf LeafFields
	f.NotAfter = types.StringValue(cert.NotAfter.UTC().Format(time.RFC3339))
	diags.Append(state.GetAttribute(ctx, path.Root("early_renewal_days"), &f.EarlyRenewalDays)...)
	diags.Append(state.GetAttribute(ctx, path.Root("ca_cert_pem"), &leaf.CACertPEM)...)
	diags.Append(state.GetAttribute(ctx, path.Root("trust_bundle_pem"), &leaf.TrustBundlePEM)...)
	if diags.HasError() {
		return false, false
	}
	if known(leaf.CACertPEM) && known(leaf.TrustBundlePEM) {
		if at := pki.SuccessorSignsAt(leaf.CACertPEM.ValueString(), leaf.TrustBundlePEM.ValueString()); !at.IsZero() && !now.Before(at) {
			return true, true
		}
	}
	if due, ok := f.renewalDue(now); !ok || !due {
		return false, ok
	}
	diags.Append(state.GetAttribute(ctx, path.Root("validity_days"), &f.ValidityDays)...)
	if diags.HasError() {
		return false, false
	}
	r, ok := leafRenewal(now, &f, &leaf)
	return r.Reissue, ok
}

func (leafLifecycle) broughtKey(certModel) (crypto.Signer, diag.Diagnostics) { return nil, nil }

// leafRenewal runs pki.PlanLeafRenewal on a leaf's values; known is false
// while a value it needs is unknown.
func leafRenewal(now time.Time, f *CertFields, leaf *LeafFields) (pki.LeafRenewal, bool) {
	due, ok := f.renewalDue(now)
	if !ok || !due {
		return pki.LeafRenewal{}, ok
	}
	notAfter, _ := time.Parse(time.RFC3339, f.NotAfter.ValueString())
	if f.ValidityDays.IsUnknown() {
		return pki.LeafRenewal{Due: true, Reissue: true}, true
	}
	var ca *x509.Certificate
	if known(leaf.CACertPEM) {
		ca, _ = pki.ParseCertificate(leaf.CACertPEM.ValueString())
	}
	var bundle []*x509.Certificate
	if known(leaf.TrustBundlePEM) {
		bundle, _ = pki.ParseCertificates(leaf.TrustBundlePEM.ValueString())
	}
	return pki.PlanLeafRenewal(now, notAfter, int(f.ValidityDays.ValueInt64()), int(f.EarlyRenewalDays.ValueInt64()), ca, bundle), true
}

// waitWarning says why a due certificate is not reissued, and when it is.
func waitWarning(f *CertFields, r pki.LeafRenewal) diag.Diagnostic {
	when := "when its CA's successor signs: the CA stages one before it expires (see its rotation_phase), and the plan that promotes it reissues this certificate"
	if !r.SuccessorSignsAt.IsZero() {
		when = fmt.Sprintf("when its CA's successor, staged in trust_bundle_pem, signs: from %s, with the plan that promotes it", r.SuccessorSignsAt.UTC().Format(time.RFC3339))
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("early_renewal_days"), "Certificate waits for the CA's successor",
		fmt.Sprintf("The certificate entered its renewal window (early_renewal_days = %d before not_after %s), but its CA ends at %s, inside that window: "+
			"a certificate issued now would end with the CA and be due at once, and every apply would reissue it again. It is reissued %s. "+
			"Until then it keeps working.", f.EarlyRenewalDays.ValueInt64(), f.NotAfter.ValueString(), r.ReissueEnds.UTC().Format(time.RFC3339), when))
}
