package certcheck

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"
)

// wantProblems asserts the problems, each by words it must contain, in order.
func wantProblems(t *testing.T, r Result, words ...string) {
	t.Helper()
	if len(r.Problems) != len(words) {
		t.Fatalf("problems %q, want %d matching %q", r.Problems, len(words), words)
	}
	for i, w := range words {
		if !strings.Contains(r.Problems[i], w) {
			t.Errorf("problem %d is %q, want it to say %q", i, r.Problems[i], w)
		}
	}
}

func wantNotes(t *testing.T, r Result, words ...string) {
	t.Helper()
	if len(r.Notes) != len(words) {
		t.Fatalf("notes %q, want %d matching %q", r.Notes, len(words), words)
	}
	for i, w := range words {
		if !strings.Contains(r.Notes[i], w) {
			t.Errorf("note %d is %q, want it to say %q", i, r.Notes[i], w)
		}
	}
}

func TestCheckFields(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	serial, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10) // 2^128 - 1
	tmpl := clientTemplate()
	tmpl.SerialNumber = serial
	tmpl.NotBefore, tmpl.NotAfter = t0.Add(-time.Hour), t0.Add(90*24*time.Hour+time.Hour)
	gw := issue(t, tmpl, ca)

	r := Check(Input{Name: "gateway", Role: RoleClient, CertPEM: gw.pem, BundlePEM: ca.pem, CertFile: "gateway/client.crt"}, t0)
	want := Result{
		Name: "gateway", Role: RoleClient, File: "gateway/client.crt", Parsed: true,
		Subject:      "CN=mcp-gateway-client,OU=Gateway,O=MCPGateway",
		Issuer:       "CN=ContextForge-CA,OU=Plugins,O=ContextForge",
		SerialNumber: "340282366920938463463374607431768211455",
		NotBefore:    t0.Add(-time.Hour), NotAfter: t0.Add(90*24*time.Hour + time.Hour),
		DaysLeft: 91, // a day begun counts

		ChainValid: true, PurposeValid: true,
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}

	// The CA against itself, and against a bundle that holds it.
	for _, in := range []Input{
		{Name: "ca", Role: RoleCA, CertPEM: ca.pem},
		{Name: "ca", Role: RoleCA, CertPEM: ca.pem, BundlePEM: ca.pem},
	} {
		r := Check(in, t0)
		if !r.ChainValid || !r.PurposeValid || len(r.Problems) != 0 || len(r.Notes) != 0 || r.DaysLeft != 365 {
			t.Errorf("CA: %+v", r)
		}
	}
}

func TestDaysLeft(t *testing.T) {
	t.Parallel()
	notAfter := t0
	for _, c := range []struct {
		now  time.Time
		want int64
	}{
		{t0.Add(-30*24*time.Hour - time.Nanosecond), 31},
		{t0.Add(-30 * 24 * time.Hour), 30},
		{t0.Add(-30*24*time.Hour + 5*time.Minute), 30}, // right after a 30-day certificate is issued (backdated 5 minutes)
		{t0.Add(-29*24*time.Hour - time.Second), 30},
		{t0.Add(-29 * 24 * time.Hour), 29},
		{t0.Add(-24 * time.Hour), 1},
		{t0.Add(-time.Nanosecond), 1}, // its last day
		{t0, 0},                       // still valid at not_after itself
		{t0.Add(time.Nanosecond), -1},
		{t0.Add(24 * time.Hour), -1},
		{t0.Add(24*time.Hour + time.Nanosecond), -2},
	} {
		if got := DaysLeft(notAfter, c.now); got != c.want {
			t.Errorf("DaysLeft at not_after%+v = %d, want %d", c.now.Sub(notAfter), got, c.want)
		}
	}
	// RFC 5280's "no well-defined expiration" does not overflow a Duration.
	far := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	if got, want := DaysLeft(far, t0), (far.Unix()-t0.Unix())/86400+1; got != want || got < 2900000 {
		t.Errorf("DaysLeft(9999-12-31) = %d, want %d", got, want)
	}
}

