package provider

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig/parity"
)

// testdata returns the absolute path of a pluginconfig fixture (the harness
// runs each step in a temporary directory).
func testdata(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("../pluginconfig/testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// certPerTLSPlugin is a configuration that reads a config (source is its
// path or content argument) and issues mcptls_plugin_cert.p[i] for each of
// its tls_plugins, in name order. The harness cannot hold for_each instances
// (its state shim takes only numeric indexes), so this uses count;
// TestEndToEndForEach runs the real for_each.
func certPerTLSPlugin(source string) string {
	return fmt.Sprintf(`
data "mcptls_plugin_config" "gw" {
  %s
}
%s
locals {
  tls = [for name in sort(keys(data.mcptls_plugin_config.gw.tls_plugins)) : data.mcptls_plugin_config.gw.tls_plugins[name]]
}
resource "mcptls_plugin_cert" "p" {
  count              = length(local.tls)
  name               = local.tls[count.index].name
  url                = local.tls[count.index].url
  grpc_target        = local.tls[count.index].grpc_target
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
`, source, caConfig)
}

// TestAccPluginConfig_transports reads a file with every transport and issues
// one certificate per plugin that needs one.
func TestAccPluginConfig_transports(t *testing.T) {
	t.Parallel()
	config := certPerTLSPlugin(fmt.Sprintf("path = %q", testdata(t, "transports.yaml"))) + `
output "env" { value = { for c in mcptls_plugin_cert.p : c.name => c.server_env } }
output "health" { value = { for c in mcptls_plugin_cert.p : c.name => c.health_port } }
`
	ds := "data.mcptls_plugin_config.gw"
	plugin := func(name string) tfjsonpath.Path { return tfjsonpath.New("external_plugins").AtMapKey(name) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("plugins"), knownvalue.ListSizeExact(7)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("plugins").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"name": knownvalue.StringExact("ReplaceBadWordsPlugin"), "transport": knownvalue.Null(), "mode": knownvalue.StringExact("sequential"), "priority": knownvalue.Int64Exact(5),
				})),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("external_plugins"), knownvalue.MapSizeExact(6)),
				statecheck.ExpectKnownValue(ds, plugin("MyPlugin"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"transport": knownvalue.StringExact("mcp"), "host": knownvalue.StringExact("plugin.example.com"), "port": knownvalue.Int64Exact(8443),
					"tls_enabled": knownvalue.Bool(true), "url_scheme": knownvalue.StringExact("https"), "grpc_target": knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(ds, plugin("GrpcPlugin"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"transport": knownvalue.StringExact("grpc"), "grpc_target": knownvalue.StringExact("grpc-plugin.internal:50051"),
					"host": knownvalue.StringExact("grpc-plugin.internal"), "port": knownvalue.Int64Exact(50051), "tls_enabled": knownvalue.Bool(true), "url": knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue(ds, plugin("GrpcUdsPlugin"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"transport": knownvalue.StringExact("grpc"), "uds": knownvalue.StringExact("/var/run/grpc-plugin.sock"), "host": knownvalue.Null(), "tls_enabled": knownvalue.Bool(false),
				})),
				statecheck.ExpectKnownValue(ds, plugin("UnixPlugin"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"transport": knownvalue.StringExact("unix_socket"), "uds": knownvalue.StringExact("/var/run/mcp-plugin.sock"), "port": knownvalue.Null(), "tls_enabled": knownvalue.Bool(false),
				})),
				statecheck.ExpectKnownValue(ds, plugin("UdsPlugin"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"transport": knownvalue.StringExact("mcp"), "uds": knownvalue.StringExact("/var/run/mcp.sock"), "host": knownvalue.Null(), "tls_enabled": knownvalue.Bool(false),
				})),
				// Only the plugins reached over TLS need a server certificate.
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("tls_plugins"), knownvalue.MapSizeExact(2)),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("tls_plugins").AtMapKey("GrpcPlugin").AtMapKey("name"), knownvalue.StringExact("GrpcPlugin")),
				statecheck.ExpectKnownValue(ds, tfjsonpath.New("tls_plugins").AtMapKey("MyPlugin").AtMapKey("name"), knownvalue.StringExact("MyPlugin")),
				statecheck.ExpectKnownOutputValue("env", knownvalue.MapExact(map[string]knownvalue.Check{
					"MyPlugin": knownvalue.MapPartial(map[string]knownvalue.Check{
						"PLUGINS_TRANSPORT": knownvalue.StringExact("http"), "PLUGINS_SERVER_PORT": knownvalue.StringExact("8443"),
					}),
					"GrpcPlugin": knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_GRPC_SERVER_HOST":            knownvalue.StringExact("127.0.0.1"),
						"PLUGINS_GRPC_SERVER_PORT":            knownvalue.StringExact("50051"),
						"PLUGINS_GRPC_SERVER_SSL_ENABLED":     knownvalue.StringExact("true"),
						"PLUGINS_GRPC_SERVER_SSL_KEYFILE":     knownvalue.StringExact("certs/mcp/plugins/GrpcPlugin/server.key"),
						"PLUGINS_GRPC_SERVER_SSL_CERTFILE":    knownvalue.StringExact("certs/mcp/plugins/GrpcPlugin/server.crt"),
						"PLUGINS_GRPC_SERVER_SSL_CA_CERTS":    knownvalue.StringExact("certs/mcp/plugins/GrpcPlugin/ca.crt"),
						"PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH": knownvalue.StringExact("require"),
					}),
				})),
				statecheck.ExpectKnownOutputValue("health", knownvalue.MapExact(map[string]knownvalue.Check{
					"MyPlugin": knownvalue.Int64Exact(9443), "GrpcPlugin": knownvalue.Null(),
				})),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// TestAccPluginConfig_everyEndpointIssues: every plugin the data source puts
