package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const certCheckDS = "data.mcptls_cert_check.c"

// certCheckAt is the path of one field of one checked certificate.
func certCheckAt(name, field string) tfjsonpath.Path {
	return tfjsonpath.New("certificates").AtMapKey(name).AtMapKey(field)
}

func certCheckExpect(name, field string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(certCheckDS, certCheckAt(name, field), v)
}

func certCheckList(s ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(s))
	for i, v := range s {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func certCheckContains(s string) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(s)))
}

// openSSLTree is the gateway Makefile's certs/mcp tree, made with openssl as the
// Makefile makes it (RSA 2048 instead of 4096 to stay fast; the subjects and
// extensions are the Makefile's): the CA from `openssl req -x509` with the
// v3_ca section of the default openssl.cnf, the gateway certificate from
// `openssl x509 -req` without extensions (X.509 v1), plugin certificates with
// only a subjectAltName extfile. DenyListPlugin has its copy of ca.crt,
// OPAPluginFilter none, so it is checked against ca/ca.crt.
func openSSLTree(t *testing.T, gatewayDays, denyDays, opaDays int) string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not on PATH: the Makefile-made tree needs it")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, d := range []string{"ca", "gateway", "plugins/DenyListPlugin", "plugins/OPAPluginFilter"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The default openssl.cnf's req and v3_ca sections, so OPENSSL_CONF does not matter.
	cnf := filepath.Join(dir, "openssl.cnf")
	if err := os.WriteFile(cnf, []byte("[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\nprompt = no\n[dn]\n"+
		"[v3_ca]\nbasicConstraints = critical,CA:TRUE\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always,issuer\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca/ca.key", "-out", "ca/ca.crt", "-days", "825",
		"-subj", "/CN=ContextForge-CA/O=ContextForge/OU=Plugins", "-config", cnf)
	run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "gateway/client.key", "-out", "gateway/client.csr",
		"-subj", "/CN=mcp-gateway-client/O=MCPGateway/OU=Gateway", "-config", cnf)
	run("x509", "-req", "-in", "gateway/client.csr", "-CA", "ca/ca.crt", "-CAkey", "ca/ca.key", "-CAcreateserial",
		"-out", "gateway/client.crt", "-days", fmt.Sprint(gatewayDays), "-sha256")
	copyFile(t, filepath.Join(dir, "ca/ca.crt"), filepath.Join(dir, "gateway/ca.crt"))
	for name, days := range map[string]int{"DenyListPlugin": denyDays, "OPAPluginFilter": opaDays} {
		d := "plugins/" + name + "/"
		if err := os.WriteFile(filepath.Join(dir, d+"server.ext"), []byte("subjectAltName=DNS:"+name+",DNS:mcp-plugin-"+name+",DNS:localhost\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", d+"server.key", "-out", d+"server.csr",
			"-subj", "/CN=mcp-plugin-"+name+"/O=MCPGateway/OU=Plugins", "-config", cnf)
		run("x509", "-req", "-in", d+"server.csr", "-CA", "ca/ca.crt", "-CAkey", "ca/ca.key", "-CAcreateserial",
			"-out", d+"server.crt", "-days", fmt.Sprint(days), "-sha256", "-extfile", d+"server.ext")
	}
	copyFile(t, filepath.Join(dir, "ca/ca.crt"), filepath.Join(dir, "plugins/DenyListPlugin/ca.crt"))
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// openSSLFields reads not_after (RFC 3339) and the serial (decimal) with
// openssl, independently of crypto/x509.
func openSSLFields(t *testing.T, file string) (notAfter time.Time, serial string) {
	t.Helper()
	out, err := exec.Command("openssl", "x509", "-in", file, "-noout", "-enddate", "-serial").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "notAfter":
			if notAfter, err = time.Parse("Jan _2 15:04:05 2006 MST", v); err != nil {
				t.Fatal(err)
			}
		case "serial":
			n, ok := new(big.Int).SetString(v, 16)
			if !ok {
				t.Fatalf("serial %q", v)
			}
			serial = n.String()
		}
	}
	return notAfter.UTC(), serial
}

