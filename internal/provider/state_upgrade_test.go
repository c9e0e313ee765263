package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const stateFixture = "testdata/state-v0"

// TestStateFromSchemaVersion0Upgrades plans a state file that the first
// release wrote at schema version 0 (certificates valid until 2125, so no
// renewal is due). A later build may only add to the env maps, in place: no
// certificate or key may change. After one apply the plan is empty.
// MCPTLS_UPDATE_STATE_FIXTURE=1 rewrites the fixture with the current build.
func TestStateFromSchemaVersion0Upgrades(t *testing.T) {
	t.Parallel()
	config, err := os.ReadFile(filepath.Join(stateFixture, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"main.tf": config}
	update := os.Getenv("MCPTLS_UPDATE_STATE_FIXTURE") != ""
	if !update {
		state, err := os.ReadFile(filepath.Join(stateFixture, "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		files["terraform.tfstate"] = state
	}
	w := newCLIWorkspace(t, files)
	if update {
		w.mustRun("apply", "-auto-approve", "-input=false")
		writeStateFixture(t, filepath.Join(w.dir, "terraform.tfstate"))
		return
	}
	checkSchemaVersions(t, files["terraform.tfstate"], 0)
	w.mustRun("plan", "-input=false", "-out=upgrade.plan")
	changed := plannedChanges(t, w.mustRun("show", "-json", "upgrade.plan"))
	// What this build added to the env maps since the first release.
	allowed := map[string]bool{"server_env": true, "grpc_client_env": true}
	for addr, attrs := range changed {
		for _, a := range attrs {
			if !allowed[a] {
				t.Errorf("%s: upgrading changes %s", addr, a)
			}
		}
	}
	w.mustRun("apply", "-input=false", "upgrade.plan")
	if out, err := w.run("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the upgraded state does not plan empty: %v\n%s", err, out)
	}
}

// plannedChanges lists, per resource instance, the attributes a plan changes;
// anything but an in-place update (or no change) fails the test.
func plannedChanges(t *testing.T, planJSON string) map[string][]string {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Mode    string `json:"mode"`
			Change  struct {
				Actions []string                   `json:"actions"`
				Before  map[string]json.RawMessage `json:"before"`
				After   map[string]json.RawMessage `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON[strings.Index(planJSON, "{"):]), &plan); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		if a := strings.Join(rc.Change.Actions, ","); a != "update" && a != "no-op" {
			t.Errorf("%s: planned %s", rc.Address, a)
		}
		for name, after := range rc.Change.After {
			if string(rc.Change.Before[name]) != string(after) {
				out[rc.Address] = append(out[rc.Address], name)
			}
		}
	}
	return out
}

// writeStateFixture stores the state with a neutral CLI version, so that every
// engine in the matrix (the oldest is Terraform 1.8) accepts it.
func writeStateFixture(t *testing.T, from string) {
	t.Helper()
	state, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	state = regexp.MustCompile(`"terraform_version": "[^"]*"`).ReplaceAll(state, []byte(`"terraform_version": "1.5.7"`))
	if err := os.WriteFile(filepath.Join(stateFixture, "terraform.tfstate"), state, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkSchemaVersions makes sure the fixture really is from the given version.
func checkSchemaVersions(t *testing.T, state []byte, want int) {
	t.Helper()
	var s struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				SchemaVersion int `json:"schema_version"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(state, &s); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range s.Resources {
		for _, inst := range r.Instances {
			if r.Mode == "managed" && inst.SchemaVersion != want {
				t.Errorf("%s instance has schema_version %d, want %d", r.Type, inst.SchemaVersion, want)
			}
		}
		seen[r.Type] = true
	}
	for _, typ := range []string{"mcptls_ca", "mcptls_gateway_cert", "mcptls_plugin_cert"} {
		if !seen[typ] {
			t.Errorf("the fixture has no %s", typ)
		}
	}
}
