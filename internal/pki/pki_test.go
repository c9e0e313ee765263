package pki

import (
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ecdsaSpec() KeySpec { return KeySpec{Algorithm: AlgorithmECDSA, Curve: CurveP256} }

func mustCA(t testing.TB, spec KeySpec, now time.Time, days int) (*Issuer, string, string) {
	t.Helper()
	key, err := GenerateKey(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := Issue(Request{Profile: ProfileCA, Subject: DefaultCASubject, ValidityDays: days, Now: now}, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := EncodePrivateKey(key)
	issuer, err := ParseIssuer(issued.CertPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	return issuer, issued.CertPEM, keyPEM
}

func mustLeaf(t *testing.T, issuer *Issuer, req Request) (*Issued, string) {
	t.Helper()
	key, err := GenerateKey(ecdsaSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := Issue(req, key, issuer)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := EncodePrivateKey(key)
	return issued, keyPEM
}

// TestDefaultsMatchTheGuide is the one test that pays for RSA-4096 keys.
func TestDefaultsMatchTheGuide(t *testing.T) {
	t.Parallel()
	spec := KeySpec{Algorithm: DefaultAlgorithm, RSABits: DefaultRSABits, Curve: DefaultCurve}
	issuer, caPEM, caKeyPEM := mustCA(t, spec, testNow, DefaultValidityDays)
	ca := issuer.Cert
	if pub, ok := ca.PublicKey.(*rsa.PublicKey); !ok || pub.N.BitLen() != 4096 {
		t.Errorf("CA key = %T, want an RSA 4096 key", ca.PublicKey)
	}
	if ca.SignatureAlgorithm != x509.SHA256WithRSA {
		t.Errorf("CA signature = %v", ca.SignatureAlgorithm)
	}
	if !ca.IsCA || ca.MaxPathLen != 0 || !ca.MaxPathLenZero {
		t.Errorf("CA constraints: IsCA=%v MaxPathLen=%d zero=%v", ca.IsCA, ca.MaxPathLen, ca.MaxPathLenZero)
	}
	if ca.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageCRLSign || len(ca.SubjectKeyId) == 0 {
		t.Errorf("CA key usage %v SKID %x", ca.KeyUsage, ca.SubjectKeyId)
	}
	if got := ca.NotAfter.Sub(ca.NotBefore); got != 825*24*time.Hour {
		t.Errorf("CA validity = %v", got)
	}
	if got := ca.Subject.String(); got != "CN=ContextForge-CA,OU=Plugins,O=ContextForge" {
		t.Errorf("CA subject = %q", got)
	}
	if ca.SerialNumber.BitLen() > 128 || ca.SerialNumber.Sign() <= 0 {
		t.Errorf("serial %v", ca.SerialNumber)
	}
	if !strings.HasPrefix(caKeyPEM, "-----BEGIN PRIVATE KEY-----") || !strings.HasPrefix(caPEM, "-----BEGIN CERTIFICATE-----") {
		t.Error("PEM types")
	}

	key, err := GenerateKey(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	sans, _ := PluginSANs("DenyListPlugin", "127.0.0.1", nil, nil)
	issued, err := Issue(Request{Profile: ProfileServer, Subject: PluginSubject("DenyListPlugin", DefaultPluginSubject),
		DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses, ValidityDays: DefaultValidityDays, Now: testNow.Add(time.Minute)}, key, issuer)
	if err != nil {
		t.Fatal(err)
	}
	srv := issued.Cert
	if srv.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment || srv.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth || srv.IsCA {
		t.Errorf("server usage %v %v", srv.KeyUsage, srv.ExtKeyUsage)
	}
	if got := strings.Join(srv.DNSNames, ","); got != "DenyListPlugin,localhost,mcp-plugin-DenyListPlugin" {
		t.Errorf("DNS SANs = %s", got)
	}
	if len(srv.IPAddresses) != 1 || !srv.IPAddresses[0].Equal(net.ParseIP("127.0.0.1")) {
		t.Errorf("IP SANs = %v", srv.IPAddresses)
	}
	if string(srv.AuthorityKeyId) != string(ca.SubjectKeyId) {
		t.Error("AKID does not match the CA's SKID")
	}
	// Issued a minute after its CA with the CA's validity: it starts a minute
	// earlier instead of being cut, so it spans validity_days and ends with the CA.
	if issued.Clamped != 0 || !srv.NotAfter.Equal(ca.NotAfter) || srv.NotAfter.Sub(srv.NotBefore) != DefaultValidityDays*24*time.Hour {
		t.Errorf("leaf issued a minute after its CA: clamped %v, not_before %v, not_after %v (CA's %v)", issued.Clamped, srv.NotBefore, srv.NotAfter, ca.NotAfter)
	}
	// Later than the skew margin after the CA, it is cut to the CA's end.
	later, err := Issue(Request{Profile: ProfileServer, Subject: PluginSubject("DenyListPlugin", DefaultPluginSubject),
		DNSNames: sans.DNSNames, ValidityDays: DefaultValidityDays, Now: testNow.Add(10 * time.Minute)}, key, issuer)
	if err != nil {
		t.Fatal(err)
	}
	if later.Clamped != 10*time.Minute || !later.Cert.NotAfter.Equal(ca.NotAfter) {
		t.Errorf("leaf issued 10 minutes after its CA: clamped %v, not_after %v", later.Clamped, later.Cert.NotAfter)
	}
}

func TestClientProfileAndSHA256OnP384(t *testing.T) {
	t.Parallel()
	issuer, _, _ := mustCA(t, KeySpec{Algorithm: AlgorithmECDSA, Curve: CurveP384}, testNow, 100)
	if issuer.Cert.SignatureAlgorithm != x509.ECDSAWithSHA256 {
		t.Errorf("P-384 CA signature = %v, want ECDSA-SHA256", issuer.Cert.SignatureAlgorithm)
	}
	issued, _ := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: testNow})
	c := issued.Cert
	if c.KeyUsage != x509.KeyUsageDigitalSignature || len(c.ExtKeyUsage) != 1 || c.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth || c.IsCA {
		t.Errorf("client usage %v %v", c.KeyUsage, c.ExtKeyUsage)
	}
	if c.NotAfter.Sub(c.NotBefore) != 10*24*time.Hour || issued.Clamped != 0 {
		t.Errorf("client validity %v clamped %v", c.NotAfter.Sub(c.NotBefore), issued.Clamped)
	}
}

func TestKeyAlgorithms(t *testing.T) {
	t.Parallel()
	for _, spec := range []KeySpec{{Algorithm: AlgorithmECDSA, Curve: CurveP256}, {Algorithm: AlgorithmECDSA, Curve: CurveP384}, {Algorithm: AlgorithmEd25519}, {Algorithm: AlgorithmRSA, RSABits: 2048}} {
		key, err := GenerateKey(spec, nil)
		if err != nil {
			t.Fatal(spec, err)
		}
		pemText, _ := EncodePrivateKey(key)
		back, err := ParsePrivateKey(pemText)
		if err != nil {
			t.Fatal(spec, err)
		}
		got, _ := SpecOf(back.Public())
		if got.Algorithm != spec.Algorithm || (spec.Algorithm == AlgorithmECDSA && got.Curve != spec.Curve) || (spec.Algorithm == AlgorithmRSA && got.RSABits != spec.RSABits) {
			t.Errorf("round trip %v -> %v", spec, got)
		}
	}
	for _, bad := range []KeySpec{{Algorithm: "DSA"}, {Algorithm: AlgorithmRSA, RSABits: 1024}, {Algorithm: AlgorithmECDSA, Curve: "P521"}} {
		if _, err := GenerateKey(bad, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestParseIssuerErrors(t *testing.T) {
	t.Parallel()
	issuer, caPEM, caKeyPEM := mustCA(t, ecdsaSpec(), testNow, 100)
	_, _, otherKeyPEM := mustCA(t, ecdsaSpec(), testNow, 100)
	leaf, leafKey := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: testNow})
	var certErr *CertError
	var keyErr *KeyError
	cases := []struct {
		name, cert, key string
		want            any
		msg             string
	}{
		{"garbage cert", "hello", caKeyPEM, &certErr, "no PEM block"},
		{"not a CA", leaf.CertPEM, leafKey, &certErr, "is not a CA"},
		{"key as cert", caKeyPEM, caKeyPEM, &certErr, "is not a CERTIFICATE"},
		{"garbage key", caPEM, "nope", &keyErr, "no PEM block"},
		{"cert as key", caPEM, caPEM, &keyErr, "is not a private key"},
		{"foreign key", caPEM, otherKeyPEM, &keyErr, "does not match"},
		{"PKCS#8 encrypted key", caPEM, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", &keyErr, "encrypted private keys are not supported"},
		{"legacy encrypted key", caPEM, "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END EC PRIVATE KEY-----\n", &keyErr, "encrypted private keys are not supported"},
	}
	for _, c := range cases {
		_, err := ParseIssuer(c.cert, c.key)
		if err == nil || !errors.As(err, c.want) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want %T containing %q", c.name, err, c.want, c.msg)
		}
		if err != nil && strings.Contains(err.Error(), "PRIVATE KEY-----\n") {
			t.Errorf("%s: error quotes key material", c.name)
		}
	}
}

func TestLeafNeverOutlivesCA(t *testing.T) {
	t.Parallel()
	issuer, _, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	issued, _ := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 825, Now: testNow})
	if !issued.Cert.NotAfter.Equal(issuer.Cert.NotAfter) || issued.Clamped != 795*24*time.Hour {
		t.Errorf("not_after %v clamped %v", issued.Cert.NotAfter, issued.Clamped)
	}
	key, _ := GenerateKey(ecdsaSpec(), nil)
	if _, err := Issue(Request{Profile: ProfileClient, ValidityDays: 1, Now: issuer.Cert.NotAfter}, key, issuer); !errors.Is(err, ErrCAExpired) {
		t.Errorf("issuing at the CA's not_after: %v", err)
	}
}

// TestClockSkewMargin: not_before is backdated by the margin, never before the
// CA's, and not_after ends as much earlier: the span is validity_days to the
// second. A CA valid only beyond the margin signs nothing.
func TestClockSkewMargin(t *testing.T) {
	t.Parallel()
	issuer, _, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	if !issuer.Cert.NotBefore.Equal(testNow.Add(-ClockSkewMargin)) || !issuer.Cert.NotAfter.Equal(testNow.Add(-ClockSkewMargin).AddDate(0, 0, 30)) {
		t.Errorf("CA validity %v - %v", issuer.Cert.NotBefore, issuer.Cert.NotAfter)
	}
	for _, c := range []struct {
		name           string
		now, notBefore time.Time
	}{
		{"with the CA", testNow, testNow.Add(-ClockSkewMargin)},
		{"a minute after the CA", testNow.Add(time.Minute), testNow.Add(time.Minute - ClockSkewMargin)},
		{"an hour after the CA", testNow.Add(time.Hour), testNow.Add(time.Hour - ClockSkewMargin)},
	} {
		issued, _ := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: c.now})
		if !issued.Cert.NotBefore.Equal(c.notBefore) || !issued.Cert.NotAfter.Equal(c.notBefore.AddDate(0, 0, 10)) {
			t.Errorf("%s: validity %v - %v, want from %v", c.name, issued.Cert.NotBefore, issued.Cert.NotAfter, c.notBefore)
		}
	}
	// A CA made on a machine whose clock is ahead: within the margin it signs,
	// and the leaf starts with it; beyond, it is refused.
	ahead, _, _ := mustCA(t, ecdsaSpec(), testNow.Add(ClockSkewMargin+3*time.Minute), 30)
	issued, _ := mustLeaf(t, ahead, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: testNow})
	if !issued.Cert.NotBefore.Equal(ahead.Cert.NotBefore) || issued.Cert.NotAfter.Sub(issued.Cert.NotBefore) != 10*24*time.Hour {
		t.Errorf("leaf of a CA 3 minutes ahead spans %v - %v, want 10 days from the CA's %v", issued.Cert.NotBefore, issued.Cert.NotAfter, ahead.Cert.NotBefore)
	}
	key, _ := GenerateKey(ecdsaSpec(), nil)
	tooFar, _, _ := mustCA(t, ecdsaSpec(), testNow.Add(2*ClockSkewMargin+time.Second), 30)
	if _, err := Issue(Request{Profile: ProfileClient, ValidityDays: 1, Now: testNow}, key, tooFar); !errors.Is(err, ErrCANotYetValid) {
		t.Errorf("CA valid from beyond the margin: %v", err)
	}
}

