package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// recipe is one deploy recipe of examples/ applied as a user applies it: the
// module and the example copied into a clean directory, `terraform get`, then
// apply, with the built mcptls and hashicorp/local through dev_overrides.
type recipe struct {
	t   *testing.T
	w   *cliWorkspace
	dir string
}

func applyRecipe(t *testing.T, example string, args ...string) *recipe {
	t.Helper()
	w := newCLIWorkspace(t, map[string][]byte{}).withLocalProvider()
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/"+example, "examples/"+example)
	r := &recipe{t: t, w: w, dir: filepath.Join(w.dir, "examples", example)}
	r.run("get")
	r.apply(args...)
	return r
}

func (r *recipe) run(args ...string) string {
	r.t.Helper()
	return r.w.mustRun(append([]string{"-chdir=" + r.dir}, args...)...)
}

// apply applies and then wants an empty plan.
func (r *recipe) apply(args ...string) {
	r.t.Helper()
	r.run(append([]string{"apply", "-auto-approve", "-input=false"}, args...)...)
	r.planIsEmpty(args...)
}

// applyPlanned applies the plan planChecked saved, then wants an empty plan.
func (r *recipe) applyPlanned(args ...string) {
	r.t.Helper()
	r.run("apply", "-input=false", "tfplan")
	r.planIsEmpty(args...)
}

func (r *recipe) planIsEmpty(args ...string) {
	r.t.Helper()
	if out, err := r.w.run(append([]string{"-chdir=" + r.dir, "plan", "-detailed-exitcode", "-input=false"}, args...)...); err != nil {
		r.t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}
}

// planChecked plans into a file and fails on a sensitivity flip-flop: an
// attribute that was sensitive and no longer is, or the reverse, in the plan
// JSON (Terraform prints "this attribute value will no longer be marked as
// sensitive" for each) or in the plan's text.
func (r *recipe) planChecked(args ...string) {
	r.t.Helper()
	text := r.run(append([]string{"plan", "-input=false", "-no-color", "-out=tfplan"}, args...)...)
	if strings.Contains(text, "marked as sensitive") {
		r.t.Errorf("the plan flips sensitivity:\n%s", text)
	}
	for _, flip := range sensitivityFlips(r.t, r.run("show", "-json", "tfplan")) {
		r.t.Errorf("sensitivity flips in the plan: %s", flip)
	}
}

// sensitivityFlips lists, for each planned update or replacement, the
// top-level attributes whose sensitivity differs before and after.
func sensitivityFlips(t *testing.T, planJSON string) []string {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions         []string        `json:"actions"`
				BeforeSensitive json.RawMessage `json:"before_sensitive"`
				AfterSensitive  json.RawMessage `json:"after_sensitive"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON[strings.Index(planJSON, "{"):]), &plan); err != nil {
		t.Fatal(err)
	}
	var flips []string
	for _, rc := range plan.ResourceChanges {
		if len(rc.Change.Actions) == 1 && (rc.Change.Actions[0] == "create" || rc.Change.Actions[0] == "delete" || rc.Change.Actions[0] == "no-op") {
			continue
		}
		// An unknown value is left out of "after" but not of after_sensitive:
		// compare every attribute either side marks.
		before, after := sensitiveTopLevel(rc.Change.BeforeSensitive), sensitiveTopLevel(rc.Change.AfterSensitive)
		for attr := range before {
			if before[attr] != after[attr] {
				flips = append(flips, rc.Address+"."+attr)
			}
		}
		for attr := range after {
			if _, seen := before[attr]; !seen && after[attr] {
				flips = append(flips, rc.Address+"."+attr)
			}
		}
	}
	return flips
}

// sensitiveTopLevel reads before_sensitive/after_sensitive: false, or an
// object whose values are true or nested objects marking parts.
func sensitiveTopLevel(raw json.RawMessage) map[string]bool {
	var m map[string]json.RawMessage
	out := map[string]bool{}
	if json.Unmarshal(raw, &m) != nil {
		return out
	}
	for k, v := range m {
		if string(v) == "true" {
			out[k] = true
		}
	}
	return out
}

// keyCountLine is the line each recipe states its private keys in state with:
// "Private keys in state: 3N + 5 (11 with the 2 plugins here)".
var keyCountLine = regexp.MustCompile(`Private keys in state: [^(]*\((\d+) with the (\d+) plugins here\)`)

// stateKeys wants as many private keys in the state (file and show -json) as
// the recipe's main.tf says. Only resources of the given types count: a
// stand-in for a write-only sink the recipe writes keys to does not.
func (r *recipe) stateKeys(types ...string) {
	r.t.Helper()
	main, err := os.ReadFile(filepath.Join(r.dir, "main.tf"))
	if err != nil {
		r.t.Fatal(err)
	}
	m := keyCountLine.FindSubmatch(main)
	if m == nil {
		r.t.Fatalf("main.tf has no line %q", keyCountLine)
	}
	want, _ := strconv.Atoi(string(m[1]))
	got := countStateKeys(r.t, r.run("show", "-json"), types...)
	if got != want {
		r.t.Errorf("state holds %d private keys; main.tf says %d", got, want)
	}
	if len(types) == 0 {
		state, err := os.ReadFile(filepath.Join(r.dir, "terraform.tfstate"))
		if err != nil {
			r.t.Fatal(err)
		}
		if got := len(privateKeyPEM.FindAll(state, -1)); got != want {
			r.t.Errorf("terraform.tfstate holds %d private keys; main.tf says %d", got, want)
		}
	}
}

// countStateKeys counts private keys in `show -json`, in the resources of the
// given types (all when none is given) and in root outputs.
func countStateKeys(t *testing.T, showJSON string, types ...string) int {
	t.Helper()
	var state struct {
		Values struct {
			Outputs    json.RawMessage `json:"outputs"`
			RootModule stateModule     `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(showJSON[strings.Index(showJSON, "{"):]), &state); err != nil {
		t.Fatal(err)
	}
	n := len(privateKeyPEM.FindAll(state.Values.Outputs, -1))
	var walk func(m stateModule)
	walk = func(m stateModule) {
		for _, res := range m.Resources {
			counted := len(types) == 0
			for _, typ := range types {
				counted = counted || res.Type == typ
			}
			if counted {
				n += len(privateKeyPEM.FindAll(res.Values, -1))
			}
		}
		for _, child := range m.ChildModules {
			walk(child)
		}
	}
	walk(state.Values.RootModule)
	return n
}

