package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// stateFixture is state written by a build of an earlier commit of this
// repository (its main.tf names the commit), and what the first plan of this
// build must change on it: per resource instance, the attributes it updates
// in place and the value each gets.
type stateFixture struct {
	dir           string
	schemaVersion int
	// absent are attributes the fixture's state must not hold, which shows
	// which build wrote it.
	absent []string
	// changes: address -> attribute -> check of the planned value.
	changes map[string]map[string]func(json.RawMessage) bool
}

var (
	emptyMap = func(v json.RawMessage) bool { return string(v) == "{}" }
	hasKeys  = func(keys ...string) func(json.RawMessage) bool {
		return func(v json.RawMessage) bool { return mapHas(v, keys...) }
	}
	transportMC = func(v json.RawMessage) bool {
		var m map[string]string
		return json.Unmarshal(v, &m) == nil && m["PLUGINS_TRANSPORT"] == "http" && m["PLUGINS_SERVER_PORT"] == "8443"
	}
)

var stateFixtures = []stateFixture{
	{
		// The first release: server_env gains PLUGINS_TRANSPORT (without it
		// the plugin runtime runs stdio and nothing listens), the gateway gains
		// grpc_client_env.
		dir: "testdata/state-v0", schemaVersion: 0, absent: []string{"trust_bundle_pem", "secret_env", "grpc_client_env"},
		changes: map[string]map[string]func(json.RawMessage) bool{
			`mcptls_plugin_cert.this["DenyListPlugin"]`: {"server_env": transportMC},
			"mcptls_gateway_cert.this": {"grpc_client_env": hasKeys("PLUGINS_GRPC_CLIENT_MTLS_CERTFILE", "PLUGINS_GRPC_CLIENT_MTLS_KEYFILE",
				"PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE", "PLUGINS_GRPC_CLIENT_MTLS_VERIFY")},
		},
	},
	{
		// The release that introduced rotation (schema 1): secret_env did not
		// exist, and is the empty map where no passphrase is set.
		dir: "testdata/state-v1-9d5365b", schemaVersion: 1, absent: []string{"secret_env"},
		changes: map[string]map[string]func(json.RawMessage) bool{
			`mcptls_plugin_cert.this["DenyListPlugin"]`:  {"secret_env": emptyMap},
			`mcptls_plugin_cert.this["OPAPluginFilter"]`: {"secret_env": emptyMap},
			"mcptls_gateway_cert.this":                   {"secret_env": emptyMap},
		},
	},
}