func TestCheckCAValidAt(t *testing.T) {
	t.Parallel()
	issuer, _, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	ca := issuer.Cert
	for _, c := range []struct {
		name string
		now  time.Time
		want error
		says string
	}{
		{"at issue", testNow, nil, ""},
		{"at the margin before not_before", ca.NotBefore.Add(-ClockSkewMargin), nil, ""},
		{"beyond the margin", ca.NotBefore.Add(-ClockSkewMargin - time.Second), ErrCANotYetValid, "becomes valid at 2025-12-31T23:55:00Z, more than 5m0s after now (2025-12-31T23:49:59Z)"},
		{"a second before not_after", ca.NotAfter.Add(-time.Second), nil, ""},
		{"at not_after", ca.NotAfter, ErrCAExpired, "expired at 2026-01-30T23:55:00Z (it is now 2026-01-30T23:55:00Z)"},
	} {
		err := CheckCAValidAt(ca, c.now)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.says)) {
			t.Errorf("%s: got %v, want %v saying %q", c.name, err, c.want, c.says)
		}
	}
}

func TestRenewalEdges(t *testing.T) {
	t.Parallel()
	notAfter := testNow.AddDate(0, 0, 100)
	edge := notAfter.AddDate(0, 0, -30)
	if RenewalDue(edge.Add(-time.Second), notAfter, 30) {
		t.Error("due one second before the window")
	}
	if !RenewalDue(edge, notAfter, 30) {
		t.Error("not due at the window's start")
	}
	if !RenewalDue(notAfter, notAfter, 0) || RenewalDue(notAfter.Add(-time.Second), notAfter, 0) {
		t.Error("zero window")
	}
	if CheckRenewalWindow(30, 30) == nil || CheckRenewalWindow(31, 30) != nil {
		t.Error("renewal window bounds")
	}
	// Out-of-range values are the range checks' to report, once.
	for _, c := range [][2]int{{-1, 30}, {0, 30}, {MaxValidityDays + 1, 30}, {30, -1}} {
		if err := CheckRenewalWindow(c[0], c[1]); err != nil {
			t.Errorf("CheckRenewalWindow(%d, %d) = %v, want nil: the range check reports it", c[0], c[1], err)
		}
	}
	if ValidateValidityDays(0) == nil || ValidateValidityDays(MaxValidityDays+1) == nil || ValidateValidityDays(1) != nil || ValidateValidityDays(MaxValidityDays) != nil {
		t.Error("validity range")
	}
}