type stateModule struct {
	Resources []struct {
		Type   string          `json:"type"`
		Values json.RawMessage `json:"values"`
	} `json:"resources"`
	ChildModules []stateModule `json:"child_modules"`
}

// composeService is a service of compose.yaml as docker compose resolves it:
// its environment from env_file, and its bind mounts.
type composeService struct {
	name string
	env  map[string]string
	svc  types.ServiceConfig
}

// loadCompose loads compose.yaml with docker compose's own loader
// (compose-go, what `docker compose config` runs): the file must be valid,
// every env_file must parse with its dotenv reader and be interpolated.
func loadCompose(t *testing.T, dir string) map[string]composeService {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(dir, "compose.yaml")}, cli.WithWorkingDirectory(dir), cli.WithName("recipe"))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker compose config: %v", err)
	}
	out := map[string]composeService{}
	for name, svc := range project.Services {
		env := map[string]string{}
		for k, v := range svc.Environment {
			if v == nil {
				t.Errorf("service %s: %s has no value", name, k)
				continue
			}
			env[k] = *v
		}
		out[name] = composeService{name: name, env: env, svc: svc}
	}
	return out
}

// hostPath maps a path inside the service's container to the host file a
// bind mount puts there; "" when no mount of the service covers it.
func (s composeService) hostPath(inContainer string) string {
	for _, v := range s.svc.Volumes {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		if rel, err := filepath.Rel(v.Target, inContainer); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.Join(v.Source, rel)
		}
	}
	return ""
}

// fileVariable tells the env variables that name a file, and whether it is a key.
func fileVariable(name string) (isFile, isKey bool) {
	switch {
	case strings.HasSuffix(name, "_KEYFILE"):
		return true, true
	case strings.HasSuffix(name, "_CERTFILE"), strings.HasSuffix(name, "_CA_BUNDLE"), strings.HasSuffix(name, "_CA_CERTS"):
		return true, false
	}
	return false, false
}

