package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// The certificates both contenders must issue, as `openssl x509 -text` prints
// them: the profiles of mcptls_ca, mcptls_gateway_cert and mcptls_plugin_cert
// (plugin-0 of mcptlsGraph) with ECDSA P-256 keys.
type role string

const (
	roleCA      role = "CA"
	roleGateway role = "gateway"
	rolePlugin  role = "plugin-0"
)

var roles = []role{roleCA, roleGateway, rolePlugin}

type field string

const (
	fSubject field = "subject"
	fIssuer  field = "issuer"
	fSANs    field = "subjectAltName"
	fKU      field = "keyUsage"
	fEKU     field = "extendedKeyUsage"
	fBC      field = "basicConstraints"
	fSig     field = "signature"
	fKey     field = "public key"
)

var fields = []field{fSubject, fIssuer, fSANs, fKU, fEKU, fBC, fSig, fKey}

type profile map[field]string

const (
	caName  = "O = ContextForge, OU = Plugins, CN = ContextForge-CA"
	sig     = "ecdsa-with-SHA256"
	p256    = "id-ecPublicKey P-256"
	leafBC  = "critical: CA:FALSE"
	leafKU  = "critical: Digital Signature"
	pathlen = "critical: CA:TRUE, pathlen:0"
)

var want = map[role]profile{
	roleCA: {fSubject: caName, fIssuer: caName, fSANs: "", fKU: "critical: Certificate Sign, CRL Sign", fEKU: "",
		fBC: pathlen, fSig: sig, fKey: p256},
	roleGateway: {fSubject: "O = MCPGateway, OU = Gateway, CN = mcp-gateway-client", fIssuer: caName, fSANs: "",
		fKU: leafKU, fEKU: "TLS Web Client Authentication", fBC: leafBC, fSig: sig, fKey: p256},
	rolePlugin: {fSubject: "O = MCPGateway, OU = Plugins, CN = mcp-plugin-plugin-0", fIssuer: caName,
		fSANs: "DNS:localhost, DNS:mcp-plugin-plugin-0, DNS:plugin-0, DNS:plugin-0.internal",
		fKU:   leafKU, fEKU: "TLS Web Server Authentication", fBC: leafBC, fSig: sig, fKey: p256},
}

// tolerated are the differences from want that a contender cannot avoid and
// that do not change what is measured, with the reason printed in the report.
var tolerated = map[string]map[role]map[field]struct{ value, why string }{
	"tls": {roleCA: {fBC: {"critical: CA:TRUE",
		"hashicorp/tls cannot issue a CA with pathlen:0: `max_path_length = 0` reaches Go's x509 as MaxPathLen 0 " +
			"without MaxPathLenZero, which means no limit, so its CA carries CA:TRUE with no path length constraint. " +
			"A difference in hardening, not in cost."}}},
}

// where each contender keeps each certificate in state: type, name, count index.
type stateAddr struct {
	typ, name string
	index     bool
}

var certAddrs = map[string]map[role]stateAddr{
	"mcptls": {roleCA: {"mcptls_ca", "ca", false}, roleGateway: {"mcptls_gateway_cert", "gw", false}, rolePlugin: {"mcptls_plugin_cert", "p", true}},
	"tls":    {roleCA: {"tls_self_signed_cert", "ca", false}, roleGateway: {"tls_locally_signed_cert", "gw", false}, rolePlugin: {"tls_locally_signed_cert", "p", true}},
}

// seen is the first profile checked per contender, for the report.
var seen = map[string]map[role]profile{}

// checkCerts returns the afterApply hook of a contender: it reads the CA, the
// gateway and plugin-0 certificates from the state, parses them with openssl
// and stops the benchmark if anything differs from want beyond tolerated.
func checkCerts(contender string) func(dir string) {
	return func(dir string) {
		got := map[role]profile{}
		var bad []string
		for _, r := range roles {
			pem := certFromState(filepath.Join(dir, "terraform.tfstate"), certAddrs[contender][r])
			p := opensslProfile(pem)
			got[r] = p
			for _, f := range fields {
				if p[f] == want[r][f] {
					continue
				}
				if t, ok := tolerated[contender][r][f]; ok && p[f] == t.value {
					continue
				}
				bad = append(bad, fmt.Sprintf("  %s %s: got %q, want %q", r, f, p[f], want[r][f]))
			}
		}
		if len(bad) > 0 {
			log.Fatalf("the %s certificates are not the ones mcptls issues; comparing their cost would be meaningless:\n%s",
				contender, strings.Join(bad, "\n"))
		}
		if seen[contender] == nil {
			seen[contender] = got
		}
	}
}

