// Package certcheck is the gateway Makefile's `certs-mcp-check`, done properly:
// for each certificate it reports subject, serial, validity, whole days left,
// whether it chains to the CA bundle it ships with at a given time, and whether
// it fits its role (CA, gateway client, plugin server). It has no Terraform types.
//
// Nothing here is ever an error about a certificate: what is wrong with one is a
// short sentence in Result.Problems, so a caller can report every certificate.
package certcheck

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// Role is what a certificate is for.
type Role string

const (
	RoleCA     Role = "ca"     // a CA certificate (the Makefile's ca/ca.crt)
	RoleClient Role = "client" // the gateway's client certificate (gateway/client.crt)
	RoleServer Role = "server" // a plugin's server certificate (plugins/<name>/server.crt)
)

// Roles lists the valid roles, for validators and docs.
var Roles = []string{string(RoleCA), string(RoleClient), string(RoleServer)}

// Input is one certificate to check and the CA bundle it should chain to.
type Input struct {
	Name string
	Role Role

	// CertPEM holds the certificate; CertErr, when set, says why it could not be
	// read (and CertPEM is ignored). CertFile names where it came from in
	// messages ("gateway/client.crt"); empty for PEM text given directly.
	CertPEM  []byte
	CertErr  error
	CertFile string

	// BundlePEM holds the CA certificates it should chain to. A nil bundle
	// without BundleErr means "itself" for a CA and "none given" for a leaf.
	BundlePEM  []byte
	BundleErr  error
	BundleFile string
}

// Result is what Check found. When Parsed is false the certificate could not be
// read, Problems says why, and the fields between are zero.
type Result struct {
	Name   string
	Role   Role
	File   string
	Parsed bool

	Subject      string // RFC 4514
	Issuer       string // RFC 4514
	SerialNumber string // decimal
	NotBefore    time.Time
	NotAfter     time.Time
	DaysLeft     int64 // whole days until NotAfter, rounded down: negative once expired

	ChainValid   bool // verifies against the bundle at the time of the check
	PurposeValid bool // fits the role

	// Notes are observations that are not problems, such as the Makefile's
	// certificates without extended key usage.
	Notes    []string
	Problems []string
}

// Expiring reports whether the certificate has fewer than warningDays days
// left (DaysLeft), expired ones included.
func (r Result) Expiring(warningDays int64) bool {
	return r.Parsed && r.DaysLeft < warningDays
}

const day = 24 * 60 * 60

// DaysLeft is the days from now until notAfter, a day begun counting as a
// whole one: a certificate of validity_days has validity_days left right after
// it is issued (its not_before is backdated by a few minutes and its not_after
// as much, so a whole day is never quite left), 1 on its last day, 0 at
// notAfter itself and negative once now is after it (a day begun since counting
// as a whole one too). It is computed in seconds, so a not_after of 9999-12-31
// does not overflow.
func DaysLeft(notAfter, now time.Time) int64 {
	secs := notAfter.Unix() - now.Unix()
	frac := notAfter.Nanosecond() - now.Nanosecond()
	switch {
	case secs > 0 || (secs == 0 && frac > 0):
		if frac > 0 {
			secs++ // a second begun
		}
		return (secs + day - 1) / day
	case secs == 0 && frac == 0:
		return 0
	}
	if frac < 0 {
		secs-- // a second begun since
	}
	return -((-secs + day - 1) / day)
}

