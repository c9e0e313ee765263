package provider

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEndToEndQuickstart applies examples/quickstart as a user does (the
// module, for_each over the TLS plugins, hashicorp/local writing the tree)
// through dev_overrides: the second plan is empty, the state holds the keys
// main.tf says, the files have the Makefile's modes, the gateway completes a
// Python ssl handshake with a plugin from them, and a plugin removed from
// config.yaml loses its files with no sensitivity flip-flop in the plan.
func TestEndToEndQuickstart(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{}).withLocalProvider()
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/quickstart", "examples/quickstart")
	qs := filepath.Join(w.dir, "examples", "quickstart")
	run := func(args ...string) string { return w.mustRun(append([]string{"-chdir=" + qs}, args...)...) }
	run("get")
	r := &recipe{t: t, w: w, dir: qs}
	r.apply("-var", "key_algorithm=ECDSA")
	r.stateKeys()
	out := run("output", "-json", "server_env")
	var env map[string]map[string]string
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &env); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// The MCP plugin starts an HTTP server; the gRPC one gets the gRPC server's variables.
	if len(env) != 2 || env["DenyListPlugin"]["PLUGINS_SERVER_PORT"] != "3000" || env["DenyListPlugin"]["PLUGINS_TRANSPORT"] != "http" ||
		env["OPAPluginFilter"]["PLUGINS_GRPC_SERVER_SSL_CERTFILE"] != "certs/mcp/plugins/OPAPluginFilter/server.crt" || env["OPAPluginFilter"]["PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH"] != "require" {
		t.Errorf("server_env = %v", env)
	}
	certs := filepath.Join(qs, "certs", "mcp")
	for rel, mode := range map[string]os.FileMode{
		"ca/ca.crt": 0o644, "ca/ca.key": 0o600, "gateway/client.crt": 0o644, "gateway/client.key": 0o600, "gateway/client.pem": 0o600, "gateway/ca.crt": 0o644,
		"plugins/DenyListPlugin/server.crt": 0o644, "plugins/DenyListPlugin/server.key": 0o600, "plugins/DenyListPlugin/ca.crt": 0o644,
		"plugins/OPAPluginFilter/server.key": 0o600,
	} {
		info, err := os.Stat(filepath.Join(certs, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if info.Mode().Perm() != mode {
			t.Errorf("%s has mode %o, want %o", rel, info.Mode().Perm(), mode)
		}
	}
	// The gateway connects to the MCP plugin by the URL's host (localhost)
	// with the files and variables the quickstart gave, paths relative to it.
	var client map[string]string
	decode(t, run("output", "-json", "client_env"), &client)
	in := func(rel string) string { return filepath.Join(qs, rel) }
	deny := env["DenyListPlugin"]
	results := pythonHandshakes(t, []pyPeer{{Name: "gateway -> DenyListPlugin",
		ServerCert: in(deny["PLUGINS_SERVER_SSL_CERTFILE"]), ServerKey: in(deny["PLUGINS_SERVER_SSL_KEYFILE"]), ServerCA: in(deny["PLUGINS_SERVER_SSL_CA_CERTS"]),
		ClientCert: in(client["PLUGINS_CLIENT_MTLS_CERTFILE"]), ClientKey: in(client["PLUGINS_CLIENT_MTLS_KEYFILE"]), ClientCA: in(client["PLUGINS_CLIENT_MTLS_CA_BUNDLE"]),
		ServerHostname: "localhost", CheckHostname: client["PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME"] == "true"}})
	if r := results["gateway -> DenyListPlugin"]; !r.OK {
		t.Errorf("handshake: %s %s", r.Error, r.ServerError)
	}
	if deny["PLUGINS_SERVER_HOST"] != "127.0.0.1" {
		t.Errorf("the quickstart's plugins listen on %s, want 127.0.0.1 (next to the gateway)", deny["PLUGINS_SERVER_HOST"])
	}
	// Remove the gRPC plugin from the gateway's config: its files go.
	config, err := os.ReadFile(filepath.Join(qs, "config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(config), `  - name: "OPAPluginFilter"`)
	end := strings.Index(string(config), `  - name: "LLMGuardPlugin"`)
	if err := os.WriteFile(filepath.Join(qs, "config.yaml"), []byte(string(config[:start])+string(config[end:])), 0o600); err != nil {
		t.Fatal(err)
	}
	r.planChecked("-var", "key_algorithm=ECDSA")
	r.applyPlanned("-var", "key_algorithm=ECDSA")
	if _, err := os.Stat(filepath.Join(certs, "plugins", "OPAPluginFilter", "server.key")); !os.IsNotExist(err) {
		t.Errorf("a removed plugin's key is still on disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(certs, "plugins", "DenyListPlugin", "server.key")); err != nil {
		t.Errorf("a remaining plugin's key is gone: %v", err)
	}
}

// TestEnvironmentsExample applies examples/environments: the module twice,
// with two CAs. Each environment's env maps point at its own directory, its
// certificates verify against its own CA and not against the other's, the
// state holds the keys main.tf says, and the second plan is empty.
func TestEnvironmentsExample(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{})
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/environments", "examples/environments")
	env := filepath.Join(w.dir, "examples", "environments")
	run := func(args ...string) string { return w.mustRun(append([]string{"-chdir=" + env}, args...)...) }
	run("get")
	r := &recipe{t: t, w: w, dir: env}
	r.apply()
	r.stateKeys()
	var clientEnv map[string]map[string]string
	decode(t, run("output", "-json", "client_env"), &clientEnv)
	for name, dir := range map[string]string{"staging": "/etc/mcp/staging", "production": "/etc/mcp/production"} {
		if got := clientEnv[name]["PLUGINS_CLIENT_MTLS_CERTFILE"]; got != dir+"/gateway/client.crt" {
			t.Errorf("%s client_env points at %s", name, got)
		}
	}
	var serverEnv map[string]map[string]map[string]string
	decode(t, run("output", "-json", "server_env"), &serverEnv)
	if serverEnv["production"]["OPAPluginFilter"]["PLUGINS_GRPC_SERVER_SSL_CA_CERTS"] != "/etc/mcp/production/plugins/OPAPluginFilter/ca.crt" {
		t.Errorf("production server_env %v", serverEnv["production"])
	}
	var files map[string]map[string]struct{ Content string }
	decode(t, run("output", "-json", "files"), &files)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: the cross-environment check needs it")
	}
	for _, env := range []string{"staging", "production"} {
		for _, ca := range []string{"staging", "production"} {
			caFile := write(ca+"-ca.crt", files[ca]["ca/ca.crt"].Content)
			for _, leaf := range []string{"gateway/client.crt", "plugins/DenyListPlugin/server.crt", "plugins/OPAPluginFilter/server.crt"} {
				leafFile := write(env+"-"+strings.ReplaceAll(leaf, "/", "-"), files[env][leaf].Content)
				out, err := exec.Command(openssl, "verify", "-CAfile", caFile, leafFile).CombinedOutput()
				if ok := err == nil; ok != (env == ca) {
					t.Errorf("%s's %s against the %s CA: verified=%v\n%s", env, leaf, ca, ok, out)
				}
			}
		}
	}
}

func decode(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}

// TestTerraformCloudExample: the Terraform Cloud example (a cloud block,
// nothing written to disk) is valid with the built provider. It cannot reach
// Terraform Cloud here, so it is then applied on local state without its
// cloud block: the workspace's state would hold the keys this one holds, as
// many as the example says, and the second plan is empty.
func TestTerraformCloudExample(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{})
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/terraform-cloud", "examples/terraform-cloud")
	dir := filepath.Join(w.dir, "examples", "terraform-cloud")
	w.mustRun("-chdir="+dir, "get")
	if out := w.mustRun("-chdir="+dir, "validate", "-no-color"); !strings.Contains(out, "The configuration is valid") {
		t.Errorf("validate: %s", out)
	}
	main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	local := cloudBlock.ReplaceAll(main, []byte("\n"))
	if bytes.Equal(local, main) {
		t.Fatal("main.tf has no cloud block to take out")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), local, 0o600); err != nil {
		t.Fatal(err)
	}
	r := &recipe{t: t, w: w, dir: dir}
	r.apply()
	r.stateKeys()
}

var cloudBlock = regexp.MustCompile(`(?s)\n  cloud \{.*?\n  \}\n`)
