package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"time"
)

// Profile is the kind of certificate; it fixes the extensions.
type Profile int

const (
	ProfileCA Profile = iota
	ProfileClient
	ProfileServer
)

// Validity bounds for validity_days. The default is the Makefile's MCP_CERT_DAYS.
const (
	DefaultValidityDays     = 825
	MaxValidityDays         = 36500
	DefaultEarlyRenewalDays = 30
)

// Subject is the distinguished name written into a certificate.
type Subject struct {
	CommonName         string
	Organization       string
	OrganizationalUnit string
	// Generation tells a CA from its predecessors of the same name: from 2 on
	// it is written as the subject's serialNumber attribute, so that OpenSSL,
	// which picks an issuer by name before it looks at key identifiers, never
	// takes one generation for another (a certificate without an
	// authorityKeyIdentifier, as the gateway's Makefile writes them, names its
	// issuer by subject alone). 0 and 1 write nothing: the first CA keeps the
	// plain name. Inputs never set it; only rotation does.
	Generation int
}

// SubjectOf reads the first value of each subject field back from a certificate.
func SubjectOf(cert *x509.Certificate) Subject {
	first := func(v []string) string {
		if len(v) == 0 {
			return ""
		}
		return v[0]
	}
	return Subject{
		CommonName:         cert.Subject.CommonName,
		Organization:       first(cert.Subject.Organization),
		OrganizationalUnit: first(cert.Subject.OrganizationalUnit),
		Generation:         GenerationOf(cert),
	}
}

// GenerationOf is a CA certificate's generation: its subject's serialNumber
// when that is a whole number above 1, else 1 (a first CA, or one made
// elsewhere, such as by the gateway's Makefile).
func GenerationOf(cert *x509.Certificate) int {
	if n, err := strconv.Atoi(cert.Subject.SerialNumber); err == nil && n > 1 {
		return n
	}
	return 1
}

// SameNames reports whether two subjects agree on the inputs that set them
// (common name, organization, organizational unit); the generation is not one.
func (s Subject) SameNames(o Subject) bool {
	return s.CommonName == o.CommonName && s.Organization == o.Organization && s.OrganizationalUnit == o.OrganizationalUnit
}

func (s Subject) name() pkix.Name {
	n := pkix.Name{CommonName: s.CommonName}
	if s.Organization != "" {
		n.Organization = []string{s.Organization}
	}
	if s.OrganizationalUnit != "" {
		n.OrganizationalUnit = []string{s.OrganizationalUnit}
	}
	if s.Generation > 1 {
		n.SerialNumber = strconv.Itoa(s.Generation)
	}
	return n
}

// Request describes one certificate to issue.
type Request struct {
	Profile      Profile
	Subject      Subject
	DNSNames     []string
	IPAddresses  []net.IP
	ValidityDays int
	Now          time.Time
	// From is when the certificate is meant to start being used, when that is
	// later than Now: a staged CA successor starts when it begins to sign.
	// Zero means Now.
	From time.Time
}

// Issued is a signed certificate. Clamped is how much of the requested validity
// was cut so the leaf does not outlive its CA.
type Issued struct {
	Cert    *x509.Certificate
	CertPEM string
	Clamped time.Duration
}

// ClockSkewMargin backdates every certificate's not_before. A peer whose clock
// runs behind the machine that ran Terraform (a VM or container host a few
// minutes off, a laptop that has not synced NTP) would otherwise refuse a
// certificate issued a moment ago as "not yet valid". Five minutes is the
// tolerance Kerberos has long used for clock skew: well above ordinary NTP drift,
// small enough not to matter for a validity counted in days. not_after ends
// correspondingly earlier, as public CAs do, so that not_after - not_before is
// validity_days exactly (an 825-day certificate stays within the 825-day limit
// some TLS clients enforce); a leaf's not_before is never earlier than its CA's.
const ClockSkewMargin = 5 * time.Minute

// ErrCAExpired means the CA can no longer sign anything useful.
var ErrCAExpired = errors.New("the CA certificate has expired")

// ErrCANotYetValid means the CA's not_before is further in the future than the
// clock skew margin covers: what it signs would not verify yet.
var ErrCANotYetValid = errors.New("the CA certificate is not valid yet")

// CheckCAValidAt reports a CA that cannot sign at now: expired (ErrCAExpired), or
// valid only from a time more than ClockSkewMargin ahead (ErrCANotYetValid).
// Times in the message are RFC 3339.
func CheckCAValidAt(ca *x509.Certificate, now time.Time) error {
	const layout = time.RFC3339
	now = now.UTC()
	switch {
	case !now.Before(ca.NotAfter):
		return fmt.Errorf("%w: %q expired at %s (it is now %s)", ErrCAExpired, ca.Subject.String(), ca.NotAfter.UTC().Format(layout), now.Format(layout))
	case now.Add(ClockSkewMargin).Before(ca.NotBefore):
		return fmt.Errorf("%w: %q becomes valid at %s, more than %v after now (%s)", ErrCANotYetValid, ca.Subject.String(),
			ca.NotBefore.UTC().Format(layout), ClockSkewMargin, now.Format(layout))
	}
	return nil
}