func TestPluginNamesAndSANs(t *testing.T) {
	t.Parallel()
	// Names the gateway and the Makefile accept; the DNS-invalid ones warn.
	for name, warns := range map[string]bool{"DenyListPlugin": false, "a": false, "opa-filter-2": false, "a.b": false,
		strings.Repeat("a", 52): false, strings.Repeat("a", 53): true, "My_Plugin": true, "-x": true, "x-": true} {
		if err := ValidatePluginName(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
		if w := PluginNameHostWarning(name); (w != "") != warns {
			t.Errorf("%q: warning %q", name, w)
		}
	}
	// Names that cannot be a directory of the tree or a SAN entry.
	// A leading `.` (a hidden directory) or an empty DNS label, refused by one
	// message in the resource, the data source and the functions.
	for _, bad := range []string{"", ".", "..", "a/b", `a\b`, "with space", "a,b", "tab\t", "nul\x00", strings.Repeat("a", 54), ".hidden", "a..b", "a."} {
		if err := ValidatePluginName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// The Makefile's SANs for a name DNS does not allow.
	m, err := PluginSANs("My_Plugin", "", nil, nil)
	if err != nil || strings.Join(m.DNSNames, ",") != "localhost,mcp-plugin-My_Plugin,My_Plugin" {
		t.Errorf("Makefile SANs: %v %v", m, err)
	}
	// A host with `_` (a Compose service) is the Makefile's kind of SAN: issued, with a warning.
	if u, err := PluginSANs("P", "my_plugin.internal", nil, nil); err != nil || !strings.Contains(strings.Join(u.DNSNames, ","), "my_plugin.internal") || SANHostWarning("my_plugin.internal") == "" || SANHostWarning("plugin.internal") != "" {
		t.Errorf("host with _: %v %v", u, err)
	}
	for _, bad := range []string{"*.example.com", "::ffff:10.0.0.1", "a..b", "with space"} {
		if _, err := PluginSANs("P", bad, nil, nil); err == nil {
			t.Errorf("host %q accepted", bad)
		}
	}
	if err := ValidateIPAddress("::ffff:10.0.0.1"); err == nil || !strings.Contains(err.Error(), "write it as 10.0.0.1") {
		t.Errorf("IPv4-mapped: %v", err)
	}
	a, err := PluginSANs("P", "plugin.internal", []string{"LOCALHOST", "extra.example"}, []string{"10.0.0.1", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.DNSNames, ","); got != "extra.example,localhost,mcp-plugin-P,P,plugin.internal" {
		t.Errorf("DNS %s", got)
	}
	b, _ := PluginSANs("P", "", []string{"plugin.internal", "extra.example"}, []string{"::1", "10.0.0.1", "10.0.0.1"})
	if !a.Equal(b) {
		t.Errorf("equal SAN sets compare unequal: %v %v", a, b)
	}
	if _, err := PluginSANs("P", "", nil, []string{"300.1.1.1"}); err == nil {
		t.Error("bad IP accepted")
	}
	if _, err := PluginSANs("P", "", []string{"bad_name"}, nil); err == nil {
		t.Error("bad DNS name accepted")
	}
}

// TestMutualTLSHandshake runs a crypto/tls server that requires client
// certificates with a plugin cert, and dials it with the gateway cert.
func TestMutualTLSHandshake(t *testing.T) {
	t.Parallel()
	now := time.Now()
	issuer, caPEM, _ := mustCA(t, ecdsaSpec(), now.Add(-time.Hour), 10)
	sans, _ := PluginSANs("DenyListPlugin", "127.0.0.1", nil, nil)
	server, serverKey := mustLeaf(t, issuer, Request{Profile: ProfileServer, Subject: PluginSubject("DenyListPlugin", DefaultPluginSubject), DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses, ValidityDays: 5, Now: now.Add(-time.Hour)})
	client, clientKey := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 5, Now: now.Add(-time.Hour)})
	foreign, _, _ := mustCA(t, ecdsaSpec(), now.Add(-time.Hour), 10)
	foreignClient, foreignKey := mustLeaf(t, foreign, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 5, Now: now.Add(-time.Hour)})

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(caPEM)) {
		t.Fatal("CA PEM not accepted by the pool")
	}
	serverPair, err := tls.X509KeyPair([]byte(server.CertPEM), []byte(serverKey))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{serverPair}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer func() { _ = conn.Close() }(); _, _ = io.WriteString(conn, "ok") }()
		}
	}()
	dial := func(host, certPEM, keyPEM string) error {
		cfg := &tls.Config{RootCAs: pool, ServerName: host}
		if certPEM != "" {
			pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
			if err != nil {
				return err
			}
			cfg.Certificates = []tls.Certificate{pair}
		}
		conn, err := tls.Dial("tcp", ln.Addr().String(), cfg)
		if err != nil {
			return err
		}
		defer func() { _ = conn.Close() }()
		// In TLS 1.3 the server judges the client certificate after the client's
		// handshake returns: the refusal arrives on the first read.
		_, err = io.ReadAll(conn)
		return err
	}
	for _, host := range []string{"localhost", "mcp-plugin-DenyListPlugin", "127.0.0.1"} {
		if err := dial(host, client.CertPEM, clientKey); err != nil {
			t.Errorf("gateway -> plugin by %s: %v", host, err)
		}
	}
	if err := dial("localhost", "", ""); err == nil {
		t.Error("handshake without a client certificate succeeded")
	}
	if err := dial("localhost", foreignClient.CertPEM, foreignKey); err == nil {
		t.Error("client certificate from a foreign CA accepted")
	}
	if err := dial("localhost", server.CertPEM, serverKey); err == nil {
		t.Error("server certificate accepted as a client certificate")
	}
	if err := dial("other.example", client.CertPEM, clientKey); err == nil {
		t.Error("hostname outside the SANs accepted")
	}
}

// TestParseIssuerIsRemembered: the same CA inputs parse once per process; a
// different key (or a failure) is never served from the cache.
func TestParseIssuerIsRemembered(t *testing.T) {
	t.Parallel()
	issuer, caPEM, keyPEM := mustCA(t, ecdsaSpec(), time.Now(), 10)
	_ = issuer
	a, err := ParseIssuer(caPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseIssuer(caPEM, keyPEM)
	if err != nil || a != b {
		t.Errorf("parsed twice: %p %p %v", a, b, err)
	}
	_, _, otherKey := mustCA(t, ecdsaSpec(), time.Now(), 10)
	if _, err := ParseIssuer(caPEM, otherKey); err == nil {
		t.Error("a key of another CA accepted")
	}
	if _, err := ParseIssuer(caPEM, otherKey); err == nil {
		t.Error("a key of another CA accepted the second time")
	}
}