// checkMountedFiles: every file an env map names exists where the service
// mounts it, read-only, with mode 0600 for a key and 0644 for a certificate;
// it returns the env with host paths in place of the container's.
func checkMountedFiles(t *testing.T, s composeService) map[string]string {
	t.Helper()
	for _, v := range s.svc.Volumes {
		if v.Type == types.VolumeTypeBind && !v.ReadOnly {
			t.Errorf("service %s mounts %s read-write", s.name, v.Source)
		}
	}
	host := map[string]string{}
	for k, v := range s.env {
		host[k] = v
		isFile, isKey := fileVariable(k)
		if !isFile {
			continue
		}
		p := s.hostPath(v)
		if p == "" {
			t.Errorf("service %s: %s=%s is in none of its mounts", s.name, k, v)
			continue
		}
		host[k] = p
		info, err := os.Stat(p)
		if err != nil {
			t.Errorf("service %s: %s=%s: %v", s.name, k, v, err)
			continue
		}
		want := os.FileMode(0o644)
		if isKey {
			want = 0o600
		}
		if info.Mode().Perm() != want {
			t.Errorf("service %s: %s has mode %o, want %o", s.name, p, info.Mode().Perm(), want)
		}
	}
	return host
}

// checkComposeRecipe checks an applied examples/compose: compose.yaml loads
// with docker compose's loader, each service's env file parses (mode 600),
// every file it names exists in what that service mounts (read-only, keys
// 0600, certificates 0644), and the gateway completes a Python ssl handshake
// with each plugin from those files and variables alone (key passwords
// included), by the plugin's service name; a client without a certificate is
// refused. passphrase is the key passphrase the env files must carry, or "".
func checkComposeRecipe(t *testing.T, dir, passphrase string) {
	t.Helper()
	services := loadCompose(t, dir)
	if len(services) != 3 {
		t.Fatalf("compose.yaml has services %v", services)
	}
	for _, name := range []string{"env/gateway.env", "env/plugins/DenyListPlugin.env", "env/plugins/OPAPluginFilter.env"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 600", name, err)
		}
	}
	gw := checkMountedFiles(t, services["gateway"])
	deny, opa := checkMountedFiles(t, services["deny-list"]), checkMountedFiles(t, services["opa-filter"])
	for k, want := range map[string]string{"PLUGINS_TRANSPORT": "http", "PLUGINS_SERVER_HOST": "0.0.0.0", "PLUGINS_SERVER_PORT": "8000", "PLUGINS_SERVER_SSL_CERT_REQS": "2"} {
		if deny[k] != want {
			t.Errorf("deny-list: %s=%q, want %q", k, deny[k], want)
		}
	}
	if opa["PLUGINS_GRPC_SERVER_HOST"] != "0.0.0.0" || opa["PLUGINS_GRPC_SERVER_PORT"] != "50051" || opa["PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH"] != "require" {
		t.Errorf("opa-filter env %v", opa)
	}
	for _, v := range []struct {
		env  map[string]string
		name string
	}{{deny, "PLUGINS_SERVER_SSL_KEYFILE_PASSWORD"}, {gw, "PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD"}} {
		if got, ok := v.env[v.name]; got != passphrase || ok != (passphrase != "") {
			t.Errorf("%s = %q (set: %v) after docker compose's env_file parsing, want %q", v.name, got, ok, passphrase)
		}
	}
	// cpex 0.1.3's gRPC code reads no password: none is written for it, and
	// the module keeps gRPC plugins' keys plain.
	for _, v := range []struct {
		env  map[string]string
		name string
	}{{opa, "PLUGINS_GRPC_SERVER_SSL_KEYFILE_PASSWORD"}, {gw, "PLUGINS_GRPC_CLIENT_MTLS_KEYFILE_PASSWORD"}} {
		if got, ok := v.env[v.name]; ok {
			t.Errorf("%s = %q: nothing reads it", v.name, got)
		}
	}
	results := pythonHandshakes(t, []pyPeer{
		{Name: "gateway -> deny-list (MCP)", ServerCert: deny["PLUGINS_SERVER_SSL_CERTFILE"], ServerKey: deny["PLUGINS_SERVER_SSL_KEYFILE"], ServerCA: deny["PLUGINS_SERVER_SSL_CA_CERTS"],
			ServerKeyPass: deny["PLUGINS_SERVER_SSL_KEYFILE_PASSWORD"],
			ClientCert:    gw["PLUGINS_CLIENT_MTLS_CERTFILE"], ClientKey: gw["PLUGINS_CLIENT_MTLS_KEYFILE"], ClientCA: gw["PLUGINS_CLIENT_MTLS_CA_BUNDLE"],
			ClientKeyPass:  gw["PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD"],
			ServerHostname: "deny-list", CheckHostname: gw["PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME"] == "true"},
		{Name: "gateway -> opa-filter (gRPC)", ServerCert: opa["PLUGINS_GRPC_SERVER_SSL_CERTFILE"], ServerKey: opa["PLUGINS_GRPC_SERVER_SSL_KEYFILE"], ServerCA: opa["PLUGINS_GRPC_SERVER_SSL_CA_CERTS"],
			ServerKeyPass: opa["PLUGINS_GRPC_SERVER_SSL_KEYFILE_PASSWORD"],
			ClientCert:    gw["PLUGINS_GRPC_CLIENT_MTLS_CERTFILE"], ClientKey: gw["PLUGINS_GRPC_CLIENT_MTLS_KEYFILE"], ClientCA: gw["PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE"],
			ClientKeyPass:  gw["PLUGINS_GRPC_CLIENT_MTLS_KEYFILE_PASSWORD"],
			ServerHostname: "opa-filter", CheckHostname: true},
		{Name: "no client certificate", ServerCert: deny["PLUGINS_SERVER_SSL_CERTFILE"], ServerKey: deny["PLUGINS_SERVER_SSL_KEYFILE"], ServerCA: deny["PLUGINS_SERVER_SSL_CA_CERTS"],
			ServerKeyPass: deny["PLUGINS_SERVER_SSL_KEYFILE_PASSWORD"],
			ClientCA:      gw["PLUGINS_CLIENT_MTLS_CA_BUNDLE"], ServerHostname: "deny-list", CheckHostname: true},
	})
	// An encrypted gateway key serves MCP plugins only (the provider warns):
	// the gateway's gRPC client cannot load it.
	grpcOK := passphrase == ""
	for name, wantOK := range map[string]bool{"gateway -> deny-list (MCP)": true, "gateway -> opa-filter (gRPC)": grpcOK, "no client certificate": false} {
		if got := results[name]; got.OK != wantOK {
			t.Errorf("%s: ok=%v, want %v (%s %s)", name, got.OK, wantOK, got.Error, got.ServerError)
		}
	}
}