// Check checks one certificate at time now.
func Check(in Input, now time.Time) Result {
	r := Result{Name: in.Name, Role: in.Role, File: in.CertFile}
	if in.CertErr != nil {
		if errors.Is(in.CertErr, errMissing) {
			r.Problems = append(r.Problems, "missing: "+in.CertErr.Error())
		} else {
			r.Problems = append(r.Problems, "unreadable: "+in.CertErr.Error())
		}
		return r
	}
	cert, rest, key, err := parseFirst(in.CertPEM)
	if err != nil {
		r.Problems = append(r.Problems, "unreadable PEM: "+err.Error())
		return r
	}
	r.Parsed = true
	r.Subject, r.Issuer = cert.Subject.String(), cert.Issuer.String()
	r.SerialNumber = cert.SerialNumber.String()
	r.NotBefore, r.NotAfter = cert.NotBefore.UTC(), cert.NotAfter.UTC()
	r.DaysLeft = DaysLeft(cert.NotAfter, now)
	if rest > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d more PEM block(s) follow the certificate; only the first certificate is checked", rest))
	}
	if key {
		r.Notes = append(r.Notes, "a private key follows the certificate: pass the certificate alone, since what you give a data source is stored in state")
	}

	if now.Before(cert.NotBefore) {
		r.Problems = append(r.Problems, "not yet valid: valid from "+stamp(cert.NotBefore))
	}
	if now.After(cert.NotAfter) {
		r.Problems = append(r.Problems, "expired on "+stamp(cert.NotAfter))
	}

	var notes, problems []string
	r.PurposeValid, notes, problems = purpose(cert, in.Role)
	r.Notes = append(r.Notes, notes...)
	r.Problems = append(r.Problems, problems...)

	roots, problem := bundle(in, cert)
	if problem != "" {
		r.Problems = append(r.Problems, problem)
		return r
	}
	r.ChainValid, problem = chain(cert, in.Role, roots, bundleName(in), now)
	if problem != "" {
		r.Problems = append(r.Problems, problem)
	}
	return r
}

// parseFirst reads the first PEM block, which must be a certificate, counts
// the blocks after it and says whether one of them is a private key.
func parseFirst(text []byte) (cert *x509.Certificate, more int, key bool, err error) {
	block, rest := pem.Decode(text)
	if block == nil {
		return nil, 0, false, errors.New("no PEM block found")
	}
	if block.Type != "CERTIFICATE" {
		// The type only: a misplaced key never reaches a message.
		return nil, 0, false, fmt.Errorf("the first PEM block is %q, not a CERTIFICATE", block.Type)
	}
	if cert, err = x509.ParseCertificate(block.Bytes); err != nil {
		return nil, 0, false, fmt.Errorf("the certificate is malformed: %w", err)
	}
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return cert, more, key, nil
		}
		more++
		key = key || strings.HasSuffix(b.Type, "PRIVATE KEY")
	}
}

