package main

import (
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

const rsaPlugins = 8

// rsaGraph is the guide's defaults: RSA-4096, 825 days, CA + gateway + 8 plugins.
func rsaGraph() string {
	return providerBlock + fmt.Sprintf(`
resource "mcptls_ca" "ca" {}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
}

resource "mcptls_plugin_cert" "p" {
  count              = %d
  name               = "plugin-${count.index}"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
}
`, rsaPlugins)
}

// opensslRecipe runs what `make certs-mcp-all` runs for the same certificates,
// one command after another: genrsa 4096, then req -x509 for the CA, and
// req + x509 -req (SHA-256, 825 days, SANs for plugins) for each leaf.
func opensslRecipe(dir string) time.Duration {
	run := func(args ...string) {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			log.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	start := time.Now()
	run("genrsa", "-out", at("ca.key"), "4096")
	run("req", "-new", "-x509", "-key", at("ca.key"), "-out", at("ca.crt"), "-days", "825", "-sha256",
		"-subj", "/CN=ContextForge-CA/O=ContextForge/OU=Plugins")
	leaf := func(name, subject, ext string) {
		run("genrsa", "-out", at(name+".key"), "4096")
		run("req", "-new", "-key", at(name+".key"), "-out", at(name+".csr"), "-subj", subject)
		args := []string{"x509", "-req", "-in", at(name + ".csr"), "-CA", at("ca.crt"), "-CAkey", at("ca.key"),
			"-CAcreateserial", "-out", at(name + ".crt"), "-days", "825", "-sha256"}
		if ext != "" {
			must(os.WriteFile(at(name+".ext"), []byte(ext), 0o600))
			args = append(args, "-extfile", at(name+".ext"))
		}
		run(args...)
	}
	leaf("client", "/CN=mcp-gateway-client/O=MCPGateway/OU=Gateway", "")
	for i := 0; i < rsaPlugins; i++ {
		name := fmt.Sprintf("plugin-%d", i)
		leaf(name, "/CN=mcp-plugin-"+name+"/O=MCPGateway/OU=Plugins",
			fmt.Sprintf("subjectAltName = DNS:%s, DNS:mcp-plugin-%s, DNS:localhost\n", name, name))
	}
	return time.Since(start)
}

// rsaVsOpenSSL alternates the two, so both see the same machine.
func rsaVsOpenSSL(b *bench, runs int) {
	var tf, ossl []time.Duration
	for r := 0; r < runs; r++ {
		tf = append(tf, b.applyAndPlan(rsaGraph(), nil).apply.wall)
		dir := b.workspace(nil)
		ossl = append(ossl, opensslRecipe(dir))
		must(os.RemoveAll(dir))
	}
	mt, mo := median(tf), median(ossl)
	fmt.Printf("## RSA-4096 at the guide's defaults: CA + gateway + %d plugins, median of %d runs\n\n", rsaPlugins, runs)
	fmt.Println("| terraform apply (mcptls) | openssl recipe, serial | ratio (target <= 0.75) |")
	fmt.Println("|---|---|---|")
	fmt.Printf("| %s s | %s s | %.2fx |\n\n", seconds(mt), seconds(mo), float64(mt)/float64(mo))
	fmt.Printf("Every run, seconds: terraform %v; openssl %v\n\n", list(tf), list(ossl))
}

func list(ds []time.Duration) []string {
	var s []string
	for _, d := range ds {
		s = append(s, seconds(d))
	}
	return s
}