func TestCheckValidity(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	tmpl := serverTemplate("p")
	tmpl.NotBefore, tmpl.NotAfter = t0.AddDate(0, 0, -10), t0.AddDate(0, 0, 10)
	leaf := issue(t, tmpl, ca)
	in := Input{Name: "p", Role: RoleServer, CertPEM: leaf.pem, BundlePEM: ca.pem}

	expired := Check(in, t0.AddDate(0, 0, 10).Add(time.Second))
	wantProblems(t, expired, "expired on "+t0.AddDate(0, 0, 10).Format(time.RFC3339))
	if expired.ChainValid || !expired.PurposeValid || expired.DaysLeft != -1 {
		t.Errorf("expired: %+v", expired)
	}

	early := Check(in, t0.AddDate(0, 0, -10).Add(-time.Second))
	wantProblems(t, early, "not yet valid: valid from "+t0.AddDate(0, 0, -10).Format(time.RFC3339))
	if early.ChainValid || early.DaysLeft != 21 {
		t.Errorf("not yet valid: %+v", early)
	}

	// At not_after itself the certificate is still valid, as crypto/x509 and
	// OpenSSL have it.
	if r := Check(in, t0.AddDate(0, 0, 10)); !r.ChainValid || len(r.Problems) != 0 || r.DaysLeft != 0 {
		t.Errorf("at not_after: %+v", r)
	}

	// A valid leaf whose CA has expired: the CA's expiry is the problem.
	caTmpl := caTemplate("Short-CA")
	caTmpl.NotBefore, caTmpl.NotAfter = t0.AddDate(0, 0, -20), t0.AddDate(0, 0, -1)
	shortCA := issue(t, caTmpl, nil)
	tmpl = serverTemplate("p")
	tmpl.NotBefore, tmpl.NotAfter = t0.AddDate(0, 0, -10), t0.AddDate(0, 0, 10)
	orphan := issue(t, tmpl, shortCA)
	r := Check(Input{Name: "p", Role: RoleServer, CertPEM: orphan.pem, BundlePEM: shortCA.pem, BundleFile: "plugins/p/ca.crt"}, t0)
	wantProblems(t, r, `its CA "CN=Short-CA,OU=Plugins,O=ContextForge" in plugins/p/ca.crt expired on `+t0.AddDate(0, 0, -1).Format(time.RFC3339))
	if r.ChainValid {
		t.Error("chain_valid with an expired CA")
	}

	// An expired CA checked against itself says expired once.
	r = Check(Input{Name: "ca", Role: RoleCA, CertPEM: shortCA.pem}, t0)
	wantProblems(t, r, "expired on")
}

func TestCheckChain(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	sameName := issue(t, caTemplate("ContextForge-CA"), nil) // every mcptls_ca defaults to this name
	otherName := issue(t, caTemplate("Other-CA"), nil)
	leaf := issue(t, clientTemplate(), ca)

	r := Check(Input{Name: "gw", Role: RoleClient, CertPEM: leaf.pem, BundlePEM: sameName.pem, BundleFile: "gateway/ca.crt"}, t0)
	wantProblems(t, r, `does not chain to the CA in gateway/ca.crt: it is signed by another key than that CA ("CN=ContextForge-CA,OU=Plugins,O=ContextForge")`)
	if r.ChainValid || !r.PurposeValid {
		t.Errorf("wrong CA: %+v", r)
	}
	r = Check(Input{Name: "gw", Role: RoleClient, CertPEM: leaf.pem, BundlePEM: otherName.pem}, t0)
	wantProblems(t, r, `does not chain to the CA in the CA bundle: its issuer "CN=ContextForge-CA,OU=Plugins,O=ContextForge" is not in it`)

	// A rotation bundle: the new CA and the old one, either order.
	bundle := append(append([]byte{}, otherName.pem...), ca.pem...)
	if r := Check(Input{Name: "gw", Role: RoleClient, CertPEM: leaf.pem, BundlePEM: bundle}, t0); !r.ChainValid || len(r.Problems) != 0 {
		t.Errorf("bundle: %+v", r)
	}

	// A CA checked against a bundle of other CAs.
	r = Check(Input{Name: "ca", Role: RoleCA, CertPEM: ca.pem, BundlePEM: otherName.pem}, t0)
	wantProblems(t, r, "does not chain to the CA in the CA bundle")

	// A bundle holding the leaf itself is no CA.
	r = Check(Input{Name: "gw", Role: RoleClient, CertPEM: leaf.pem, BundlePEM: leaf.pem}, t0)
	wantProblems(t, r, "the CA bundle holds this certificate itself, not the CA that signed it")

	// No bundle, an unreadable one, one without certificates, a malformed one.
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("secret-key-bytes")})
	for _, c := range []struct {
		in   Input
		want string
	}{
		{Input{BundlePEM: nil}, "chain not checked: no CA bundle was given"},
		{Input{BundleErr: errors.New("gateway/ca.crt is a named pipe (FIFO), not a regular file")}, "chain not checked: the CA bundle is unreadable: gateway/ca.crt is a named pipe"},
		{Input{BundlePEM: []byte("junk"), BundleFile: "gateway/ca.crt"}, "chain not checked: gateway/ca.crt holds no PEM certificate"},
		{Input{BundlePEM: keyPEM}, "chain not checked: the CA bundle holds no CERTIFICATE block (1 other PEM block(s))"},
		{Input{BundlePEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0}})}, "chain not checked: the CA bundle is unreadable: certificate 1 is malformed"},
	} {
		in := c.in
		in.Name, in.Role, in.CertPEM = "gw", RoleClient, leaf.pem
		r := Check(in, t0)
		wantProblems(t, r, c.want)
		if r.ChainValid || !r.Parsed || !r.PurposeValid {
			t.Errorf("%s: %+v", c.want, r)
		}
		if strings.Contains(strings.Join(r.Problems, " "), "c2VjcmV0") {
			t.Error("a problem quotes key material")
		}
	}

	// A CA whose self-signature was tampered with: still in its own bundle, so
	// only the signature check catches it.
	der := append([]byte{}, ca.cert.Raw...)
	der[len(der)-1] ^= 0xff
	tampered := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if _, err := x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	r = Check(Input{Name: "ca", Role: RoleCA, CertPEM: tampered}, t0)
	wantProblems(t, r, "its self-signature does not verify")
}

