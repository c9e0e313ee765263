package certcheck

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// TestChainLikeOpenSSL: a bundle with two CAs of the same name, and a
// certificate without an authority key identifier (the Makefile's gateway
// certificate), verifies with OpenSSL only when its own CA comes first, since
// OpenSSL (and so Python's ssl) takes the first CA of the name and does not
// try the other; crypto/x509 tries both. chain_valid says what OpenSSL says:
// each case is also run through openssl verify, when it is installed, and the
// verdicts must agree.
func TestChainLikeOpenSSL(t *testing.T) {
	t.Parallel()
	withSerial := func(n int64, cn string) *issued {
		tmpl := caTemplate(cn)
		tmpl.SerialNumber = big.NewInt(n)
		return issue(t, tmpl, nil)
	}
	signer, twin, other := withSerial(1, "ContextForge-CA"), withSerial(2, "ContextForge-CA"), withSerial(3, "ContextForge-CA 2")
	expiredTwin := caTemplate("ContextForge-CA")
	expiredTwin.SerialNumber, expiredTwin.NotBefore, expiredTwin.NotAfter = big.NewInt(4), t0.AddDate(-2, 0, 0), t0.AddDate(0, 0, -1)
	expired := issue(t, expiredTwin, nil)
	v1 := issueV1(t, pkix.Name{CommonName: "mcp-gateway-client", Organization: []string{"MCPGateway"}}, signer, t0.Add(-time.Hour), t0.AddDate(0, 0, 30))
	withAKID := issue(t, clientTemplate(), signer)
	for _, c := range []struct {
		name   string
		cert   *issued
		bundle []*issued
		valid  bool
		says   string
	}{
		{"no key identifier, its CA first", v1, []*issued{signer, twin}, true, ""},
		{"no key identifier, a CA of the same name first", v1, []*issued{twin, signer}, false,
			`holds more than one CA named "CN=ContextForge-CA,OU=Plugins,O=ContextForge" and it has no authority key identifier to tell them apart; they take the first one (serial 2)`},
		{"no key identifier, CAs of other names", v1, []*issued{other, signer}, true, ""},
		{"no key identifier, the same name first but expired", v1, []*issued{expired, signer}, true, ""},
		{"a key identifier picks its CA", withAKID, []*issued{twin, signer}, true, ""},
	} {
		var bundle []byte
		for _, b := range c.bundle {
			bundle = append(bundle, b.pem...)
		}
		r := Check(Input{Name: "gateway", Role: RoleClient, CertPEM: c.cert.pem, BundlePEM: bundle}, t0)
		if r.ChainValid != c.valid || (c.says == "") != (len(r.Problems) == 0) || !strings.Contains(strings.Join(r.Problems, "\n"), c.says) {
			t.Errorf("%s: chain_valid %v, problems %q; want %v saying %q", c.name, r.ChainValid, r.Problems, c.valid, c.says)
		}
		if ok, out, ran := opensslVerify(t, c.cert.pem, bundle, t0); ran && ok != r.ChainValid {
			t.Errorf("%s: openssl verify says %v, chain_valid %v:\n%s", c.name, ok, r.ChainValid, out)
		}
	}
}

// opensslVerify runs openssl verify at a given time; ran is false when
// openssl is missing.
func opensslVerify(t *testing.T, cert, bundle []byte, at time.Time) (ok bool, out []byte, ran bool) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		return false, nil, false
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{"cert.pem": cert, "bundle.pem": bundle} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out, err = exec.Command(openssl, "verify", "-attime", fmt.Sprint(at.Unix()), "-CAfile", filepath.Join(dir, "bundle.pem"), filepath.Join(dir, "cert.pem")).CombinedOutput()
	return err == nil && bytes.Contains(out, []byte(": OK")), out, true
}

