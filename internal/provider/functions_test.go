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

func TestAccFunctions(t *testing.T) {
	t.Parallel()
	argError := func(index, name, says string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)(argument ` + index + `|"` + name + `" parameter).*` + words(says))
	}
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
