package provider

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

// moduleChangesConfig passes every module input the table in the module's
// README covers through a root variable, at the module's defaults but for
// ECDSA keys and a CA setting of its own (so that leaf settings do not move
// the CA, which the day-2 work stages instead of replacing).
const moduleChangesConfig = `terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
variable "early_renewal_days" {
  type    = number
  default = 30
}
variable "ca_early_renewal_days" {
  type    = number
  default = 30
}
variable "rotation_overlap_days" {
  type    = number
  default = 30
}
variable "validity_days" {
  type    = number
  default = 825
}
variable "ca_validity_days" {
  type    = number
  default = 825
}
variable "ca_ecdsa_curve" {
  type    = string
  default = "P256"
}
variable "ca_common_name" {
  type    = string
  default = "ContextForge-CA"
}
variable "write_only_ca_key" {
  type    = bool
  default = false
}
variable "passphrase_version" {
  type    = number
  default = null
}
variable "cert_dir" {
  type    = string
  default = "certs/mcp"
}
variable "server_host" {
  type    = string
  default = "0.0.0.0"
}
module "mtls" {
  source                            = "./examples/modules/plugin-mtls"
  config_path                       = "${path.module}/examples/compose/config.yaml"
  key_algorithm                     = "ECDSA"
  ca_validity_days                  = var.ca_validity_days
  ca_ecdsa_curve                    = var.ca_ecdsa_curve
  ca_common_name                    = var.ca_common_name
  early_renewal_days                = var.early_renewal_days
  ca_early_renewal_days             = var.ca_early_renewal_days
  rotation_overlap_days             = var.rotation_overlap_days
  validity_days                     = var.validity_days
  write_only_ca_key                 = var.write_only_ca_key
  private_key_passphrase_wo         = var.passphrase_version == null ? null : "passphrase-${var.passphrase_version}"
  private_key_passphrase_wo_version = var.passphrase_version
  cert_dir                          = var.cert_dir
  server_host                       = var.server_host
}
`

// TestModuleChanges plans a change of each module input the README's table
// lists and wants the actions the table gives: in place, staged (the CA and
// the leaves' bundles in place), replaced, or nothing, for the CA and for the
// leaves.
func TestModuleChanges(t *testing.T) {
	t.Parallel()
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(moduleChangesConfig)})
	if v := w.cliVersion(); v.LessThan(v1_11) {
		t.Skipf("%s %s: the write-only rows need 1.11", w.tf, v)
	}
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/compose", "examples/compose")
	r := &recipe{t: t, w: w, dir: w.dir}
	r.run("get")
	r.apply()
	const ca, leaves = "module.mtls.mcptls_ca.this", "leaves"
	for _, row := range []struct {
		input string
		vars  []string
		want  map[string]string // "CA" or "leaves" to the action
	}{
		{"early_renewal_days", []string{"early_renewal_days=20"}, map[string]string{ca: "no-op", leaves: "update"}},
		{"ca_early_renewal_days", []string{"ca_early_renewal_days=40"}, map[string]string{ca: "update", leaves: "no-op"}},
		{"rotation_overlap_days", []string{"rotation_overlap_days=20"}, map[string]string{ca: "update", leaves: "no-op"}},
		{"validity_days (the CA's set apart)", []string{"validity_days=365"}, map[string]string{ca: "no-op", leaves: "replace"}},
		{"write_only_ca_key", []string{"write_only_ca_key=true"}, map[string]string{ca: "no-op", leaves: "update"}},
		// A gRPC plugin keeps a plain key: cpex 0.1.3's gRPC server reads no password.
		{"private_key_passphrase_wo_version", []string{"passphrase_version=1"}, map[string]string{ca: "no-op", leaves: "replace:not grpc"}},
		{"cert_dir", []string{"cert_dir=/etc/mcp/certs"}, map[string]string{ca: "no-op", leaves: "update"}},
		{"server_host", []string{"server_host=127.0.0.1"}, map[string]string{ca: "no-op", leaves: "update:plugins"}},
		// A change that needs a new CA stages a successor: the CA and the
		// leaves' trust bundles change in place.
		{"ca_validity_days", []string{"ca_validity_days=400"}, map[string]string{ca: "update", leaves: "update"}},
		{"ca_ecdsa_curve", []string{"ca_ecdsa_curve=P384"}, map[string]string{ca: "update", leaves: "update"}},
		{"ca_common_name", []string{"ca_common_name=Other-CA"}, map[string]string{ca: "update", leaves: "update"}},
		// Without an overlap the same change replaces the CA and every leaf.
		{"ca_validity_days with rotation_overlap_days = 0", []string{"ca_validity_days=400", "rotation_overlap_days=0"}, map[string]string{ca: "replace", leaves: "replace"}},
	} {
		var args []string
		for _, v := range row.vars {
			args = append(args, "-var", v)
		}
		r.run(append([]string{"plan", "-input=false", "-out=tfplan"}, args...)...)
		got := planActions(t, r.run("show", "-json", "tfplan"))
		if got[ca] != row.want[ca] {
			t.Errorf("%s: the CA's action is %q, want %q", row.input, got[ca], row.want[ca])
		}
		gw, plugins := got["module.mtls.mcptls_gateway_cert.this"], []string{got[`module.mtls.mcptls_plugin_cert.this["DenyListPlugin"]`], got[`module.mtls.mcptls_plugin_cert.this["OPAPluginFilter"]`]}
		want := row.want[leaves]
		wantGateway := want
		wantGRPC := want
		switch want {
		case "update:plugins":
			want, wantGateway, wantGRPC = "update", "no-op", "update"
		case "replace:not grpc":
			want, wantGateway, wantGRPC = "replace", "replace", "no-op"
		}
		if gw != wantGateway || plugins[0] != want || plugins[1] != wantGRPC {
			t.Errorf("%s: the leaves' actions are gateway %q, plugins %v; want gateway %q, plugins [%q %q]", row.input, gw, plugins, wantGateway, want, wantGRPC)
		}
	}
}

