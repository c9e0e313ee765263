package provider

import (
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

var (
	v1_10 = version.Must(version.NewVersion("1.10.0"))
	v1_11 = version.Must(version.NewVersion("1.11.0"))
)

// ecdsaKeyPEM is a fresh P-256 key, as a CA key kept outside Terraform.
func ecdsaKeyPEM(t *testing.T) string {
	t.Helper()
	key, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pki.EncodePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// heredoc writes text as an HCL heredoc.
func heredoc(text string) string { return "<<-EOT\n" + text + "EOT\n" }

// pluginSignedByCA checks that mcptls_plugin_cert.p in state chains to
// mcptls_ca.ca in state.
func pluginSignedByCA() resource.TestCheckFunc {
	return func(s *terraform.State) error {
		l, err := pki.ParseCertificate(s.RootModule().Resources["mcptls_plugin_cert.p"].Primary.Attributes["cert_pem"])
		if err != nil {
			return err
		}
		c, err := pki.ParseCertificate(s.RootModule().Resources["mcptls_ca.ca"].Primary.Attributes["cert_pem"])
		if err != nil {
			return err
		}
		return l.CheckSignatureFrom(c)
	}
}

// TestAccWriteOnlyCAKey: leaves sign with ca_private_key_pem_wo; neither CA key
// input reaches state, and a renewal reissues from the configuration's key.
func TestAccWriteOnlyCAKey(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	config := caConfig + strings.ReplaceAll(leafConfig("mcptls_plugin_cert", "p", `  name = "P"
  validity_days = 100`), "ca_private_key_pem =", "ca_private_key_pem_wo =")
	p := "mcptls_plugin_cert.p"
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(p, tfjsonpath.New("ca_private_key_pem"), knownvalue.Null()),
					statecheck.ExpectKnownValue(p, tfjsonpath.New("ca_private_key_pem_wo"), knownvalue.Null()),
				},
				Check:            pluginSignedByCA(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 100-30)) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(p, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(p, tfjsonpath.New("ca_private_key_pem_wo"), knownvalue.Null())},
				Check:             pluginSignedByCA(),
			},
		},
	})
	// Both CA key inputs: an error at plan once both are known (the CA exists);
	// while either is unknown (the CA is made in the same run) it is an error
	// when Terraform validates again at apply, before the leaf is made. Unknown
	// values never clash, as with the framework's ConflictsWith: a module picks
	// one input with a conditional, and both are unknown while it validates.
	both := caConfig + leafConfig("mcptls_plugin_cert", "p", "  name = \"P\"\n  ca_private_key_pem_wo = mcptls_ca.ca.private_key_pem")
	twoKeys := regexp.MustCompile(`(?s)Two CA keys given.*not both`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps:                    []resource.TestStep{{Config: caConfig}, {Config: both, PlanOnly: true, ExpectError: twoKeys}},
	})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: both, ExpectError: twoKeys},
			{Config: caConfig, ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("key_algorithm"), knownvalue.StringExact("ECDSA"))}},
		},
	})
	expectPlanError(t, caConfig+strings.ReplaceAll(leafConfig("mcptls_plugin_cert", "p", "  name = \"P\""), "ca_private_key_pem =", "# no key"), `(?s)No CA key given.*ca_private_key_pem_wo`)
}

// expectPlanError plans a configuration on Terraform >= 1.11 and wants an error.
func expectPlanError(t *testing.T, config, pattern string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps:                    []resource.TestStep{{Config: config, PlanOnly: true, ExpectError: regexp.MustCompile(pattern)}},
	})
}

// ownCAConfig is a CA self-signed from a key brought in, and a plugin signed
// with the same key, write-only both times.
func ownCAConfig(key string, keyVersion int) string {
	return ownCAKeysConfig(key, keyVersion, key)
}

// ownCAKeysConfig gives the CA and the plugin keys of their own: while a
// successor made from a new CA key is staged, the leaves still sign with the
// current one.
func ownCAKeysConfig(caKey string, keyVersion int, leafKey string) string {
	return fmt.Sprintf(`
locals {
  ca_key   = %s
  leaf_key = %s
}
resource "mcptls_ca" "ca" {
  key_algorithm          = "ECDSA"
  private_key_pem_wo     = local.ca_key
  private_key_wo_version = %d
  validity_days          = 100
  early_renewal_days     = 10
  rotation_overlap_days  = 20
}
resource "mcptls_plugin_cert" "p" {
  name                  = "P"
  ca_cert_pem           = mcptls_ca.ca.cert_pem
  ca_private_key_pem_wo = local.leaf_key
  trust_bundle_pem      = mcptls_ca.ca.trust_bundle_pem
  key_algorithm         = "ECDSA"
  early_renewal_days    = 2
}
`, heredoc(caKey), heredoc(leafKey), keyVersion)
}

