package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// Literal CA inputs for the bad-input rows of the hardening branch: literals, so
// that ValidateConfig (or ModifyPlan, for time) judges them at plan time.

// literalCA is an ECDSA CA issued at now, as PEM certificate and key.
func literalCA(now time.Time, days int) (certPEM, keyPEM string) {
	key, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
	if err != nil {
		panic(err)
	}
	issued, err := pki.Issue(pki.Request{Profile: pki.ProfileCA, Subject: pki.DefaultCASubject, ValidityDays: days, Now: now}, key, nil)
	if err != nil {
		panic(err)
	}
	keyPEM, err = pki.EncodePrivateKey(key)
	if err != nil {
		panic(err)
	}
	return issued.CertPEM, keyPEM
}

// gatewayWithCAText signs a gateway certificate with a CA valid at t0 whose
// certificate and key texts are passed through edit.
func gatewayWithCAText(edit func(certPEM, keyPEM string) (string, string)) string {
	return gatewayWithCA(edit(literalCA(t0, 30)))
}

// p521Key is a PKCS#8 key on a curve this provider does not issue.
func p521Key() string {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		panic(err)
	}
	keyPEM, err := pki.EncodePrivateKey(key)
	if err != nil {
		panic(err)
	}
	return keyPEM
}
