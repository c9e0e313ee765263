package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

func TestAccGatewayCert_inputsAndEnv(t *testing.T) {
	t.Parallel()
	gw := "mcptls_gateway_cert.gw"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: caConfig + leafConfig("mcptls_gateway_cert", "gw", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("common_name"), knownvalue.StringExact("mcp-gateway-client")),
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("organization"), knownvalue.StringExact("MCPGateway")),
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("organizational_unit"), knownvalue.StringExact("Gateway")),
					// 825 days asked, cut to the CA's 365.
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("not_after"), knownvalue.StringExact("2027-03-01T11:55:00Z")), // exactly 365 days
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("client_pem"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)BEGIN CERTIFICATE.*BEGIN PRIVATE KEY`))),
					statecheck.CompareValuePairs(gw, tfjsonpath.New("ca_cert_pem"), "mcptls_ca.ca", tfjsonpath.New("cert_pem"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("client_env"), knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_CLIENT_MTLS_CERTFILE":       knownvalue.StringExact("certs/mcp/gateway/client.crt"),
						"PLUGINS_CLIENT_MTLS_KEYFILE":        knownvalue.StringExact("certs/mcp/gateway/client.key"),
						"PLUGINS_CLIENT_MTLS_CA_BUNDLE":      knownvalue.StringExact("certs/mcp/gateway/ca.crt"),
						"PLUGINS_CLIENT_MTLS_VERIFY":         knownvalue.StringExact("true"),
						"PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME": knownvalue.StringExact("true"),
					})),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Env settings change in place; the certificate is kept.
				Config: caConfig + leafConfig("mcptls_gateway_cert", "gw", `
  cert_dir       = "/app/certs"
  verify         = false
  check_hostname = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(gw, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(gw, tfjsonpath.New("client_env").AtMapKey("PLUGINS_CLIENT_MTLS_CERTFILE"), knownvalue.StringExact("/app/certs/gateway/client.crt")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("client_env").AtMapKey("PLUGINS_CLIENT_MTLS_VERIFY"), knownvalue.StringExact("false")),
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("client_env").AtMapKey("PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME"), knownvalue.StringExact("false")),
				},
			},
			{
				Config: caConfig + leafConfig("mcptls_gateway_cert", "gw", `
  common_name         = "gw-2"
  organization        = "Acme"
  organizational_unit = "Platform"
  validity_days       = 90`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(gw, plancheck.ResourceActionReplace)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("not_after"), knownvalue.StringExact("2026-05-30T11:55:00Z")), // exactly 90 days
					statecheck.ExpectKnownValue(gw, tfjsonpath.New("cert_dir"), knownvalue.StringExact("certs/mcp")),
				},
			},
		},
	})
}

