package pki

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"time"
)

// RenewalDue reports whether a certificate has entered its renewal window:
// now >= notAfter - earlyDays.
func RenewalDue(now, notAfter time.Time, earlyDays int) bool {
	return !now.Before(notAfter.AddDate(0, 0, -earlyDays))
}

// ValidateValidityDays checks validity_days is between 1 and MaxValidityDays.
func ValidateValidityDays(days int) error {
	if days < 1 || days > MaxValidityDays {
		return fmt.Errorf("validity must be between 1 and %d days, got %d", MaxValidityDays, days)
	}
	return nil
}

// CheckRenewalWindow rejects an early renewal window that covers the whole
// validity: such a certificate would be due the moment it is issued and every
// apply would replace it. It judges only that relation: a validity out of range
// (ValidateValidityDays) or a negative window is the range checks' to report,
// once, so it returns nil for them.
func CheckRenewalWindow(validityDays, earlyDays int) error {
	if ValidateValidityDays(validityDays) != nil || earlyDays < 0 {
		return nil //nolint:nilerr // the range checks report a bad validity, once
	}
	if earlyDays >= validityDays {
		return fmt.Errorf("early_renewal_days (%d) must be less than validity_days (%d), or every apply would reissue the certificate", earlyDays, validityDays)
	}
	return nil
}

// ValidityDays recovers the whole days of a certificate's lifetime, for import.
func ValidityDays(notBefore, notAfter time.Time) int {
	return int((notAfter.Sub(notBefore) + 12*time.Hour) / (24 * time.Hour))
}

// LeafRenewal is what a plan does about a leaf certificate's renewal window.
type LeafRenewal struct {
	// Due: the certificate is inside its renewal window.
	Due bool
	// Reissue: the plan replaces it.
	Reissue bool
	// ReissueEnds is the not_after a certificate issued now would have: the
	// CA's, when that ends first.
	ReissueEnds time.Time
	// SuccessorSignsAt is when the successor CA staged in the trust bundle
	// signs, and so when a due certificate that waits is reissued (zero when
	// no successor is staged yet).
	SuccessorSignsAt time.Time
}

// Waits reports a due certificate that is not reissued.
func (r LeafRenewal) Waits() bool { return r.Due && !r.Reissue }

// PlanLeafRenewal decides whether a leaf ending at notAfter, of validityDays
// and earlyDays, signed by ca and shipping bundle, is reissued by a plan at
// now. A due certificate is reissued unless what a reissue gives would be
// due at once (cut to a CA that ends inside the renewal window): every apply
// would then reissue it again, each time a redeploy of the party, and it
// waits for the CA's successor, whose promotion reissues it anyway (its
// ca_cert_pem changes). One exception keeps it alive: when it would expire
// before that successor signs (or no successor is staged yet), it is reissued
// once, to the CA's end. The leaf knows its CA only through ca and the bundle,
// where a staged successor is a CA of a later generation.
func PlanLeafRenewal(now, notAfter time.Time, validityDays, earlyDays int, ca *x509.Certificate, bundle []*x509.Certificate) LeafRenewal {
	r := LeafRenewal{Due: RenewalDue(now, notAfter, earlyDays)}
	if !r.Due {
		return r
	}
	if ca == nil {
		r.Reissue = true
		return r
	}
	_, r.ReissueEnds, _ = Validity(now, validityDays, ca)
	r.SuccessorSignsAt = successorSignsAt(ca, bundle)
	gains := r.ReissueEnds.After(notAfter) && (r.SuccessorSignsAt.IsZero() || notAfter.Before(r.SuccessorSignsAt))
	r.Reissue = !RenewalDue(now, r.ReissueEnds, earlyDays) || gains
	return r
}

// successorSignsAt finds when ca's staged successor in bundle signs: a CA of
// the next generation, issued after ca (another CA of the bundle whose subject
// happens to carry a number is not one); zero when there is none.
func successorSignsAt(ca *x509.Certificate, bundle []*x509.Certificate) time.Time {
	var at time.Time
	gen := GenerationOf(ca)
	for _, b := range bundle {
		if b.IsCA && !b.Equal(ca) && GenerationOf(b) == gen+1 && b.NotBefore.After(ca.NotBefore) {
			if t := b.NotBefore.Add(ClockSkewMargin); at.IsZero() || t.Before(at) {
				at = t
			}
		}
	}
	return at
}

// successors remembers SuccessorSignsAt by its texts: every leaf of a
// configuration names the same CA and bundle, and refresh asks on every plan.
var successors = &parseCache{entries: map[[sha256.Size]byte]any{}}

// SuccessorSignsAt is when the successor of the CA caPEM, staged in
// bundlePEM, signs (zero when none is staged, or a text does not parse): from
// then, the plan that promotes it replaces every certificate the CA signed.
func SuccessorSignsAt(caPEM, bundlePEM string) time.Time {
	if v, ok := successors.get(caPEM, bundlePEM); ok {
		if at, ok := v.(time.Time); ok {
			return at
		}
	}
	var at time.Time
	ca, errCA := ParseCertificate(caPEM)
	bundle, errBundle := ParseCertificates(bundlePEM)
	if errCA == nil && errBundle == nil {
		at = successorSignsAt(ca, bundle)
	}
	successors.put(at, caPEM, bundlePEM)
	return at
}