// TestChainLikeOpenSSLKeyIdentifiersAndNames: two links where OpenSSL and
// crypto/x509 part ways, and chain_valid follows OpenSSL (checked against
// openssl verify when it is installed): an authority key identifier that is
// not its CA's subject key identifier (OpenSSL finds no issuer), and an
// issuer name equal to the CA's only as OpenSSL compares names
// (case-insensitively; crypto/x509 compares bytes).
func TestChainLikeOpenSSLKeyIdentifiersAndNames(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	signAs := func(parent x509.Certificate) []byte {
		tmpl := clientTemplate()
		tmpl.SerialNumber = big.NewInt(9)
		tmpl.NotBefore, tmpl.NotAfter = t0.Add(-time.Hour), t0.AddDate(0, 0, 30)
		der, err := x509.CreateCertificate(rand.Reader, tmpl, &parent, newKey(t).Public(), ca.key)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	otherKeyID := *ca.cert
	otherKeyID.SubjectKeyId = bytes.Repeat([]byte{7}, 20)
	lowerName := *ca.cert
	raw, err := asn1.Marshal(pkix.Name{CommonName: "contextforge-ca", Organization: []string{"contextforge"}, OrganizationalUnit: []string{"plugins"}}.ToRDNSequence())
	if err != nil {
		t.Fatal(err)
	}
	lowerName.RawSubject = raw
	for _, c := range []struct {
		name  string
		leaf  []byte
		valid bool
		says  string
	}{
		{"authority key identifier of another CA", signAs(otherKeyID), false, "its authority key identifier is not the subject key identifier of the CA named"},
		{"issuer name in other case", signAs(lowerName), true, ""},
	} {
		r := Check(Input{Name: "gw", Role: RoleClient, CertPEM: c.leaf, BundlePEM: ca.pem}, t0)
		if r.ChainValid != c.valid || !strings.Contains(strings.Join(r.Problems, "\n"), c.says) {
			t.Errorf("%s: chain_valid %v, problems %q; want %v saying %q", c.name, r.ChainValid, r.Problems, c.valid, c.says)
		}
		if ok, out, ran := opensslVerify(t, c.leaf, ca.pem, t0); ran && ok != r.ChainValid {
			t.Errorf("%s: openssl verify says %v, chain_valid %v:\n%s", c.name, ok, r.ChainValid, out)
		}
	}
}

// TestLegacySuccessorPromotedBundle: a successor staged by a build before CA
// generations had subjects of their own shares its CA's name. Once it signs,
// the bundle still holds the older CA, which signed the Makefile's gateway
// certificate (no key identifiers): the older one must come first for
// OpenSSL to pick it, and chain_valid agrees with openssl verify.
func TestLegacySuccessorPromotedBundle(t *testing.T) {
	t.Parallel()
	oldT := caTemplate("ContextForge-CA")
	oldT.NotBefore, oldT.NotAfter = t0.AddDate(0, 0, -90), t0.AddDate(0, 0, 10)
	old := issue(t, oldT, nil)
	nextT := caTemplate("ContextForge-CA")
	nextT.SerialNumber = big.NewInt(43)
	nextT.NotBefore, nextT.NotAfter = t0.AddDate(0, 0, -20), t0.AddDate(0, 0, 80) // staged 20 days ago, the old build's way
	next := issue(t, nextT, nil)
	chain := pki.CAChain{Current: old.cert, Next: next.cert}
	now := t0.Add(time.Hour)
	p := pki.PlanRotation(now, chain, pki.RotationPolicy{EarlyDays: 10, OverlapDays: 20},
		pki.CASettings{Subject: pki.SubjectOf(old.cert), Key: pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, ValidityDays: 100})
	after, err := p.Apply(chain, nil, false)
	if err != nil || !p.Promote {
		t.Fatalf("%+v %v", p, err)
	}
	var bundle []byte
	for _, c := range after.Bundle() {
		bundle = append(bundle, pki.EncodeCertificate(c.Raw)...)
	}
	gateway := issueV1(t, pkix.Name{CommonName: "mcp-gateway-client", Organization: []string{"MCPGateway"}}, old, t0.AddDate(0, 0, -90), t0.AddDate(0, 0, 10))
	plugin := issue(t, serverTemplate("DenyListPlugin"), next) // the successor's, with key identifiers
	for name, leaf := range map[string]*issued{"the Makefile's gateway": gateway, "a certificate the successor signed": plugin} {
		r := Check(Input{Name: "c", Role: RoleClient, CertPEM: leaf.pem, BundlePEM: bundle}, now)
		if name == "a certificate the successor signed" {
			r = Check(Input{Name: "c", Role: RoleServer, CertPEM: leaf.pem, BundlePEM: bundle}, now)
		}
		if !r.ChainValid {
			t.Errorf("%s against the promoted bundle: %q", name, r.Problems)
		}
		if ok, out, ran := opensslVerify(t, leaf.pem, bundle, now); ran && !ok {
			t.Errorf("%s: openssl verify fails:\n%s", name, out)
		}
	}
}