// parseBundle reads every CERTIFICATE block. Blocks of other types are skipped
// and counted; a malformed certificate is an error.
func parseBundle(text []byte) ([]*x509.Certificate, int, error) {
	var certs []*x509.Certificate
	other := 0
	for rest := text; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return certs, other, nil
		}
		if b.Type != "CERTIFICATE" {
			other++
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, 0, fmt.Errorf("certificate %d is malformed: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
}

func bundleName(in Input) string {
	if in.BundleFile != "" {
		return QuoteIfNeeded(in.BundleFile)
	}
	if in.BundlePEM == nil && in.Role == RoleCA {
		return "itself"
	}
	return "the CA bundle"
}

// bundle returns the CA certificates to verify against, or the problem that
// stops the chain check.
func bundle(in Input, cert *x509.Certificate) ([]*x509.Certificate, string) {
	name := bundleName(in)
	switch {
	case in.BundleErr != nil:
		return nil, fmt.Sprintf("chain not checked: the CA bundle is unreadable: %v", in.BundleErr)
	case in.BundlePEM == nil && in.Role == RoleCA:
		return []*x509.Certificate{cert}, ""
	case in.BundlePEM == nil:
		return nil, "chain not checked: no CA bundle was given"
	}
	roots, other, err := parseBundle(in.BundlePEM)
	if err != nil {
		return nil, fmt.Sprintf("chain not checked: %s is unreadable: %v", name, err)
	}
	if len(roots) == 0 {
		if other > 0 {
			return nil, fmt.Sprintf("chain not checked: %s holds no CERTIFICATE block (%d other PEM block(s))", name, other)
		}
		return nil, fmt.Sprintf("chain not checked: %s holds no PEM certificate", name)
	}
	return roots, ""
}

// chain verifies cert against roots at now and, when that fails, says why in
// one sentence. Key usages are not part of it: purpose says those.
func chain(cert *x509.Certificate, role Role, roots []*x509.Certificate, bundle string, now time.Time) (bool, string) {
	if problem := ambiguousIssuer(cert, roots, bundle, now); problem != "" {
		return false, problem
	}
	if ca := issuerByNameOnly(cert, roots); ca != nil {
		// OpenSSL matches names case-insensitively, crypto/x509 byte for byte:
		// the one link crypto/x509 cannot make is judged here, as OpenSSL does.
		switch {
		case !ca.IsCA:
			return false, fmt.Sprintf("its issuer %q in %s is not a CA", ca.Subject.String(), bundle)
		case now.Before(ca.NotBefore) || now.After(ca.NotAfter):
			return false, fmt.Sprintf("its CA %q in %s is not valid at this time", ca.Subject.String(), bundle)
		case now.Before(cert.NotBefore) || now.After(cert.NotAfter):
			return false, ""
		}
		return true, ""
	}
	pool := x509.NewCertPool()
	for _, c := range roots {
		pool.AddCert(c)
	}
	chains, err := cert.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err == nil {
		if role != RoleCA && !issuedByBundle(chains) {
			return false, fmt.Sprintf("does not chain to a CA: %s holds this certificate itself, not the CA that signed it", bundle)
		}
		if role == RoleCA && isSelfIssued(cert) && cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) != nil {
			return false, "its self-signature does not verify"
		}
		return true, ""
	}
	// Which certificate of the bundle signed it, whatever the time?
	var signer *x509.Certificate
	for _, ca := range roots {
		if bytes.Equal(ca.Raw, cert.Raw) || cert.CheckSignatureFrom(ca) == nil {
			signer = ca
			break
		}
	}
	if signer == nil {
		for _, ca := range roots {
			if bytes.Equal(ca.RawSubject, cert.RawIssuer) {
				return false, fmt.Sprintf("does not chain to the CA in %s: it is signed by another key than that CA (%q), a CA of the same name that was regenerated or belongs to another tree", bundle, ca.Subject.String())
			}
		}
		return false, fmt.Sprintf("does not chain to the CA in %s: its issuer %q is not in it", bundle, cert.Issuer.String())
	}
	explained := now.Before(cert.NotBefore) || now.After(cert.NotAfter) // reported as expired or not yet valid
	if !bytes.Equal(signer.Raw, cert.Raw) {
		if now.After(signer.NotAfter) {
			return false, fmt.Sprintf("its CA %q in %s expired on %s", signer.Subject.String(), bundle, stamp(signer.NotAfter))
		}
		if now.Before(signer.NotBefore) {
			return false, fmt.Sprintf("its CA %q in %s is not valid until %s", signer.Subject.String(), bundle, stamp(signer.NotBefore))
		}
	}
	if explained {
		return false, ""
	}
	return false, fmt.Sprintf("does not verify against the CA in %s: %v", bundle, err)
}

// ambiguousIssuer finds the CA that OpenSSL, and so Python's ssl, takes as
// cert's issuer, the way they look for it: the CAs of the bundle whose
// subject is the certificate's issuer name, then, of those, the ones whose
// subject key identifier is its authority key identifier (when both carry
// one) and whose key is of the kind that signed it; the first valid at now
// (in bundle order), else the first. They do not try another one when its
// signature fails, while crypto/x509 does. When that CA did not sign the
// certificate but another CA of the same name in the bundle did, it says so;
// otherwise it returns "" and the chain is judged as crypto/x509 judges it.
func ambiguousIssuer(cert *x509.Certificate, roots []*x509.Certificate, bundle string, now time.Time) string {
	if isSelfIssued(cert) {
		return ""
	}
	var first, valid *x509.Certificate
	for _, ca := range roots {
		if !sameName(ca.RawSubject, cert.RawIssuer) || !keyIDsAgree(ca, cert) || !keyKindSigns(ca, cert) {
			continue
		}
		if first == nil {
			first = ca
		}
		if valid == nil && !now.Before(ca.NotBefore) && !now.After(ca.NotAfter) {
			valid = ca
		}
	}
	chosen := valid
	if chosen == nil {
		chosen = first
	}
	if chosen == nil {
		for _, ca := range roots {
			// The CA's key signed it, but the key identifiers disagree:
			// crypto/x509 accepts the link, OpenSSL finds no issuer.
			if sameName(ca.RawSubject, cert.RawIssuer) && !keyIDsAgree(ca, cert) && cert.CheckSignatureFrom(ca) == nil {
				return fmt.Sprintf("does not verify with OpenSSL or Python: its authority key identifier is not the subject key identifier of the CA named %q in %s, "+
					"so they find no issuer (unable to get local issuer certificate), though that CA's key signed it: reissue the certificate from this CA", cert.Issuer.String(), bundle)
			}
		}
		return ""
	}
	if cert.CheckSignatureFrom(chosen) == nil {
		return ""
	}
	for _, ca := range roots {
		if ca != chosen && sameName(ca.RawSubject, cert.RawIssuer) && cert.CheckSignatureFrom(ca) == nil {
			why := "it has no authority key identifier to tell them apart"
			if len(cert.AuthorityKeyId) > 0 {
				why = "their key identifiers do not tell them apart"
			}
			return fmt.Sprintf("does not verify with OpenSSL or Python: %s holds more than one CA named %q and %s; they take the first one (serial %s) as its issuer, "+
				"which did not sign it (certificate signature failure), and do not try the one that did (serial %s). "+
				"Put the CA that signed it first, give each CA generation a name of its own (mcptls_ca does), or reissue the certificate with an authority key identifier",
				bundle, cert.Issuer.String(), why, chosen.SerialNumber, ca.SerialNumber)
		}
	}
	return ""
}