// TestAccCertCheck_makefileTree checks a tree made as the gateway's Makefile
// makes it, at a fake time ten days before the gateway certificate expires.
func TestAccCertCheck_makefileTree(t *testing.T) {
	t.Parallel()
	dir := openSSLTree(t, 40, 825, 20)
	gwNotAfter, gwSerial := openSSLFields(t, filepath.Join(dir, "gateway/client.crt"))
	caNotAfter, _ := openSSLFields(t, filepath.Join(dir, "ca/ca.crt"))
	opaNotAfter, _ := openSSLFields(t, filepath.Join(dir, "plugins/OPAPluginFilter/server.crt"))
	now := gwNotAfter.Add(-10 * 24 * time.Hour) // the gateway has exactly 10 days left
	caDays := int64(caNotAfter.Sub(now) / (24 * time.Hour))
	if caNotAfter.Sub(now)%(24*time.Hour) != 0 {
		caDays++ // a day begun counts
	}
	// OPAPluginFilter was issued for 20 days just after the gateway's 40: it
	// expired 10 days ago, less the seconds between the two openssl runs.
	opaDays := int64(-10)

	v1Note := "X.509 v1 without extensions (as the gateway's Makefile issues it): accepted for TLS client authentication; mcptls_gateway_cert sets extended key usage clientAuth"
	noEKU := "no extended key usage (as the gateway's Makefile issues it): accepted for any purpose; mcptls_plugin_cert sets serverAuth"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(now)),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  directory = %q\n}\n", dir),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("certificates"), knownvalue.MapSizeExact(4)),
				certCheckExpect("ca", "role", knownvalue.StringExact("ca")),
				certCheckExpect("ca", "file", knownvalue.StringExact("ca/ca.crt")),
				certCheckExpect("ca", "subject", knownvalue.StringExact("CN=ContextForge-CA,OU=Plugins,O=ContextForge")),
				certCheckExpect("ca", "days_left", knownvalue.Int64Exact(caDays)),
				certCheckExpect("ca", "chain_valid", knownvalue.Bool(true)),
				certCheckExpect("ca", "purpose_valid", knownvalue.Bool(true)),
				certCheckExpect("ca", "notes", certCheckList("no key usage extension (as the gateway's Makefile issues it with openssl req -x509): any use is allowed; mcptls_ca sets keyCertSign and cRLSign")),
				certCheckExpect("ca", "problems", certCheckList()),

				certCheckExpect("gateway", "role", knownvalue.StringExact("client")),
				certCheckExpect("gateway", "file", knownvalue.StringExact("gateway/client.crt")),
				certCheckExpect("gateway", "subject", knownvalue.StringExact("CN=mcp-gateway-client,OU=Gateway,O=MCPGateway")),
				certCheckExpect("gateway", "issuer", knownvalue.StringExact("CN=ContextForge-CA,OU=Plugins,O=ContextForge")),
				certCheckExpect("gateway", "serial_number", knownvalue.StringExact(gwSerial)),
				certCheckExpect("gateway", "not_after", knownvalue.StringExact(gwNotAfter.Format(time.RFC3339))),
				certCheckExpect("gateway", "not_before", knownvalue.StringExact(gwNotAfter.AddDate(0, 0, -40).Format(time.RFC3339))),
				certCheckExpect("gateway", "days_left", knownvalue.Int64Exact(10)),
				certCheckExpect("gateway", "chain_valid", knownvalue.Bool(true)),
				certCheckExpect("gateway", "purpose_valid", knownvalue.Bool(true)),
				certCheckExpect("gateway", "notes", certCheckList(v1Note)),
				certCheckExpect("gateway", "problems", certCheckList()),

				certCheckExpect("plugins/DenyListPlugin", "role", knownvalue.StringExact("server")),
				certCheckExpect("plugins/DenyListPlugin", "subject", knownvalue.StringExact("CN=mcp-plugin-DenyListPlugin,OU=Plugins,O=MCPGateway")),
				certCheckExpect("plugins/DenyListPlugin", "chain_valid", knownvalue.Bool(true)),
				certCheckExpect("plugins/DenyListPlugin", "purpose_valid", knownvalue.Bool(true)),
				certCheckExpect("plugins/DenyListPlugin", "notes", certCheckList(noEKU)),
				certCheckExpect("plugins/DenyListPlugin", "problems", certCheckList()),

				certCheckExpect("plugins/OPAPluginFilter", "file", knownvalue.StringExact("plugins/OPAPluginFilter/server.crt")),
				certCheckExpect("plugins/OPAPluginFilter", "days_left", knownvalue.Int64Exact(opaDays)),
				certCheckExpect("plugins/OPAPluginFilter", "chain_valid", knownvalue.Bool(false)),
				certCheckExpect("plugins/OPAPluginFilter", "purpose_valid", knownvalue.Bool(true)),
				certCheckExpect("plugins/OPAPluginFilter", "problems", certCheckList("expired on "+opaNotAfter.Format(time.RFC3339))),

				statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("warning_days"), knownvalue.Int64Exact(30)),
				statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("min_days_left"), knownvalue.Int64Exact(opaDays)),
				statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList("gateway", "plugins/OPAPluginFilter")),
			},
		}},
	})
}

