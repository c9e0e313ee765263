package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// argError matches a function's error on one argument (Terraform names its
// index, OpenTofu its name) saying says.
func argError(index, name, says string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)(argument ` + index + `|"` + name + `" parameter).*` + words(says))
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
output "client" { value = provider::mcptls::client_env("/etc/mcp", true, false) }
output "grpc_server" { value = provider::mcptls::grpc_server_env("My_Plugin", "/app/certs", "0.0.0.0", 50051, 0) }
output "grpc_client" { value = provider::mcptls::grpc_client_env("/etc/mcp") }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("server", knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_TRANSPORT":            knownvalue.StringExact("http"),
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
					statecheck.ExpectKnownOutputValue("grpc_server", knownvalue.MapPartial(map[string]knownvalue.Check{
						"PLUGINS_GRPC_SERVER_SSL_CERTFILE":    knownvalue.StringExact("/app/certs/plugins/My_Plugin/server.crt"),
						"PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH": knownvalue.StringExact("none"),
						"PLUGINS_GRPC_SERVER_PORT":            knownvalue.StringExact("50051"),
					})),
					statecheck.ExpectKnownOutputValue("grpc_client", knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_GRPC_CLIENT_MTLS_CERTFILE":  knownvalue.StringExact("/etc/mcp/gateway/client.crt"),
						"PLUGINS_GRPC_CLIENT_MTLS_KEYFILE":   knownvalue.StringExact("/etc/mcp/gateway/client.key"),
						"PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE": knownvalue.StringExact("/etc/mcp/gateway/ca.crt"),
						"PLUGINS_GRPC_CLIENT_MTLS_VERIFY":    knownvalue.StringExact("true"),
					})),
				},
			},
			{Config: `output "x" { value = provider::mcptls::server_env("bad/name", "c", "h", 1, 2) }`, ExpectError: argError("1", "name", "cannot be a directory of the certs/mcp tree")},
			{Config: `output "x" { value = provider::mcptls::server_env(".hidden", "c", "h", 1, 2) }`, ExpectError: argError("1", "name", "starts with `.`, which makes plugins/.hidden a hidden directory")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "", "h", 1, 2) }`, ExpectError: argError("2", "cert_dir", "cert_dir must not be empty")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "/certs\nPLUGINS_CLIENT_MTLS_VERIFY=false", "h", 1, 2) }`, ExpectError: argError("2", "cert_dir", "contains a control character")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "/certs/../etc", "h", 1, 2) }`, ExpectError: argError("2", "cert_dir", "contains `..`")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "a\u0000b", 1, 2) }`, ExpectError: argError("3", "host", "contains a control character")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "h", 65000, 2) }`, ExpectError: argError("4", "port", "health port")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "h", 8000.5, 2) }`, ExpectError: argError("4", "port", "port must be a whole number, got 8000.5")},
			{Config: `output "x" { value = provider::mcptls::server_env("p", "c", "h", 1, 5) }`, ExpectError: argError("5", "ssl_cert_reqs", "ssl_cert_reqs must be 0")},
			{Config: `output "x" { value = provider::mcptls::grpc_server_env("p", "c", "h", 70000, 2) }`, ExpectError: argError("4", "port", "between 1 and 65535")},
			{Config: `output "x" { value = provider::mcptls::client_env("", true, true) }`, ExpectError: argError("1", "cert_dir", "cert_dir must not be empty")},
			{Config: `output "x" { value = provider::mcptls::grpc_client_env("a\nb") }`, ExpectError: argError("1", "cert_dir", "contains a control character")},
		},
	})
}

func TestAccFilesAndMountedEnv(t *testing.T) {
	t.Parallel()
	config := caConfig + leafConfig("mcptls_gateway_cert", "gw", "  trust_bundle_pem = mcptls_ca.ca.trust_bundle_pem") +
		leafConfig("mcptls_plugin_cert", "p", "  name = \"DenyListPlugin\"\n  trust_bundle_pem = mcptls_ca.ca.trust_bundle_pem") + `
output "files" {
  value     = provider::mcptls::files(mcptls_ca.ca, mcptls_gateway_cert.gw, { p = mcptls_plugin_cert.p })
  sensitive = true
}
output "paths" {
  value = nonsensitive(sort(keys(provider::mcptls::files(mcptls_ca.ca, null, { p = mcptls_plugin_cert.p }))))
}
output "mounted" {
  value = provider::mcptls::mounted_env(mcptls_plugin_cert.p.server_env, "/etc/mcp/tls")
}
`
	pem := func(kind string) knownvalue.Check {
		return knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN ` + kind + `-----`))
	}
	file := func(kind, mode string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"content": pem(kind), "mode": knownvalue.StringExact(mode)})
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.8.0")))},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("files", knownvalue.MapExact(map[string]knownvalue.Check{
						"ca/ca.crt": file("CERTIFICATE", "0644"), "ca/ca.key": file("PRIVATE KEY", "0600"),
						"gateway/client.crt": file("CERTIFICATE", "0644"), "gateway/client.key": file("PRIVATE KEY", "0600"),
						"gateway/client.pem": file("CERTIFICATE", "0600"), "gateway/ca.crt": file("CERTIFICATE", "0644"),
						"plugins/DenyListPlugin/server.crt": file("CERTIFICATE", "0644"), "plugins/DenyListPlugin/server.key": file("PRIVATE KEY", "0600"),
						"plugins/DenyListPlugin/ca.crt": file("CERTIFICATE", "0644"),
					})),
					statecheck.ExpectKnownOutputValue("paths", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("ca/ca.crt"), knownvalue.StringExact("ca/ca.key"),
						knownvalue.StringExact("plugins/DenyListPlugin/ca.crt"), knownvalue.StringExact("plugins/DenyListPlugin/server.crt"), knownvalue.StringExact("plugins/DenyListPlugin/server.key"),
					})),
					statecheck.ExpectKnownOutputValue("mounted", knownvalue.MapPartial(map[string]knownvalue.Check{
						"PLUGINS_SERVER_SSL_CERTFILE": knownvalue.StringExact("/etc/mcp/tls/tls.crt"),
						"PLUGINS_SERVER_SSL_KEYFILE":  knownvalue.StringExact("/etc/mcp/tls/tls.key"),
						"PLUGINS_SERVER_SSL_CA_CERTS": knownvalue.StringExact("/etc/mcp/tls/ca.crt"),
						"PLUGINS_TRANSPORT":           knownvalue.StringExact("http"),
					})),
				},
			},
			{Config: config + `output "x" { value = provider::mcptls::mounted_env({}, "/a/../b") }`, ExpectError: regexp.MustCompile(`(?s)(argument 2|"mount_dir" parameter).*contains\s+` + "`..`")},
			// Two entries naming one plugin would write one directory twice.
			{Config: config + `output "x" {
  value     = provider::mcptls::files(mcptls_ca.ca, null, { a = mcptls_plugin_cert.p, b = mcptls_plugin_cert.p })
  sensitive = true
}`, ExpectError: argError("3", "plugins", `plugins["a"] and plugins["b"] are both plugin "DenyListPlugin"`)},
			{Config: config}, // a last valid step, so the harness can destroy
		},
	})
}