// TestComposeRecipe applies examples/compose from a clean directory and
// checks what a user would before `docker compose up` (checkComposeRecipe),
// that the state holds the keys the recipe says, that neither the CA key
// nor client.pem is written, and that the second plan is empty. Then a plugin
// is added, a plugin, the gateway and the CA are reissued, and the plugin is
// removed, without a sensitivity flip-flop in any plan (a new CA made every
// file's permission flip with the module's sensitive files output).
func TestComposeRecipe(t *testing.T) {
	t.Parallel()
	r := applyRecipe(t, "compose")
	r.stateKeys()
	checkComposeRecipe(t, r.dir, "")
	for _, p := range []string{"certs/mcp/ca/ca.key", "certs/mcp/gateway/client.pem"} {
		if _, err := os.Stat(filepath.Join(r.dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s is written: nothing in a container reads it", p)
		}
	}

	// A plugin added, one reissued, one removed: no plan flips sensitivity.
	config := filepath.Join(r.dir, "config.yaml")
	original, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	added := string(original) + "\n  - name: \"RateLimiter\"\n    kind: \"external\"\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://rate-limiter:8000/mcp\n"
	if err := os.WriteFile(config, []byte(added), 0o600); err != nil {
		t.Fatal(err)
	}
	r.planChecked()
	r.applyPlanned()
	r.planChecked(`-replace=module.mtls.mcptls_plugin_cert.this["DenyListPlugin"]`)
	r.applyPlanned()
	r.planChecked(`-replace=module.mtls.mcptls_gateway_cert.this`)
	r.applyPlanned()
	// A new CA reissues everything: every file's content is unknown in the plan.
	r.planChecked(`-replace=module.mtls.mcptls_ca.this`)
	r.applyPlanned()
	if err := os.WriteFile(config, original, 0o600); err != nil {
		t.Fatal(err)
	}
	r.planChecked()
	r.applyPlanned()
	// hashicorp/local removes the files it wrote, not the directory it made:
	// the recipe says so; nothing mounts it once the service is gone.
	gone := filepath.Join(r.dir, "certs", "mcp", "plugins", "RateLimiter")
	if entries, err := os.ReadDir(gone); err != nil || len(entries) != 0 {
		t.Errorf("a removed plugin's directory: %v, %v (the recipe says it stays, empty)", entries, err)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "env", "plugins", "RateLimiter.env")); !os.IsNotExist(err) {
		t.Errorf("a removed plugin's env file is still there: %v", err)
	}
}