// TestAccCertCheck_terraformValues checks the resources' own outputs, and
// days_left and expiring on both sides of the warning_days edge.
func TestAccCertCheck_terraformValues(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	notAfter := t0.Add(-5*time.Minute).AddDate(0, 0, 365) // the CA's (backdated by the skew margin); the leaves are cut to it
	config := `
resource "mcptls_ca" "ca" {
  key_algorithm      = "ECDSA"
  validity_days      = 365
  early_renewal_days    = 0 # so moving the clock does not reissue anything
  rotation_overlap_days = 0 # nor stage a successor
}
` + leafConfig("mcptls_gateway_cert", "gw", "  early_renewal_days = 0") +
		leafConfig("mcptls_plugin_cert", "p", "  name = \"DenyListPlugin\"\n  early_renewal_days = 0") + `
data "mcptls_cert_check" "c" {
  pems = {
    ca      = { role = "ca", cert_pem = mcptls_ca.ca.cert_pem }
    gateway = { role = "client", cert_pem = mcptls_gateway_cert.gw.cert_pem, ca_pem = mcptls_gateway_cert.gw.ca_cert_pem }
    plugin  = { role = "server", cert_pem = mcptls_plugin_cert.p.cert_pem, ca_pem = mcptls_plugin_cert.p.ca_cert_pem }
  }
}
`
	days := func(n int64) []statecheck.StateCheck {
		var checks []statecheck.StateCheck
		for _, name := range []string{"ca", "gateway", "plugin"} {
			checks = append(checks, certCheckExpect(name, "days_left", knownvalue.Int64Exact(n)))
		}
		return append(checks, statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("min_days_left"), knownvalue.Int64Exact(n)))
	}
	valid := []statecheck.StateCheck{}
	for addr, name := range map[string]string{"mcptls_ca.ca": "ca", "mcptls_gateway_cert.gw": "gateway", "mcptls_plugin_cert.p": "plugin"} {
		valid = append(valid,
			certCheckExpect(name, "chain_valid", knownvalue.Bool(true)),
			certCheckExpect(name, "purpose_valid", knownvalue.Bool(true)),
			certCheckExpect(name, "notes", certCheckList()),
			certCheckExpect(name, "problems", certCheckList()),
			certCheckExpect(name, "file", knownvalue.Null()),
			certCheckExpect(name, "not_after", knownvalue.StringExact(notAfter.Format(time.RFC3339))),
			statecheck.CompareValuePairs(addr, tfjsonpath.New("serial_number"), certCheckDS, certCheckAt(name, "serial_number"), compare.ValuesSame()),
			statecheck.CompareValuePairs(addr, tfjsonpath.New("not_before"), certCheckDS, certCheckAt(name, "not_before"), compare.ValuesSame()),
		)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: append(append(days(365), valid...),
					certCheckExpect("ca", "role", knownvalue.StringExact("ca")),
					certCheckExpect("gateway", "role", knownvalue.StringExact("client")),
					certCheckExpect("plugin", "role", knownvalue.StringExact("server")),
					certCheckExpect("plugin", "subject", knownvalue.StringExact("CN=mcp-plugin-DenyListPlugin,OU=Plugins,O=MCPGateway")),
					certCheckExpect("gateway", "issuer", knownvalue.StringExact("CN=ContextForge-CA,OU=Plugins,O=ContextForge")),
					statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList()),
				),
			},
			{
				// A second more than 29 days left: 30 days begun, not yet within
				// warning_days = 30.
				PreConfig:         func() { clock.Set(notAfter.AddDate(0, 0, -29).Add(-time.Second)) },
				Config:            config,
				ConfigStateChecks: append(days(30), statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList())),
			},
			{
				// One second later: 29 days left, all three expiring.
				PreConfig: func() { clock.Set(notAfter.AddDate(0, 0, -29)) },
				Config:    config,
				ConfigStateChecks: append(days(29),
					statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList("ca", "gateway", "plugin")),
					certCheckExpect("gateway", "chain_valid", knownvalue.Bool(true)),
					certCheckExpect("gateway", "problems", certCheckList()),
				),
			},
		},
	})
}