// issuerByNameOnly is the CA of roots that signed cert and whose name is
// cert's issuer as OpenSSL compares names but not byte for byte (nil when
// there is none, or a CA with the very name is there).
func issuerByNameOnly(cert *x509.Certificate, roots []*x509.Certificate) *x509.Certificate {
	if isSelfIssued(cert) {
		return nil
	}
	var found *x509.Certificate
	for _, ca := range roots {
		if bytes.Equal(ca.RawSubject, cert.RawIssuer) {
			return nil
		}
		if found == nil && sameName(ca.RawSubject, cert.RawIssuer) && keyIDsAgree(ca, cert) && cert.CheckSignatureFrom(ca) == nil {
			found = ca
		}
	}
	return found
}

// sameName compares two DER names as OpenSSL does: attribute by attribute, in
// order, string values case-insensitively with runs of white space as one.
func sameName(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	ca, okA := canonicalName(a)
	cb, okB := canonicalName(b)
	return okA && okB && ca == cb
}

func canonicalName(der []byte) (string, bool) {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(der, &rdns); err != nil || len(rest) > 0 {
		return "", false
	}
	var b strings.Builder
	for _, rdn := range rdns {
		b.WriteString("/")
		for _, atv := range rdn {
			value := fmt.Sprint(atv.Value)
			if s, ok := atv.Value.(string); ok {
				value = strings.Join(strings.Fields(strings.ToLower(s)), " ")
			}
			fmt.Fprintf(&b, "+%s=%q", atv.Type, value)
		}
	}
	return b.String(), true
}

// keyIDsAgree is OpenSSL's X509_check_akid on key identifiers.
func keyIDsAgree(ca, cert *x509.Certificate) bool {
	return len(cert.AuthorityKeyId) == 0 || len(ca.SubjectKeyId) == 0 || bytes.Equal(cert.AuthorityKeyId, ca.SubjectKeyId)
}

// keyKindSigns: OpenSSL skips a CA whose key is not of the kind that signed
// the certificate (an RSA CA for an ECDSA signature).
func keyKindSigns(ca, cert *x509.Certificate) bool {
	want := map[x509.PublicKeyAlgorithm][]x509.SignatureAlgorithm{
		x509.RSA:     {x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA, x509.SHA1WithRSA, x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS},
		x509.ECDSA:   {x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512, x509.ECDSAWithSHA1},
		x509.Ed25519: {x509.PureEd25519},
	}[ca.PublicKeyAlgorithm]
	if want == nil {
		return true
	}
	for _, alg := range want {
		if alg == cert.SignatureAlgorithm {
			return true
		}
	}
	return false
}

// issuedByBundle reports whether some chain goes beyond the certificate itself.
func issuedByBundle(chains [][]*x509.Certificate) bool {
	for _, c := range chains {
		if len(c) > 1 {
			return true
		}
	}
	return false
}

