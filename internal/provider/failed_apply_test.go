package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccFailedApply_badCAKeyKeepsState feeds the CA key through terraform_data,
// so it is unknown at plan time and only the apply can find it bad. The failed
// update, and a failed create_before_destroy reissue, leave the certificate in
// state as it was.
func TestAccFailedApply_badCAKeyKeepsState(t *testing.T) {
	t.Parallel()
	gw := "mcptls_gateway_cert.gw"
	config := func(key, commonName string) string {
		return caConfig + fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %s
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = terraform_data.key.output
  key_algorithm      = "ECDSA"
  common_name        = %q
  lifecycle {
    create_before_destroy = true
  }
}
`, key, commonName)
	}
	good, bad := "mcptls_ca.ca.private_key_pem", `"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"`
	// first holds what step 1 applied; the last step compares the refreshed state with it.
	first := map[string]string{}
	keep := func(s *terraform.State) error {
		for _, attr := range []string{"serial_number", "cert_pem", "private_key_pem", "ca_private_key_pem"} {
			first[attr] = s.RootModule().Resources[gw].Primary.Attributes[attr]
		}
		return nil
	}
	unchanged := func(s *terraform.State) error {
		now := s.RootModule().Resources[gw].Primary.Attributes
		for attr, was := range first {
			if now[attr] != was {
				return fmt.Errorf("%s changed after failed applies", attr)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: config(good, "gw"), Check: keep},
			{
				// In-place update with a bad key: refused at apply.
				Config: config(bad, "gw"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(gw, plancheck.ResourceActionUpdate),
				}},
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+CA\s+private\s+key.*malformed`),
			},
			{
				// Reissue (new common_name) with a bad key: the new certificate
				// cannot be created, the old one stays.
				Config: config(bad, "gw-2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(gw, plancheck.ResourceActionReplace),
				}},
				ExpectError: regexp.MustCompile(`(?s)Invalid\s+CA\s+private\s+key.*malformed`),
			},
			{
				// Nothing was lost: with the key given directly again (and
				// terraform_data gone), the gateway has nothing to change.
				Config: caConfig + leafConfig("mcptls_gateway_cert", "gw", `  common_name = "gw"
  lifecycle {
    create_before_destroy = true
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(gw, plancheck.ResourceActionNoop),
				}},
				Check: unchanged,
			},
		},
	})
}

// TestAccFailedApply_unreadableConfigKeepsState removes the plugin config the
// certificates were planned from: the run fails on the data source, and once
// the file is back the plan is empty and nothing was reissued.
func TestAccFailedApply_unreadableConfigKeepsState(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "config.yaml")
	content := []byte("plugins:\n  - name: DenyListPlugin\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: http://localhost:8000/mcp\n")
	write := func() {
		if err := os.WriteFile(file, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write()
	config := caConfig + fmt.Sprintf(`
data "mcptls_plugin_config" "c" {
  path = %q
}
`, file) + leafConfig("mcptls_plugin_cert", "p", `  count = length(data.mcptls_plugin_config.c.plugins)
  name  = data.mcptls_plugin_config.c.plugins[count.index].name
  url   = data.mcptls_plugin_config.c.plugins[count.index].url`)
	serial := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{serial.AddStateValue("mcptls_plugin_cert.p[0]", tfjsonpath.New("serial_number"))}},
			{
				PreConfig:   func() { _ = os.Remove(file) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)cannot\s+read\s+plugin\s+config`),
			},
			{
				PreConfig:         write,
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{serial.AddStateValue("mcptls_plugin_cert.p[0]", tfjsonpath.New("serial_number"))},
			},
		},
	})
}
