// Package bench holds the performance benchmarks: Go benchmarks of the PKI
// package here, whole-process Terraform benchmarks in ./process. See README.md.
package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

var specs = []pki.KeySpec{
	{Algorithm: pki.AlgorithmRSA, RSABits: 2048},
	{Algorithm: pki.AlgorithmRSA, RSABits: 3072},
	{Algorithm: pki.AlgorithmRSA, RSABits: 4096},
	{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256},
	{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP384},
	{Algorithm: pki.AlgorithmEd25519},
}

func name(s pki.KeySpec) string {
	switch s.Algorithm {
	case pki.AlgorithmRSA:
		return fmt.Sprintf("RSA-%d", s.RSABits)
	case pki.AlgorithmECDSA:
		return "ECDSA-" + s.Curve
	}
	return s.Algorithm
}

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// BenchmarkGenerateKey is what Create pays once per certificate.
func BenchmarkGenerateKey(b *testing.B) {
	for _, spec := range specs {
		b.Run(name(spec), func(b *testing.B) {
			for b.Loop() {
				if _, err := pki.GenerateKey(spec, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ca issues a CA of the given kind and returns its PEM inputs as a leaf sees them.
func ca(b *testing.B, spec pki.KeySpec) (certPEM, keyPEM string) {
	b.Helper()
	key, err := pki.GenerateKey(spec, nil)
	if err != nil {
		b.Fatal(err)
	}
	issued, err := pki.Issue(pki.Request{Profile: pki.ProfileCA, Subject: pki.DefaultCASubject, ValidityDays: 825, Now: now}, key, nil)
	if err != nil {
		b.Fatal(err)
	}
	keyPEM, err = pki.EncodePrivateKey(key)
	if err != nil {
		b.Fatal(err)
	}
	return issued.CertPEM, keyPEM
}

// BenchmarkIssue signs a plugin certificate with a key generated beforehand:
// the signing cost alone, by CA key kind.
func BenchmarkIssue(b *testing.B) {
	for _, spec := range specs {
		b.Run(name(spec), func(b *testing.B) {
			certPEM, keyPEM := ca(b, spec)
			issuer, err := pki.ParseIssuer(certPEM, keyPEM)
			if err != nil {
				b.Fatal(err)
			}
			leafKey, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
			if err != nil {
				b.Fatal(err)
			}
			sans, err := pki.PluginSANs("DenyListPlugin", "127.0.0.1", nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			req := pki.Request{
				Profile: pki.ProfileServer, Subject: pki.PluginSubject("DenyListPlugin", pki.DefaultPluginSubject),
				DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses, ValidityDays: 825, Now: now,
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := pki.Issue(req, leafKey, issuer); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseIssuer is the CA input parse every ValidateConfig and Create
// of a leaf does once: certificate, key, and the check that they match.
func BenchmarkParseIssuer(b *testing.B) {
	for _, spec := range specs {
		b.Run(name(spec), func(b *testing.B) {
			certPEM, keyPEM := ca(b, spec)
			b.ResetTimer()
			for b.Loop() {
				if _, err := pki.ParseIssuer(certPEM, keyPEM); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCheckStored is what Read adds to every plan, per resource: the
// stored certificate, key and (for a leaf) CA copy checked against each other.
func BenchmarkCheckStored(b *testing.B) {
	for _, spec := range specs {
		certPEM, keyPEM := ca(b, spec)
		issuer, err := pki.ParseIssuer(certPEM, keyPEM)
		if err != nil {
			b.Fatal(err)
		}
		leafKey, err := pki.GenerateKey(spec, nil)
		if err != nil {
			b.Fatal(err)
		}
		leaf, err := pki.Issue(pki.Request{Profile: pki.ProfileServer, Subject: pki.DefaultPluginSubject, ValidityDays: 825, Now: now}, leafKey, issuer)
		if err != nil {
			b.Fatal(err)
		}
		leafKeyPEM, err := pki.EncodePrivateKey(leafKey)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name(spec)+"/CA", func(b *testing.B) {
			for b.Loop() {
				if _, err := pki.CheckStored(pki.ProfileCA, certPEM, keyPEM, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name(spec)+"/leaf", func(b *testing.B) {
			for b.Loop() {
				if _, err := pki.CheckStored(pki.ProfileServer, leaf.CertPEM, leafKeyPEM, certPEM); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
