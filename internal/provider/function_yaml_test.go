package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
	"github.com/mcptls/terraform-provider-mcptls/internal/yamlrender"
)

var yamlFunctionsNeed18 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.8.0")))}

// loads checks that a rendered string loads with the gateway's rules and
// reads back as asked.
func loads(check func(f *pluginconfig.File) error) knownvalue.Check {
	return knownvalue.StringFunc(func(text string) error {
		f, _, err := pluginconfig.Parse([]byte(text), pluginconfig.DefaultOptions())
		if err != nil {
			return fmt.Errorf("the gateway would refuse it: %w\n%s", err, text)
		}
		return check(f)
	})
}

func TestAccYAMLBlockFunctions(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   yamlFunctionsNeed18,
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: `
locals {
  mcp  = provider::mcptls::mcp_client_tls_yaml("/app/certs: #1", true, false)
  grpc = provider::mcptls::grpc_client_tls_yaml("/app/certs")
}
output "mcp" { value = local.mcp }
output "grpc" { value = local.grpc }
# Placed under a plugin's block with indent(), as the docs show.
output "gateway" {
  value = <<-EOT
    plugins:
      - name: DenyListPlugin
        kind: external
        mcp:
          proto: STREAMABLEHTTP
          url: https://deny.example.com:8443/mcp
          ${indent(6, local.mcp)}
      - name: OPAPluginFilter
        kind: external
        grpc:
          target: opa.example.com:50051
          ${indent(6, local.grpc)}
  EOT
}
# Terraform's own YAML decoder reads the same values.
output "mcp_decoded" { value = yamldecode(local.mcp).tls }
output "server" { value = provider::mcptls::server_settings_yaml("DenyListPlugin", "/app/certs", "0.0.0.0", 8000, 2) }
output "grpc_server" { value = provider::mcptls::grpc_server_settings_yaml("OPAPluginFilter", "yes", "::", 50051, 1) }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("mcp", knownvalue.StringExact(
						"tls:\n  certfile: \"/app/certs: #1/gateway/client.crt\"\n  keyfile: \"/app/certs: #1/gateway/client.key\"\n  ca_bundle: \"/app/certs: #1/gateway/ca.crt\"\n  verify: true\n  check_hostname: false\n")),
					statecheck.ExpectKnownOutputValue("grpc", knownvalue.StringExact(
						"tls:\n  certfile: /app/certs/gateway/client.crt\n  keyfile: /app/certs/gateway/client.key\n  ca_bundle: /app/certs/gateway/ca.crt\n  verify: true\n")),
					statecheck.ExpectKnownOutputValue("gateway", loads(func(f *pluginconfig.File) error {
						m, g := f.Plugins[0].MCP.TLS, f.Plugins[1].GRPC.TLS
						if m == nil || m.CertFile != "/app/certs: #1/gateway/client.crt" || m.CABundle != "/app/certs: #1/gateway/ca.crt" || !m.Verify || m.CheckHostname ||
							g == nil || g.KeyFile != "/app/certs/gateway/client.key" || !g.Verify {
							return fmt.Errorf("mcp.tls %+v, grpc.tls %+v", m, g)
						}
						return nil
					})),
					statecheck.ExpectKnownOutputValue("mcp_decoded", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"certfile":       knownvalue.StringExact("/app/certs: #1/gateway/client.crt"),
						"keyfile":        knownvalue.StringExact("/app/certs: #1/gateway/client.key"),
						"ca_bundle":      knownvalue.StringExact("/app/certs: #1/gateway/ca.crt"),
						"verify":         knownvalue.Bool(true),
						"check_hostname": knownvalue.Bool(false),
					})),
					statecheck.ExpectKnownOutputValue("server", loads(func(f *pluginconfig.File) error {
						s := f.ServerSettings
						if s == nil || s.Host != "0.0.0.0" || s.Port != 8000 || s.TLS == nil || s.TLS.SSLCertReqs != 2 ||
							s.TLS.CertFile != "/app/certs/plugins/DenyListPlugin/server.crt" || s.TLS.KeyFile != "/app/certs/plugins/DenyListPlugin/server.key" || s.TLS.CABundle != "/app/certs/plugins/DenyListPlugin/ca.crt" {
							return fmt.Errorf("server_settings %+v", s)
						}
						return nil
					})),
					statecheck.ExpectKnownOutputValue("grpc_server", loads(func(f *pluginconfig.File) error {
						s := f.GRPCServerSettings
						if s == nil || s.Host != "::" || s.Port != 50051 || s.TLS == nil || s.TLS.ClientAuth != "optional" || s.TLS.CertFile != "yes/plugins/OPAPluginFilter/server.crt" {
							return fmt.Errorf("grpc_server_settings %+v %+v", s, s.TLS)
						}
						return nil
					})),
				},
			},
			{Config: `output "x" { value = provider::mcptls::mcp_client_tls_yaml("", true, true) }`, ExpectError: argError("1", "cert_dir", "cert_dir must not be empty")},
			{Config: `output "x" { value = provider::mcptls::mcp_client_tls_yaml("/c\nverify: false", true, true) }`, ExpectError: argError("1", "cert_dir", "contains a control character")},
			{Config: `output "x" { value = provider::mcptls::grpc_client_tls_yaml("/c/{{ env.DIR }}") }`, ExpectError: argError("1", "cert_dir", "Jinja2 rendering")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("bad/name", "c", "h", 1, 2) }`, ExpectError: argError("1", "name", "cannot be a directory of the certs/mcp tree")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("p", "/a/../b", "h", 1, 2) }`, ExpectError: argError("2", "cert_dir", "contains `..`")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("p", "c", "{{env.HOST}}", 1, 2) }`, ExpectError: argError("3", "host", "Jinja2 rendering")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("p", "c", "h", 65000, 2) }`, ExpectError: argError("4", "port", "health port")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("p", "c", "h", 80.5, 2) }`, ExpectError: argError("4", "port", "port must be a whole number, got 80.5")},
			{Config: `output "x" { value = provider::mcptls::server_settings_yaml("p", "c", "h", 80, 3) }`, ExpectError: argError("5", "ssl_cert_reqs", "ssl_cert_reqs must be 0")},
			{Config: `output "x" { value = provider::mcptls::grpc_server_settings_yaml("p", "c", "a\tb", 50051, 2) }`, ExpectError: argError("3", "host", "contains a control character")},
			{Config: `output "x" { value = provider::mcptls::grpc_server_settings_yaml("p", "c", "h", 70000, 2) }`, ExpectError: argError("4", "port", "between 1 and 65535")},
			{Config: `output "x" { value = provider::mcptls::grpc_server_settings_yaml("p", "c", "h", 1, -1) }`, ExpectError: argError("5", "ssl_cert_reqs", "ssl_cert_reqs must be 0")},
		},
	})
}

