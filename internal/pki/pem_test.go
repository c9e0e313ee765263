package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"strconv"
	"strings"
	"testing"
)

func pemOf(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestParseCertificateIsStrict(t *testing.T) {
	t.Parallel()
	_, caPEM, keyPEM := mustCA(t, ecdsaSpec(), testNow, 30)
	_, otherPEM, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	lines := strings.Count(caPEM, "\n")
	for _, ok := range []string{caPEM, "\n\n  " + caPEM + "\n\t\n", strings.ReplaceAll(caPEM, "\n", "\r\n")} {
		if _, err := ParseCertificate(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, c := range []struct{ name, text, want string }{
		{"not PEM", "not a pem", "no PEM block found"},
		{"empty", " \n", "no PEM block found"},
		{"a key", keyPEM, `PEM block type "PRIVATE KEY" is not a CERTIFICATE`},
		{"a bundle", caPEM + otherPEM, "found a CERTIFICATE block at line " + strconv.Itoa(lines+1) + " after the certificate"},
		{"a key after", caPEM + keyPEM, "found a PRIVATE KEY block at line " + strconv.Itoa(lines+1)},
		{"a truncated block after", caPEM + "-----BEGIN CERTIFICATE-----\nMIIB\n", "found a CERTIFICATE block without its END line at line " + strconv.Itoa(lines+1)},
		{"a malformed block after", caPEM + "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "found a malformed CERTIFICATE block"},
		{"text after", caPEM + "garbage\n", "found text that is not PEM at line " + strconv.Itoa(lines+1)},
		{"text before", "Bag Attributes\n" + caPEM, "found text that is not PEM at line 1 where a PEM block should start"},
		// pem.Decode would skip the broken block and return the next one.
		{"a truncated block before a good one", "-----BEGIN CERTIFICATE-----\nMIIB\n" + caPEM, "without its END line at line 1"},
	} {
		_, err := ParseCertificate(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
			continue
		}
		if c.want != "no PEM block found" && !strings.HasPrefix(c.want, "PEM block type") && !strings.Contains(err.Error(), "exactly one CERTIFICATE block") {
			t.Errorf("%s: %v does not say how to fix it", c.name, err)
		}
	}
}

func TestParseCertificates(t *testing.T) {
	t.Parallel()
	_, a, keyPEM := mustCA(t, ecdsaSpec(), testNow, 30)
	_, b, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	certs, err := ParseCertificates(a + "\n" + b)
	if err != nil || len(certs) != 2 {
		t.Fatalf("bundle of two: %d, %v", len(certs), err)
	}
	if certs, err := ParseCertificates(a); err != nil || len(certs) != 1 {
		t.Errorf("bundle of one: %d, %v", len(certs), err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"empty", "", "no PEM block found"},
		{"a key in the bundle", a + keyPEM, "block 2 (line"},
		{"text after", a + b + "trailer", "found text that is not PEM"},
		{"a truncated block", a + "-----BEGIN CERTIFICATE-----\nMIIB\n", "without its END line"},
		{"bad DER", pemOf("CERTIFICATE", []byte{1, 2, 3}), "block 1 (line 1): certificate DER is malformed"},
	} {
		if _, err := ParseCertificates(c.text); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// ecParameters is the block `openssl ecparam -genkey` writes before the key.
func ecParameters(t *testing.T, curve asn1.ObjectIdentifier) string {
	t.Helper()
	der, err := asn1.Marshal(curve)
	if err != nil {
		t.Fatal(err)
	}
	return pemOf("EC PARAMETERS", der)
}

var oidP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}

func TestParsePrivateKeyBlocks(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pemOf("EC PRIVATE KEY", sec1)
	_, caPEM, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	params := ecParameters(t, oidP256)
	for _, ok := range []string{keyPEM, params + keyPEM, params + params + "\n" + keyPEM + "\n"} {
		got, err := ParsePrivateKey(ok)
		if err != nil || !key.PublicKey.Equal(got.Public()) {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, c := range []struct{ name, text, want string }{
		{"parameters alone", params, "only EC PARAMETERS found"},
		{"a certificate before the key", caPEM + keyPEM, `PEM block type "CERTIFICATE" is not a private key`},
		{"a certificate after the key", keyPEM + caPEM, "found a CERTIFICATE block at line"},
		{"parameters after the key", keyPEM + params, "found a EC PARAMETERS block at line"},
		{"text after the key", keyPEM + "x", "found text that is not PEM at line"},
		{"text between", params + "x\n" + keyPEM, "found text that is not PEM at line 4 where the private key block should be"},
		{"text before", "x\n" + keyPEM, "found text that is not PEM at line 1 where a PEM block should start"},
	} {
		_, err := ParsePrivateKey(c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		if err != nil && quotesKey(err.Error(), keyPEM) {
			t.Errorf("%s: error quotes the key", c.name)
		}
	}
}

func TestUnsupportedCurvesAreNamed(t *testing.T) {
	t.Parallel()
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sec1, _ := x509.MarshalECPrivateKey(p521)
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(p521)
	// secp256k1: Go cannot parse it at all, so the name comes from the OID.
	k1 := asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	k1SEC1, err := asn1.Marshal(struct {
		Version    int
		PrivateKey []byte
		Curve      asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
	}{1, make([]byte, 32), k1})
	if err != nil {
		t.Fatal(err)
	}
	curveDER, _ := asn1.Marshal(k1)
	k1PKCS8, err := asn1.Marshal(struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}{0, pkix.AlgorithmIdentifier{Algorithm: oidPublicKeyECDSA, Parameters: asn1.RawValue{FullBytes: curveDER}}, k1SEC1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, text, want string }{
		{"P-521 SEC1", pemOf("EC PRIVATE KEY", sec1), "ECDSA curve P-521 is not supported: use a P-256 or P-384 key"},
		{"P-521 PKCS#8", pemOf("PRIVATE KEY", pkcs8), "ECDSA curve P-521 is not supported: use a P-256 or P-384 key"},
		{"P-521 after its parameters", ecParameters(t, asn1.ObjectIdentifier{1, 3, 132, 0, 35}) + pemOf("EC PRIVATE KEY", sec1), "ECDSA curve P-521 is not supported"},
		{"secp256k1 SEC1", pemOf("EC PRIVATE KEY", k1SEC1), "ECDSA curve secp256k1 is not supported: use a P-256 or P-384 key"},
		{"secp256k1 PKCS#8", pemOf("PRIVATE KEY", k1PKCS8), "ECDSA curve secp256k1 is not supported"},
	} {
		if _, err := ParsePrivateKey(c.text); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := SpecOf(p521.Public()); err == nil || !strings.Contains(err.Error(), "P-521") {
		t.Errorf("SpecOf(P-521) = %v", err)
	}
}

// TestParseIssuerKeyRing: a leaf's CA key may be several keys in one text
// (a CA key being rotated); the CA certificate's own key signs, whatever
// its place, EC PARAMETERS before a key included. A ring without it, or
// with something that is not a key, is refused naming what is wrong.
func TestParseIssuerKeyRing(t *testing.T) {
	t.Parallel()
	issuer, caPEM, caKeyPEM := mustCA(t, ecdsaSpec(), testNow, 30)
	_, _, otherPEM := mustCA(t, ecdsaSpec(), testNow, 30)
	params := ecParameters(t, oidP256)
	for _, ring := range []string{otherPEM + caKeyPEM, caKeyPEM + otherPEM, params + otherPEM + "\n" + params + caKeyPEM} {
		got, err := ParseIssuer(caPEM, ring)
		if err != nil || !KeyMatches(issuer.Cert, got.Key) {
			t.Errorf("ring %q: %v", ring, err)
		}
	}
	for ring, want := range map[string]string{
		otherPEM + otherPEM:                  "none of the 2 private keys given matches the CA certificate's public key",
		otherPEM + caPEM:                     "after the private key",
		otherPEM + pemOf("PRIVATE KEY", nil): "key 2 of 2: private key DER is malformed",
	} {
		if _, err := ParseIssuer(caPEM, ring); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
