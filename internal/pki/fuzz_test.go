package pki

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

// FuzzParseIssuer feeds arbitrary ca_cert_pem / ca_private_key_pem pairs. The
// regression corpus is testdata/fuzz/FuzzParseIssuer; seeds below cover the
// shapes users paste (PKCS#8, PKCS#1, SEC1, legacy encrypted, v1 certs, leaves).
func FuzzParseIssuer(f *testing.F) {
	_, caPEM, caKeyPEM := mustCA(f, ecdsaSpec(), testNow, 30)
	_, _, otherKeyPEM := mustCA(f, KeySpec{Algorithm: AlgorithmEd25519}, testNow, 30)
	f.Add(caPEM, caKeyPEM)
	f.Add(caPEM, otherKeyPEM)
	f.Add(caPEM, caKeyPEM[:len(caKeyPEM)/2])
	f.Add(caPEM[:len(caPEM)-40], caKeyPEM)
	f.Add(caKeyPEM, caPEM)
	f.Add(caPEM+caPEM, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")
	f.Add(caPEM, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")
	f.Add("", "")
	// Strict PEM: a CA followed by a broken or extra block, a key after EC PARAMETERS.
	f.Add(caPEM+"-----BEGIN CERTIFICATE-----\nMIIB\n", caKeyPEM)
	f.Add(caPEM, "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"+caKeyPEM+caPEM)
	f.Fuzz(func(t *testing.T, certPEM, keyPEM string) {
		issuer, err := ParseIssuer(certPEM, keyPEM)
		if err != nil {
			var certErr *CertError
			var keyErr *KeyError
			if !errors.As(err, &certErr) && !errors.As(err, &keyErr) {
				t.Fatalf("error names no input: %v", err)
			}
			if quotesKey(err.Error(), keyPEM) {
				t.Fatalf("error quotes the private key: %v", err)
			}
			return
		}
		if !issuer.Cert.IsCA || !KeyMatches(issuer.Cert, issuer.Key) {
			t.Fatalf("accepted an issuer that cannot sign: CA=%v", issuer.Cert.IsCA)
		}
		key, err := GenerateKey(ecdsaSpec(), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Issue(Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 1, Now: issuer.Cert.NotBefore}, key, issuer)
		if err != nil && !errors.Is(err, ErrCAExpired) {
			t.Fatalf("accepted issuer cannot sign: %v", err)
		}
	})
}

// FuzzParsePrivateKey covers the key parser alone (import reads key files with it).
func FuzzParsePrivateKey(f *testing.F) {
	for _, key := range fixtureKeys(f) {
		for _, typ := range []string{"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"} {
			if der, ok := marshalAs(typ, key); ok {
				f.Add(string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})))
			}
		}
	}
	f.Add("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")
	f.Fuzz(func(t *testing.T, keyPEM string) {
		key, err := ParsePrivateKey(keyPEM)
		// The light parse refresh uses must agree with the full one on every key
		// the full one accepts, and never quote what it refuses.
		pub, lightErr := storedPublicKey(keyPEM)
		if err == nil && (lightErr != nil || !publicKeysEqual(pub, key.Public())) {
			t.Fatalf("storedPublicKey disagrees with ParsePrivateKey: %v", lightErr)
		}
		if lightErr != nil && quotesKey(lightErr.Error(), keyPEM) {
			t.Fatalf("storedPublicKey error quotes the private key: %v", lightErr)
		}
		if err != nil {
			if quotesKey(err.Error(), keyPEM) {
				t.Fatalf("error quotes the private key: %v", err)
			}
			return
		}
		if _, err := SpecOf(key.Public()); err != nil {
			t.Fatalf("accepted a key of an unsupported kind: %v", err)
		}
	})
}

// quotesKey reports whether msg repeats any 16-character run of the base64
// body of the key's PEM block: that body is the key material. (Input that is
// not PEM holds no key the parser could read, and is answered with a fixed text.)
func quotesKey(msg, keyPEM string) bool {
	block, _ := pem.Decode([]byte(keyPEM))
	if block == nil {
		return false
	}
	body := strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: block.Bytes})), "\n", "")
	body = strings.TrimSuffix(strings.TrimPrefix(body, "-----BEGIN X-----"), "-----END X-----")
	const run = 16
	for i := 0; i+run <= len(body); i++ {
		if strings.Contains(msg, body[i:i+run]) {
			return true
		}
	}
	return false
}

func fixtureKeys(f *testing.F) []any {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024) // small on purpose: parsed, then refused by SpecOf
	if err != nil {
		f.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	return []any{rsaKey, ecKey, edKey}
}

func marshalAs(typ string, key any) ([]byte, bool) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if typ == "RSA PRIVATE KEY" {
			return x509.MarshalPKCS1PrivateKey(k), true
		}
	case *ecdsa.PrivateKey:
		if typ == "EC PRIVATE KEY" {
			der, err := x509.MarshalECPrivateKey(k)
			return der, err == nil
		}
	}
	if typ == "PRIVATE KEY" {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		return der, err == nil
	}
	return nil, false
}

// FuzzParseCertificates checks the strict bundle parser returns certificates
// only, or an error, for any text.
func FuzzParseCertificates(f *testing.F) {
	_, a, key := mustCA(f, ecdsaSpec(), testNow, 30)
	f.Add(a)
	f.Add(a + a)
	f.Add(a + key)
	f.Add("-----BEGIN CERTIFICATE-----\nMIIB\n" + a)
	f.Add(strings.ReplaceAll(a, "\n", "\r\n"))
	f.Fuzz(func(t *testing.T, text string) {
		certs, err := ParseCertificates(text)
		if err == nil && len(certs) == 0 {
			t.Fatal("no error and no certificate")
		}
		one, oneErr := ParseCertificate(text)
		if oneErr == nil && (err != nil || len(certs) != 1 || !one.Equal(certs[0])) {
			t.Fatalf("ParseCertificate accepted what the bundle parser reads differently: %v", err)
		}
	})
}
