package provider

import (
	"context"
	"crypto"
	"crypto/x509"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// lifecycle is what a kind of certificate does where a CA and a leaf differ:
// a leaf renews (leaf_renewal.go), a CA rotates (ca_rotation.go). certResource
// runs the steps they share and calls these hooks; a model names its
// lifecycle (certModel.lifecycle), so the shared code has no CA or leaf cases.
type lifecycle interface {
	// unchanged reads the few attributes that tell whether a plan that is the
	// prior state (a no-op plan) needs nothing more: the cheap path of every
	// no-op plan (bench/README.md). false sends it through the full plan.
	unchanged(ctx context.Context, now time.Time, plan attributeGetter, diags *diag.Diagnostics) bool
	// plan completes any plan (create or update) from configuration; an error
	// stops it.
	plan(s *planStep)
	// planCreate completes the plan of a new certificate.
	planCreate(s *planStep)
	// planUpdate decides what the apply does to an existing certificate at
	// s.now: it sets the values that will change and ready_for_renewal, may
	// leave a decision in s.private for update, and returns the paths that
	// require replacement.
	planUpdate(s *planStep) []path.Path
	// update carries out what planUpdate decided.
	update(s *planStep) diag.Diagnostics
	// readyForRenewal is what Read reports: whether the next plan gives the
	// stored certificate (cert, parsed from state) a new one.
	readyForRenewal(ctx context.Context, now time.Time, state tfsdk.State, cert *x509.Certificate, diags *diag.Diagnostics) (ready, known bool)
	// broughtKey is the certificate's own key from configuration (a CA's
	// private_key_pem_wo); nil when the key is generated.
	broughtKey(cfg certModel) (crypto.Signer, diag.Diagnostics)
}

// planStep is what the hooks of a plan or an apply work on.
type planStep struct {
	ctx context.Context
	now time.Time
	// plan is the planned (or, in update, the applied) model; prior the state
	// before; cfg the configuration, where write-only values are.
	plan, prior, cfg certModel
	// private is the private state the plan hands to the apply.
	private privateState
	// reissue is the note Read left about a damaged stored leaf (nil when none).
	reissue *reissueNote
	diags   *diag.Diagnostics
}

// lifecycles caches each kind's lifecycle (by type name), so that the steps
// every no-op plan runs do not allocate a model to ask for it.
var lifecycles sync.Map

// lifecycle is the kind's lifecycle, as its model names it.
func (k certKind) lifecycle() lifecycle {
	if l, ok := lifecycles.Load(k.typeSuffix); ok {
		if l, ok := l.(lifecycle); ok {
			return l
		}
	}
	l := k.newModel().lifecycle()
	lifecycles.Store(k.typeSuffix, l)
	return l
}