// kubeletStandIn replaces examples/kubernetes/kubernetes.tf in the test: the
// kubernetes provider cannot run here, so it writes what a pod would see
// instead of the secrets and config maps, from the same module outputs: the
// TLS secret's files where the pod mounts them, and the env map.
const kubeletStandIn = `
resource "local_sensitive_file" "secret" {
  for_each = { for pair in setproduct(keys(module.mtls.revisions), ["tls.crt", "tls.key", "ca.crt"]) : "${pair[0]}/${pair[1]}" => pair }
  filename        = "${path.module}/pods/${each.value[0]}/etc/mcp/tls/${each.value[1]}"
  content         = module.mtls.kubernetes_secret_data[each.value[0]][each.value[1]]
  file_permission = "0440"
}

resource "local_file" "env" {
  for_each = module.mtls.kubernetes_env
  filename = "${path.module}/pods/${each.key}/env.json"
  content  = jsonencode(each.value)
}
`

// TestKubernetesRecipe applies examples/kubernetes with the kubelet stand-in:
// the module's server_host is 0.0.0.0, every env map points into the mounted
// secret, the gateway completes a Python ssl handshake with each plugin from
// the secret's files by the plugin's Service name, the mcptls state holds the
// keys the recipe says (data_wo keeps none in the kubernetes provider's), and
// the second plan is empty; then the same with a CA key of your own (N + 2).
func TestKubernetesRecipe(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name     string
		override string
		wantKeys int // -1: as main.tf says
	}{
		{name: "as written", wantKeys: -1},
		// N + 2: the CA's own key, and the leaves sign write-only.
		{name: "a CA key of your own", override: "module \"mtls\" {\n  ca_private_key_pem_wo     = file(\"${path.module}/ca.key\")\n  ca_private_key_wo_version = 1\n}\n", wantKeys: 2 + 2},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			kubernetesRecipe(t, mode.override, mode.wantKeys)
		})
	}
}