// caKeyIs checks the CA certificate's public key is the given key's.
func caKeyIs(keyPEM string, attribute string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		cert, err := pki.ParseCertificate(s.RootModule().Resources["mcptls_ca.ca"].Primary.Attributes[attribute])
		if err != nil {
			return err
		}
		key, err := pki.ParsePrivateKey(keyPEM)
		if err != nil {
			return err
		}
		if !pki.KeyMatches(cert, key) {
			return fmt.Errorf("%s is not signed from the key brought in", attribute)
		}
		return nil
	}
}

// TestAccOwnCAKey: the CA is self-signed from private_key_pem_wo and state
// holds no CA key; rotation re-signs the successor from the same key; a new
// key version is a new CA.
func TestAccOwnCAKey(t *testing.T) {
	t.Parallel()
	key, other := ecdsaKeyPEM(t), ecdsaKeyPEM(t)
	clock := newFakeClock(t0)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				Config: ownCAConfig(key, 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("private_key_pem"), knownvalue.Null()),
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("private_key_pem_wo"), knownvalue.Null()),
				},
				Check:            resource.ComposeTestCheckFunc(caKeyIs(key, "cert_pem"), pluginSignedByCA()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Staged: the successor is re-signed from the same key, so no key is stored.
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 70)) },
				Config:    ownCAConfig(key, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact("staged")),
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_private_key_pem"), knownvalue.Null()),
				},
				Check: caKeyIs(key, "next_cert_pem"),
			},
			{
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 90)) },
				Config:    ownCAConfig(key, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact("promoted")),
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("private_key_pem"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(caKeyIs(key, "cert_pem"), pluginSignedByCA()),
			},
			{
				// Another key swapped in under the same version is refused at plan.
				Config:      ownCAConfig(other, 1),
				ExpectError: regexp.MustCompile(`(?s)CA key changed without a new private_key_wo_version.*To bring a new key`),
			},
			{
				// Another key is another CA: a new version stages a successor made
				// from it, in place; the leaves keep signing with the current key.
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 95)) },
				Config:    ownCAKeysConfig(other, 2, key),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact("staged")),
					statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_private_key_pem"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(caKeyIs(key, "cert_pem"), caKeyIs(other, "next_cert_pem")),
			},
			{
				// When it signs, a leaf still given the old key is refused at plan.
				PreConfig:   func() { clock.Set(t0.AddDate(0, 0, 115)) },
				Config:      ownCAKeysConfig(other, 2, key),
				ExpectError: regexp.MustCompile(`Invalid CA private key`),
			},
			{
				// After the overlap it signs, and the leaves take the new key.
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 115)) },
				Config:    ownCAConfig(other, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(caKeyIs(other, "cert_pem"), pluginSignedByCA()),
			},
		},
	})
	expectPlanError(t, strings.Replace(ownCAConfig(other, 2), `key_algorithm          = "ECDSA"`, `key_algorithm          = "RSA"`, 1),
		`(?s)Key settings do not describe private_key_pem_wo.*an ECDSA P256 key`)
	expectPlanError(t, strings.Replace(ownCAConfig(other, 2), "private_key_wo_version = 2", "", 1), `Missing key version`)
}

// TestAccOwnCAKeyRing: while a new key of the CA's own is rotated in, the
// leaves are given both keys (one PEM text) and sign with the one of the CA
// that signs: the current key while the successor is staged, the new one in
// the apply that promotes it, with no change of configuration in between.
func TestAccOwnCAKeyRing(t *testing.T) {
	t.Parallel()
	key, other, stranger := ecdsaKeyPEM(t), ecdsaKeyPEM(t), ecdsaKeyPEM(t)
	clock := newFakeClock(t0)
	ring := key + other
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{Config: ownCAConfig(key, 1)},
			{
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 30)) },
				Config:    ownCAKeysConfig(other, 2, ring),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(caKeyIs(key, "cert_pem"), caKeyIs(other, "next_cert_pem"), pluginSignedByCA()),
			},
			{
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 51)) },
				Config:    ownCAKeysConfig(other, 2, ring),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionReplace),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(caKeyIs(other, "cert_pem"), pluginSignedByCA()),
			},
			{
				Config:      ownCAKeysConfig(other, 2, key+stranger),
				ExpectError: regexp.MustCompile(`(?s)Invalid CA private key.*none of the 2 private keys given matches`),
			},
		},
	})
}

