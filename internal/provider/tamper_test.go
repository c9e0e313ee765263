package provider

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tamperConfig is a CA, a gateway and a plugin, for the CLI through dev_overrides.
const tamperConfig = `
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
` + caConfig + `
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "p" {
  name               = "p"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
`

// editState rewrites terraform.tfstate: edit gets each resource's attributes by address.
func (w *cliWorkspace) editState(edit func(attrs map[string]map[string]any)) {
	w.t.Helper()
	file := filepath.Join(w.dir, "terraform.tfstate")
	data, err := os.ReadFile(file)
	if err != nil {
		w.t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(data, &state); err != nil {
		w.t.Fatal(err)
	}
	attrs := map[string]map[string]any{}
	for _, r := range as[[]any](w.t, state["resources"]) {
		res := as[map[string]any](w.t, r)
		inst := as[map[string]any](w.t, as[[]any](w.t, res["instances"])[0])
		attrs[as[string](w.t, res["type"])+"."+as[string](w.t, res["name"])] = as[map[string]any](w.t, inst["attributes"])
	}
	edit(attrs)
	if data, err = json.MarshalIndent(state, "", "  "); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// runCode runs the CLI and returns its output and exit code.
func (w *cliWorkspace) runCode(args ...string) (string, int) {
	w.t.Helper()
	out, err := w.run(args...)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out, 0
	case errors.As(err, &exit):
		return out, exit.ExitCode()
	}
	w.t.Fatalf("%v: %v", args, err)
	return "", -1
}

// expectOutput fails unless every pattern (words, wrapped anywhere) is in out, in order.
func expectOutput(t *testing.T, out string, texts ...string) {
	t.Helper()
	pattern := `(?s)`
	for _, text := range texts {
		pattern += words(text) + `.*`
	}
	if !regexp.MustCompile(pattern).MatchString(out) {
		t.Errorf("output lacks %q:\n%s", texts, out)
	}
}

// TestTamperedState drives Read and ModifyPlan through the CLI: a leaf whose
// state was tampered with is reissued with a warning; a tampered CA stops the
// plan with the way out, which is then taken.
func TestTamperedState(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(tamperConfig)})
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var caCert, gwKey string
	w.editState(func(attrs map[string]map[string]any) {
		caCert = as[string](t, attrs["mcptls_ca.ca"]["cert_pem"])
		gwKey = as[string](t, attrs["mcptls_gateway_cert.gw"]["private_key_pem"])
		attrs["mcptls_plugin_cert.p"]["cert_pem"] = caCert
		attrs["mcptls_gateway_cert.gw"]["private_key_pem"] = "garbage"
	})

	plan := w.planJSON()
	if plan.code != 2 {
		t.Fatalf("plan of tampered leaves: exit %d, want 2 (changes)\n%s", plan.code, plan.out)
	}
	for addr, reason := range map[string]string{
		"mcptls_gateway_cert.gw": "Stored private_key_pem: the private key does not parse: no PEM block found",
		"mcptls_plugin_cert.p":   `Stored cert_pem: the certificate "CN=ContextForge-CA,OU=Plugins,O=ContextForge" is a CA certificate, not a server certificate`,
	} {
		if plan.actions[addr] != "replace" {
			t.Errorf("%s: planned %q, want replace", addr, plan.actions[addr])
		}
		for _, summary := range []string{"Stored certificate will be reissued", "Reissuing the stored certificate"} {
			if d := plan.diagnostic(addr, summary); d == nil || !strings.HasPrefix(d.Detail, reason) {
				t.Errorf("%s: no warning %q with the reason %q: %+v", addr, summary, reason, d)
			}
		}
	}
	if plan.actions["mcptls_ca.ca"] != "" {
		t.Errorf("the CA is planned for %s", plan.actions["mcptls_ca.ca"])
	}

	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if out, code := w.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("plan after the reissue: exit %d, want 0\n%s", code, out)
	}

	// A CA whose key is another's: refresh stops with the way out.
	w.editState(func(attrs map[string]map[string]any) {
		attrs["mcptls_ca.ca"]["private_key_pem"] = gwKey
	})
	out, code := w.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color")
	if code != 1 {
		t.Fatalf("plan of a tampered CA: exit %d, want 1 (error)\n%s", code, out)
	}
	expectOutput(t, out, "Error: Stored CA is damaged", "with mcptls_ca.ca",
		"Stored private_key_pem: the private key is not the certificate's",
		"terraform apply -refresh=false -replace=ADDRESS", "mcptls_ca")
	out = w.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false", "-replace=mcptls_ca.ca")
	expectOutput(t, out, "Apply complete! Resources: 3 added, 0 changed, 3 destroyed.")
	if out, code := w.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("plan after replacing the CA: exit %d, want 0\n%s", code, out)
	}
}

// cliPlan is what `terraform plan -json -detailed-exitcode` reported.
type cliPlan struct {
	out         string
	code        int
	actions     map[string]string // resource address to planned action
	diagnostics []cliDiagnostic
}

type cliDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// planJSON runs a plan with machine-readable output: the human one merges
// warnings that share a summary.
func (w *cliWorkspace) planJSON(args ...string) cliPlan {
	w.t.Helper()
	out, code := w.runCode(append([]string{"plan", "-json", "-detailed-exitcode", "-input=false"}, args...)...)
	plan := cliPlan{out: out, code: code, actions: map[string]string{}}
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string        `json:"type"`
			Diagnostic cliDiagnostic `json:"diagnostic"`
			Change     struct {
				Resource struct {
					Addr string `json:"addr"`
				} `json:"resource"`
				Action string `json:"action"`
			} `json:"change"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil {
			continue
		}
		switch msg.Type {
		case "diagnostic":
			plan.diagnostics = append(plan.diagnostics, msg.Diagnostic)
		case "planned_change":
			plan.actions[msg.Change.Resource.Addr] = msg.Change.Action
		}
	}
	return plan
}

// diagnostic finds the diagnostic with a summary about a resource.
func (p cliPlan) diagnostic(addr, summary string) *cliDiagnostic {
	for i, d := range p.diagnostics {
		if d.Address == addr && d.Summary == summary {
			return &p.diagnostics[i]
		}
	}
	return nil
}