func TestAccPluginCert_sansPortsAndCAReplacement(t *testing.T) {
	t.Parallel()
	p := "mcptls_plugin_cert.p"
	plugin := func(body string) string {
		return caConfig + leafConfig("mcptls_plugin_cert", "p", "  name = \"DenyListPlugin\"\n"+body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config: plugin(`  url = "http://127.0.0.1:3000/mcp"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(p, tfjsonpath.New("common_name"), knownvalue.StringExact("mcp-plugin-DenyListPlugin")),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_port"), knownvalue.Int64Exact(3000)),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("health_port"), knownvalue.Int64Exact(4000)),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_env"), knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_TRANSPORT":            knownvalue.StringExact("http"),
						"PLUGINS_SERVER_HOST":          knownvalue.StringExact("127.0.0.1"),
						"PLUGINS_SERVER_PORT":          knownvalue.StringExact("3000"),
						"PLUGINS_SERVER_SSL_ENABLED":   knownvalue.StringExact("true"),
						"PLUGINS_SERVER_SSL_KEYFILE":   knownvalue.StringExact("certs/mcp/plugins/DenyListPlugin/server.key"),
						"PLUGINS_SERVER_SSL_CERTFILE":  knownvalue.StringExact("certs/mcp/plugins/DenyListPlugin/server.crt"),
						"PLUGINS_SERVER_SSL_CA_CERTS":  knownvalue.StringExact("certs/mcp/plugins/DenyListPlugin/ca.crt"),
						"PLUGINS_SERVER_SSL_CERT_REQS": knownvalue.StringExact("2"),
					})),
				},
				Check:            checkSANs(p, "DenyListPlugin,localhost,mcp-plugin-DenyListPlugin", "127.0.0.1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Same host, new port: the SANs are unchanged, so only the env moves.
				Config: plugin(`  url = "http://127.0.0.1:8001/mcp"
  ip_addresses = ["127.0.0.1"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(p, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(p, tfjsonpath.New("server_port"), knownvalue.Int64Exact(8001)),
				}},
			},
			{
				Config: plugin(`  url = "https://plugin.internal/mcp"
  dns_names = ["extra.example"]
  server_host = "0.0.0.0"
  server_port = 9443
  ssl_cert_reqs = 1`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(p, plancheck.ResourceActionReplace)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_env").AtMapKey("PLUGINS_SERVER_PORT"), knownvalue.StringExact("9443")),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_env").AtMapKey("PLUGINS_SERVER_HOST"), knownvalue.StringExact("0.0.0.0")),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_env").AtMapKey("PLUGINS_SERVER_SSL_CERT_REQS"), knownvalue.StringExact("1")),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("health_port"), knownvalue.Int64Exact(10443)),
				},
				Check: checkSANs(p, "DenyListPlugin,extra.example,localhost,mcp-plugin-DenyListPlugin,plugin.internal", ""),
			},
			{
				// A new CA replaces what it signed (rotation_overlap_days = 0: the CA
				// is replaced at once instead of staging a successor).
				Config: `
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 365
  common_name           = "Second-CA"
  rotation_overlap_days = 0
}
` + leafConfig("mcptls_plugin_cert", "p", `  name = "DenyListPlugin"
  url = "https://plugin.internal/mcp"
  dns_names = ["extra.example"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction(p, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(p, tfjsonpath.New("server_port"), knownvalue.Int64Exact(8000)),
				},
			},
		},
	})
}

// TestAccImport adopts files laid out as `make certs-mcp-all` writes them.
func TestAccImport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := caConfig + leafConfig("mcptls_gateway_cert", "gw", "  validity_days = 300") + leafConfig("mcptls_plugin_cert", "p", `  name = "OPAPluginFilter"
  validity_days = 300
  url = "http://localhost:8000/mcp"`)
	writeFrom := func(addr, sub, certFile, keyFile string) resource.ImportStateIdFunc {
		return func(s *terraform.State) (string, error) {
			rs := s.RootModule().Resources[addr].Primary.Attributes
			target := filepath.Join(dir, sub)
			files := map[string]string{certFile: rs["cert_pem"], keyFile: rs["private_key_pem"]}
			if ca, ok := rs["ca_cert_pem"]; ok {
				files["ca.crt"] = ca
			}
			return target, writeFiles(target, files)
		}
	}
	// The URL is not in the directory, and cert_dir (with the env paths) follows
	// the import path; the next apply sets them from configuration. The CA key is
	// read from <tree>/ca/ca.key, which the CA's import step wrote: it must match.
	ignore := []string{"url", "cert_dir", "client_env", "grpc_client_env", "server_env"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: config},
			{ResourceName: "mcptls_ca.ca", ImportState: true, ImportStateVerify: true, ImportStateIdFunc: writeFrom("mcptls_ca.ca", "ca", "ca.crt", "ca.key"), ImportStateVerifyIdentifierAttribute: "id"},
			{ResourceName: "mcptls_gateway_cert.gw", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: ignore, ImportStateIdFunc: writeFrom("mcptls_gateway_cert.gw", "gateway", "client.crt", "client.key")},
			{
				// A key that is not the certificate's is refused.
				ResourceName: "mcptls_gateway_cert.gw", ImportState: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					target := filepath.Join(dir, "mismatch")
					gw := s.RootModule().Resources["mcptls_gateway_cert.gw"].Primary.Attributes
					ca := s.RootModule().Resources["mcptls_ca.ca"].Primary.Attributes
					return target, writeFiles(target, map[string]string{"client.crt": gw["cert_pem"], "client.key": ca["private_key_pem"], "ca.crt": ca["cert_pem"]})
				},
				ExpectError: regexp.MustCompile(`client\.key\s+does\s+not\s+hold\s+the\s+private\s+key\s+of`),
			},
			{ResourceName: "mcptls_plugin_cert.p", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: ignore, ImportStateIdFunc: writeFrom("mcptls_plugin_cert.p", "plugins/OPAPluginFilter", "server.crt", "server.key")},
		},
	})
}

// writeFiles lays files out in dir as the Makefile would, for import tests.
func writeFiles(dir string, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// TestAccPluginCert_makefileName: a name the gateway and the Makefile accept
// but DNS does not is issued with the Makefile's SANs (and a warning).
func TestAccPluginCert_makefileName(t *testing.T) {
	t.Parallel()
	p := "mcptls_plugin_cert.p"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: caConfig + leafConfig("mcptls_plugin_cert", "p", "  name = \"My_Plugin\"\n  url = \"https://plugin.example.com:8443/mcp\""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(p, tfjsonpath.New("common_name"), knownvalue.StringExact("mcp-plugin-My_Plugin")),
				statecheck.ExpectKnownValue(p, tfjsonpath.New("server_env").AtMapKey("PLUGINS_SERVER_SSL_CERTFILE"), knownvalue.StringExact("certs/mcp/plugins/My_Plugin/server.crt")),
			},
			Check: func(s *terraform.State) error {
				cert, err := pki.ParseCertificate(s.RootModule().Resources[p].Primary.Attributes["cert_pem"])
				if err != nil {
					return err
				}
				if got := strings.Join(cert.DNSNames, ","); got != "localhost,mcp-plugin-My_Plugin,My_Plugin,plugin.example.com" {
					return fmt.Errorf("SANs %s", got)
				}
				return nil
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