func certFromState(path string, at stateAddr) string {
	data, err := os.ReadFile(path)
	must(err)
	var st struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				IndexKey   any `json:"index_key"`
				Attributes struct {
					CertPEM string `json:"cert_pem"`
				}
			}
		}
	}
	must(json.Unmarshal(data, &st))
	for _, r := range st.Resources {
		if r.Mode != "managed" || r.Type != at.typ || r.Name != at.name {
			continue
		}
		for _, in := range r.Instances {
			if (at.index && in.IndexKey == float64(0)) || (!at.index && in.IndexKey == nil) {
				return in.Attributes.CertPEM
			}
		}
	}
	log.Fatalf("%s has no %s.%s", path, at.typ, at.name)
	return ""
}

// opensslProfile reads the fields that matter from `openssl x509 -text`.
func opensslProfile(pem string) profile {
	cmd := exec.Command("openssl", "x509", "-noout", "-text")
	cmd.Stdin = strings.NewReader(pem)
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("openssl x509 -text: %v", err)
	}
	p := profile{fSANs: "", fEKU: ""}
	lines := strings.Split(string(out), "\n")
	var alg string
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		next := ""
		if i+1 < len(lines) {
			next = strings.TrimSpace(lines[i+1])
		}
		ext := func(f field) {
			critical := strings.HasSuffix(line, "critical")
			if critical {
				next = "critical: " + next
			}
			p[f] = next
		}
		switch {
		case strings.HasPrefix(line, "Signature Algorithm:") && p[fSig] == "":
			p[fSig] = strings.TrimSpace(strings.TrimPrefix(line, "Signature Algorithm:"))
		case strings.HasPrefix(line, "Subject:"):
			p[fSubject] = strings.TrimSpace(strings.TrimPrefix(line, "Subject:"))
		case strings.HasPrefix(line, "Issuer:"):
			p[fIssuer] = strings.TrimSpace(strings.TrimPrefix(line, "Issuer:"))
		case strings.HasPrefix(line, "Public Key Algorithm:"):
			alg = strings.TrimSpace(strings.TrimPrefix(line, "Public Key Algorithm:"))
			p[fKey] = alg
		case strings.HasPrefix(line, "NIST CURVE:"):
			p[fKey] = alg + " " + strings.TrimSpace(strings.TrimPrefix(line, "NIST CURVE:"))
		case strings.HasPrefix(line, "X509v3 Key Usage:"):
			ext(fKU)
		case strings.HasPrefix(line, "X509v3 Extended Key Usage:"):
			ext(fEKU)
		case strings.HasPrefix(line, "X509v3 Basic Constraints:"):
			ext(fBC)
		case strings.HasPrefix(line, "X509v3 Subject Alternative Name:"):
			// Order carries no meaning; mcptls sorts, tls keeps the configured order.
			names := strings.Split(next, ", ")
			slices.Sort(names)
			p[fSANs] = strings.Join(names, ", ")
			if strings.HasSuffix(line, "critical") {
				p[fSANs] = "critical: " + p[fSANs]
			}
		}
	}
	return p
}

// certReport prints what was checked, side by side.
func certReport(contenders []string) {
	var have []string
	for _, c := range contenders {
		if seen[c] != nil {
			have = append(have, c)
		}
	}
	if len(have) == 0 {
		return
	}
	fmt.Println("## Certificates compared (openssl x509 -text after every apply; the run stops on a difference)")
	fmt.Println()
	fmt.Printf("| certificate | field | %s |\n|---|---|%s\n", strings.Join(have, " | "), strings.Repeat("---|", len(have)))
	for _, r := range roles {
		for _, f := range fields {
			var cells []string
			for _, c := range have {
				v := seen[c][r][f]
				if v == "" {
					cells = append(cells, "none")
				} else {
					cells = append(cells, "`"+v+"`")
				}
			}
			fmt.Printf("| %s | %s | %s |\n", r, f, strings.Join(cells, " | "))
		}
	}
	fmt.Println()
	for _, c := range have {
		for _, r := range roles {
			for _, f := range fields {
				if t, ok := tolerated[c][r][f]; ok && seen[c][r][f] == t.value {
					fmt.Printf("- %s, %s %s: %s\n", c, r, f, t.why)
				}
			}
		}
	}
	fmt.Println()
}