// certCheckCert issues an ECDSA certificate valid [notBefore, notAfter]: a CA
// when parent is nil, else a client certificate signed by parent. It returns
// the certificate PEM and the signer for children.
type certCheckIssued struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string
}

func certCheckCert(t *testing.T, cn string, parent *certCheckIssued, notBefore, notAfter time.Time) *certCheckIssued {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	parentCert, signer := tmpl, key
	if parent == nil {
		tmpl.IsCA, tmpl.KeyUsage, tmpl.ExtKeyUsage = true, x509.KeyUsageCertSign, nil
	} else {
		parentCert, signer = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &certCheckIssued{cert: cert, key: key, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}
}

// certCheckPEMConfig checks one client certificate against a CA, with extra
// HCL in the data source block.
func certCheckPEMConfig(cert, ca, extra string) string {
	return fmt.Sprintf(`
data "mcptls_cert_check" "c" {
  pems = {
    gw = { role = "client", cert_pem = %q, ca_pem = %q }
  }
%s
}
`, cert, ca, extra)
}

// TestAccCertCheck_expired moves the fake clock past a certificate's not_after.
func TestAccCertCheck_expired(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	ca := certCheckCert(t, "ContextForge-CA", nil, t0.AddDate(0, 0, -30), t0.AddDate(1, 0, 0))
	gw := certCheckCert(t, "mcp-gateway-client", ca, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, 10))
	config := certCheckPEMConfig(gw.pem, ca.pem, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					certCheckExpect("gw", "days_left", knownvalue.Int64Exact(10)),
					certCheckExpect("gw", "chain_valid", knownvalue.Bool(true)),
					certCheckExpect("gw", "problems", certCheckList()),
					statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList("gw")),
				},
			},
			{
				// At not_after itself it is still valid.
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 10)) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					certCheckExpect("gw", "days_left", knownvalue.Int64Exact(0)),
					certCheckExpect("gw", "chain_valid", knownvalue.Bool(true)),
					certCheckExpect("gw", "problems", certCheckList()),
				},
			},
			{
				PreConfig: func() { clock.Set(t0.AddDate(0, 0, 10).Add(time.Second)) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					certCheckExpect("gw", "days_left", knownvalue.Int64Exact(-1)),
					certCheckExpect("gw", "chain_valid", knownvalue.Bool(false)),
					certCheckExpect("gw", "purpose_valid", knownvalue.Bool(true)),
					certCheckExpect("gw", "problems", certCheckList("expired on "+t0.AddDate(0, 0, 10).Format(time.RFC3339))),
					statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("min_days_left"), knownvalue.Int64Exact(-1)),
				},
			},
		},
	})
}