// planActions gives each resource's planned action: create, update, delete,
// replace, read or no-op.
func planActions(t *testing.T, planJSON string) map[string]string {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON[strings.Index(planJSON, "{"):]), &plan); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		actions := append([]string(nil), rc.Change.Actions...)
		sort.Strings(actions)
		action := strings.Join(actions, ",")
		if action == "create,delete" {
			action = "replace"
		}
		out[rc.Address] = action
	}
	return out
}

// TestModuleOwnKeyRotation: the module's row "a new ca_private_key_wo_version":
// with the key it replaces as ca_previous_private_key_pem_wo, the plan stages
// a successor made from the new key and the leaves only take the new bundle
// (they keep signing with the current key), and the next plan is empty.
// Without it, every leaf would be given a key its CA does not have yet.
func TestModuleOwnKeyRotation(t *testing.T) {
	t.Parallel()
	const main = `terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
variable "v" {
  type = number
}
variable "previous" {
  type    = string
  default = null
}
module "mtls" {
  source                         = "./examples/modules/plugin-mtls"
  config_path                    = "${path.module}/examples/compose/config.yaml"
  key_algorithm                  = "ECDSA"
  ca_private_key_pem_wo          = file("${path.module}/k${var.v}.pem")
  ca_private_key_wo_version      = var.v
  ca_previous_private_key_pem_wo = var.previous == null ? null : file("${path.module}/${var.previous}")
}
`
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": []byte(main), "k1.pem": []byte(ecdsaKeyPEM(t)), "k2.pem": []byte(ecdsaKeyPEM(t))})
	if v := w.cliVersion(); v.LessThan(v1_11) {
		t.Skipf("%s %s has no write-only arguments (1.11 and later)", w.tf, v)
	}
	w.copyTree("../../examples/modules", "examples/modules")
	w.copyTree("../../examples/compose", "examples/compose")
	r := &recipe{t: t, w: w, dir: w.dir}
	r.run("get")
	r.apply("-var", "v=1")
	rotate := []string{"-var", "v=2", "-var", "previous=k1.pem"}
	r.run(append([]string{"plan", "-input=false", "-out=tfplan"}, rotate...)...)
	got := planActions(t, r.run("show", "-json", "tfplan"))
	for address, want := range map[string]string{
		"module.mtls.mcptls_ca.this":                             "update",
		"module.mtls.mcptls_gateway_cert.this":                   "update",
		`module.mtls.mcptls_plugin_cert.this["DenyListPlugin"]`:  "update",
		`module.mtls.mcptls_plugin_cert.this["OPAPluginFilter"]`: "update",
	} {
		if got[address] != want {
			t.Errorf("%s: %q, want %q (all: %v)", address, got[address], want, got)
		}
	}
	r.run("apply", "-input=false", "tfplan")
	r.planIsEmpty(rotate...)
}
