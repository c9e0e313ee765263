package pki

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Part names the stored value a check found at fault.
type Part int

const (
	PartCertificate Part = iota // the certificate (cert_pem)
	PartPrivateKey              // its private key (private_key_pem)
	PartIssuer                  // the copy of the CA certificate a leaf holds (ca_cert_pem)
)

// StoredError says what is wrong with a certificate a resource holds. It never
// carries key material.
type StoredError struct {
	Part Part
	Err  error
}

func (e *StoredError) Error() string { return e.Err.Error() }
func (e *StoredError) Unwrap() error { return e.Err }

func storedError(p Part, format string, args ...any) error {
	return &StoredError{Part: p, Err: fmt.Errorf(format, args...)}
}

// String names the kind of certificate a profile issues.
func (p Profile) String() string {
	switch p {
	case ProfileCA:
		return "CA certificate"
	case ProfileClient:
		return "client certificate"
	case ProfileServer:
		return "server certificate"
	}
	return fmt.Sprintf("Profile(%d)", int(p))
}

// Extensions says what Issue puts in a certificate of the profile (applyProfile),
// for messages.
func (p Profile) Extensions() string {
	switch p {
	case ProfileCA:
		return "X.509 v3 with CA:TRUE, pathlen:0, key usage keyCertSign and cRLSign"
	case ProfileClient:
		return "X.509 v3 with CA:FALSE, key usage digitalSignature and extended key usage clientAuth"
	}
	return "X.509 v3 with CA:FALSE, key usage digitalSignature (and keyEncipherment for RSA) and extended key usage serverAuth"
}

// purpose is the extended key usage a leaf profile needs.
func (p Profile) purpose() (x509.ExtKeyUsage, string) {
	if p == ProfileClient {
		return x509.ExtKeyUsageClientAuth, "clientAuth"
	}
	return x509.ExtKeyUsageServerAuth, "serverAuth"
}

// CheckStored checks what a resource holds, as a refresh must on every plan, so
// it parses only what it needs: the certificate parses and is the profile's kind
// (a self-signed CA; or a leaf that is no CA and whose extended key usage, if it
// has one, allows its purpose: certificates adopted from the gateway's Makefile
// have none); the private key parses and is the certificate's; and a leaf was
// signed by the CA certificate caCertPEM (not read for ProfileCA). Any failure is
// a *StoredError naming the part at fault. The certificate is returned whenever
// it parses.
func CheckStored(p Profile, certPEM, keyPEM, caCertPEM string) (*x509.Certificate, error) {
	cert, err := ParseCertificate(certPEM)
	if err != nil {
		return nil, storedError(PartCertificate, "the certificate does not parse: %w", err)
	}
	if err := checkKind(p, cert); err != nil {
		return cert, err
	}
	switch {
	case keyPEM == "":
		// A CA whose key stays outside state (private_key_pem_wo).
	case IsEncryptedKey(keyPEM):
		// Its passphrase is write-only: only the structure can be checked.
		if err := CheckEncryptedKey(keyPEM); err != nil {
			return cert, storedError(PartPrivateKey, "the encrypted private key does not parse: %w", err)
		}
	default:
		pub, err := storedPublicKey(keyPEM)
		if err != nil {
			return cert, storedError(PartPrivateKey, "the private key does not parse: %w", err)
		}
		if !publicKeysEqual(cert.PublicKey, pub) {
			return cert, storedError(PartPrivateKey, "the private key is not the certificate's: it does not match the certificate's public key")
		}
	}
	if p == ProfileCA {
		if err := cert.CheckSignatureFrom(cert); err != nil {
			return cert, storedError(PartCertificate, "the CA certificate %q is not self-signed: %w", cert.Subject.String(), err)
		}
		return cert, nil
	}
	ca, err := ParseCertificate(caCertPEM)
	if err != nil {
		return cert, storedError(PartIssuer, "the CA certificate does not parse: %w", err)
	}
	if err := cert.CheckSignatureFrom(ca); err != nil {
		return cert, storedError(PartCertificate, "the certificate %q was not signed by the CA %q: %w", cert.Subject.String(), ca.Subject.String(), err)
	}
	return cert, nil
}

func checkKind(p Profile, cert *x509.Certificate) error {
	isCA := cert.BasicConstraintsValid && cert.IsCA
	if p == ProfileCA {
		if !isCA {
			return storedError(PartCertificate, "the certificate %q is not a CA certificate (basicConstraints CA:TRUE is missing)", cert.Subject.String())
		}
		return nil
	}
	if isCA {
		return storedError(PartCertificate, "the certificate %q is a CA certificate, not a %s", cert.Subject.String(), p)
	}
	want, name := p.purpose()
	if len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0 {
		return nil
	}
	for _, u := range cert.ExtKeyUsage {
		if u == want || u == x509.ExtKeyUsageAny {
			return nil
		}
	}
	return storedError(PartCertificate, "the certificate %q has extended key usage %s but not %s: it is not a %s",
		cert.Subject.String(), ExtKeyUsageNames(cert), name, p)
}

