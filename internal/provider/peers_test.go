package provider

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// peersConfig is what the peer matrices run on: a CA, the gateway's client
// cert, a plugin reached by name (no IP SAN), a plugin whose URL is an IP (an
// IP SAN, RSA so both key types meet real peers), and a client cert from a
// CA the plugins do not trust.
const peersConfig = caConfig + `
resource "mcptls_ca" "other" {
  key_algorithm = "ECDSA"
  common_name   = "Other-CA"
}

resource "mcptls_gateway_cert" "rogue" {
  ca_cert_pem        = mcptls_ca.other.cert_pem
  ca_private_key_pem = mcptls_ca.other.private_key_pem
  key_algorithm      = "ECDSA"
}
` + `
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "byname" {
  name               = "DenyListPlugin"
  url                = "https://localhost:8000/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "grpc" {
  name               = "OPAPluginGrpc"
  grpc_target        = "localhost:50051"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "grpcv4" {
  name               = "GrpcV4"
  grpc_target        = "ipv4:///127.0.0.1:50051"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "idn" {
  name               = "Idn"
  url                = "https://bücher.example/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "byip" {
  name               = "OPAPluginFilter"
  url                = "https://127.0.0.1:9000/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "RSA"
  rsa_bits           = 2048
}
`

// peerResources names the resources of peersConfig the matrices use.
var peerResources = map[string]string{
	"gw": "mcptls_gateway_cert.gw", "rogue": "mcptls_gateway_cert.rogue",
	"byname": "mcptls_plugin_cert.byname", "byip": "mcptls_plugin_cert.byip", "grpc": "mcptls_plugin_cert.grpc",
	"grpcv4": "mcptls_plugin_cert.grpcv4", "idn": "mcptls_plugin_cert.idn",
}

// peerFiles are the applied certificates written out as the guide's files.
type peerFiles struct {
	dir string
}

// cert, key and ca name the files of one resource.
func (p peerFiles) cert(res string) string { return filepath.Join(p.dir, res+".crt") }
func (p peerFiles) key(res string) string  { return filepath.Join(p.dir, res+".key") }
func (p peerFiles) ca(res string) string   { return filepath.Join(p.dir, res+".ca.crt") }

// applyPeers applies peersConfig through the harness and writes each
// certificate, key and CA copy to a temporary directory.
func applyPeers(t *testing.T) peerFiles {
	t.Helper()
	files := peerFiles{dir: t.TempDir()}
	write := func(s *terraform.State) error {
		for res, addr := range peerResources {
			rs, ok := s.RootModule().Resources[addr]
			if !ok {
				return fmt.Errorf("%s not in state", addr)
			}
			a := rs.Primary.Attributes
			for path, content := range map[string]string{files.cert(res): a["cert_pem"], files.key(res): a["private_key_pem"], files.ca(res): a["ca_cert_pem"]} {
				if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
					return err
				}
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(SystemClock{}),
		Steps:                    []resource.TestStep{{Config: peersConfig, Check: write}},
	})
	return files
}

// handshake is one row of the peer matrix: who serves, who connects, by which
// name, and what must happen.
type handshake struct {
	name          string
	server        string // resource whose cert the server presents
	client        string // resource whose cert the client presents; "" for none
	host          string // the name (or IP) the client connects to
	checkHostname bool
	refusal       string // "" when the handshake must succeed; else a regexp of the refusal
}

// purposeRefusal is how OpenSSL refuses a certificate whose EKU is for the other side.
const purposeRefusal = `(?i)(unsuitable|unsupported) certificate purpose`

// handshakeMatrix covers what the issue asks of real peers. The plugin server
// always trusts the CA in its own directory; the gateway trusts its ca.crt.
var handshakeMatrix = []handshake{
	{name: "by localhost", server: "byname", client: "gw", host: "localhost", checkHostname: true},
	{name: "by mcp-plugin-<name>", server: "byname", client: "gw", host: "mcp-plugin-DenyListPlugin", checkHostname: true},
	{name: "by plugin name", server: "byname", client: "gw", host: "DenyListPlugin", checkHostname: true},
	{name: "by IP without IP SAN", server: "byname", client: "gw", host: "127.0.0.1", checkHostname: true, refusal: `(?i)IP address mismatch`},
	{name: "by IP without IP SAN, check_hostname off", server: "byname", client: "gw", host: "127.0.0.1"},
	{name: "by IP with the URL's IP SAN", server: "byip", client: "gw", host: "127.0.0.1", checkHostname: true},
	// https://bücher.example/mcp: httpx sends the IDNA name, which is the SAN.
	{name: "by the IDNA name of an internationalized URL host", server: "idn", client: "gw", host: "xn--bcher-kva.example", checkHostname: true},
	{name: "no client certificate", server: "byname", host: "localhost", checkHostname: true, refusal: `(?i)certificate required|peer did not return a certificate|handshake failure`},
	{name: "client certificate from another CA", server: "byname", client: "rogue", host: "localhost", checkHostname: true, refusal: `(?i)unknown ca|unable to get local issuer certificate`},
	{name: "server certificate used as client certificate", server: "byname", client: "byip", host: "localhost", checkHostname: true, refusal: purposeRefusal},
	{name: "client certificate used as server certificate", server: "gw", client: "byname", host: "mcp-gateway-client", refusal: purposeRefusal},
}

