package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"
)

// rawCert signs a template the profiles never produce (no EKU, EKU any, an
// intermediate CA), as other tools would.
func rawCert(t *testing.T, tmpl *x509.Certificate, parent *Issuer) (string, string) {
	t.Helper()
	key, err := GenerateKey(ecdsaSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = big.NewInt(1)
	tmpl.NotBefore, tmpl.NotAfter = testNow, testNow.Add(24*time.Hour)
	parentCert, signer := tmpl, key
	if parent != nil {
		parentCert, signer = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := EncodePrivateKey(key)
	return EncodeCertificate(der), keyPEM
}

func TestCheckStored(t *testing.T) {
	t.Parallel()
	issuer, caPEM, caKey := mustCA(t, ecdsaSpec(), testNow, 30)
	other, otherPEM, otherKey := mustCA(t, ecdsaSpec(), testNow, 30)
	client, clientKey := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: testNow})
	server, serverKey := mustLeaf(t, issuer, Request{Profile: ProfileServer, Subject: PluginSubject("p", DefaultPluginSubject), DNSNames: []string{"p"}, ValidityDays: 10, Now: testNow})
	foreign, foreignKey := mustLeaf(t, other, Request{Profile: ProfileServer, Subject: PluginSubject("p", DefaultPluginSubject), ValidityDays: 10, Now: testNow})
	noEKU, noEKUKey := rawCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "makefile"}}, issuer)
	anyEKU, anyEKUKey := rawCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "any"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}, issuer)
	codeSigning, codeSigningKey := rawCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "code"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}, issuer)
	intermediate, intermediateKey := rawCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "intermediate"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}, other)
	garbage := "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"

	for _, c := range []struct {
		name                string
		profile             Profile
		cert, key, ca, want string
		part                Part
	}{
		{"CA", ProfileCA, caPEM, caKey, "", "", 0},
		{"gateway", ProfileClient, client.CertPEM, clientKey, caPEM, "", 0},
		{"plugin", ProfileServer, server.CertPEM, serverKey, caPEM, "", 0},
		{"leaf without EKU (the Makefile's) as gateway", ProfileClient, noEKU, noEKUKey, caPEM, "", 0},
		{"leaf without EKU (the Makefile's) as plugin", ProfileServer, noEKU, noEKUKey, caPEM, "", 0},
		{"leaf with EKU any", ProfileServer, anyEKU, anyEKUKey, caPEM, "", 0},

		{"CA cert garbage", ProfileCA, "x", caKey, "", "the certificate does not parse: no PEM block found", PartCertificate},
		{"CA key garbage", ProfileCA, caPEM, garbage, "", "the private key does not parse: private key DER is malformed", PartPrivateKey},
		{"CA key of another CA", ProfileCA, caPEM, otherKey, "", "the private key is not the certificate's", PartPrivateKey},
		{"CA cert swapped for a leaf", ProfileCA, client.CertPEM, clientKey, "", `"CN=mcp-gateway-client,OU=Gateway,O=MCPGateway" is not a CA certificate`, PartCertificate},
		{"CA cert of an intermediate", ProfileCA, intermediate, intermediateKey, "", `"CN=intermediate" is not self-signed`, PartCertificate},
		{"plugin cert swapped for the CA", ProfileServer, caPEM, caKey, caPEM, `"CN=ContextForge-CA,OU=Plugins,O=ContextForge" is a CA certificate, not a server certificate`, PartCertificate},
		{"gateway cert swapped for a plugin's", ProfileClient, server.CertPEM, serverKey, caPEM, "has extended key usage serverAuth but not clientAuth: it is not a client certificate", PartCertificate},
		{"plugin with code signing only", ProfileServer, codeSigning, codeSigningKey, caPEM, "has extended key usage codeSigning but not serverAuth", PartCertificate},
		{"gateway key garbage", ProfileClient, client.CertPEM, garbage, caPEM, "the private key does not parse", PartPrivateKey},
		{"gateway key of the plugin", ProfileClient, client.CertPEM, serverKey, caPEM, "the private key is not the certificate's", PartPrivateKey},
		{"plugin signed by another CA", ProfileServer, foreign.CertPEM, foreignKey, caPEM, `was not signed by the CA "CN=ContextForge-CA`, PartCertificate},
		{"plugin with the other CA's copy", ProfileServer, server.CertPEM, serverKey, otherPEM, "was not signed by the CA", PartCertificate},
		{"plugin with a CA copy that does not parse", ProfileServer, server.CertPEM, serverKey, "", "the CA certificate does not parse", PartIssuer},
	} {
		cert, err := CheckStored(c.profile, c.cert, c.key, c.ca)
		if c.want == "" {
			if err != nil || cert == nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		part, ok := PartOf(err)
		if err == nil || !ok || part != c.part || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v (part %v), want part %v saying %q", c.name, err, part, c.part, c.want)
		}
		if err != nil && (quotesKey(err.Error(), c.key) || quotesKey(err.Error(), caKey)) {
			t.Errorf("%s: error quotes key material", c.name)
		}
	}
}