func isSelfIssued(c *x509.Certificate) bool { return bytes.Equal(c.RawSubject, c.RawIssuer) }

// makefileProfile is how the notes describe the gateway Makefile's certificates.
const makefileProfile = "as the gateway's Makefile issues it"

// purpose says whether cert fits role, with notes on what is legal but not
// what mcptls issues, and problems on what does not fit.
func purpose(cert *x509.Certificate, role Role) (ok bool, notes, problems []string) {
	switch role {
	case RoleCA:
		if !cert.BasicConstraintsValid || !cert.IsCA {
			problems = append(problems, "wrong purpose: not a CA (basicConstraints CA:TRUE is missing)")
		}
		if cert.IsCA && cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCertSign == 0 {
			problems = append(problems, "wrong purpose: its key usage lacks keyCertSign, so it cannot sign certificates")
		}
		if cert.KeyUsage == 0 && cert.IsCA {
			notes = append(notes, "no key usage extension ("+makefileProfile+" with openssl req -x509): any use is allowed; mcptls_ca sets keyCertSign and cRLSign")
		}
	case RoleClient, RoleServer:
		want, wantName, tool := x509.ExtKeyUsageClientAuth, "clientAuth", "mcptls_gateway_cert"
		use := "TLS client authentication"
		// digitalSignature for (EC)DHE; keyEncipherment for RSA key exchange and
		// keyAgreement for static ECDH, which only a server does (OpenSSL's rule).
		usages := x509.KeyUsageDigitalSignature
		if role == RoleServer {
			want, wantName, tool = x509.ExtKeyUsageServerAuth, "serverAuth", "mcptls_plugin_cert"
			use = "a TLS server"
			usages |= x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement
		}
		switch {
		case cert.Version == 1:
			notes = append(notes, "X.509 v1 without extensions ("+makefileProfile+"): accepted for "+use+"; "+tool+" sets extended key usage "+wantName)
		case len(cert.ExtKeyUsage) == 0 && len(cert.UnknownExtKeyUsage) == 0:
			notes = append(notes, "no extended key usage ("+makefileProfile+"): accepted for any purpose; "+tool+" sets "+wantName)
		case !hasEKU(cert, want):
			problems = append(problems, fmt.Sprintf("wrong purpose: its extended key usage is %s, without %s", pki.ExtKeyUsageNames(cert), wantName))
		}
		if cert.KeyUsage != 0 && cert.KeyUsage&usages == 0 {
			problems = append(problems, "wrong purpose: its key usage does not allow "+use)
		}
		if role == RoleServer && len(cert.DNSNames) == 0 && len(cert.IPAddresses) == 0 {
			notes = append(notes, "no subjectAltName: clients that check the host name (check_hostname) refuse it")
		}
	default:
		problems = append(problems, fmt.Sprintf("purpose not checked: unknown role %q (use ca, client or server)", string(role)))
	}
	return len(problems) == 0, notes, problems
}

func hasEKU(cert *x509.Certificate, want x509.ExtKeyUsage) bool {
	for _, u := range cert.ExtKeyUsage {
		if u == want || u == x509.ExtKeyUsageAny {
			return true
		}
	}
	return false
}

// Summary is what a caller reports over all results.
type Summary struct {
	// MinDaysLeft is the fewest days left among the readable certificates; nil
	// when none is readable.
	MinDaysLeft *int64
	// Expiring names the readable certificates with fewer than warningDays whole
	// days left (expired ones included), sorted.
	Expiring []string
}

// Summarize computes the Summary of results.
func Summarize(results []Result, warningDays int64) Summary {
	var s Summary
	s.Expiring = []string{}
	for _, r := range results {
		if !r.Parsed {
			continue
		}
		if s.MinDaysLeft == nil || r.DaysLeft < *s.MinDaysLeft {
			d := r.DaysLeft
			s.MinDaysLeft = &d
		}
		if r.Expiring(warningDays) {
			s.Expiring = append(s.Expiring, r.Name)
		}
	}
	sort.Strings(s.Expiring)
	return s
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// QuoteIfNeeded leaves a plain name as it is and quotes one with control or
// non-printable characters, so a file name cannot forge lines in a message.
func QuoteIfNeeded(s string) string {
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		return q
	}
	return s
}