func TestCheckPurpose(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	mod := func(base *x509.Certificate, f func(*x509.Certificate)) *x509.Certificate { f(base); return base }
	noEKU := func(c *x509.Certificate) { c.ExtKeyUsage = nil; c.KeyUsage = 0 }
	v1 := issueV1(t, pkix.Name{CommonName: "mcp-gateway-client", Organization: []string{"MCPGateway"}}, ca, t0.Add(-time.Hour), t0.AddDate(0, 0, 825))

	for _, c := range []struct {
		name     string
		role     Role
		cert     *issued
		valid    bool
		notes    []string
		problems []string
	}{
		{"mcptls client", RoleClient, issue(t, clientTemplate(), ca), true, nil, nil},
		{"mcptls server", RoleServer, issue(t, serverTemplate("p"), ca), true, nil, nil},
		{"Makefile gateway cert, X.509 v1", RoleClient, v1, true, []string{"X.509 v1 without extensions (as the gateway's Makefile issues it): accepted for TLS client authentication"}, nil},
		{"Makefile plugin cert, SANs only", RoleServer, issue(t, mod(serverTemplate("p"), noEKU), ca), true, []string{"no extended key usage (as the gateway's Makefile issues it): accepted for any purpose; mcptls_plugin_cert sets serverAuth"}, nil},
		{"client without EKU", RoleClient, issue(t, mod(clientTemplate(), noEKU), ca), true, []string{"mcptls_gateway_cert sets clientAuth"}, nil},
		{"EKU any", RoleServer, issue(t, mod(serverTemplate("p"), func(c *x509.Certificate) { c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageAny} }), ca), true, nil, nil},
		{"server cert as client", RoleClient, issue(t, serverTemplate("p"), ca), false, nil, []string{"wrong purpose: its extended key usage is serverAuth, without clientAuth"}},
		{"client cert as server", RoleServer, issue(t, clientTemplate(), ca), false, []string{"no subjectAltName"}, []string{"wrong purpose: its extended key usage is clientAuth, without serverAuth"}},
		{"server with key usage for signing certificates only", RoleServer, issue(t, mod(serverTemplate("p"), func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageCRLSign }), ca), false, nil, []string{"wrong purpose: its key usage does not allow a TLS server"}},
		{"server with keyEncipherment only (RSA key exchange)", RoleServer, issue(t, mod(serverTemplate("p"), func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }), ca), true, nil, nil},
		{"client with keyEncipherment only", RoleClient, issue(t, mod(clientTemplate(), func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageKeyEncipherment }), ca), false, nil, []string{"wrong purpose: its key usage does not allow TLS client authentication"}},
		{"unknown EKU OID", RoleClient, issue(t, mod(clientTemplate(), func(c *x509.Certificate) {
			c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
			c.UnknownExtKeyUsage = []asn1.ObjectIdentifier{{1, 2, 3, 4}}
		}), ca), false, nil, []string{"its extended key usage is 1.2.3.4, codeSigning, without clientAuth"}},
		{"leaf as CA", RoleCA, issue(t, clientTemplate(), ca), false, nil, []string{"wrong purpose: not a CA (basicConstraints CA:TRUE is missing)"}},
		{"CA without keyCertSign", RoleCA, issue(t, mod(caTemplate("X"), func(c *x509.Certificate) { c.KeyUsage = x509.KeyUsageDigitalSignature }), nil), false, nil, []string{"wrong purpose: its key usage lacks keyCertSign"}},
		{"Makefile CA, no key usage", RoleCA, issue(t, mod(caTemplate("X"), func(c *x509.Certificate) { c.KeyUsage = 0 }), nil), true, []string{"no key usage extension (as the gateway's Makefile issues it with openssl req -x509)"}, nil},
		{"unknown role", Role("gateway"), issue(t, clientTemplate(), ca), false, nil, []string{`purpose not checked: unknown role "gateway"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			bundle := ca.pem
			if c.role == RoleCA {
				bundle = nil
			}
			r := Check(Input{Name: c.name, Role: c.role, CertPEM: c.cert.pem, BundlePEM: bundle}, t0)
			if r.PurposeValid != c.valid {
				t.Errorf("purpose_valid = %v, want %v", r.PurposeValid, c.valid)
			}
			if !r.ChainValid {
				t.Errorf("chain_valid false: %q", r.Problems)
			}
			wantNotes(t, r, c.notes...)
			wantProblems(t, r, c.problems...)
		})
	}
}

func TestCheckUnreadable(t *testing.T) {
	t.Parallel()
	ca := issue(t, caTemplate("ContextForge-CA"), nil)
	leaf := issue(t, serverTemplate("p"), ca)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte("secret-key-bytes")})
	for _, c := range []struct {
		in   Input
		want string
	}{
		{Input{CertPEM: []byte("not a pem")}, "unreadable PEM: no PEM block found"},
		{Input{CertPEM: keyPEM}, `unreadable PEM: the first PEM block is "EC PRIVATE KEY", not a CERTIFICATE`},
		{Input{CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")})}, "unreadable PEM: the certificate is malformed"},
		{Input{CertErr: errors.New("plugins/p/server.crt is 2000000 bytes, more than the 1 MiB a certificate file may have")}, "unreadable: plugins/p/server.crt is 2000000 bytes"},
		{Input{CertErr: fmt.Errorf("%w", errMissing)}, "missing: does not exist"},
	} {
		in := c.in
		in.Name, in.Role, in.BundlePEM = "p", RoleServer, ca.pem
		r := Check(in, t0)
		wantProblems(t, r, c.want)
		if r.Parsed || r.ChainValid || r.PurposeValid || r.Subject != "" || r.DaysLeft != 0 {
			t.Errorf("%s: %+v", c.want, r)
		}
		if strings.Contains(strings.Join(r.Problems, " "), "c2VjcmV0") {
			t.Error("a problem quotes key material")
		}
	}

	// A certificate followed by its key (client.pem): checked, with a note.
	withKey := append(append([]byte{}, leaf.pem...), keyPEM...)
	r := Check(Input{Name: "p", Role: RoleServer, CertPEM: withKey, BundlePEM: ca.pem}, t0)
	wantNotes(t, r, "1 more PEM block(s) follow the certificate; only the first certificate is checked",
		"a private key follows the certificate: pass the certificate alone")

	// A chain (certificate then its CA): a note, no word of keys.
	chain := append(append([]byte{}, leaf.pem...), ca.pem...)
	wantNotes(t, Check(Input{Name: "p", Role: RoleServer, CertPEM: chain, BundlePEM: ca.pem}, t0),
		"1 more PEM block(s) follow the certificate; only the first certificate is checked")
	wantProblems(t, r)
	if !r.ChainValid || !r.PurposeValid {
		t.Errorf("cert then key: %+v", r)
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	results := []Result{
		{Name: "plugins/b", Parsed: true, DaysLeft: 29},
		{Name: "ca", Parsed: true, DaysLeft: 400},
		{Name: "plugins/a", Parsed: true, DaysLeft: -3},
		{Name: "gateway", Parsed: true, DaysLeft: 30},
		{Name: "plugins/c", Parsed: false}, // unreadable: neither counted nor expiring
	}
	s := Summarize(results, 30)
	if s.MinDaysLeft == nil || *s.MinDaysLeft != -3 {
		t.Errorf("min_days_left = %v, want -3", s.MinDaysLeft)
	}
	if want := []string{"plugins/a", "plugins/b"}; !reflect.DeepEqual(s.Expiring, want) {
		t.Errorf("expiring = %q, want %q", s.Expiring, want)
	}
	if s := Summarize(results, 0); !reflect.DeepEqual(s.Expiring, []string{"plugins/a"}) {
		t.Errorf("warning_days 0: expiring = %q, want only the expired one", s.Expiring)
	}
	s = Summarize([]Result{{Name: "x"}}, 30)
	if s.MinDaysLeft != nil || s.Expiring == nil || len(s.Expiring) != 0 {
		t.Errorf("nothing readable: %+v", s)
	}
}

func TestQuoteIfNeeded(t *testing.T) {
	t.Parallel()
	if got := QuoteIfNeeded("plugins/DenyListPlugin/ca.crt"); got != "plugins/DenyListPlugin/ca.crt" {
		t.Errorf("plain name quoted: %s", got)
	}
	if got := QuoteIfNeeded("plugins/a\nWarning: forged/ca.crt"); got != `"plugins/a\nWarning: forged/ca.crt"` {
		t.Errorf("line break not quoted: %s", got)
	}
}
