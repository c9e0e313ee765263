package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig/parity"
)

// TestBothReadersAgreeOnEveryParityFile reads every file of the parity table
// with the data source mcptls_plugin_config and with plugin_config_tls_yaml,
// each called as Terraform calls it, with the file's ssrf_protection and
// template_env: both accept what the gateway accepts (the table's verdict)
// and refuse what it refuses, and a refusal is the same text in both, problem
// for problem. A function cannot show warnings; the data source shows them.
// The one difference allowed: the function will not write a block where the
// template decides whether the gateway reads it (a place inside an {% if %}
// branch the plugin's mapping does not start in), though it reads the file
// as the data source does.
func TestBothReadersAgreeOnEveryParityFile(t *testing.T) {
	t.Parallel()
	cases, err := parity.Cases("../pluginconfig/testdata/parity")
	if err != nil || len(cases) < 100 {
		t.Fatalf("%d cases: %v", len(cases), err)
	}
	var tlsYAML providerFunction
	for _, f := range providerFunctions(t) {
		if f.Name == "plugin_config_tls_yaml" {
			tlsYAML = f
		}
	}
	for _, c := range cases {
		env := map[string]attr.Value{}
		for k, v := range c.Options.TemplateEnv {
			env[k] = types.StringValue(v)
		}
		dsErrors := readPluginConfig(t, c.Text, c.Options.SSRFProtection, c.Options.TemplateEnv).Errors()
		options := types.ObjectValueMust(
			map[string]attr.Type{"ssrf_protection": types.BoolType, "template_env": types.MapType{ElemType: types.StringType}, "existing_tls": types.StringType},
			map[string]attr.Value{"ssrf_protection": types.BoolValue(c.Options.SSRFProtection), "template_env": types.MapValueMust(types.StringType, env), "existing_tls": types.StringValue("keep")})
		fnErr := tlsYAML.call([]attr.Value{types.StringValue(c.Text), types.StringValue("/c"), types.TupleValueMust([]attr.Type{types.DynamicType}, []attr.Value{types.DynamicValue(options)})})
		if fnErr != nil && len(dsErrors) == 0 && c.Accept && templateDecidesPlacement(fnErr.Text) {
			// Read alike; the function only will not write a block where
			// the template decides whether the gateway reads it.
			t.Logf("%s: %s", c.File, fnErr.Text)
			continue
		}
		if (len(dsErrors) == 0) != c.Accept || (fnErr == nil) != c.Accept {
			t.Errorf("%s: the table says accept=%v; the data source refuses with %d errors, the function with %v", c.File, c.Accept, len(dsErrors), fnErr)
			continue
		}
		if fnErr == nil {
			continue
		}
		details := make([]string, len(dsErrors))
		for i, d := range dsErrors {
			details[i] = d.Detail()
		}
		if got, want := fnErr.Text, strings.Join(details, "\n"); got != want {
			t.Errorf("%s: the function says\n%s\nthe data source\n%s", c.File, got, want)
		}
	}
}

// templateDecidesPlacement is a refusal of plugin_config_tls_yaml that is
// about where a tls block would go, not about the file: every problem is
// that the template as written decides whether the gateway reads text at
// the block's place (inside a branch the mapping does not start in), which
// the function refuses on purpose though the file reads alike.
func templateDecidesPlacement(text string) bool {
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, "mcptls cannot add") || !strings.Contains(line, "the template decides whether the gateway reads text there") {
			return false
		}
	}
	return text != ""
}

// readPluginConfig calls the data source's Read as Terraform does, on content.
func readPluginConfig(t *testing.T, content string, ssrf bool, env map[string]string) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	ds := NewPluginConfigDataSource()
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	s := schemaResp.Schema
	typ, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is no object")
	}
	envType := typ.AttributeTypes["template_env"]
	envValues := map[string]tftypes.Value{}
	for k, v := range env {
		envValues[k] = tftypes.NewValue(tftypes.String, v)
	}
	values := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
	}
	values["content"] = tftypes.NewValue(tftypes.String, content)
	values["ssrf_protection"] = tftypes.NewValue(tftypes.Bool, ssrf)
	values["template_env"] = tftypes.NewValue(envType, envValues)
	raw := tftypes.NewValue(typ, values)
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: s, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: s, Raw: raw}}, &resp)
	return resp.Diagnostics
}
