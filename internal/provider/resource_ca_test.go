package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestAccCA_defaults(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{{
			Config: `resource "mcptls_ca" "ca" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("common_name"), knownvalue.StringExact("ContextForge-CA")),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("organization"), knownvalue.StringExact("ContextForge")),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("organizational_unit"), knownvalue.StringExact("Plugins")),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("key_algorithm"), knownvalue.StringExact("RSA")),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rsa_bits"), knownvalue.Int64Exact(4096)),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("validity_days"), knownvalue.Int64Exact(825)),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("early_renewal_days"), knownvalue.Int64Exact(30)),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("not_before"), knownvalue.StringExact("2026-03-01T11:55:00Z")), // backdated by pki.ClockSkewMargin
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("not_after"), knownvalue.StringExact("2028-06-03T11:55:00Z")),  // exactly 825 days
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("ready_for_renewal"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("cert_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN CERTIFICATE-----`))),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("private_key_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN PRIVATE KEY-----`))),
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("serial_number"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9]+$`))),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// TestAccCA_renewal walks the clock to the edge of the renewal window of a CA
// that does not rotate (rotation_overlap_days = 0): it is replaced there.
func TestAccCA_renewal(t *testing.T) {
	t.Parallel()
	caConfig := `
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 365
  rotation_overlap_days = 0
}
`
	clock := newFakeClock(t0)
	windowStart := t0.Add(-pki.ClockSkewMargin).AddDate(0, 0, 365-30) // not_after - early_renewal_days
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{Config: caConfig},
			{
				PreConfig:        func() { clock.Set(windowStart.Add(-time.Second)) },
				Config:           caConfig,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig:          func() { clock.Set(windowStart) },
				RefreshState:       true,
				Check:              resource.TestCheckResourceAttr("mcptls_ca.ca", "ready_for_renewal", "true"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: caConfig,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("ready_for_renewal"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("not_before"), knownvalue.StringExact(windowStart.Add(-pki.ClockSkewMargin).Format(time.RFC3339))),
				},
			},
			{
				// A wider window on an existing certificate is an in-place change that
				// only flips the flag; it does not reissue by itself.
				Config: `
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 365
  early_renewal_days    = 60
  rotation_overlap_days = 0
}`,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// TestCASettingInputsRotate: the CA's inputs that need a new CA carry no
// replacement of their own (its lifecycle decides: staged or replaced) and
// say so, whatever the descriptions shared with the leaves say.
func TestCASettingInputsRotate(t *testing.T) {
	t.Parallel()
	var s fwresource.SchemaResponse
	NewCAResource().Schema(context.Background(), fwresource.SchemaRequest{}, &s)
	for _, name := range caSettingInputs {
		var modifiers int
		switch a := s.Schema.Attributes[name].(type) {
		case schema.StringAttribute:
			modifiers = len(a.PlanModifiers)
		case schema.Int64Attribute:
			modifiers = len(a.PlanModifiers)
		}
		d := s.Schema.Attributes[name].GetMarkdownDescription()
		if modifiers != 0 || !strings.Contains(d, "staged in place") || strings.Contains(d, "issues a new certificate") {
			t.Errorf("%s: %d plan modifiers, description %q", name, modifiers, d)
		}
	}
}
