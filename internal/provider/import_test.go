package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// importDir runs a resource's ImportState for a directory, as `terraform import` does.
func importDir(r resource.Resource, id string) resource.ImportStateResponse {
	ctx := context.Background()
	var s resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &s)
	resp := resource.ImportStateResponse{State: tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)}}
	importer, ok := r.(resource.ResourceWithImportState)
	if !ok {
		resp.Diagnostics.AddError("No import", fmt.Sprintf("%T cannot be imported", r))
		return resp
	}
	importer.ImportState(ctx, resource.ImportStateRequest{ID: id}, &resp)
	return resp
}

// TestImportRefusesSpecialFiles: an import never hangs on a FIFO nor reads
// /dev/zero until memory runs out; it names the file and what it is.
func TestImportRefusesSpecialFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs or /dev/zero")
	}
	for name, create := range map[string]func(path string) error{
		"a named pipe (FIFO)": func(path string) error { return syscall.Mkfifo(path, 0o600) },
		"a character device":  func(path string) error { return os.Symlink("/dev/zero", path) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "gateway")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := create(filepath.Join(dir, "client.crt")); err != nil {
				t.Fatal(err)
			}
			result := make(chan resource.ImportStateResponse, 1)
			go func() { result <- importDir(NewGatewayCertResource(), dir) }()
			select {
			case resp := <-result:
				if !resp.Diagnostics.HasError() {
					t.Fatal("import succeeded")
				}
				detail := resp.Diagnostics.Errors()[0].Detail()
				if !strings.Contains(detail, filepath.Join(dir, "client.crt")) || !strings.Contains(detail, name) {
					t.Errorf("error %q does not name the file and what it is", detail)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("import blocked")
			}
		})
	}
}

// makefileImportConfig signs with the CA resource, as the README's upgrade
// pattern writes it.
const makefileImportConfig = `
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

resource "mcptls_ca" "ca" {
  key_algorithm = "RSA"
  rsa_bits      = 2048
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
`

// TestImportBlocksPattern is the README's pattern for import blocks: the
// resource blocks written by hand (generated config would hold the CA as a
// literal and no CA key), the import blocks beside them; the plan imports and
// changes nothing, and after apply the plan is empty.
func TestImportBlocksPattern(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(makefileImportConfig + `
import {
  to = mcptls_ca.ca
  id = "certs/mcp/ca"
}
import {
  to = mcptls_gateway_cert.gw
  id = "certs/mcp/gateway"
}
import {
  to = mcptls_plugin_cert.p
  id = "certs/mcp/plugins/DenyListPlugin"
}
`)})
	makefileTree(t, filepath.Join(w.dir, "certs", "mcp"))
	out := w.mustRun("plan", "-input=false", "-no-color")
	expectOutput(t, out, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy")
	w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if out, code := w.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the plan after importing is not empty: exit %d\n%s", code, out)
	}
}