// TestStoredPublicKey covers the light RSA path CheckStored takes and the full
// parse it falls back to for other keys.
func TestStoredPublicKey(t *testing.T) {
	t.Parallel()
	for _, spec := range []KeySpec{{Algorithm: AlgorithmRSA, RSABits: 2048}, ecdsaSpec(), {Algorithm: AlgorithmEd25519}} {
		key, err := GenerateKey(spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		forms := map[string]string{}
		forms["PKCS#8"], _ = EncodePrivateKey(key)
		if rsaKey, ok := key.(*rsa.PrivateKey); ok {
			forms["PKCS#1"] = pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))
			broken := *rsaKey
			broken.Primes = []*big.Int{new(big.Int).Add(rsaKey.Primes[0], big.NewInt(2)), rsaKey.Primes[1]}
			for name, text := range map[string]string{
				"PKCS#1 with a wrong prime": pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(&broken)),
				"PKCS#1 cut short":          pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)[:200]),
				"legacy encrypted":          "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
			} {
				if _, err := storedPublicKey(text); err == nil {
					t.Errorf("%s accepted", name)
				}
			}
		}
		for form, text := range forms {
			pub, err := storedPublicKey(text)
			if err != nil || !publicKeysEqual(pub, key.Public()) {
				t.Errorf("%s %s: %v", spec.Algorithm, form, err)
			}
		}
	}
}

// v1Cert signs an X.509 version 1 certificate (no extensions), what
// `openssl x509 -req` without -extfile writes and crypto/x509 never does.
func v1Cert(t *testing.T, issuer *Issuer) (string, string) {
	t.Helper()
	key, err := GenerateKey(ecdsaSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	spki, _ := x509.MarshalPKIXPublicKey(key.Public())
	subject, _ := asn1.Marshal(DefaultGatewaySubject.name().ToRDNSequence())
	sigAlg := pkix.AlgorithmIdentifier{Algorithm: asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}} // ecdsa-with-SHA256
	tbs, err := asn1.Marshal(struct {
		Serial    *big.Int
		Algorithm pkix.AlgorithmIdentifier
		Issuer    asn1.RawValue
		Validity  struct{ NotBefore, NotAfter time.Time }
		Subject   asn1.RawValue
		PublicKey asn1.RawValue
	}{big.NewInt(7), sigAlg, asn1.RawValue{FullBytes: issuer.Cert.RawSubject},
		struct{ NotBefore, NotAfter time.Time }{testNow, testNow.Add(24 * time.Hour)},
		asn1.RawValue{FullBytes: subject}, asn1.RawValue{FullBytes: spki}})
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(tbs)
	sig, err := issuer.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	der, err := asn1.Marshal(struct {
		TBS       asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, sigAlg, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, _ := EncodePrivateKey(key)
	return EncodeCertificate(der), keyPEM
}

func TestProfileShortfalls(t *testing.T) {
	t.Parallel()
	issuer, caPEM, _ := mustCA(t, ecdsaSpec(), testNow, 30)
	v1, v1Key := v1Cert(t, issuer)
	sanOnly, sanOnlyKey := rawCert(t, &x509.Certificate{Subject: pkix.Name{CommonName: "mcp-plugin-p"}, DNSNames: []string{"p"}}, issuer)
	client, _ := mustLeaf(t, issuer, Request{Profile: ProfileClient, Subject: DefaultGatewaySubject, ValidityDays: 10, Now: testNow})
	server, _ := mustLeaf(t, issuer, Request{Profile: ProfileServer, Subject: DefaultPluginSubject, ValidityDays: 10, Now: testNow})
	// The Makefile's certificates are still accepted in state.
	for name, c := range map[string][2]string{"v1 gateway": {v1, v1Key}, "plugin with SANs only": {sanOnly, sanOnlyKey}} {
		p := ProfileClient
		if name != "v1 gateway" {
			p = ProfileServer
		}
		if _, err := CheckStored(p, c[0], c[1], caPEM); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	parse := func(pemText string) *x509.Certificate {
		cert, err := ParseCertificate(pemText)
		if err != nil {
			t.Fatal(err)
		}
		return cert
	}
	for _, c := range []struct {
		name    string
		profile Profile
		cert    *x509.Certificate
		want    string
	}{
		{"v1 gateway", ProfileClient, parse(v1), "it is X.509 version 1, without any extension; it has no extended key usage clientAuth; it has no key usage (digitalSignature)"},
		{"plugin with SANs only", ProfileServer, parse(sanOnly), "it has no extended key usage serverAuth; it has no key usage (digitalSignature)"},
		{"our gateway", ProfileClient, client.Cert, ""},
		{"our plugin", ProfileServer, server.Cert, ""},
		{"a CA is never judged", ProfileCA, parse(v1), ""},
	} {
		if got := strings.Join(ProfileShortfalls(c.profile, c.cert), "; "); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
