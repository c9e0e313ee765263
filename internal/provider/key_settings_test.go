package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// TestAccKeySettings issues every key kind, and checks a key setting that the
// chosen algorithm does not read changes nothing but state.
func TestAccKeySettings(t *testing.T) {
	t.Parallel()
	config := func(curveOfCA string) string {
		return `
resource "mcptls_ca" "ca" {
  key_algorithm = "ECDSA"
  ecdsa_curve   = "P384"
  rsa_bits      = ` + curveOfCA + `
}
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ED25519"
}
resource "mcptls_plugin_cert" "p" {
  name               = "p"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "RSA"
  rsa_bits           = 2048
}`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: config("4096"),
				Check: resource.ComposeTestCheckFunc(
					resource.TestMatchResourceAttr("mcptls_gateway_cert.gw", "private_key_pem", mustRegexp(`^-----BEGIN PRIVATE KEY-----`)),
					checkKey("mcptls_ca.ca", "ECDSA", 0, "P384"),
					checkKey("mcptls_gateway_cert.gw", "ED25519", 0, ""),
					checkKey("mcptls_plugin_cert.p", "RSA", 2048, ""),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: config("2048"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}