// makefileTree writes a certs/mcp tree under root as the gateway's Makefile
// does: a CA from openssl req -x509 (CA:TRUE), an X.509 v1 gateway certificate
// (x509 -req without -extfile) and a plugin certificate whose only extension is
// its SANs. Keys are RSA-2048 for the CA and P-256 for leaves, to stay fast
// (the Makefile's are RSA-4096). It skips the test when openssl is missing.
func makefileTree(t *testing.T, root string) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: the Makefile tree needs it")
	}
	at := func(name string) string { return filepath.Join(root, name) }
	for _, dir := range []string{"ca", "gateway", "plugins/DenyListPlugin"} {
		if err := os.MkdirAll(at(dir), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		"openssl.cnf": "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n" +
			"[v3_ca]\nbasicConstraints = critical,CA:TRUE\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always,issuer\n",
		"plugins/DenyListPlugin/server.ext": "subjectAltName = DNS:DenyListPlugin, DNS:mcp-plugin-DenyListPlugin, DNS:localhost\n",
	}
	for name, content := range files {
		if err := os.WriteFile(at(name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("ca/ca.key"), "-out", at("ca/ca.crt"), "-days", "825", "-sha256",
		"-subj", "/CN=ContextForge-CA/O=ContextForge/OU=Plugins", "-config", at("openssl.cnf"), "-extensions", "v3_ca")
	leaf := func(dir, certName, subject, extfile string) {
		key, csr, crt := at(dir+"/"+certName+".key"), at(dir+"/"+certName+".csr"), at(dir+"/"+certName+".crt")
		run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
			"-subj", subject, "-config", at("openssl.cnf"))
		args := []string{"x509", "-req", "-in", csr, "-CA", at("ca/ca.crt"), "-CAkey", at("ca/ca.key"), "-CAcreateserial",
			"-out", crt, "-days", "825", "-sha256"}
		if extfile != "" {
			args = append(args, "-extfile", at(extfile))
		}
		run(args...)
		ca, err := os.ReadFile(at("ca/ca.crt"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(at(dir+"/ca.crt"), ca, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	leaf("gateway", "client", "/CN=mcp-gateway-client/O=MCPGateway/OU=Gateway", "")
	leaf("plugins/DenyListPlugin", "server", "/CN=mcp-plugin-DenyListPlugin/O=MCPGateway/OU=Plugins", "plugins/DenyListPlugin/server.ext")
}

// stateString reads a string attribute of an import's state.
func stateString(t *testing.T, resp resource.ImportStateResponse, name string) types.String {
	t.Helper()
	var v types.String
	if diags := resp.State.GetAttribute(context.Background(), path.Root(name), &v); diags.HasError() {
		t.Fatal(diags)
	}
	return v
}

// warning finds an import warning by summary.
func warning(resp resource.ImportStateResponse, summary string) diag.Diagnostic {
	for _, d := range resp.Diagnostics.Warnings() {
		if d.Summary() == summary {
			return d
		}
	}
	return nil
}

// TestImportMakefileTree adopts what the Makefile writes: the leaves take the
// CA key from <tree>/ca/ca.key when it is the CA's, and warn that they fall
// short of this provider's profile, saying what they lack and how to reissue.
func TestImportMakefileTree(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "certs", "mcp")
	makefileTree(t, root)
	caKey, err := os.ReadFile(filepath.Join(root, "ca", "ca.key"))
	if err != nil {
		t.Fatal(err)
	}

	ca := importDir(NewCAResource(), filepath.Join(root, "ca"))
	if ca.Diagnostics.HasError() || len(ca.Diagnostics.Warnings()) != 0 {
		t.Errorf("CA import: %v", ca.Diagnostics)
	}
	for _, c := range []struct {
		name        string
		newResource func() resource.Resource
		dir         string
		says        []string
	}{
		{"gateway", NewGatewayCertResource, "gateway", []string{"The client certificate in " + filepath.Join(root, "gateway") + " was adopted as it is, but it falls short of what this provider issues (X.509 v3 with CA:FALSE",
			"it has no extended key usage clientAuth; it has no key usage (digitalSignature).",
			"run terraform apply -replace=mcptls_gateway_cert.NAME"}},
		{"plugin", NewPluginCertResource, "plugins/DenyListPlugin", []string{"The server certificate in",
			"it has no extended key usage serverAuth; it has no key usage (digitalSignature).",
			"run terraform apply -replace=mcptls_plugin_cert.NAME"}},
	} {
		resp := importDir(c.newResource(), filepath.Join(root, c.dir))
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", c.name, resp.Diagnostics)
		}
		if got := stateString(t, resp, "ca_private_key_pem"); got.ValueString() != string(caKey) {
			t.Errorf("%s: ca_private_key_pem not taken from ca/ca.key: %v", c.name, got)
		}
		w := warning(resp, "Imported certificate falls short of this provider's profile")
		if w == nil {
			t.Errorf("%s: no profile warning in %v", c.name, resp.Diagnostics)
			continue
		}
		for _, say := range c.says {
			if !strings.Contains(w.Detail(), say) {
				t.Errorf("%s: warning %q lacks %q", c.name, w.Detail(), say)
			}
		}
		if w, ok := w.(diag.DiagnosticWithPath); !ok || !w.Path().Equal(path.Root("cert_pem")) {
			t.Errorf("%s: the warning names no attribute", c.name)
		}
		if strings.Contains(w.Detail(), "PRIVATE KEY") {
			t.Errorf("%s: the warning quotes a key", c.name)
		}
	}
	// The gateway's is X.509 v1 with OpenSSL before 3.2 (later ones add key IDs).
	gw := importDir(NewGatewayCertResource(), filepath.Join(root, "gateway"))
	if cert, err := pki.ParseCertificate(stateString(t, gw, "cert_pem").ValueString()); err == nil && cert.Version == 1 {
		if w := warning(gw, "Imported certificate falls short of this provider's profile"); w == nil || !strings.Contains(w.Detail(), "it is X.509 version 1, without any extension") {
			t.Errorf("v1 gateway: %v", gw.Diagnostics)
		}
	}

	// A ca/ca.key that is another key: not imported, and said so.
	other, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
	if err != nil {
		t.Fatal(err)
	}
	otherPEM, _ := pki.EncodePrivateKey(other)
	if err := os.WriteFile(filepath.Join(root, "ca", "ca.key"), []byte(otherPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	resp := importDir(NewGatewayCertResource(), filepath.Join(root, "gateway"))
	if got := stateString(t, resp, "ca_private_key_pem"); !got.IsNull() {
		t.Error("a CA key that is not the CA's was imported")
	}
	if w := warning(resp, "CA key not imported"); w == nil || !strings.Contains(w.Detail(), "is not the key of") || strings.Contains(w.Detail(), "PRIVATE KEY") {
		t.Errorf("mismatched ca.key: %v", resp.Diagnostics)
	}
	// No ca/ca.key at all: nothing to say, the next apply stores it.
	if err := os.Remove(filepath.Join(root, "ca", "ca.key")); err != nil {
		t.Fatal(err)
	}
	resp = importDir(NewGatewayCertResource(), filepath.Join(root, "gateway"))
	if got := stateString(t, resp, "ca_private_key_pem"); !got.IsNull() || warning(resp, "CA key not imported") != nil {
		t.Errorf("without ca.key: %v %v", got, resp.Diagnostics)
	}
}

// TestImportMakefileTreePlansEmpty imports a Makefile tree with the CLI, by the
// paths the README gives, and plans a configuration that signs with the
// imported CA resource: nothing to change, and the import said what the
// adopted leaves lack.
func TestImportMakefileTreePlansEmpty(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(makefileImportConfig)})
	makefileTree(t, filepath.Join(w.dir, "certs", "mcp"))
	w.mustRun("import", "-input=false", "-no-color", "mcptls_ca.ca", "certs/mcp/ca")
	out := w.mustRun("import", "-input=false", "-no-color", "mcptls_gateway_cert.gw", "certs/mcp/gateway")
	expectOutput(t, out, "Warning: Imported certificate falls short of this provider's profile", "no extended key usage clientAuth",
		"terraform apply -replace=mcptls_gateway_cert.NAME")
	out = w.mustRun("import", "-input=false", "-no-color", "mcptls_plugin_cert.p", "certs/mcp/plugins/DenyListPlugin")
	expectOutput(t, out, "Warning: Imported certificate falls short of this provider's profile", "no extended key usage serverAuth")
	if out, code := w.runCode("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the first plan after import is not empty: exit %d\n%s", code, out)
	}
}
