package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndToEndForEach applies examples/quickstart with the built provider binary
// through dev_overrides, as a user would: for_each over external_plugins, then a
// second plan that must be empty. ECDSA keeps it fast.
func TestEndToEndForEach(t *testing.T) {
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("set TF_ACC and TF_ACC_TERRAFORM_PATH (make test does)")
	}
	t.Parallel()
	bin, work := t.TempDir(), t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-mcptls"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, name := range []string{"main.tf", "config.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples/quickstart", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rc := filepath.Join(work, ".terraformrc")
	if err := os.WriteFile(rc, []byte(`provider_installation {
  dev_overrides { "mcptls/mcptls" = "`+bin+`" }
  direct {}
}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(tf, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "TF_ACC=", "CHECKPOINT_DISABLE=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("apply", "-auto-approve", "-input=false", "-var", "key_algorithm=ECDSA"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if out, err := run("plan", "-detailed-exitcode", "-input=false", "-var", "key_algorithm=ECDSA"); err != nil {
		t.Fatalf("second plan is not empty: %v\n%s", err, out)
	}
	out, err := run("output", "-json", "server_env")
	if err != nil {
		t.Fatalf("output: %v\n%s", err, out)
	}
	var env map[string]map[string]string
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &env); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(env) != 2 || env["DenyListPlugin"]["PLUGINS_SERVER_PORT"] != "3000" || env["OPAPluginFilter"]["PLUGINS_SERVER_SSL_CERTFILE"] != "certs/mcp/plugins/OPAPluginFilter/server.crt" {
		t.Errorf("server_env = %v", env)
	}
}
