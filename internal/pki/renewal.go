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

// CheckRenewalWindow rejects an early renewal window that covers the whole
// validity: such a certificate would be due the moment it is issued and every
// apply would replace it.
func CheckRenewalWindow(validityDays, earlyDays int) error {
	if earlyDays < 0 {
		return fmt.Errorf("early_renewal_days must not be negative, got %d", earlyDays)
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
