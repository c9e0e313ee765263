package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// Derived values (env maps, secret_env, a plugin's health_port) follow from a
// certificate's inputs, and a new build may compute them differently: a
// plugin's server_env gained PLUGINS_TRANSPORT, the gateway gained
// grpc_client_env. A no-op plan skips decoding the model (bench/README.md), so
// it would never notice; a marker in private state says that the stored
// derived values are this build's. Create and Update write it; Read writes it
// once it has checked that state already holds this build's values (after an
// import too).
// Without it, ModifyPlan takes the full path and plans the new values in place.
//
// Bump derivationVersion whenever derive (or what state holds of it) changes,
// so that every stored certificate is planned again once.
const (
	derivedKey        = "derived"
	derivationVersion = "1"
)

// derivationCurrent reports whether private state carries this build's marker.
func derivationCurrent(ctx context.Context, private privateData) bool {
	if private == nil {
		return false
	}
	data, diags := private.GetKey(ctx, derivedKey)
	return !diags.HasError() && string(data) == derivationVersion
}

// markDerived writes the marker.
func markDerived(ctx context.Context, private privateState, diags *diag.Diagnostics) {
	if private != nil {
		diags.Append(private.SetKey(ctx, derivedKey, []byte(derivationVersion))...)
	}
}

// currentSecretEnv is the secret_env a stored leaf keeps: state written before
// secret_env existed holds null, which is the empty map there (no passphrase
// existed either).
func currentSecretEnv(leaf *LeafFields) {
	if leaf.SecretEnv.IsNull() {
		leaf.SecretEnv = stringMap(nil)
	}
}

// markIfDerived marks state whose derived values are what this build
// computes from its inputs. It decodes the model, so it runs only while the
// marker is missing: once per certificate written by an earlier build.
func (r *certResource) markIfDerived(ctx context.Context, state tfsdk.State, private privateState, diags *diag.Diagnostics) {
	if derivationCurrent(ctx, private) {
		return
	}
	m := r.kind.newModel()
	if diags.Append(state.Get(ctx, m)...); diags.HasError() {
		return
	}
	diags.Append(m.derive(m)...)
	if leaf := m.leafFields(); leaf != nil {
		currentSecretEnv(leaf)
	}
	derived := tfsdk.State{Schema: state.Schema, Raw: state.Raw.Copy()}
	if diags.Append(derived.Set(ctx, m)...); diags.HasError() {
		return
	}
	if derived.Raw.Equal(state.Raw) {
		markDerived(ctx, private, diags)
	}
}
