package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// validateConfig runs ValidateResourceConfig through the provider server, as
// Terraform does (schema validators, type validation and the resource's own
// ValidateConfig), for a configuration where only the given attributes are set.
func validateConfig(t *testing.T, newResource func() resource.Resource, typeName string, set map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	var s resource.SchemaResponse
	newResource().Schema(ctx, resource.SchemaRequest{}, &s)
	objType := as[tftypes.Object](t, s.Schema.Type().TerraformType(ctx))
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
	}
	config, err := tfprotov6.NewDynamicValue(objType, tftypes.NewValue(objType, values))
	if err != nil {
		t.Fatal(err)
	}
	server, err := factories(newFakeClock(t0))["mcptls"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: typeName, Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func number(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }

// TestOutOfRangeIsReportedOnce: a validity_days or early_renewal_days out of
// range gets the range error alone, not also "Renewal window covers the whole
// validity".
func TestOutOfRangeIsReportedOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		set  map[string]tftypes.Value
		says string
	}{
		{"validity_days = -1", map[string]tftypes.Value{"validity_days": number(-1)}, "value must be between 1 and 36500, got: -1"},
		{"validity_days = 0 with early_renewal_days = 30", map[string]tftypes.Value{"validity_days": number(0), "early_renewal_days": number(30)}, "value must be between 1 and 36500, got: 0"},
		{"early_renewal_days = -1", map[string]tftypes.Value{"early_renewal_days": number(-1)}, "value must be at least 0, got: -1"},
	} {
		diags := validateConfig(t, NewCAResource, "mcptls_ca", c.set)
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, c.says) {
			t.Errorf("%s: want one diagnostic saying %q, got %s", c.name, c.says, describeDiags(diags))
		}
	}
}

func describeDiags(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("\n  " + d.Summary + ": " + d.Detail)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// TestFractionsAreNamed: a whole-number attribute given a fraction gets one
// error on the attribute that says so, not the framework's "Value Conversion
// Error", on every resource that shares the attribute.
func TestFractionsAreNamed(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		attribute string
		value     float64
		says      string
	}{
		{"validity_days", 1.5, "validity_days must be a whole number of days, got 1.5."},
		{"validity_days", -1.5, "validity_days must be a whole number of days, got -1.5."},
		{"early_renewal_days", 0.25, "early_renewal_days must be a whole number of days, got 0.25."},
		{"rsa_bits", 2048.5, "rsa_bits must be a whole number of bits, got 2048.5."},
		{"validity_days", 1e30, "validity_days is far too large, got 1e+30: give a whole number of days."},
	} {
		for typeName, newResource := range map[string]func() resource.Resource{
			"mcptls_ca": NewCAResource, "mcptls_gateway_cert": NewGatewayCertResource, "mcptls_plugin_cert": NewPluginCertResource,
		} {
			diags := validateConfig(t, newResource, typeName, map[string]tftypes.Value{c.attribute: number(c.value)})
			var errs []*tfprotov6.Diagnostic
			for _, d := range diags {
				if d.Severity == tfprotov6.DiagnosticSeverityError && (d.Attribute == nil || d.Attribute.String() == tftypes.NewAttributePath().WithAttributeName(c.attribute).String()) {
					errs = append(errs, d)
				}
			}
			if len(errs) != 1 || errs[0].Detail != c.says || errs[0].Summary != "Invalid whole number" || errs[0].Attribute == nil {
				t.Errorf("%s %s = %v: want one error on the attribute saying %q, got %s", typeName, c.attribute, c.value, c.says, describeDiags(diags))
			}
		}
	}
}