func TestAccYAMLPluginConfigTLS(t *testing.T) {
	t.Parallel()
	fixture, err := filepath.Abs("../yamlrender/testdata/gateway-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	// The function returns what the unit-tested package renders, exactly.
	want := func(opts yamlrender.Options, in string) string {
		out, err := yamlrender.AddTLS(in, "/app/certs", opts)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	noHostCheck := yamlrender.DefaultOptions()
	noHostCheck.CheckHostname = false
	noVerify := yamlrender.DefaultOptions()
	noVerify.Verify = false
	templated := strings.Replace(string(content), "https://deny.plugins.example.com:8443/mcp", `"https://{{ env.DENY_HOST }}:8443/mcp"`, 1)
	withEnv := yamlrender.DefaultOptions()
	withEnv.Config.TemplateEnv = map[string]string{"DENY_HOST": "deny.plugins.example.com"}
	conflict := "plugins:\n  - name: A\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://a.example.com/mcp\n      tls: {verify: false}\n"
	replace := yamlrender.DefaultOptions()
	replace.Existing = yamlrender.ExistingReplace
	cfg := func(args string) string {
		return fmt.Sprintf("output \"x\" { value = provider::mcptls::plugin_config_tls_yaml(%s) }\n", args)
	}
	// OpenTofu 1.12.6 never calls a function whose dynamic parameter gets a
	// literal null: it plans the result as unknown, again on every plan. The
	// function's description tells OpenTofu users to pass {} instead.
	nullOptions := "null"
	if underOpenTofu() {
		nullOptions = "{}"
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   yamlFunctionsNeed18,
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
locals { config = file(%q) }
output "defaults" { value = provider::mcptls::plugin_config_tls_yaml(local.config, "/app/certs") }
output "no_host_check" { value = provider::mcptls::plugin_config_tls_yaml(local.config, "/app/certs", { check_hostname = false, existing_tls = "error" }) }
output "null_options" { value = provider::mcptls::plugin_config_tls_yaml(local.config, "/app/certs", %s) }
output "templated" {
  value = provider::mcptls::plugin_config_tls_yaml(%q, "/app/certs", { template_env = { DENY_HOST = "deny.plugins.example.com" } })
}
variable "env" {
  type    = map(string)
  default = { DENY_HOST = "deny.plugins.example.com" }
}
output "templated_map" { value = provider::mcptls::plugin_config_tls_yaml(%q, "/app/certs", { template_env = var.env }) }
output "replaced" { value = provider::mcptls::plugin_config_tls_yaml(%q, "/app/certs", { existing_tls = "replace" }) }
output "kept" { value = provider::mcptls::plugin_config_tls_yaml(%q, "/app/certs", { existing_tls = "keep" }) }
output "private_ip" { value = provider::mcptls::plugin_config_tls_yaml("plugins: [{name: A, kind: external, grpc: {target: '10.0.0.5:50051'}}]", "/c", { ssrf_protection = false }) }
output "converted" {
  value = provider::mcptls::plugin_config_tls_yaml("plugins: [{name: A, kind: external, mcp: {proto: STREAMABLEHTTP, url: 'https://10.0.0.5:{{ env.PORT }}/mcp'}}]", "/c", { ssrf_protection = "false", template_env = { PORT = 8443 } })
}`,
					fixture, nullOptions, templated, templated, conflict, conflict),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("defaults", knownvalue.StringExact(want(yamlrender.DefaultOptions(), string(content)))),
					statecheck.ExpectKnownOutputValue("null_options", knownvalue.StringExact(want(yamlrender.DefaultOptions(), string(content)))),
					statecheck.ExpectKnownOutputValue("no_host_check", knownvalue.StringExact(want(noHostCheck, string(content)))),
					statecheck.ExpectKnownOutputValue("templated", knownvalue.StringExact(want(withEnv, templated))),
					statecheck.ExpectKnownOutputValue("templated_map", knownvalue.StringExact(want(withEnv, templated))),
					statecheck.ExpectKnownOutputValue("replaced", knownvalue.StringExact(want(replace, conflict))),
					statecheck.ExpectKnownOutputValue("kept", knownvalue.StringExact(conflict)),
					statecheck.ExpectKnownOutputValue("private_ip", knownvalue.StringExact(
						"plugins: [{name: A, kind: external, grpc: {target: '10.0.0.5:50051', tls: {certfile: /c/gateway/client.crt, keyfile: /c/gateway/client.key, ca_bundle: /c/gateway/ca.crt, verify: true}}}]")),
					// As the data source converts template_env = { PORT = 8443 } and ssrf_protection = "false".
					statecheck.ExpectKnownOutputValue("converted", knownvalue.StringRegexp(regexp.MustCompile(`^plugins: \[\{name: A, kind: external, mcp: \{proto: STREAMABLEHTTP, url: 'https://10.0.0.5:\{\{ env.PORT \}\}/mcp', tls: \{`))),
				},
			},
			{Config: cfg(`"plugins:\n  - name: A\n    kind: external\n    grpc: {target: a:1, uds: /s}\n", "/c"`), ExpectError: argError("1", "content", "content: line 4, column 25: plugin \"A\": grpc has both `target` and `uds`")},
			{Config: cfg(`"plugins: [{name: A, kind: external, mcp: {proto: STREAMABLEHTTP, url: 'https://10.0.0.5/mcp'}}]", "/c"`), ExpectError: argError("1", "content", "line 1, column 71")},
			{Config: cfg(fmt.Sprintf("%q, \"/c\"", templated)), ExpectError: argError("1", "content", "env.DENY_HOST is not in template_env")},
			{Config: cfg(fmt.Sprintf("%q, \"/c\"", conflict)), ExpectError: argError("1", "content", `line 7, column 7: plugin "A": mcp.tls is not the block mcptls writes`)},
			{Config: cfg(`"plugins: []", "/c\n"`), ExpectError: argError("2", "cert_dir", "contains a control character")},
			{Config: cfg(`"plugins: []", "{{ env.CERTS }}"`), ExpectError: argError("2", "cert_dir", "Jinja2 rendering")},
			{Config: cfg(`"plugins: []", "/c", { existing_tls = "overwrite" }`), ExpectError: argError("3", "options", `options.existing_tls is "overwrite": use "error" (the default), "keep" or "replace"`)},
			{Config: cfg(`"plugins: []", "/c", { check_hostnames = false }`), ExpectError: argError("3", "options", `options has no attribute "check_hostnames"`)},
			{Config: cfg(`"plugins: []", "/c", { verify = "no" }`), ExpectError: argError("3", "options", "options.verify must be true or false, got a string")},
			{Config: cfg(`"plugins: []", "/c", "verify"`), ExpectError: argError("3", "options", "options must be an object such as { check_hostname = false }, got a string")},
			{Config: cfg(`"plugins: []", "/c", { template_env = { PORT = [8443] } }`), ExpectError: argError("3", "options", "options.template_env.PORT must be a string, a number or a bool, got a list")},
			{Config: cfg(`"plugins: []", "/c", "replace"`), ExpectError: argError("3", "options", "options must be an object")},
			{Config: cfg(`"plugins: []", "/c", {}, {}`), ExpectError: argError("4", "options", "give at most one options object, got 2")},
			{
				// An option known only at apply: unknown in plan, the value after.
				// Last, so the destroy after the test runs a valid config.
				Config: fmt.Sprintf(`
resource "terraform_data" "verify" { input = false }
output "x" { value = provider::mcptls::plugin_config_tls_yaml(file(%q), "/app/certs", { verify = terraform_data.verify.output }) }`, fixture),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("x", knownvalue.StringExact(want(noVerify, string(content))))},
			},
		},
	})
}

// TestAccAllConstructsRoundTrip: the config with every construct (Jinja2
// filters, conditionals, loops, raw blocks, a keep-chomping block scalar, an
// ipv4: target, a byte-order mark, CRLF) applies through the data source, and
// plugin_config_tls_yaml returns it with exactly the tls blocks the
// unit-tested package adds (which the gateway's Jinja2 and PyYAML read back
// as the input elsewhere: TestAddTLSToAFileWithEveryConstruct); the data
// source reads that output with the blocks in place.
func TestAccAllConstructsRoundTrip(t *testing.T) {
	t.Parallel()
	fixture, err := filepath.Abs("../yamlrender/testdata/all-constructs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	opts := yamlrender.DefaultOptions()
	opts.Config.TemplateEnv = map[string]string{"WITH_DNS": "1"}
	want, err := yamlrender.AddTLS(string(content), "/app/certs", opts)
	if err != nil {
		t.Fatal(err)
	}
	config := fmt.Sprintf(`
locals {
  env      = { WITH_DNS = "1" }
  with_tls = provider::mcptls::plugin_config_tls_yaml(file(%q), "/app/certs", { template_env = local.env })
}
data "mcptls_plugin_config" "before" {
  path         = %q
  template_env = local.env
}
data "mcptls_plugin_config" "after" {
  content      = local.with_tls
  template_env = local.env
}
output "with_tls" { value = local.with_tls }
output "before" { value = sort(keys(data.mcptls_plugin_config.before.tls_plugins)) }
output "after" { value = { for name, p in data.mcptls_plugin_config.after.external_plugins : name => p.tls_enabled } }
`, fixture, fixture)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   yamlFunctionsNeed18,
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("with_tls", knownvalue.StringExact(want)),
				statecheck.ExpectKnownOutputValue("before", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("Dns"), knownvalue.StringExact("Grpc"), knownvalue.StringExact("Secure"),
				})),
				statecheck.ExpectKnownOutputValue("after", knownvalue.MapExact(map[string]knownvalue.Check{
					"Secure": knownvalue.Bool(true), "Grpc": knownvalue.Bool(true), "Dns": knownvalue.Bool(true), "Plain": knownvalue.Bool(false),
				})),
				statecheck.ExpectKnownValue("data.mcptls_plugin_config.before", tfjsonpath.New("plugins"), knownvalue.ListSizeExact(7)),
			},
		}},
	})
}