// in tls_plugins gets its certificate from mcptls_plugin_cert, for every target
// form grpcio connects to over TLS (ipv4:///, dns:, ipv6:), a host with `_`
// and an internationalized host (its IDNA name, as httpx connects); an ipv4:
// address list, which grpcio cannot check a certificate against, is left out.
func TestAccPluginConfig_everyEndpointIssues(t *testing.T) {
	t.Parallel()
	yaml := "plugins:\n" +
		"  - {name: V4, kind: external, grpc: {target: \"ipv4:///10.0.0.7:50051\"}}\n" +
		"  - {name: List, kind: external, grpc: {target: \"ipv4:10.0.0.7:50051,10.0.0.8:50051\"}}\n" +
		"  - {name: Idn, kind: external, mcp: {proto: STREAMABLEHTTP, url: \"https://bücher.example/mcp\"}}\n" +
		"  - {name: Dns, kind: external, grpc: {target: \"dns:///grpc.example.com:50052\"}}\n" +
		"  - {name: V6, kind: external, grpc: {target: \"ipv6:[fd00::7]:50053\"}}\n" +
		"  - {name: Under, kind: external, mcp: {proto: STREAMABLEHTTP, url: \"https://my_plugin:8443/mcp\"}}\n" +
		"  - {name: Sock, kind: external, grpc: {target: \"unix:///run/p.sock\"}}\n"
	config := certPerTLSPlugin("content = "+hclString(yaml)) + `
output "ports" { value = { for c in mcptls_plugin_cert.p : c.name => c.server_port } }
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				// The unix: target loads, and gets no certificate (no TLS on a socket).
				// The unix: target and the address list load, and get no certificate.
				statecheck.ExpectKnownValue("data.mcptls_plugin_config.gw", tfjsonpath.New("tls_plugins"), knownvalue.MapSizeExact(5)),
				statecheck.ExpectKnownOutputValue("ports", knownvalue.MapExact(map[string]knownvalue.Check{
					"V4": knownvalue.Int64Exact(50051), "Dns": knownvalue.Int64Exact(50052), "V6": knownvalue.Int64Exact(50053), "Under": knownvalue.Int64Exact(8443),
					"Idn": knownvalue.Int64Exact(8000),
				})),
			},
			Check: resource.ComposeTestCheckFunc(
				checkSANs("mcptls_plugin_cert.p.0", "Dns,grpc.example.com,localhost,mcp-plugin-Dns", ""),
				checkSANs("mcptls_plugin_cert.p.1", "Idn,localhost,mcp-plugin-Idn,xn--bcher-kva.example", ""),
				checkSANs("mcptls_plugin_cert.p.2", "localhost,mcp-plugin-Under,my_plugin,Under", ""),
				checkSANs("mcptls_plugin_cert.p.3", "localhost,mcp-plugin-V4,V4", "10.0.0.7"),
				checkSANs("mcptls_plugin_cert.p.4", "localhost,mcp-plugin-V6,V6", "fd00::7"),
			),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// TestAccPluginConfig_ssrf: the gateway's own file uses loopback IPs, which its
// default SSRF protection refuses; with the switch off it loads, and its plain
// http plugins need no certificate.
func TestAccPluginConfig_ssrf(t *testing.T) {
	t.Parallel()
	file := testdata(t, "gateway-external-config.yaml")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf("data \"mcptls_plugin_config\" \"gw\" {\n  path = %q\n}\n", file),
				ExpectError: regexp.MustCompile(`(?s)` + words(`line 7, column 12: plugin "DenyListPlugin": mcp.url:`) + `.*127.0.0.1.*PLUGINS_SSRF_PROTECTION_ENABLED=false.*` +
					words("line 17, column 12") + `.*` + words("line 26, column 12")),
			},
			{
				Config: fmt.Sprintf("data \"mcptls_plugin_config\" \"gw\" {\n  path = %q\n  ssrf_protection = false\n}\n", file),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mcptls_plugin_config.gw", tfjsonpath.New("external_plugins"), knownvalue.MapSizeExact(3)),
					statecheck.ExpectKnownValue("data.mcptls_plugin_config.gw", tfjsonpath.New("tls_plugins"), knownvalue.MapSizeExact(0)),
					statecheck.ExpectKnownValue("data.mcptls_plugin_config.gw", tfjsonpath.New("external_plugins").AtMapKey("OPAPluginFilter"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"url_host": knownvalue.StringExact("127.0.0.1"), "port": knownvalue.Int64Exact(8000), "priority": knownvalue.Int64Exact(10), "tls_enabled": knownvalue.Bool(false),
					})),
				},
			},
		},
	})
}

func TestAccPluginConfig_templates(t *testing.T) {
	t.Parallel()
	yaml := "plugins:\n  - name: Remote\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: \"https://{{ env.PLUGIN_HOST }}:8443/mcp\"\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf("data \"mcptls_plugin_config\" \"c\" {\n  content = %q\n  template_env = { PLUGIN_HOST = \"plugins.example.com\" }\n}\n", yaml),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mcptls_plugin_config.c", tfjsonpath.New("tls_plugins").AtMapKey("Remote"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"url": knownvalue.StringExact("https://plugins.example.com:8443/mcp"), "host": knownvalue.StringExact("plugins.example.com"),
					})),
				},
			},
			{
				Config:      configInput(yaml),
				ExpectError: regexp.MustCompile(`(?s)line 6, column 24: env.PLUGIN_HOST is not in template_env`),
			},
		},
	})
}

// TestAccPluginConfig_parity runs every file of the parity table through the
// data source: each file carries the verdict the gateway's own loader gave it
// (cpex 0.1.3), and mcptls must agree except where the file says why not.
func TestAccPluginConfig_parity(t *testing.T) {
	t.Parallel()
	cases, err := parity.Cases("../pluginconfig/testdata/parity")
	if err != nil || len(cases) < 30 {
		t.Fatalf("%d cases: %v", len(cases), err)
	}
	// Accepted files share one step; each refused file needs its own.
	var accepted strings.Builder
	var checks []statecheck.StateCheck
	for i, c := range cases {
		block := parityDataSource(fmt.Sprintf("c%d", i), c)
		if c.Accept {
			accepted.WriteString(block)
			checks = append(checks, statecheck.ExpectKnownValue("data.mcptls_plugin_config."+fmt.Sprintf("c%d", i), tfjsonpath.New("plugins"), knownvalue.NotNull()))
			continue
		}
		pattern := `Invalid plugin config`
		if c.Differs == "" {
			pattern = `(?s)Invalid plugin config.*` + words(parity.Phrase(c.Says[0]))
		}
		t.Run(c.File, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(newFakeClock(t0)),
				Steps:                    []resource.TestStep{{Config: block, ExpectError: regexp.MustCompile(pattern)}},
			})
		})
	}
	t.Run("accepted", func(t *testing.T) {
		t.Parallel()
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(newFakeClock(t0)),
			Steps:                    []resource.TestStep{{Config: accepted.String(), ConfigStateChecks: checks}},
		})
	})
}

func parityDataSource(name string, c parity.Case) string {
	var env []string
	for k, v := range c.Options.TemplateEnv {
		env = append(env, fmt.Sprintf("%q = %q", k, v))
	}
	source := "content = " + hclString(c.Text)
	if !hclCarries(c.Text) {
		// A byte-order mark, CR, NUL or bytes that are not UTF-8: read the file itself.
		abs, _ := filepath.Abs(filepath.Join("../pluginconfig/testdata/parity", c.File))
		source = fmt.Sprintf("path = %q", abs)
	}
	return fmt.Sprintf("data \"mcptls_plugin_config\" %q {\n  %s\n  ssrf_protection = %v\n  template_env = { %s }\n}\n",
		name, source, c.Options.SSRFProtection, strings.Join(env, ", "))
}

// hclCarries reports whether a quoted HCL string holds text byte for byte.
func hclCarries(text string) bool {
	return utf8.ValidString(text) && !strings.ContainsFunc(text, func(r rune) bool {
		return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || r == '\ufeff' || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029
	})
}

// hclString quotes text for HCL: Go's quoting, with HCL's template
// introducers escaped.
func hclString(text string) string {
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(fmt.Sprintf("%q", text))
}
