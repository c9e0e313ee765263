package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestWriteOnlyFromVariablesOnOldTerraform: before Terraform 1.11, a
// write-only argument given a variable that is null (a module's optional
// input) validates and applies: Terraform validates with every variable
// unknown, and the framework alone refused that unknown as "not null". A
// write-only value that is really set is still refused.
func TestWriteOnlyFromVariablesOnOldTerraform(t *testing.T) {
	t.Parallel()
	config := `
variable "own_key" {
  type      = string
  default   = null
  sensitive = true
}
variable "write_only" {
  type    = bool
  default = false
}
resource "mcptls_ca" "ca" {
  key_algorithm          = "ECDSA"
  private_key_pem_wo     = var.own_key
  private_key_wo_version = var.own_key == null ? null : 1
}
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem    = var.write_only ? null : mcptls_ca.ca.private_key_pem
  ca_private_key_pem_wo = var.write_only ? mcptls_ca.ca.private_key_pem : null
  key_algorithm         = "ECDSA"
}
`
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipAbove(version.Must(version.NewVersion("1.10.99")))},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: config},
			{Config: config + "\nvariable \"unused\" {\n  default = 1\n}\n", PlanOnly: true},
			{
				Config:      config + "\nresource \"mcptls_ca\" \"own\" {\n  key_algorithm = \"ECDSA\"\n  private_key_pem_wo = mcptls_ca.ca.private_key_pem\n  private_key_wo_version = 1\n}\n",
				ExpectError: regexp.MustCompile(`(?s)WriteOnly Attribute Not Allowed.*` + words("only supported in Terraform 1.11 and later")),
			},
		},
	})
}
