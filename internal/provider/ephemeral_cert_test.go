package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccDiagnosticsNameWhere: a CA key that is known only at apply and is no
// PEM. The managed resource's error names the resource and the attribute
// (Terraform shows its block); the ephemeral one's, which Terraform shows
// with no block or attribute at apply, names both in its text.
func TestAccDiagnosticsNameWhere(t *testing.T) {
	t.Parallel()
	bad := `
resource "terraform_data" "bad" {
  input = "not a pem"
}
`
	managed := caConfig + bad + `
resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = terraform_data.bad.output
  key_algorithm      = "ECDSA"
}
`
	ephemeralCfg := caConfig + bad + `
ephemeral "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = terraform_data.bad.output
  key_algorithm      = "ECDSA"
}
provider "echo" {
  data = { plugin = ephemeral.mcptls_plugin_cert.p }
}
resource "echo" "sink" {}
`
	f := factories(newFakeClock(t0))
	f["echo"] = echoprovider.NewProviderServer()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_10)},
		ProtoV6ProviderFactories: f,
		Steps: []resource.TestStep{
			{Config: managed, ExpectError: regexp.MustCompile(`(?s)Invalid CA private key.*with mcptls_plugin_cert\.p,.*ca_private_key_pem = terraform_data\.bad\.output.*no PEM block found`)},
			{Config: ephemeralCfg, ExpectError: regexp.MustCompile(`(?s)Invalid CA private key.*ephemeral "mcptls_plugin_cert", argument\s+ca_private_key_pem: no PEM\s+block\s+found`)},
		},
	})
}

func TestLocatedKeepsPathsAndNamesThem(t *testing.T) {
	t.Parallel()
	var in diag.Diagnostics
	in.AddAttributeError(path.Root("ca_cert_pem"), "Invalid CA certificate", "no PEM block found")
	in.AddWarning("Plugin URL without TLS", "use https")
	out := located(in, `ephemeral "mcptls_plugin_cert"`)
	if len(out) != 2 {
		t.Fatal(out)
	}
	if wp, ok := out[0].(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root("ca_cert_pem")) ||
		out[0].Detail() != `ephemeral "mcptls_plugin_cert", argument ca_cert_pem: no PEM block found` || out[0].Severity() != diag.SeverityError {
		t.Errorf("%#v", out[0])
	}
	if out[1].Detail() != `ephemeral "mcptls_plugin_cert": use https` || out[1].Severity() != diag.SeverityWarning {
		t.Errorf("%#v", out[1])
	}
}