// ExtKeyUsageNames lists a certificate's extended key usages by name, sorted,
// for messages.
func ExtKeyUsageNames(cert *x509.Certificate) string {
	names := map[x509.ExtKeyUsage]string{x509.ExtKeyUsageServerAuth: "serverAuth", x509.ExtKeyUsageClientAuth: "clientAuth",
		x509.ExtKeyUsageCodeSigning: "codeSigning", x509.ExtKeyUsageEmailProtection: "emailProtection",
		x509.ExtKeyUsageTimeStamping: "timeStamping", x509.ExtKeyUsageOCSPSigning: "OCSPSigning", x509.ExtKeyUsageAny: "anyExtendedKeyUsage"}
	var out []string
	for _, u := range cert.ExtKeyUsage {
		if n, ok := names[u]; ok {
			out = append(out, n)
		} else {
			out = append(out, fmt.Sprintf("usage %d", int(u)))
		}
	}
	for _, oid := range cert.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// PartOf returns the part a CheckStored error names.
func PartOf(err error) (Part, bool) {
	var se *StoredError
	if errors.As(err, &se) {
		return se.Part, true
	}
	return 0, false
}

// storedPublicKey is the public half of a stored private key. An RSA key is read
// without the full validation crypto/rsa runs on import (half a millisecond for
// RSA-4096, on every plan): its structure must parse and its primes must multiply
// to its modulus, which is all a check against tampering needs. Other keys are
// parsed fully (cheap for ECDSA and Ed25519).
func storedPublicKey(pemText string) (crypto.PublicKey, error) {
	block, err := keyBlock(pemText)
	if err != nil {
		return nil, err
	}
	der := block.Bytes
	if block.Type == "PRIVATE KEY" {
		var info struct {
			Version    int
			Algorithm  pkix.AlgorithmIdentifier
			PrivateKey []byte
		}
		if rest, err := asn1.Unmarshal(der, &info); err == nil && len(rest) == 0 && info.Algorithm.Algorithm.Equal(oidPublicKeyRSA) {
			der, block = info.PrivateKey, nil
		}
	} else if block.Type == "RSA PRIVATE KEY" && block.Headers["Proc-Type"] == "" {
		block = nil
	}
	if block != nil {
		key, err := ParsePrivateKey(pemText)
		if err != nil {
			return nil, err
		}
		return key.Public(), nil
	}
	var k struct {
		Version          int
		N                *big.Int
		E                int
		D, P, Q          *big.Int
		Dp, Dq, Qinv     *big.Int
		AdditionalPrimes []asn1.RawValue `asn1:"optional,omitempty"`
	}
	if rest, err := asn1.Unmarshal(der, &k); err != nil || len(rest) != 0 || k.Version != 0 || len(k.AdditionalPrimes) != 0 ||
		k.N.Sign() <= 0 || k.E < 3 || k.D.Sign() <= 0 || k.P.Cmp(big.NewInt(1)) <= 0 || k.Q.Cmp(big.NewInt(1)) <= 0 ||
		new(big.Int).Mul(k.P, k.Q).Cmp(k.N) != 0 {
		return nil, errors.New("private key DER is malformed")
	}
	return &rsa.PublicKey{N: k.N, E: k.E}, nil
}

var oidPublicKeyRSA = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}

// ProfileShortfalls lists what an adopted leaf certificate lacks compared with
// what this provider issues for the profile (the gateway's Makefile writes an
// X.509 v1 gateway certificate and plugin certificates with SANs only), one
// clause each ("it has no key usage ..."). A CA is never judged: reissuing it would replace
// every certificate it signed, which no shortfall of its own is worth.
func ProfileShortfalls(p Profile, cert *x509.Certificate) []string {
	if p == ProfileCA {
		return nil
	}
	var missing []string
	if cert.Version < 3 {
		missing = append(missing, fmt.Sprintf("it is X.509 version %d, without any extension", cert.Version))
	}
	if want, name := p.purpose(); !hasExtKeyUsage(cert, want) {
		missing = append(missing, "it has no extended key usage "+name)
	}
	if cert.KeyUsage == 0 {
		missing = append(missing, "it has no key usage (digitalSignature)")
	}
	return missing
}

func hasExtKeyUsage(cert *x509.Certificate, want x509.ExtKeyUsage) bool {
	for _, u := range cert.ExtKeyUsage {
		if u == want || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}
