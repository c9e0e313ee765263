package releasetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
)

// certAttributes are what must survive an upgrade unchanged: a new value would
// be a reissued certificate.
var certAttributes = []string{"cert_pem", "private_key_pem", "serial_number", "not_before", "not_after"}

// testUpgrade: a user of the earlier release applies its own quickstart; the
// next version is published; `init` keeps the locked version and
// `init -upgrade` takes the new one. The first plan stops at 0.2.0's stricter
// config check (the CHANGELOG's breaking change) and names the fix; with it,
// the plan keeps every certificate and updates in place what the new version
// computes (PLUGINS_TRANSPORT in server_env, the new attributes); apply; the
// next plan is empty.
func testUpgrade(t *testing.T, s *suite, e *engine, dir string) {
	reg := s.startRegistry(t, s.old.registryRelease(s.signer))
	copyExamples(t, s.old.src, dir, reg.Host)
	w := newWorkspace(t, e, filepath.Join(dir, "quickstart"), directInstall, s.cert.caFile)
	constraint := "~> " + strings.Join(strings.Split(s.old.version, ".")[:2], ".") // "~> 0.1": any 0.x from 0.1 on
	w.write("release_override.tf", requireProviders(map[string][2]string{"mcptls": {mcptlsAddr(reg.Host), constraint}}))
	vars := []string{"-input=false", "-var", "key_algorithm=ECDSA"}

	w.must("init", "-input=false")
	checkLocked(t, w.lockFile(), mcptlsAddr(reg.Host), s.old.version, constraint, s.wantHashes(t, s.old, s.host))
	w.must(append([]string{"apply", "-auto-approve"}, vars...)...)
	before := w.state()

	if err := reg.Publish(s.cur.registryRelease(s.signer)); err != nil {
		t.Fatal(err)
	}
	w.must("init", "-input=false")
	if got := w.lockFile()[mcptlsAddr(reg.Host)].Version; got != s.old.version {
		t.Errorf("init without -upgrade moved the lock file to %s; it must keep %s", got, s.old.version)
	}
	w.must("init", "-input=false", "-upgrade")
	checkLocked(t, w.lockFile(), mcptlsAddr(reg.Host), s.cur.version, constraint, s.wantHashes(t, s.cur, s.host))

	// 0.1.0's quickstart has a plugin at http://127.0.0.1:3000, which the
	// gateway refuses with SSRF protection on; 0.2.0 says so, with the fix.
	out, code := w.run(append([]string{"plan"}, vars...)...)
	if code == 0 || !says(out, "ssrf_protection") {
		t.Errorf("the first plan after the upgrade should stop at the loopback URL and name ssrf_protection (exit %d):\n%s", code, out)
	}
	main, err := os.ReadFile(w.path("main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const pathLine = `path = "${path.module}/config.yaml"`
	if !strings.Contains(string(main), pathLine) {
		t.Fatalf("0.1.0's quickstart has no %s", pathLine)
	}
	w.write("main.tf", strings.Replace(string(main), pathLine, pathLine+"\n  ssrf_protection = false", 1))

	w.must(append([]string{"plan", "-out=upgrade.tfplan"}, vars...)...)
	plan := w.plan("upgrade.tfplan")
	checkUpgradePlan(t, plan, before)

	w.must("apply", "-input=false", "upgrade.tfplan")
	if out, code := w.run(append([]string{"plan", "-detailed-exitcode"}, vars...)...); code != 0 {
		t.Errorf("the plan after the upgrade's apply is not empty (exit %d):\n%s", code, out)
	}
	after := w.state()
	for addr, b := range before {
		for _, k := range certAttributes {
			if a := after[addr]; a == nil || a[k] != b[k] {
				t.Errorf("%s.%s changed across the upgrade", addr, k)
			}
		}
	}
	checkOwed(t, "the state after the upgrade's apply", after)
}

// checkUpgradePlan: no resource created, destroyed or replaced; no certificate
// attribute changes; what 0.2.0 owes the state is in the plan as updates.
func checkUpgradePlan(t *testing.T, plan *tfjson.Plan, before map[string]map[string]any) {
	t.Helper()
	planned := map[string]map[string]any{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		a := rc.Change.Actions
		if !a.NoOp() && !a.Update() {
			t.Errorf("%s: %v; an upgrade must not create, destroy or replace anything", rc.Address, a)
		}
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		for _, k := range certAttributes {
			if unknown[k] == true || after[k] != before[rc.Address][k] {
				t.Errorf("%s: %s would change: the upgrade reissues it", rc.Address, k)
			}
		}
		planned[rc.Address] = after
	}
	checkOwed(t, "the plan after the upgrade", planned)
}

// checkOwed: the values 0.2.0 computes that 0.1.0 did not, present. An MCP
// plugin's server_env gains PLUGINS_TRANSPORT = "http" (without it the runtime
// runs stdio in a container), the gateway its gRPC env map, the CA its trust
// bundle and rotation phase, every leaf its trust bundle.
func checkOwed(t *testing.T, where string, resources map[string]map[string]any) {
	t.Helper()
	for addr, v := range resources {
		var owed []string
		switch {
		case strings.HasPrefix(addr, "mcptls_plugin_cert."):
			if env, _ := v["server_env"].(map[string]any); env["PLUGINS_TRANSPORT"] != "http" {
				owed = append(owed, `server_env["PLUGINS_TRANSPORT"] = "http"`)
			}
			owed = append(owed, missing(v, "trust_bundle_pem")...)
		case strings.HasPrefix(addr, "mcptls_gateway_cert."):
			owed = append(owed, missing(v, "grpc_client_env", "trust_bundle_pem")...)
		case strings.HasPrefix(addr, "mcptls_ca."):
			owed = append(owed, missing(v, "trust_bundle_pem", "rotation_phase")...)
		}
		if len(owed) > 0 {
			t.Errorf("%s: %s lacks what 0.2.0 owes it: %s", where, addr, strings.Join(owed, ", "))
		}
	}
}

func missing(v map[string]any, keys ...string) []string {
	var out []string
	for _, k := range keys {
		if v[k] == nil || v[k] == "" {
			out = append(out, k)
		}
	}
	return out
}

// state is `show -json`: each managed resource's values by address.
func (w *workspace) state() map[string]map[string]any {
	w.t.Helper()
	var st tfjson.State
	if err := json.Unmarshal(w.stdout("show", "-json"), &st); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]map[string]any{}
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			if r.Mode == tfjson.ManagedResourceMode {
				out[r.Address] = r.AttributeValues
			}
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	if st.Values != nil {
		walk(st.Values.RootModule)
	}
	return out
}

// plan is `show -json` of a saved plan.
func (w *workspace) plan(file string) *tfjson.Plan {
	w.t.Helper()
	var p tfjson.Plan
	if err := json.Unmarshal(w.stdout("show", "-json", file), &p); err != nil {
		w.t.Fatal(err)
	}
	return &p
}
