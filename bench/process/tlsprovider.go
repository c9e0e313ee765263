package main

import (
	"debug/buildinfo"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
)

// The hashicorp/tls provider, the peer users would otherwise write the same
// graph with. Its v4 tags have no /v4 module path, so only pseudo-versions
// resolve through the Go proxy: this one is main after v4.3.0. Pinned; a
// different binary in the tools cache is replaced.
const (
	tlsModule  = "github.com/hashicorp/terraform-provider-tls"
	tlsVersion = "v1.2.1-0.20260819085117-d044ca7c6f52"
	tlsAbout   = "main after v4.3.0"
)

type tlsProvider struct {
	path    string
	version string
	goVer   string // the Go release it was built with
}

// ensureTLSProvider returns the pinned tls provider in toolsDir, building it
// there with go install when it is missing or another version.
func ensureTLSProvider(toolsDir, scratch string) tlsProvider {
	toolsDir, err := filepath.Abs(toolsDir)
	must(err)
	bin := filepath.Join(toolsDir, "terraform-provider-tls")
	if p, ok := readTLSProvider(bin); ok {
		return p
	}
	log.Printf("installing %s@%s into %s (a few minutes, once)", tlsModule, tlsVersion, toolsDir)
	must(os.MkdirAll(toolsDir, 0o755))
	install := exec.Command("go", "install", tlsModule+"@"+tlsVersion)
	// Outside the repository, so neither its go.mod nor its toolchain line applies.
	install.Dir = scratch
	install.Env = append(os.Environ(), "GOBIN="+toolsDir)
	if out, err := install.CombinedOutput(); err != nil {
		log.Fatalf("go install %s@%s: %v\n%s", tlsModule, tlsVersion, err, out)
	}
	p, ok := readTLSProvider(bin)
	if !ok {
		log.Fatalf("%s is not %s@%s after go install", bin, tlsModule, tlsVersion)
	}
	return p
}

func readTLSProvider(bin string) (tlsProvider, bool) {
	info, err := buildinfo.ReadFile(bin)
	if err != nil || info.Main.Path != tlsModule || info.Main.Version != tlsVersion {
		return tlsProvider{}, false
	}
	return tlsProvider{path: bin, version: info.Main.Version, goVer: info.GoVersion}, true
}

func (p tlsProvider) String() string {
	return fmt.Sprintf("hashicorp/tls %s (%s), built with %s", p.version, tlsAbout, p.goVer)
}

// tlsGraph is what users write with hashicorp/tls for the same certificates
// as mcptlsGraph: per party a tls_private_key, and for the CA a
// tls_self_signed_cert, for the gateway and each plugin a tls_cert_request and
// a tls_locally_signed_cert. Subjects, SANs, key usages, validity (825 days)
// and keys (ECDSA P-256) are mcptls's; checkCerts compares the results.
// max_path_length = 0 is what a user would write for mcptls's pathlen:0, but
// the provider cannot express it (see checkCerts).
func tlsGraph(n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    tls = { source = "hashicorp/tls" }
  }
}

resource "tls_private_key" "ca" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem = tls_private_key.ca.private_key_pem
  subject {
    common_name         = "ContextForge-CA"
    organization        = "ContextForge"
    organizational_unit = "Plugins"
  }
  validity_period_hours = 19800
  is_ca_certificate     = true
  max_path_length       = 0
  set_subject_key_id    = true
  allowed_uses          = ["cert_signing", "crl_signing"]
}

resource "tls_private_key" "gw" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "gw" {
  private_key_pem = tls_private_key.gw.private_key_pem
  subject {
    common_name         = "mcp-gateway-client"
    organization        = "MCPGateway"
    organizational_unit = "Gateway"
  }
}

resource "tls_locally_signed_cert" "gw" {
  cert_request_pem      = tls_cert_request.gw.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 19800
  set_subject_key_id    = true
  allowed_uses          = ["digital_signature", "client_auth"]
}

resource "tls_private_key" "p" {
  count       = %[1]d
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "p" {
  count           = %[1]d
  private_key_pem = tls_private_key.p[count.index].private_key_pem
  subject {
    common_name         = "mcp-plugin-plugin-${count.index}"
    organization        = "MCPGateway"
    organizational_unit = "Plugins"
  }
  dns_names = ["plugin-${count.index}", "mcp-plugin-plugin-${count.index}", "localhost", "plugin-${count.index}.internal"]
}

resource "tls_locally_signed_cert" "p" {
  count                 = %[1]d
  cert_request_pem      = tls_cert_request.p[count.index].cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 19800
  set_subject_key_id    = true
  allowed_uses          = ["digital_signature", "server_auth"]
}
`, n)
}
