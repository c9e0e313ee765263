package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

var _ resource.ResourceWithUpgradeState = (*certResource)(nil)

// UpgradeState carries state written by earlier schema versions forward.
// Version 0 (the first release) lacks the rotation attributes of the CA and the
// leaves' trust_bundle_pem: they get the values a new resource would have, so
// an upgraded state plans no change but what really changed (env maps gained
// variables, which show as in-place updates).
func (r *certResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: r.upgradeFromV0}}
}

func (r *certResource) upgradeFromV0(_ context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var state map[string]json.RawMessage
	if err := json.Unmarshal(req.RawState.JSON, &state); err != nil {
		resp.Diagnostics.AddError("Cannot upgrade state from schema version 0", err.Error())
		return
	}
	set := func(name string, value any) {
		if _, present := state[name]; present {
			return
		}
		data, _ := json.Marshal(value)
		state[name] = data
	}
	if r.kind.profile == pki.ProfileCA {
		set("rotation_overlap_days", pki.DefaultRotationOverlapDays)
		set("trust_bundle_pem", state["cert_pem"])
		set("next_cert_pem", nil)
		set("next_private_key_pem", nil)
		set("rotation_phase", pki.PhaseStable)
	} else {
		set("trust_bundle_pem", state["ca_cert_pem"])
		set("secret_env", map[string]string{})
	}
	upgraded, err := json.Marshal(state)
	if err != nil {
		resp.Diagnostics.AddError("Cannot upgrade state from schema version 0", err.Error())
		return
	}
	resp.DynamicValue = &tfprotov6.DynamicValue{JSON: upgraded}
}