// TestAccCertCheck_wrongCA checks a gateway certificate signed by another CA
// of the same (default) name against the first.
func TestAccCertCheck_wrongCA(t *testing.T) {
	t.Parallel()
	config := caConfig + `
resource "mcptls_ca" "other" { key_algorithm = "ECDSA" }

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.other.cert_pem
  ca_private_key_pem = mcptls_ca.other.private_key_pem
  key_algorithm      = "ECDSA"
}

data "mcptls_cert_check" "c" {
  pems = {
    gateway = { role = "client", cert_pem = mcptls_gateway_cert.gw.cert_pem, ca_pem = mcptls_ca.ca.cert_pem }
    right   = { role = "client", cert_pem = mcptls_gateway_cert.gw.cert_pem, ca_pem = mcptls_gateway_cert.gw.ca_cert_pem }
    as_ca   = { role = "ca", cert_pem = mcptls_gateway_cert.gw.cert_pem, ca_pem = mcptls_ca.other.cert_pem }
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				certCheckExpect("gateway", "chain_valid", knownvalue.Bool(false)),
				certCheckExpect("gateway", "purpose_valid", knownvalue.Bool(true)),
				certCheckExpect("gateway", "problems", knownvalue.ListExact([]knownvalue.Check{certCheckContains(
					`does not chain to the CA in the CA bundle: it is signed by another key than that CA ("CN=ContextForge-CA,OU=Plugins,O=ContextForge")`)})),
				certCheckExpect("right", "chain_valid", knownvalue.Bool(true)),
				certCheckExpect("right", "problems", certCheckList()),
				certCheckExpect("as_ca", "purpose_valid", knownvalue.Bool(false)),
				certCheckExpect("as_ca", "problems", certCheckList("wrong purpose: not a CA (basicConstraints CA:TRUE is missing)")),
				statecheck.ExpectKnownValue(certCheckDS, tfjsonpath.New("expiring"), certCheckList()),
			},
		}},
	})
}

// TestAccCertCheck_postcondition fails the plan with a lifecycle
// postcondition on expiring, with warning_days set.
func TestAccCertCheck_postcondition(t *testing.T) {
	t.Parallel()
	clock := newFakeClock(t0)
	ca := certCheckCert(t, "ContextForge-CA", nil, t0.AddDate(0, 0, -30), t0.AddDate(1, 0, 0))
	gw := certCheckCert(t, "mcp-gateway-client", ca, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, 10))
	config := certCheckPEMConfig(gw.pem, ca.pem, `
  warning_days = 7
  lifecycle {
    postcondition {
      condition     = length(self.expiring) == 0 && alltrue([for c in values(self.certificates) : length(c.problems) == 0])
      error_message = "Certificates to renew: ${join(", ", self.expiring)}."
    }
  }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				// 10 days left, warning_days 7: the plan goes on.
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{certCheckExpect("gw", "days_left", knownvalue.Int64Exact(10))},
			},
			{
				// 6 days left: the postcondition fails the plan.
				PreConfig:   func() { clock.Set(t0.AddDate(0, 0, 4)) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Resource postcondition failed.*Certificates\s+to\s+renew:\s+gw\.`),
			},
		},
	})
}

// certCheckBlockStatus asserts the status Terraform recorded for a check block.
type certCheckBlockStatus struct{ name, want string }

func (c certCheckBlockStatus) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Checks {
		if r.Address.Kind == "check" && r.Address.Name == c.name {
			if string(r.Status) != c.want {
				resp.Error = fmt.Errorf("check %q is %s, want %s", c.name, r.Status, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("check %q not in the state's checks", c.name)
}

// TestAccCertCheck_documentedExample runs the data source's example on a
// Makefile-made tree: the expiry table, the check block that only warns, and
// the postcondition that fails the plan.
func TestAccCertCheck_documentedExample(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/data-sources/mcptls_cert_check/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	dir := openSSLTree(t, 400, 825, 60)
	const at = `"${path.module}/certs/mcp"`
	if strings.Count(string(example), at) != 1 {
		t.Fatalf("the example no longer reads %s", at)
	}
	config := strings.Replace(string(example), at, fmt.Sprintf("%q", dir), 1)
	opaNotAfter, _ := openSSLFields(t, filepath.Join(dir, "plugins/OPAPluginFilter/server.crt"))
	clock := newFakeClock(opaNotAfter.AddDate(0, 0, -45))
	const ds = "data.mcptls_cert_check.mcp"
	opaRow := func(days int) statecheck.StateCheck {
		return statecheck.ExpectKnownOutputValueAtPath("certificate_expiry", tfjsonpath.New("plugins/OPAPluginFilter"),
			knownvalue.StringExact(fmt.Sprintf("%s (%d days left)", opaNotAfter.Format(time.RFC3339), days)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(clock),
		Steps: []resource.TestStep{
			{
				// 45 days left at the least: nothing to say.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("certificate_expiry", knownvalue.MapSizeExact(4)),
					statecheck.ExpectKnownOutputValueAtPath("certificate_expiry", tfjsonpath.New("gateway"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(3\d\d days left\)$`))),
					opaRow(45),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("expiring"), certCheckList()),
					certCheckBlockStatus{"certificates_not_expiring", "pass"},
				},
			},
			{
				// 10 days left: the check fails, as a warning; the apply goes on.
				PreConfig: func() { clock.Set(opaNotAfter.AddDate(0, 0, -10)) },
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					opaRow(10),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("expiring"), certCheckList("plugins/OPAPluginFilter")),
					certCheckBlockStatus{"certificates_not_expiring", "fail"},
				},
			},
			{
				// Expired: a problem, and the postcondition fails the plan.
				PreConfig:   func() { clock.Set(opaNotAfter.Add(time.Second)) },
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Resource postcondition failed.*Certificates\s+with\s+problems:\s+plugins/OPAPluginFilter\.`),
			},
		},
	})
}

// TestAccCertCheck_issuedExampleCLI applies the example over the resources'
// outputs (for_each, which the test harness cannot hold) with the Terraform
// CLI and the built provider on the wall clock, and reads the warnings as
// Terraform prints them. An override file makes the keys ECDSA and the CA short
// lived, so every certificate is within warning_days.
func TestAccCertCheck_issuedExampleCLI(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/data-sources/mcptls_cert_check/issued.tf")
	if err != nil {
		t.Fatal(err)
	}
	w := newCLIWorkspace(t, map[string][]byte{"main.tf": example, "versions.tf": []byte(`
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
`), "override.tf": []byte(`
resource "mcptls_ca" "this" {
  key_algorithm         = "ECDSA"
  validity_days         = 20
  early_renewal_days    = 5
  rotation_overlap_days = 0
}
resource "mcptls_gateway_cert" "this" {
  key_algorithm      = "ECDSA"
  early_renewal_days = 5
}
resource "mcptls_plugin_cert" "this" {
  key_algorithm      = "ECDSA"
  early_renewal_days = 5
}
`)})
	out := w.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	for _, name := range []string{"ca", "gateway", "plugins/DenyListPlugin", "plugins/OPAPluginFilter"} {
		if !regexp.MustCompile(`Warning: Certificate "` + regexp.QuoteMeta(name) + `" expires within 30 days`).MatchString(out) {
			t.Errorf("apply does not warn about %s:\n%s", name, out)
		}
	}
	// Right after issue, a 20-day certificate has 20 days left.
	if !regexp.MustCompile(`20\s+days\s+left,\s+fewer\s+than\s+warning_days\s+\(30\)`).MatchString(out) {
		t.Errorf("apply does not say the days left:\n%s", out)
	}
	if out, err := w.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); err != nil {
		t.Fatalf("second plan is not empty: %v\n%s", err, out)
	}
	out = w.mustRun("output", "-json", "days_left")
	var days map[string]int
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &days); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(days) != 4 || days["ca"] != 20 || days["gateway"] != 20 || days["plugins/DenyListPlugin"] != 20 || days["plugins/OPAPluginFilter"] != 20 {
		t.Errorf("days_left = %v", days)
	}
}

// TestAccCertCheck_badConfig: what is wrong with the configuration, not with a
// certificate, is an error.
func TestAccCertCheck_badConfig(t *testing.T) {
	t.Parallel()
	ca := certCheckCert(t, "ContextForge-CA", nil, t0.AddDate(0, 0, -30), t0.AddDate(1, 0, 0))
	tree := t.TempDir()
	for _, c := range []struct{ name, config, want string }{
		{"no input", `data "mcptls_cert_check" "c" {}`, `At least one of these attributes must be configured: \[directory,pems\]`},
		{"missing directory", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  directory = %q\n}", filepath.Join(tree, "nope")),
			`(?s)Cannot read the certificate directory.*does not exist`},
		{"directory is a file", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  directory = %q\n}", "/dev/null"),
			`(?s)Cannot read the certificate directory.*is a character device, not a directory`},
		{"unknown role", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  pems = { x = { role = \"gateway\", cert_pem = %q } }\n}", ca.pem),
			`(?s)Invalid Attribute Value Match.*pems\["x"\].role.*value must be one of`},
		{"leaf without ca_pem", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  pems = { x = { role = \"server\", cert_pem = %q } }\n}", ca.pem),
			`(?s)Missing CA bundle.*pems\["x"\] is a server certificate, checked against the CA it should chain to: set its ca_pem`},
		{"name taken by the directory", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  directory = %q\n  pems = { gateway = { role = \"ca\", cert_pem = %q } }\n}", tree, ca.pem),
			`(?s)Duplicate certificate name.*"gateway" is also a certificate of directory`},
		{"negative warning_days", fmt.Sprintf("data \"mcptls_cert_check\" \"c\" {\n  pems = { x = { role = \"ca\", cert_pem = %q } }\n  warning_days = -1\n}", ca.pem),
			`(?s)warning_days.*must be between 0 and 36500`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(newFakeClock(t0)),
				// Terraform wraps long lines: a space matches any run of white space.
				Steps: []resource.TestStep{{Config: c.config, ExpectError: regexp.MustCompile(strings.ReplaceAll(c.want, " ", `\s+`))}},
			})
		})
	}
}

// certCheckRead runs the data source's Read outside Terraform, which does not
// show warnings to the test harness, and returns its diagnostics and state.
func certCheckRead(t *testing.T, clock Clock, values map[string]tftypes.Value) (diag.Diagnostics, tfsdk.State) {
	t.Helper()
	ctx := context.Background()
	ds := NewCertCheckDataSource()
	if clock != nil {
		as[datasource.DataSourceWithConfigure](t, ds).Configure(ctx, datasource.ConfigureRequest{ProviderData: &providerData{clock: clock}}, &datasource.ConfigureResponse{})
	}
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	typ := as[tftypes.Object](t, sresp.Schema.Type().TerraformType(ctx))
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if v, ok := values[name]; ok {
			attrs[name] = v
		}
	}
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, attrs)}}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, req, &resp)
	return resp.Diagnostics, resp.State
}

// certCheckPEMs is the tftypes value of pems: name -> [role, cert_pem, ca_pem].
func certCheckPEMs(entries map[string][3]string) tftypes.Value {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"role": tftypes.String, "cert_pem": tftypes.String, "ca_pem": tftypes.String}}
	m := map[string]tftypes.Value{}
	for name, e := range entries {
		caPEM := tftypes.NewValue(tftypes.String, nil)
		if e[2] != "" {
			caPEM = tftypes.NewValue(tftypes.String, e[2])
		}
		m[name] = tftypes.NewValue(obj, map[string]tftypes.Value{
			"role": tftypes.NewValue(tftypes.String, e[0]), "cert_pem": tftypes.NewValue(tftypes.String, e[1]), "ca_pem": caPEM,
		})
	}
	return tftypes.NewValue(tftypes.Map{ElementType: obj}, m)
}

// TestCertCheckWarnings: one warning per certificate with problems or within
// warning_days, naming it and pointing at its pems entry; none for the rest;
// no error, so the plan goes on.
func TestCertCheckWarnings(t *testing.T) {
	t.Parallel()
	ca := certCheckCert(t, "ContextForge-CA", nil, t0.AddDate(0, 0, -30), t0.AddDate(1, 0, 0))
	other := certCheckCert(t, "Other-CA", nil, t0.AddDate(0, 0, -30), t0.AddDate(1, 0, 0))
	soon := certCheckCert(t, "soon", ca, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, 12))
	fine := certCheckCert(t, "fine", ca, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, 200))
	expired := certCheckCert(t, "expired", ca, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, -2))
	wrong := certCheckCert(t, "wrong", other, t0.AddDate(0, 0, -30), t0.AddDate(0, 0, 20)) // and expiring
	diags, state := certCheckRead(t, newFakeClock(t0), map[string]tftypes.Value{"pems": certCheckPEMs(map[string][3]string{
		"soon": {"client", soon.pem, ca.pem}, "fine": {"client", fine.pem, ca.pem}, "expired": {"client", expired.pem, ca.pem},
		"wrong": {"client", wrong.pem, ca.pem}, "garbage": {"server", "not a pem", ca.pem},
	})})
	if diags.HasError() {
		t.Fatalf("errors: %v", diags.Errors())
	}
	type warning struct{ at, summary, detail string }
	want := []warning{
		{"expired", `Certificate "expired" has problems`, "Certificate \"expired\":\n- expired on " + t0.AddDate(0, 0, -2).Format(time.RFC3339) + "\n\n" + certCheckHint},
		{"garbage", `Certificate "garbage" has problems`, "Certificate \"garbage\":\n- unreadable PEM: no PEM block found\n\n" + certCheckHint},
		{"soon", `Certificate "soon" expires within 30 days`, "Certificate \"soon\" expires on " + t0.AddDate(0, 0, 12).Format(time.RFC3339) +
			": 12 days left, fewer than warning_days (30). Renew it before then.\n\n" + certCheckHint},
		{"wrong", `Certificate "wrong" has problems`, "Certificate \"wrong\":\n- does not chain to the CA in the CA bundle: its issuer \"CN=Other-CA\" is not in it\n" +
			"- expires on " + t0.AddDate(0, 0, 20).Format(time.RFC3339) + ": 20 days left, fewer than warning_days (30)\n\n" + certCheckHint},
	}
	if len(diags) != len(want) {
		t.Fatalf("%d diagnostics, want %d: %v", len(diags), len(want), diags)
	}
	for i, w := range want {
		d := diags[i]
		wd, ok := d.(diag.DiagnosticWithPath)
		if d.Severity() != diag.SeverityWarning || !ok || !wd.Path().Equal(path.Root("pems").AtMapKey(w.at)) {
			t.Errorf("diagnostic %d: %s at %v, want a warning at pems[%q]", i, d.Severity(), wd, w.at)
		}
		if d.Summary() != w.summary || d.Detail() != w.detail {
			t.Errorf("diagnostic %d:\n%s\n%s\nwant\n%s\n%s", i, d.Summary(), d.Detail(), w.summary, w.detail)
		}
	}
	var expiring []string
	if diags := state.GetAttribute(context.Background(), path.Root("expiring"), &expiring); diags.HasError() {
		t.Fatal(diags)
	}
	if strings.Join(expiring, ",") != "expired,soon,wrong" {
		t.Errorf("expiring = %q", expiring)
	}
}

// TestCertCheckClock: the data source reads the provider's clock, and the wall
// clock only when it was never configured.
func TestCertCheckClock(t *testing.T) {
	t.Parallel()
	ca := certCheckCert(t, "ContextForge-CA", nil, t0.AddDate(-1, 0, 0), t0.AddDate(100, 0, 0))
	pems := map[string]tftypes.Value{"pems": certCheckPEMs(map[string][3]string{"ca": {"ca", ca.pem, ""}})}
	daysLeft := func(clock Clock) int64 {
		_, state := certCheckRead(t, clock, pems)
		var v int64
		if diags := state.GetAttribute(context.Background(), path.Root("min_days_left"), &v); diags.HasError() {
			t.Fatal(diags)
		}
		return v
	}
	if got, want := daysLeft(newFakeClock(t0)), int64(t0.AddDate(100, 0, 0).Sub(t0)/(24*time.Hour)); got != want {
		t.Errorf("with the fake clock: %d days left, want %d", got, want)
	}
	if got, want := daysLeft(nil), int64(time.Until(t0.AddDate(100, 0, 0))/(24*time.Hour))+1; got < want-1 || got > want { // a day begun counts
		t.Errorf("unconfigured: %d days left, want the wall clock's %d", got, want)
	}
}
