package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func gatewayConfigPath(t *testing.T) string {
	p, err := filepath.Abs("../pluginconfig/testdata/gateway-external-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAccPluginConfig_certsPerPlugin is make certs-mcp-all in one apply: the
// gateway's own config yields one plugin certificate per external plugin. The
// harness cannot hold for_each instances (its state shim takes only numeric
// indexes), so this uses count; TestEndToEndForEach runs the real for_each.
func TestAccPluginConfig_certsPerPlugin(t *testing.T) {
	t.Parallel()
	config := fmt.Sprintf(`
data "mcptls_plugin_config" "gw" {
  path = %q
}
%s
locals {
  plugins = [for name in sort(keys(data.mcptls_plugin_config.gw.external_plugins)) : data.mcptls_plugin_config.gw.external_plugins[name]]
}
resource "mcptls_plugin_cert" "p" {
  count              = length(local.plugins)
  name               = local.plugins[count.index].name
  url                = local.plugins[count.index].url
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
output "ports" { value = { for c in mcptls_plugin_cert.p : c.name => c.server_env["PLUGINS_SERVER_PORT"] } }
output "health" { value = { for c in mcptls_plugin_cert.p : c.name => c.health_port } }
output "cn" { value = { for c in mcptls_plugin_cert.p : c.name => c.common_name } }
`, gatewayConfigPath(t), caConfig)
	ds := "data.mcptls_plugin_config.gw"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("plugins"), knownvalue.ListSizeExact(3)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("plugins").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("DenyListPlugin")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("external_plugins").AtMapKey("OPAPluginFilter"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"kind": knownvalue.StringExact("external"), "proto": knownvalue.StringExact("STREAMABLEHTTP"),
					"url_scheme": knownvalue.StringExact("http"), "url_host": knownvalue.StringExact("127.0.0.1"),
					"url_port": knownvalue.Int64Exact(8000), "priority": knownvalue.Int64Exact(10), "tls_enabled": knownvalue.Bool(false),
				})),
				statecheck.ExpectKnownOutputValue("ports", knownvalue.MapExact(map[string]knownvalue.Check{
					"DenyListPlugin": knownvalue.StringExact("3000"), "OPAPluginFilter": knownvalue.StringExact("8000"), "LLMGuardPlugin": knownvalue.StringExact("8001"),
				})),
				statecheck.ExpectKnownOutputValue("health", knownvalue.MapPartial(map[string]knownvalue.Check{"LLMGuardPlugin": knownvalue.Int64Exact(9001)})),
				statecheck.ExpectKnownOutputValue("cn", knownvalue.MapPartial(map[string]knownvalue.Check{"OPAPluginFilter": knownvalue.StringExact("mcp-plugin-OPAPluginFilter")})),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

func TestAccPluginConfig_content(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: `
data "mcptls_plugin_config" "c" {
  content = <<-YAML
    plugins:
      - name: Native
        kind: plugins.pii.PIIFilter
        hooks: [prompt_pre_fetch]
      - name: Remote
        kind: external
        mcp:
          proto: SSE
          url: wss://plugin.example.com/sse
  YAML
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.mcptls_plugin_config.c", tfjsonpath.New("plugins").AtSliceIndex(0).AtMapKey("hooks"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("prompt_pre_fetch")})),
				statecheck.ExpectKnownValue("data.mcptls_plugin_config.c", tfjsonpath.New("plugins").AtSliceIndex(0).AtMapKey("url"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.mcptls_plugin_config.c", tfjsonpath.New("external_plugins"), knownvalue.MapExact(map[string]knownvalue.Check{
					"Remote": knownvalue.ObjectPartial(map[string]knownvalue.Check{"url_port": knownvalue.Int64Exact(443), "tls_enabled": knownvalue.Bool(true)}),
				})),
			},
		}},
	})
}

func TestAccFunctions(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.8.0")))},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: `
output "server" { value = provider::mcptls::server_env("DenyListPlugin", "/app/certs", "0.0.0.0", 3000, 2) }
output "client" { value = provider::mcptls::client_env("/etc/mcp", true, false) }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("server", knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_SERVER_HOST":          knownvalue.StringExact("0.0.0.0"),
						"PLUGINS_SERVER_PORT":          knownvalue.StringExact("3000"),
						"PLUGINS_SERVER_SSL_ENABLED":   knownvalue.StringExact("true"),
						"PLUGINS_SERVER_SSL_KEYFILE":   knownvalue.StringExact("/app/certs/plugins/DenyListPlugin/server.key"),
						"PLUGINS_SERVER_SSL_CERTFILE":  knownvalue.StringExact("/app/certs/plugins/DenyListPlugin/server.crt"),
						"PLUGINS_SERVER_SSL_CA_CERTS":  knownvalue.StringExact("/app/certs/plugins/DenyListPlugin/ca.crt"),
						"PLUGINS_SERVER_SSL_CERT_REQS": knownvalue.StringExact("2"),
					})),
					statecheck.ExpectKnownOutputValue("client", knownvalue.MapPartial(map[string]knownvalue.Check{
						"PLUGINS_CLIENT_MTLS_CA_BUNDLE":      knownvalue.StringExact("/etc/mcp/gateway/ca.crt"),
						"PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME": knownvalue.StringExact("false"),
					})),
				},
			},
			{Config: `output "x" { value = provider::mcptls::server_env("bad_name", "c", "h", 1, 2) }`, ExpectError: regexp.MustCompile(`(?s)(argument 1|"name" parameter).*cannot\s+be\s+a\s+DNS`)},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "", "h", 1, 2) }`, ExpectError: regexp.MustCompile(`(?s)(argument 2|"cert_dir" parameter).*cert_dir\s+must\s+not\s+be\s+empty`)},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "h", 65000, 2) }`, ExpectError: regexp.MustCompile(`(?s)(argument 4|"port" parameter).*health\s+port`)},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "h", 1, 5) }`, ExpectError: regexp.MustCompile(`(?s)(argument 5|"ssl_cert_reqs" parameter).*ssl_cert_reqs`)},
			{Config: `output "x" { value = provider::mcptls::client_env("", true, true) }`, ExpectError: regexp.MustCompile(`(?s)(argument 1|"cert_dir" parameter).*cert_dir\s+must\s+not\s+be\s+empty`)},
		},
	})
}
