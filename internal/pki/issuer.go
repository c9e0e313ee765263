package pki

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// Issuer is a CA certificate with its private key, parsed once per operation.
type Issuer struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// CertError and KeyError tell the caller which input was wrong, so it can name the
// attribute. Neither ever carries key material.
type (
	CertError struct{ Err error }
	KeyError  struct{ Err error }
)

func (e *CertError) Error() string { return e.Err.Error() }
func (e *CertError) Unwrap() error { return e.Err }
func (e *KeyError) Error() string  { return e.Err.Error() }
func (e *KeyError) Unwrap() error  { return e.Err }

// ParseCACertificate reads a certificate and checks it can act as a CA.
func ParseCACertificate(certPEM string) (*x509.Certificate, error) {
	cert, err := ParseCertificate(certPEM)
	if err != nil {
		return nil, &CertError{err}
	}
	if !cert.BasicConstraintsValid || !cert.IsCA {
		return nil, &CertError{fmt.Errorf("certificate %q is not a CA (basicConstraints CA:TRUE is missing)", cert.Subject.String())}
	}
	// Version-1 certificates from openssl carry no key usage; only a present
	// keyUsage without keyCertSign rules the certificate out.
	if cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, &CertError{fmt.Errorf("CA certificate %q lacks the keyCertSign key usage", cert.Subject.String())}
	}
	return cert, nil
}

// ParseIssuer parses a CA certificate and its key and checks they belong
// together. keyPEM may hold several keys, one after the other (a CA key being
// rotated: the current one and its successor's); the one of the certificate
// signs, so the same text serves before and after the successor signs.
func ParseIssuer(certPEM, keyPEM string) (*Issuer, error) {
	if cached, ok := issuers.get(certPEM, keyPEM); ok {
		if issuer, ok := cached.(*Issuer); ok {
			return issuer, nil
		}
	}
	cert, err := ParseCACertificate(certPEM)
	if err != nil {
		return nil, err
	}
	key, err := issuerKey(cert, keyPEM)
	if err != nil {
		return nil, &KeyError{err}
	}
	issuer := &Issuer{Cert: cert, Key: key}
	issuers.put(issuer, certPEM, keyPEM)
	return issuer, nil
}

// KeyMatches reports whether key is the private half of cert's public key.
func KeyMatches(cert *x509.Certificate, key crypto.Signer) bool {
	return publicKeysEqual(cert.PublicKey, key.Public())
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	da, errA := x509.MarshalPKIXPublicKey(a)
	db, errB := x509.MarshalPKIXPublicKey(b)
	return errA == nil && errB == nil && bytes.Equal(da, db)
}

// SameCertificate reports whether two PEM texts hold the same certificate, so that
// re-encoding (line endings, trailing text) does not count as a new CA.
func SameCertificate(a, b string) bool {
	ca, errA := ParseCertificate(a)
	cb, errB := ParseCertificate(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return bytes.Equal(ca.Raw, cb.Raw)
}

// issuerKey is the key of cert in keyPEM: its only key, or the one of a key
// ring (PEM text holding several private keys) that matches cert.
func issuerKey(cert *x509.Certificate, keyPEM string) (crypto.Signer, error) {
	key, err := ParsePrivateKey(keyPEM)
	if err == nil {
		if !publicKeysEqual(cert.PublicKey, key.Public()) {
			return nil, errors.New("the private key does not match the CA certificate's public key")
		}
		return key, nil
	}
	ring := keyRing(keyPEM)
	if len(ring) < 2 {
		return nil, err
	}
	for i, text := range ring {
		k, kerr := ParsePrivateKey(text)
		if kerr != nil {
			return nil, fmt.Errorf("key %d of %d: %w", i+1, len(ring), kerr)
		}
		if publicKeysEqual(cert.PublicKey, k.Public()) {
			return k, nil
		}
	}
	return nil, fmt.Errorf("none of the %d private keys given matches the CA certificate's public key", len(ring))
}

// keyRing splits PEM text that holds only private keys (each optionally
// after its EC PARAMETERS) into one text per key; nil when the text holds
// anything else.
func keyRing(text string) []string {
	blocks, stray := splitPEM(text)
	if stray != nil {
		return nil
	}
	var ring []string
	var params string
	for _, b := range blocks {
		switch {
		case b.Type == "EC PARAMETERS":
			params += string(pem.EncodeToMemory(b.Block))
		case privateKeyTypes[b.Type]:
			ring = append(ring, params+string(pem.EncodeToMemory(b.Block)))
			params = ""
		default:
			return nil
		}
	}
	if params != "" {
		return nil
	}
	return ring
}
