package certcheck

import (
	"bytes"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
