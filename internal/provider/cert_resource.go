package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// certKind is what distinguishes the three certificate resources.
type certKind struct {
	typeSuffix string
	// profile is what the resource issues, known without decoding a model so
	// that Read stays cheap.
	profile  pki.Profile
	schema   func() schema.Schema
	newModel func() certModel
}

// certResource runs the lifecycle shared by mcptls_ca, mcptls_gateway_cert and
// mcptls_plugin_cert: key generation and signing happen only in Create.
type certResource struct {
	kind  certKind
	clock Clock
}

var (
	_ resource.ResourceWithConfigure      = (*certResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*certResource)(nil)
	_ resource.ResourceWithValidateConfig = (*certResource)(nil)
	_ resource.ResourceWithImportState    = (*certResource)(nil)
)

func (r *certResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeSuffix
}

func (r *certResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.schema()
	resp.Schema.Version = schemaVersion
}

func (r *certResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	if data, ok := req.ProviderData.(*providerData); ok {
		r.clock = data.clock
	}
}

func (r *certResource) now() time.Time {
	if r.clock == nil {
		return time.Now()
	}
	return r.clock.Now()
}

// ValidateConfig also runs during apply, with values that were unknown at plan
// time, so a bad CA input from another resource fails there before any change.
func (r *certResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	cfg := r.kind.newModel()
	if resp.Diagnostics.Append(req.Config.Get(ctx, cfg)...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(validateCert(cfg)...)
}

// validateCert checks a configuration where its values are known: the
// managed resources' ValidateConfig and the ephemeral ones' share it.
func validateCert(cfg certModel) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.Append(cfg.fields().checkRenewalWindow()...)
	if leaf := cfg.leafFields(); leaf != nil {
		diags.Append(leaf.checkCAKeyInputs()...)
		if known(leaf.CACertPEM) && known(leaf.caKey()) {
			_, issuerDiags := parseIssuer(leaf)
			diags.Append(issuerDiags...)
		}
		diags.Append(leaf.checkTrustBundle()...)
	}
	diags.Append(cfg.validate()...)
	return diags
}

// parseIssuer maps CA parsing errors onto the attribute at fault; leaf holds
// configuration values, where a write-only CA key is.
func parseIssuer(leaf *LeafFields) (*pki.Issuer, diag.Diagnostics) {
	var diags diag.Diagnostics
	keyAttr := "ca_private_key_pem"
	if !leaf.CAPrivateKeyPEMWO.IsNull() {
		keyAttr = "ca_private_key_pem_wo"
	}
	issuer, err := pki.ParseIssuer(leaf.CACertPEM.ValueString(), leaf.caKey().ValueString())
	var certErr *pki.CertError
	var keyErr *pki.KeyError
	switch {
	case errors.As(err, &certErr):
		diags.AddAttributeError(path.Root("ca_cert_pem"), "Invalid CA certificate", certErr.Error())
	case errors.As(err, &keyErr):
		diags.AddAttributeError(path.Root(keyAttr), "Invalid CA private key", keyErr.Error())
	case err != nil:
		diags.AddError("Invalid CA", err.Error())
	}
	return issuer, diags
}