// TestAccPeers_pythonSSL runs the matrix with Python's ssl module, the
// gateway's own TLS stack.
func TestAccPeers_pythonSSL(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: the Python ssl peer matrix needs it")
	}
	t.Parallel()
	files := applyPeers(t)
	var cases []pyPeer
	for _, h := range handshakeMatrix {
		c := pyPeer{
			Name: h.name, ServerCert: files.cert(h.server), ServerKey: files.key(h.server), ServerCA: files.ca(h.server),
			ClientCA: files.ca("gw"), ServerHostname: h.host, CheckHostname: h.checkHostname,
		}
		if h.client != "" {
			c.ClientCert, c.ClientKey = files.cert(h.client), files.key(h.client)
		}
		cases = append(cases, c)
	}
	results := pythonHandshakes(t, cases)
	for _, h := range handshakeMatrix {
		r, ok := results[h.name]
		if !ok {
			t.Errorf("%s: no result", h.name)
			continue
		}
		checkHandshake(t, h, r.OK, r.Error+" | server: "+r.ServerError)
	}
}

// checkHandshake compares one outcome with the matrix row.
func checkHandshake(t *testing.T, h handshake, ok bool, detail string) {
	t.Helper()
	t.Logf("%s: accepted=%v %s", h.name, ok, detail)
	switch {
	case h.refusal == "" && !ok:
		t.Errorf("%s: refused, want accepted: %s", h.name, detail)
	case h.refusal != "" && ok:
		t.Errorf("%s: accepted, want refused", h.name)
	case h.refusal != "" && !regexp.MustCompile(h.refusal).MatchString(detail):
		t.Errorf("%s: refused for another reason than %s: %s", h.name, h.refusal, detail)
	}
}

// TestAccPeers_openssl runs the same matrix with openssl s_server (the
// plugin, -Verify) and s_client (the gateway), then openssl verify by purpose.
func TestAccPeers_openssl(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: the openssl peer matrix needs it")
	}
	t.Parallel()
	files := applyPeers(t)
	for _, h := range handshakeMatrix {
		ok, detail := opensslHandshake(t, openssl, files, h)
		checkHandshake(t, h, ok, detail)
	}
	for _, v := range []struct {
		name, cert, caOf string
		args             []string
		refusal          string
	}{
		{"gateway cert for client auth", "gw", "gw", []string{"-purpose", "sslclient"}, ""},
		{"plugin cert for server auth by name", "byname", "byname", []string{"-purpose", "sslserver", "-verify_hostname", "mcp-plugin-DenyListPlugin"}, ""},
		{"plugin cert by its URL's IP", "byip", "byip", []string{"-purpose", "sslserver", "-verify_ip", "127.0.0.1"}, ""},
		{"plugin cert by an IP it lacks", "byname", "byname", []string{"-purpose", "sslserver", "-verify_ip", "127.0.0.1"}, `IP address mismatch`},
		{"plugin cert for client auth", "byname", "byname", []string{"-purpose", "sslclient"}, purposeRefusal},
		{"gateway cert for server auth", "gw", "gw", []string{"-purpose", "sslserver"}, purposeRefusal},
		{"another CA's cert", "rogue", "gw", []string{"-purpose", "sslclient"}, `unable to get local issuer certificate`},
	} {
		args := append([]string{"verify", "-x509_strict", "-CAfile", files.ca(v.caOf)}, v.args...)
		out, err := exec.Command(openssl, append(args, files.cert(v.cert))...).CombinedOutput()
		checkHandshake(t, handshake{name: "verify: " + v.name, refusal: v.refusal}, err == nil, string(out))
	}
}

// opensslHandshake serves one row with s_server -www and fetches its status
// page with s_client; the row is accepted only when the page came back.
func opensslHandshake(t *testing.T, openssl string, files peerFiles, h handshake) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	server := exec.CommandContext(ctx, openssl, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-www",
		"-cert", files.cert(h.server), "-key", files.key(h.server), "-CAfile", files.ca(h.server), "-Verify", "1", "-verify_return_error")
	pipe, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	server.Stderr = server.Stdout
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = server.Wait() }()
	lines := bufio.NewScanner(pipe)
	var addr string
	for addr == "" && lines.Scan() {
		if rest, found := strings.CutPrefix(lines.Text(), "ACCEPT "); found {
			addr = rest
		}
	}
	if addr == "" {
		t.Fatalf("%s: s_server did not start", h.name)
	}
	serverLog := make(chan string)
	go func() {
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		serverLog <- b.String()
	}()
	args := []string{"s_client", "-connect", addr, "-CAfile", files.ca("gw"), "-verify_return_error", "-ign_eof"}
	if h.client != "" {
		args = append(args, "-cert", files.cert(h.client), "-key", files.key(h.client))
	}
	if h.checkHostname {
		flag := "-verify_hostname"
		if net.ParseIP(h.host) != nil {
			flag = "-verify_ip"
		}
		args = append(args, flag, h.host)
	}
	client := exec.CommandContext(ctx, openssl, args...)
	client.Stdin = strings.NewReader("GET / HTTP/1.0\r\n\r\n")
	out, _ := client.CombinedOutput()
	if !strings.Contains(string(out), "HTTP/1.0 200 ok") {
		cancel() // s_server may still wait for a client that gave up
	}
	log := <-serverLog
	return strings.Contains(string(out), "HTTP/1.0 200 ok"), errorLines(string(out)) + " | server: " + errorLines(log)
}

// errorLines keeps what explains a refusal from openssl's chatty output.
func errorLines(out string) string {
	var keep []string
	for _, line := range strings.Split(out, "\n") {
		if regexp.MustCompile(`(?i)error|alert|verify return|mismatch|purpose|certificate required|did not return`).MatchString(line) {
			keep = append(keep, strings.TrimSpace(line))
		}
	}
	return strings.Join(keep, "; ")
}
