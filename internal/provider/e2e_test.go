package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndToEndForEach applies examples/quickstart with the built provider binary
// through dev_overrides, as a user would: for_each over external_plugins, then a
// second plan that must be empty. ECDSA keeps it fast.
func TestEndToEndForEach(t *testing.T) {
	t.Parallel()
	files := map[string][]byte{}
	for _, name := range []string{"main.tf", "config.yaml"} {
		data, err := os.ReadFile(filepath.Join("../../examples/quickstart", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	w := newCLIWorkspace(t, files)
	w.mustRun("apply", "-auto-approve", "-input=false", "-var", "key_algorithm=ECDSA")
	if out, err := w.run("plan", "-detailed-exitcode", "-input=false", "-var", "key_algorithm=ECDSA"); err != nil {
		t.Fatalf("second plan is not empty: %v\n%s", err, out)
	}
	out := w.mustRun("output", "-json", "server_env")
	var env map[string]map[string]string
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &env); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// The MCP plugin starts an HTTP server; the gRPC one gets the gRPC server's variables.
	if len(env) != 2 || env["DenyListPlugin"]["PLUGINS_SERVER_PORT"] != "3000" || env["DenyListPlugin"]["PLUGINS_TRANSPORT"] != "http" ||
		env["OPAPluginFilter"]["PLUGINS_GRPC_SERVER_SSL_CERTFILE"] != "certs/mcp/plugins/OPAPluginFilter/server.crt" || env["OPAPluginFilter"]["PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH"] != "require" {
		t.Errorf("server_env = %v", env)
	}
}
