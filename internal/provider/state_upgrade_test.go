package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

const stateFixture = "testdata/state-v0"

// TestStateFromSchemaVersion0PlansEmpty plans a state file that this provider
// wrote at schema version 0 (certificates valid until 2125, so no renewal is
// due): a later build that changes the schema, its defaults or how it reads
// state shows up here as a diff. MCPTLS_UPDATE_STATE_FIXTURE=1 rewrites the
// fixture with the current build.
func TestStateFromSchemaVersion0PlansEmpty(t *testing.T) {
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
	if out, err := w.run("plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("the version 0 state does not plan empty: %v\n%s", err, out)
	}
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