// TestStateFromEarlierBuilds plans state that builds of earlier commits wrote,
// one fixture per earlier schema version (and the release that added
// secret_env without a new version). Certificates are valid until 2125, so no
// renewal is due. The first plan updates in place exactly the derived values
// this build computes differently, to the values it computes, and nothing
// else: no certificate or key changes. After one apply the plan is empty,
// every certificate is the one the fixture holds, and no computed map is null.
//
// MCPTLS_UPDATE_STATE_FIXTURE=<fixture directory name> with
// MCPTLS_FIXTURE_PROVIDER_DIR=<directory of an earlier build> rewrites that
// fixture with that build (see the fixture's main.tf).
func TestStateFromEarlierBuilds(t *testing.T) {
	t.Parallel()
	for _, f := range stateFixtures {
		t.Run(filepath.Base(f.dir), func(t *testing.T) {
			t.Parallel()
			config, err := os.ReadFile(filepath.Join(f.dir, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{"main.tf": config}
			if os.Getenv("MCPTLS_UPDATE_STATE_FIXTURE") == filepath.Base(f.dir) {
				w := newCLIWorkspace(t, files)
				w.useProviderDir(os.Getenv("MCPTLS_FIXTURE_PROVIDER_DIR"))
				w.mustRun("apply", "-auto-approve", "-input=false")
				writeStateFixture(t, filepath.Join(w.dir, "terraform.tfstate"), f.dir)
				return
			}
			state, err := os.ReadFile(filepath.Join(f.dir, "terraform.tfstate"))
			if err != nil {
				t.Fatal(err)
			}
			files["terraform.tfstate"] = state
			w := newCLIWorkspace(t, files)
			checkSchemaVersions(t, state, f.schemaVersion, f.absent)
			w.mustRun("plan", "-input=false", "-out=upgrade.plan")
			changed, after := plannedChanges(t, w.mustRun("show", "-json", "upgrade.plan"))
			for addr, attrs := range changed {
				want := make([]string, 0, len(f.changes[addr]))
				for a := range f.changes[addr] {
					want = append(want, a)
				}
				sort.Strings(want)
				if !reflect.DeepEqual(attrs, want) {
					t.Errorf("%s: the upgrade plan changes %v, want %v", addr, attrs, want)
				}
			}
			for addr, checks := range f.changes {
				if len(changed[addr]) == 0 {
					t.Errorf("%s: the upgrade plan changes nothing, want %d attribute(s)", addr, len(checks))
				}
				for a, ok := range checks {
					if v := after[addr][a]; !ok(v) {
						t.Errorf("%s: %s is planned as %s", addr, a, v)
					}
				}
			}
			w.mustRun("apply", "-input=false", "upgrade.plan")
			if out, err := w.run("plan", "-detailed-exitcode", "-input=false"); err != nil {
				t.Fatalf("the upgraded state does not plan empty: %v\n%s", err, out)
			}
			checkUpgradedState(t, w.mustRun("show", "-json"), state)
		})
	}
}

// useProviderDir points dev_overrides at another build of the provider.
func (w *cliWorkspace) useProviderDir(dir string) {
	w.t.Helper()
	if dir == "" {
		w.t.Fatal("set MCPTLS_FIXTURE_PROVIDER_DIR to the directory of the earlier build's terraform-provider-mcptls")
	}
	rc := "provider_installation {\n  dev_overrides { \"mcptls/mcptls\" = \"" + dir + "\" }\n  direct {}\n}\n"
	if err := os.WriteFile(filepath.Join(w.dir, ".terraformrc"), []byte(rc), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// plannedChanges lists, per managed resource instance, the attributes a plan
// changes (sorted) and the planned values; anything but an in-place update
// (or no change) fails the test.
func plannedChanges(t *testing.T, planJSON string) (map[string][]string, map[string]map[string]json.RawMessage) {
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
	changed, after := map[string][]string{}, map[string]map[string]json.RawMessage{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != "managed" {
			continue
		}
		if a := strings.Join(rc.Change.Actions, ","); a != "update" && a != "no-op" {
			t.Errorf("%s: planned %s", rc.Address, a)
		}
		after[rc.Address] = rc.Change.After
		for name, v := range rc.Change.After {
			if string(rc.Change.Before[name]) != string(v) {
				changed[rc.Address] = append(changed[rc.Address], name)
			}
		}
		sort.Strings(changed[rc.Address])
	}
	return changed, after
}

// checkUpgradedState: every certificate and key is still the fixture's, and
// no computed map is null.
func checkUpgradedState(t *testing.T, showJSON string, fixture []byte) {
	t.Helper()
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string                     `json:"address"`
					Mode    string                     `json:"mode"`
					Values  map[string]json.RawMessage `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(showJSON[strings.Index(showJSON, "{"):]), &shown); err != nil {
		t.Fatal(err)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Mode != "managed" {
			continue
		}
		if !strings.Contains(string(fixture), strings.Trim(string(r.Values["serial_number"]), `"`)) {
			t.Errorf("%s: serial %s is not the fixture's", r.Address, r.Values["serial_number"])
		}
		for _, m := range []string{"server_env", "client_env", "grpc_client_env", "secret_env"} {
			if v, ok := r.Values[m]; ok && string(v) == "null" {
				t.Errorf("%s: %s is null after the upgrade", r.Address, m)
			}
		}
	}
}

// writeStateFixture stores the state with a neutral CLI version, so that every
// engine in the matrix (the oldest is Terraform 1.8) accepts it.
func writeStateFixture(t *testing.T, from, fixtureDir string) {
	t.Helper()
	state, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	state = regexp.MustCompile(`"terraform_version": "[^"]*"`).ReplaceAll(state, []byte(`"terraform_version": "1.5.7"`))
	if err := os.WriteFile(filepath.Join(fixtureDir, "terraform.tfstate"), state, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkSchemaVersions makes sure the fixture really is from the given version
// and, by the attributes it lacks, from the build its main.tf names.
func checkSchemaVersions(t *testing.T, state []byte, want int, absent []string) {
	t.Helper()
	var s struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				SchemaVersion int                        `json:"schema_version"`
				Attributes    map[string]json.RawMessage `json:"attributes"`
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
			for _, a := range absent {
				if _, ok := inst.Attributes[a]; ok && r.Mode == "managed" {
					t.Errorf("%s instance holds %s: not state of the build the fixture names", r.Type, a)
				}
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

// mapHas reports whether a JSON object has every key.
func mapHas(v json.RawMessage, keys ...string) bool {
	var m map[string]string
	if json.Unmarshal(v, &m) != nil {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