// TestAccEncryptedKeys: a passphrase encrypts the key as PKCS#8, secret_env
// holds the *_KEYFILE_PASSWORD variables, Python's ssl loads both keys with
// them and completes an mTLS handshake, openssl reads them, a wrong password
// fails, and a new passphrase version is a new key.
func TestAccEncryptedKeys(t *testing.T) {
	t.Parallel()
	passphrase := func(version int, word string) string {
		return fmt.Sprintf("  private_key_passphrase_wo = %q\n  private_key_passphrase_wo_version = %d", word, version)
	}
	config := func(version int, word string) string {
		return caConfig + leafConfig("mcptls_gateway_cert", "gw", passphrase(version, word)) +
			leafConfig("mcptls_plugin_cert", "p", "  name = \"P\"\n  url = \"https://localhost:8443/mcp\"\n"+passphrase(version, word))
	}
	dir := t.TempDir()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_11)},
		ProtoV6ProviderFactories: factories(SystemClock{}),
		Steps: []resource.TestStep{
			{
				Config: config(1, "correct horse battery staple"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("mcptls_plugin_cert.p", tfjsonpath.New("private_key_pem"), knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN ENCRYPTED PRIVATE KEY-----`))),
					statecheck.ExpectKnownValue("mcptls_plugin_cert.p", tfjsonpath.New("secret_env"), knownvalue.MapExact(map[string]knownvalue.Check{
						"PLUGINS_SERVER_SSL_KEYFILE_PASSWORD": knownvalue.StringExact("correct horse battery staple"),
					})),
					statecheck.ExpectKnownValue("mcptls_gateway_cert.gw", tfjsonpath.New("secret_env"), knownvalue.MapExact(map[string]knownvalue.Check{
						// No gRPC one: cpex 0.1.3's gRPC client never reads it.
						"PLUGINS_CLIENT_MTLS_KEYFILE_PASSWORD": knownvalue.StringExact("correct horse battery staple"),
					})),
					statecheck.ExpectKnownValue("mcptls_gateway_cert.gw", tfjsonpath.New("client_pem"), knownvalue.StringRegexp(regexp.MustCompile(`(?s)BEGIN CERTIFICATE.*BEGIN ENCRYPTED PRIVATE KEY`))),
					statecheck.ExpectKnownValue("mcptls_plugin_cert.p", tfjsonpath.New("private_key_passphrase_wo"), knownvalue.Null()),
				},
				Check:            writeKeyFiles(dir),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: config(2, "a new one"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_plugin_cert.p", plancheck.ResourceActionReplace),
					plancheck.ExpectResourceAction("mcptls_gateway_cert.gw", plancheck.ResourceActionReplace),
				}},
			},
		},
	})
	encryptedKeyPeers(t, dir)
	expectPlanError(t, config(3, " padded"), `Invalid passphrase`)
}

// writeKeyFiles keeps the encrypted keys, certificates, bundles and passwords.
func writeKeyFiles(dir string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for name, addr := range map[string]string{"gw": "mcptls_gateway_cert.gw", "p": "mcptls_plugin_cert.p"} {
			a := s.RootModule().Resources[addr].Primary.Attributes
			password := ""
			for k, v := range a {
				if strings.HasPrefix(k, "secret_env.") && strings.HasSuffix(k, "_KEYFILE_PASSWORD") {
					password = v
				}
			}
			for ext, content := range map[string]string{".crt": a["cert_pem"], ".key": a["private_key_pem"], ".ca.crt": a["trust_bundle_pem"], ".password": password} {
				if err := os.WriteFile(filepath.Join(dir, name+ext), []byte(content), 0o600); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func encryptedKeyPeers(t *testing.T, dir string) {
	t.Helper()
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if openssl, err := exec.LookPath("openssl"); err == nil {
		for _, c := range []struct {
			password string
			ok       bool
		}{{read("p.password"), true}, {"wrong", false}} {
			out, err := exec.Command(openssl, "pkey", "-in", filepath.Join(dir, "p.key"), "-passin", "pass:"+c.password, "-noout").CombinedOutput()
			if (err == nil) != c.ok {
				t.Errorf("openssl pkey with password ok=%v: %v %s", c.ok, err, out)
			}
		}
	}
	base := pyPeer{
		ServerCert: filepath.Join(dir, "p.crt"), ServerKey: filepath.Join(dir, "p.key"), ServerKeyPass: read("p.password"), ServerCA: filepath.Join(dir, "p.ca.crt"),
		ClientCert: filepath.Join(dir, "gw.crt"), ClientKey: filepath.Join(dir, "gw.key"), ClientKeyPass: read("gw.password"), ClientCA: filepath.Join(dir, "gw.ca.crt"),
		ServerHostname: "localhost", CheckHostname: true,
	}
	ok := base
	ok.Name = "mTLS with both keys encrypted"
	wrong := base
	wrong.Name, wrong.ClientKeyPass = "the gateway's key with a wrong password", "wrong"
	results := pythonHandshakes(t, []pyPeer{ok, wrong})
	for name, want := range map[string]bool{ok.Name: true, wrong.Name: false} {
		if r := results[name]; r.OK != want {
			t.Errorf("%s: ok=%v, want %v (%s)", name, r.OK, want, r.Error)
		}
	}
}

// TestAccEphemeralCerts issues ephemeral certificates and hands them to the
// harness's echo provider, the way a write-only sink would take them.
func TestAccEphemeralCerts(t *testing.T) {
	t.Parallel()
	config := caConfig + `
ephemeral "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  url                = "https://localhost:8443/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

ephemeral "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
  cert_dir           = "/app/certs"
}

provider "echo" {
  data = {
    plugin  = ephemeral.mcptls_plugin_cert.p
    gateway = ephemeral.mcptls_gateway_cert.gw
  }
}

resource "echo" "sink" {}
`
	factories := factories(newFakeClock(t0))
	factories["echo"] = echoprovider.NewProviderServer()
	data := tfjsonpath.New("data")
	pem := func(kind string) knownvalue.Check {
		return knownvalue.StringRegexp(regexp.MustCompile(`^-----BEGIN ` + kind + `-----`))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(v1_10)},
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("plugin").AtMapKey("cert_pem"), pem("CERTIFICATE")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("plugin").AtMapKey("private_key_pem"), pem("PRIVATE KEY")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("plugin").AtMapKey("common_name"), knownvalue.StringExact("mcp-plugin-DenyListPlugin")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("plugin").AtMapKey("server_env").AtMapKey("PLUGINS_SERVER_PORT"), knownvalue.StringExact("8443")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("plugin").AtMapKey("trust_bundle_pem"), pem("CERTIFICATE")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("gateway").AtMapKey("client_env").AtMapKey("PLUGINS_CLIENT_MTLS_CERTFILE"), knownvalue.StringExact("/app/certs/gateway/client.crt")),
				statecheck.ExpectKnownValue("echo.sink", data.AtMapKey("gateway").AtMapKey("not_after"), knownvalue.StringExact(t0.Add(-pki.ClockSkewMargin).AddDate(0, 0, 365).Format(time.RFC3339))),
			},
			Check: func(s *terraform.State) error {
				// The issued plugin certificate verifies with the CA, for its purpose.
				a := s.RootModule().Resources["echo.sink"].Primary.Attributes
				cert, err := pki.ParseCertificate(a["data.plugin.cert_pem"])
				if err != nil {
					return err
				}
				ca, err := pki.ParseCertificate(s.RootModule().Resources["mcptls_ca.ca"].Primary.Attributes["cert_pem"])
				if err != nil {
					return err
				}
				pool := x509.NewCertPool()
				pool.AddCert(ca)
				_, err = cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost", CurrentTime: t0.Add(time.Hour), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
				return err
			},
		}},
	})
}

// TestNewAttributesOnOldTerraform: before write-only arguments (Terraform
// 1.11) and ephemeral resources (1.10), using them is a clear error, while
// every other attribute works as before (the rest of the suite runs on 1.8.5).
func TestNewAttributesOnOldTerraform(t *testing.T) {
	t.Parallel()
	older := []tfversion.TerraformVersionCheck{tfversion.SkipAbove(version.Must(version.NewVersion("1.9.99")))}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   older,
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config:      caConfig + strings.ReplaceAll(leafConfig("mcptls_gateway_cert", "gw", ""), "ca_private_key_pem =", "ca_private_key_pem_wo ="),
				ExpectError: regexp.MustCompile(`(?s)WriteOnly Attribute Not Allowed.*` + words("only supported in Terraform 1.11 and later")),
			},
			{
				Config:      caConfig + "ephemeral \"mcptls_gateway_cert\" \"gw\" {\n  ca_cert_pem = mcptls_ca.ca.cert_pem\n  ca_private_key_pem = mcptls_ca.ca.private_key_pem\n}\n",
				ExpectError: regexp.MustCompile(`(?i)(unsupported block type|ephemeral)`),
			},
			// Without them, everything works (and the harness can clean up).
			{Config: caConfig + leafConfig("mcptls_gateway_cert", "gw", "")},
		},
	})
}
