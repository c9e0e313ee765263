package pki

import (
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
		return nil
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