// Issue signs a certificate for key. A nil issuer self-signs (only for ProfileCA).
func Issue(req Request, key crypto.Signer, issuer *Issuer) (*Issued, error) {
	if err := ValidateValidityDays(req.ValidityDays); err != nil {
		return nil, err
	}
	if (issuer == nil) != (req.Profile == ProfileCA) {
		return nil, errors.New("a CA is self-signed and every other certificate needs an issuer")
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := req.Now.UTC().Truncate(time.Second)
	var issuerCert *x509.Certificate
	if issuer != nil {
		if err := CheckCAValidAt(issuer.Cert, now); err != nil {
			return nil, err
		}
		issuerCert = issuer.Cert
	}
	from := now
	if req.From.After(now) {
		from = req.From.UTC().Truncate(time.Second)
	}
	notBefore, notAfter, clamped := Validity(from, req.ValidityDays, issuerCert)
	tmpl := &x509.Certificate{
		SerialNumber:       serial,
		Subject:            req.Subject.name(),
		NotBefore:          notBefore,
		NotAfter:           notAfter,
		DNSNames:           req.DNSNames,
		IPAddresses:        req.IPAddresses,
		SubjectKeyId:       subjectKeyID(key.Public()),
		SignatureAlgorithm: signatureAlgorithm(key),
	}
	applyProfile(tmpl, req.Profile, key.Public())
	parent, signer := tmpl, key
	if issuer != nil {
		parent, signer = issuer.Cert, issuer.Key
		tmpl.SignatureAlgorithm = signatureAlgorithm(issuer.Key)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("signing the certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Issued{Cert: cert, CertPEM: EncodeCertificate(der), Clamped: clamped}, nil
}

// Validity is the window of a certificate of days issued at now by issuer
// (nil for a self-signed CA): from now minus ClockSkewMargin, never before the
// issuer's not_before, for exactly days; up to ClockSkewMargin earlier when
// that keeps it within the issuer; else cut to the issuer's not_after, by
// clamped. Issue and renewal planning share it, so a plan
// knows what a reissue would give.
func Validity(now time.Time, days int, issuer *x509.Certificate) (notBefore, notAfter time.Time, clamped time.Duration) {
	notBefore = now.UTC().Truncate(time.Second).Add(-ClockSkewMargin)
	if issuer != nil && notBefore.Before(issuer.NotBefore) {
		notBefore = issuer.NotBefore.UTC()
	}
	notAfter = notBefore.AddDate(0, 0, days)
	// A certificate issued moments after its CA, of the CA's validity, ends a
	// few seconds after it: it starts that much earlier instead (within the
	// skew margin, never before the CA), so that it spans validity_days.
	if issuer != nil {
		if over := notAfter.Sub(issuer.NotAfter); over > 0 && over <= ClockSkewMargin && !notBefore.Add(-over).Before(issuer.NotBefore) {
			notBefore, notAfter = notBefore.Add(-over), notAfter.Add(-over)
		}
	}
	if issuer != nil && notAfter.After(issuer.NotAfter) {
		clamped = notAfter.Sub(issuer.NotAfter)
		notAfter = issuer.NotAfter.UTC()
	}
	return notBefore, notAfter, clamped
}

func applyProfile(t *x509.Certificate, p Profile, pub crypto.PublicKey) {
	t.BasicConstraintsValid = true
	switch p {
	case ProfileCA:
		t.IsCA = true
		t.MaxPathLen, t.MaxPathLenZero = 0, true
		t.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	case ProfileClient:
		// RFC 5280 with clientAuth: digitalSignature alone is consistent for every key type.
		t.KeyUsage = x509.KeyUsageDigitalSignature
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	case ProfileServer:
		t.KeyUsage = x509.KeyUsageDigitalSignature
		if _, isRSA := pub.(*rsa.PublicKey); isRSA {
			// RSA key exchange (TLS 1.2 non-ECDHE suites) encrypts to the key.
			t.KeyUsage |= x509.KeyUsageKeyEncipherment
		}
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
}

// signatureAlgorithm pins SHA-256 for every key type that has a choice; Go would
// otherwise pick SHA-384 for P-384.
func signatureAlgorithm(key crypto.Signer) x509.SignatureAlgorithm {
	switch key.Public().(type) {
	case *rsa.PublicKey:
		return x509.SHA256WithRSA
	case *ecdsa.PublicKey:
		return x509.ECDSAWithSHA256
	case ed25519.PublicKey:
		return x509.PureEd25519
	}
	return x509.UnknownSignatureAlgorithm
}

// subjectKeyID follows RFC 7093 method 1: the leftmost 160 bits of the SHA-256 of
// the public key, so leaves carry an SKID too.
func subjectKeyID(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return nil
	}
	sum := sha256.Sum256(spki.PublicKey.Bytes)
	return sum[:20]
}

// randomSerial returns a positive random 128-bit serial number.
func randomSerial() (*big.Int, error) {
	limit := new(big.Int).Lsh(big.NewInt(1), 128)
	for {
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return nil, err
		}
		if n.Sign() > 0 {
			return n, nil
		}
	}
}

// EncodeCertificate wraps DER in a CERTIFICATE PEM block.
func EncodeCertificate(der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