func kubernetesRecipe(t *testing.T, override string, wantKeys int) {
	t.Helper()
	w := newCLIWorkspace(t, map[string][]byte{}).withLocalProvider()
	if v := w.cliVersion(); v.LessThan(v1_11) {
		t.Skipf("%s %s: the recipe needs write-only arguments (1.11 and later)", w.tf, v)
	}
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/kubernetes", "examples/kubernetes")
	dir := filepath.Join(w.dir, "examples", "kubernetes")
	main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const kubernetesLine = `kubernetes = { source = "hashicorp/kubernetes", version = ">= 2.37" }`
	if !bytes.Contains(main, []byte(kubernetesLine)) {
		t.Fatalf("main.tf no longer requires %s: update the stand-in", kubernetesLine)
	}
	main = bytes.Replace(main, []byte(kubernetesLine), []byte(`local      = { source = "hashicorp/local" }`), 1)
	kube, err := os.ReadFile(filepath.Join(dir, "kubernetes.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, uses := range []string{"data_wo          = module.mtls.kubernetes_secret_data[each.key]", "data_wo_revision = each.value", "for_each = module.mtls.revisions", "for_each = module.mtls.kubernetes_env"} {
		if !bytes.Contains(kube, []byte(uses)) {
			t.Errorf("kubernetes.tf no longer has %q: update the stand-in", uses)
		}
	}
	files := map[string][]byte{"main.tf": main, "kubernetes.tf": []byte(kubeletStandIn)}
	if override != "" {
		files["keys_override.tf"], files["ca.key"] = []byte(override), []byte(ecdsaKeyPEM(t))
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := &recipe{t: t, w: w, dir: dir}
	r.run("get")
	r.apply()
	if wantKeys < 0 {
		r.stateKeys("mcptls_ca", "mcptls_gateway_cert", "mcptls_plugin_cert")
	} else if got := countStateKeys(t, r.run("show", "-json"), "mcptls_ca", "mcptls_gateway_cert", "mcptls_plugin_cert"); got != wantKeys {
		t.Errorf("mcptls's state holds %d private keys, want %d", got, wantKeys)
	}

	// Each pod's env, with the mount directory mapped to where the stand-in wrote it.
	pod := func(party string) map[string]string {
		data, err := os.ReadFile(filepath.Join(dir, "pods", party, "env.json"))
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{}
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatal(err)
		}
		for k, v := range env {
			if isFile, _ := fileVariable(k); isFile {
				if !strings.HasPrefix(v, "/etc/mcp/tls/") {
					t.Errorf("%s: %s=%s is not in the mounted secret", party, k, v)
				}
				env[k] = filepath.Join(dir, "pods", party, v)
				if _, err := os.Stat(env[k]); err != nil {
					t.Errorf("%s: %s: %v", party, k, err)
				}
			}
		}
		return env
	}
	gw, deny, opa := pod("gateway"), pod("plugins/DenyListPlugin"), pod("plugins/OPAPluginFilter")
	if deny["PLUGINS_SERVER_HOST"] != "0.0.0.0" || deny["PLUGINS_TRANSPORT"] != "http" || opa["PLUGINS_GRPC_SERVER_HOST"] != "0.0.0.0" {
		t.Errorf("plugin env: %v %v", deny, opa)
	}
	results := pythonHandshakes(t, []pyPeer{
		{Name: "gateway -> deny-list (MCP)", ServerCert: deny["PLUGINS_SERVER_SSL_CERTFILE"], ServerKey: deny["PLUGINS_SERVER_SSL_KEYFILE"], ServerCA: deny["PLUGINS_SERVER_SSL_CA_CERTS"],
			ClientCert: gw["PLUGINS_CLIENT_MTLS_CERTFILE"], ClientKey: gw["PLUGINS_CLIENT_MTLS_KEYFILE"], ClientCA: gw["PLUGINS_CLIENT_MTLS_CA_BUNDLE"],
			ServerHostname: "deny-list", CheckHostname: gw["PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME"] == "true"},
		{Name: "gateway -> opa-filter (gRPC)", ServerCert: opa["PLUGINS_GRPC_SERVER_SSL_CERTFILE"], ServerKey: opa["PLUGINS_GRPC_SERVER_SSL_KEYFILE"], ServerCA: opa["PLUGINS_GRPC_SERVER_SSL_CA_CERTS"],
			ClientCert: gw["PLUGINS_GRPC_CLIENT_MTLS_CERTFILE"], ClientKey: gw["PLUGINS_GRPC_CLIENT_MTLS_KEYFILE"], ClientCA: gw["PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE"],
			ServerHostname: "opa-filter", CheckHostname: true},
	})
	for name, res := range results {
		if !res.OK {
			t.Errorf("%s: %s %s", name, res.Error, res.ServerError)
		}
	}
	if len(results) != 2 {
		t.Errorf("results: %v", results)
	}
}

// TestComposeRecipeKeyModes applies examples/compose in the keys guide's other
// modes, each with its count of private keys in state (hashicorp/local's key
// files included), and checks each as a user would: the CA key write-only on
// the leaves, a CA key of your own, and encrypted keys whose passphrase (with
// every character docker compose's env_file treats specially) reaches the
// services through the env files.
func TestComposeRecipeKeyModes(t *testing.T) {
	t.Parallel()
	const n = 2
	const passphrase = `p"a${X}ss\w'rd $HOME #x`
	for _, mode := range []struct {
		name       string
		vars       []string
		override   string
		wantKeys   int
		passphrase string
	}{
		{name: "write-only CA key on the leaves", vars: []string{"-var", "write_only_ca_key=true"}, wantKeys: 2*n + 4},
		{name: "a CA key of your own", vars: []string{"-var", "ca_key_file=ca.key"}, wantKeys: 2*n + 3},
		{name: "encrypted keys", override: `module "mtls" {
  private_key_passphrase_wo         = "p\"a$${X}ss\\w'rd $HOME #x"
  private_key_passphrase_wo_version = 1
}
`, wantKeys: 3*n + 5, passphrase: passphrase},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			w := newCLIWorkspace(t, map[string][]byte{}).withLocalProvider()
			if v := w.cliVersion(); v.LessThan(v1_11) {
				t.Skipf("%s %s has no write-only arguments (1.11 and later)", w.tf, v)
			}
			w.copyTree("../../examples/modules", "examples/modules")
			w.copyTree("../../examples/compose", "examples/compose")
			r := &recipe{t: t, w: w, dir: filepath.Join(w.dir, "examples", "compose")}
			extra := map[string]string{"ca.key": ecdsaKeyPEM(t)}
			if mode.override != "" {
				extra["keys_override.tf"] = mode.override
			}
			for name, text := range extra {
				if err := os.WriteFile(filepath.Join(r.dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			r.run("get")
			r.apply(mode.vars...)
			if got := countStateKeys(t, r.run("show", "-json")); got != mode.wantKeys {
				t.Errorf("state holds %d private keys, want %d", got, mode.wantKeys)
			}
			checkComposeRecipe(t, r.dir, mode.passphrase)
		})
	}
}