// caValidityDiag explains a CA that cannot sign now (pki.CheckCAValidAt) on
// ca_cert_pem, with the way out; nil for any other error.
func caValidityDiag(err error) diag.Diagnostic {
	switch {
	case errors.Is(err, pki.ErrCAExpired):
		return diag.NewAttributeErrorDiagnostic(path.Root("ca_cert_pem"), "CA certificate has expired",
			capitalize(err.Error())+". Renew the CA: replace the mcptls_ca that signs this certificate "+
				"(terraform apply -replace=<its address>), or give a new ca_cert_pem and ca_private_key_pem; "+
				"every certificate it signed is then reissued.")
	case errors.Is(err, pki.ErrCANotYetValid):
		return diag.NewAttributeErrorDiagnostic(path.Root("ca_cert_pem"), "CA certificate is not valid yet",
			capitalize(err.Error())+fmt.Sprintf(". Check the clock of this machine and of the one that made the CA "+
				"(up to %d minutes of difference are tolerated), or wait until then.", int(pki.ClockSkewMargin.Minutes())))
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (r *certResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	life := r.kind.lifecycle()
	now := r.now()
	// Read leaves a note when the stored leaf is damaged (checkStored).
	var reissue *reissueNote
	if !req.State.Raw.IsNull() {
		reissue = reissueNoteIn(ctx, req.Private)
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) && reissue == nil && derivationCurrent(ctx, req.Private) {
		// A plan that is the prior state (every no-op plan), of state whose
		// derived values are this build's, only needs the lifecycle's check,
		// which reads a few attributes instead of decoding the whole model
		// three times (bench/README.md).
		if life.unchanged(ctx, now, req.Plan, &resp.Diagnostics) {
			return
		}
	}
	s := &planStep{ctx: ctx, now: now, plan: r.kind.newModel(), cfg: r.kind.newModel(), private: resp.Private, reissue: reissue, diags: &resp.Diagnostics}
	resp.Diagnostics.Append(req.Plan.Get(ctx, s.plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, s.cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if life.plan(s); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(s.plan.derive(s.cfg)...)
	if req.State.Raw.IsNull() {
		life.planCreate(s)
	} else {
		s.prior = r.kind.newModel()
		if resp.Diagnostics.Append(req.State.Get(ctx, s.prior)...); resp.Diagnostics.HasError() {
			return
		}
		resp.RequiresReplace.Append(s.plan.reissuePaths(s.prior)...)
		resp.RequiresReplace.Append(life.planUpdate(s)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	markDerived(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, s.plan)...)
}

func (r *certResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, cfg := r.kind.newModel(), r.kind.newModel()
	resp.Diagnostics.Append(req.Plan.Get(ctx, plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, cfg)...) // write-only inputs are only there
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(issue(ctx, r.kind.typeSuffix, plan, cfg, r.now())...); resp.Diagnostics.HasError() {
		return
	}
	markDerived(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read checks the stored certificate, key and CA copy (pki.CheckStored) and
// refreshes ready_for_renewal; the certificate fields are re-read from cert_pem
// only when they disagree with it (state written by hand or an import). It reads
// the attributes it needs, not the whole model: it runs on every plan.
func (r *certResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var certPEM, keyPEM, caPEM, notAfter types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("cert_pem"), &certPEM)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("private_key_pem"), &keyPEM)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("not_after"), &notAfter)...)
	if r.kind.profile != pki.ProfileCA {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("ca_cert_pem"), &caPEM)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	cert := r.checkStored(ctx, certPEM.ValueString(), keyPEM.ValueString(), caPEM.ValueString(), resp.Private, &resp.Diagnostics)
	if cert == nil {
		return
	}
	r.markIfDerived(ctx, req.State, resp.Private, &resp.Diagnostics)
	if notAfter.ValueString() != cert.NotAfter.UTC().Format(time.RFC3339) {
		state := r.kind.newModel()
		if resp.Diagnostics.Append(req.State.Get(ctx, state)...); resp.Diagnostics.HasError() {
			return
		}
		state.fields().setCert(cert, certPEM.ValueString())
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	}
	var ready types.Bool
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("ready_for_renewal"), &ready)...)
	due, known := r.kind.lifecycle().readyForRenewal(ctx, r.now(), resp.State, cert, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || !known {
		return
	}
	if ready.IsNull() || ready.ValueBool() != due {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("ready_for_renewal"), due)...)
	}
}

// attributeGetter is a plan or a state.
type attributeGetter interface {
	GetAttribute(context.Context, path.Path, any) diag.Diagnostics
}

// Update changes only what does not define the certificate (env settings,
// early_renewal_days, a re-encoded CA key), and what the lifecycle planned:
// a CA's rotation.
func (r *certResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	s := &planStep{ctx: ctx, now: r.now(), plan: r.kind.newModel(), prior: r.kind.newModel(), cfg: r.kind.newModel(), private: resp.Private, diags: &resp.Diagnostics}
	resp.Diagnostics.Append(req.Plan.Get(ctx, s.plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, s.prior)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, s.cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if resp.Diagnostics.Append(r.kind.lifecycle().update(s)...); resp.Diagnostics.HasError() {
		return
	}
	// Plans converge: right after an apply, the next plan replaces nothing.
	if f := s.plan.fields(); f.ReadyForRenewal.IsUnknown() {
		f.ReadyForRenewal = types.BoolValue(false)
	}
	markDerived(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, s.plan)...)
}

// Delete forgets the certificate: it lives only in state.
func (r *certResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// ImportState adopts files that `make certs-mcp-*` wrote: the ID is the
// directory (certs/mcp/ca, certs/mcp/gateway or certs/mcp/plugins/<name>).
func (r *certResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	m := r.kind.newModel()
	if err := m.importFrom(req.ID); err != nil {
		resp.Diagnostics.AddError("Cannot import "+req.ID, err.Error())
		return
	}
	if leaf := m.leafFields(); leaf != nil {
		for _, note := range leaf.importNotes {
			resp.Diagnostics.AddAttributeWarning(path.Root("ca_private_key_pem"), "CA key not imported", note)
		}
	}
	if cert, err := pki.ParseCertificate(m.fields().CertPEM.ValueString()); err == nil {
		if missing := pki.ProfileShortfalls(r.kind.profile, cert); len(missing) > 0 {
			address := "mcptls_" + r.kind.typeSuffix
			resp.Diagnostics.AddAttributeWarning(path.Root("cert_pem"), "Imported certificate falls short of this provider's profile",
				fmt.Sprintf("The %s in %s was adopted as it is, but it falls short of what this provider issues (%s): %s. "+
					"It keeps working wherever it works today. To replace it with a certificate of this provider's profile, run "+
					"terraform apply -replace=%s.NAME with the address you imported it to.",
					r.kind.profile, req.ID, r.kind.profile.Extensions(), strings.Join(missing, "; "), address))
		}
	}
	resp.Diagnostics.Append(m.derive(m)...) // the Read after an import marks them (derivation.go)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
