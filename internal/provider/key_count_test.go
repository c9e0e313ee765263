package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// keyModes are the ways to keep private keys out of state, with how many a
// state of a CA, a gateway and N plugins holds in each.
var keyModes = []struct {
	name   string
	config string
	want   func(n int) int
	// needs is the CLI version the mode needs: write-only arguments came with
	// Terraform 1.11 (ephemeral resources with 1.10).
	needs *version.Version
}{
	{"default", `
resource "mcptls_ca" "ca" { key_algorithm = "ECDSA" }
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
resource "mcptls_plugin_cert" "p" {
  for_each           = local.plugins
  name               = each.key
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
`, func(n int) int { return 2*n + 4 }, nil}, // the CA's, each leaf's and its copy of the CA's, the gateway's client_pem
	{"write-only CA key on leaves", `
resource "mcptls_ca" "ca" { key_algorithm = "ECDSA" }
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem_wo = mcptls_ca.ca.private_key_pem
  key_algorithm         = "ECDSA"
}
resource "mcptls_plugin_cert" "p" {
  for_each              = local.plugins
  name                  = each.key
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem_wo = mcptls_ca.ca.private_key_pem
  key_algorithm         = "ECDSA"
}
`, func(n int) int { return n + 3 }, v1_11},
	{"own CA key", `
resource "mcptls_ca" "ca" {
  key_algorithm          = "ECDSA"
  private_key_pem_wo     = file("${path.module}/ca.key")
  private_key_wo_version = 1
}
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem_wo = file("${path.module}/ca.key")
  key_algorithm         = "ECDSA"
}
resource "mcptls_plugin_cert" "p" {
  for_each              = local.plugins
  name                  = each.key
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem_wo = file("${path.module}/ca.key")
  key_algorithm         = "ECDSA"
}
`, func(n int) int { return n + 2 }, v1_11},
	{"ephemeral", `
resource "mcptls_ca" "ca" {
  key_algorithm          = "ECDSA"
  private_key_pem_wo     = file("${path.module}/ca.key")
  private_key_wo_version = 1
}
ephemeral "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = file("${path.module}/ca.key")
  key_algorithm      = "ECDSA"
}
ephemeral "mcptls_plugin_cert" "p" {
  for_each           = local.plugins
  name               = each.key
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = file("${path.module}/ca.key")
  key_algorithm      = "ECDSA"
}
`, func(int) int { return 0 }, v1_11},
}

var privateKeyPEM = regexp.MustCompile(`-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----`)

// TestPrivateKeysInState counts the private keys in `show -json` of the state
// and in the JSON of a plan before and after apply, for each mode, with the
// built provider on the CLI under test (the modes beyond the default need
// Terraform >= 1.11 or OpenTofu >= 1.11: write-only arguments).
func TestPrivateKeysInState(t *testing.T) {
	t.Parallel()
	const n = 3
	key := ecdsaKeyPEM(t)
	for _, mode := range keyModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			w := newCLIWorkspace(t, map[string][]byte{
				"main.tf": []byte(`terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
locals {
  plugins = toset(["DenyListPlugin", "OPAPluginFilter", "LLMGuardPlugin"])
}
` + mode.config),
				"ca.key": []byte(key),
			})
			if v := w.cliVersion(); mode.needs != nil && v.LessThan(mode.needs) {
				t.Skipf("%s %s has no write-only arguments (%s and later)", w.tf, v, mode.needs)
			}
			want := mode.want(n)
			count := func(what, text string, want int) {
				t.Helper()
				if got := len(privateKeyPEM.FindAllString(text, -1)); got != want {
					t.Errorf("%s holds %d private keys, want %d", what, got, want)
				}
			}
			// Write-only and not-yet-known values never appear in a plan.
			w.mustRun("plan", "-input=false", "-out=first.plan")
			count("the first plan's JSON", w.mustRun("show", "-json", "first.plan"), 0)
			w.mustRun("apply", "-input=false", "first.plan")
			count("terraform show -json", w.mustRun("show", "-json"), want)
			state, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
			if err != nil {
				t.Fatal(err)
			}
			count("terraform.tfstate", string(state), want)
			// A no-op plan's JSON holds the state four times: prior_state,
			// planned_values, and each change's before and after.
			w.mustRun("plan", "-input=false", "-out=second.plan")
			second := planSections(t, w.mustRun("show", "-json", "second.plan"))
			count("the second plan's prior_state", second["prior_state"], want)
			count("the second plan's planned_values", second["planned_values"], want)
			count("the second plan's resource_changes (before and after)", second["resource_changes"], 2*want)
		})
	}
}

// planSections splits a plan's JSON into its top-level sections.
func planSections(t *testing.T, planJSON string) map[string]string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(planJSON[strings.Index(planJSON, "{"):]), &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range raw {
		out[k] = string(v)
	}
	return out
}

// cliVersion is the version of the CLI under test.
func (w *cliWorkspace) cliVersion() *version.Version {
	w.t.Helper()
	out := w.mustRun("version", "-json")
	var v struct {
		Terraform string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
		w.t.Fatal(err)
	}
	return version.Must(version.NewVersion(v.Terraform))
}
