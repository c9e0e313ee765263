package pki

import (
	"crypto/x509"
	"fmt"
	"time"
)

// Staged CA rotation. Our CAs carry pathlen:0, so a successor cannot be
// cross-signed: trust must reach every party before the successor signs.
// A CA therefore moves through three phases, each applied in place:
//
//	stable   -> staged    at not_after - early_renewal_days - rotation_overlap_days:
//	                      the successor exists; the bundle holds both CAs, and
//	                      leaves only ship the new bundle.
//	staged   -> promoted  at not_after - early_renewal_days, never sooner than
//	                      the overlap after staging: the successor signs, the
//	                      leaves are reissued, the bundle keeps the old CA.
//	promoted -> stable    once the old CA has expired: it leaves the bundle.
//
// A deployment mixing parties from two consecutive applies always shares a
// trust anchor: every bundle shipped holds the CA that signed every leaf of
// the apply before and of the apply after it.

// Rotation phases, as rotation_phase reports them.
const (
	PhaseStable   = "stable"
	PhaseStaged   = "staged"
	PhasePromoted = "promoted"
)

// DefaultRotationOverlapDays is how long trust in a successor is distributed
// before it signs: 30 days covers a monthly deploy cadence, and with the
// default 30-day renewal window the old CA stays trusted 30 days more.
const DefaultRotationOverlapDays = 30

// CAChain is what a CA resource holds: the signing CA, its staged successor
// (nil when none) and older CAs still trusted (newest first).
type CAChain struct {
	Current *x509.Certificate
	Next    *x509.Certificate
	Older   []*x509.Certificate
}

// Phase names the chain's phase.
func (c CAChain) Phase() string {
	switch {
	case c.Next != nil:
		return PhaseStaged
	case len(c.Older) > 0:
		return PhasePromoted
	}
	return PhaseStable
}

// Bundle is every CA a party must trust: the signing CA, then the successor,
// then the older ones.
func (c CAChain) Bundle() []*x509.Certificate {
	out := []*x509.Certificate{c.Current}
	if c.Next != nil {
		out = append(out, c.Next)
	}
	return append(out, c.Older...)
}

// RotationPlan is what one apply does to a CA at a given time.
type RotationPlan struct {
	Stage, Promote, Replace bool
	// Retire lists older CAs that have expired and leave the bundle.
	Retire []*x509.Certificate
	// Phase is the phase after the apply.
	Phase string
	// PromoteAt is when a staged successor will sign (zero when none is staged).
	PromoteAt time.Time
	// Reason says why, for the plan's diagnostics ("" when nothing changes).
	Reason string
	// ShortOverlap is set when staging came late and trust gets less time
	// than rotation_overlap_days asks.
	ShortOverlap string
}

// Changes reports whether the apply changes the CA at all.
func (p RotationPlan) Changes() bool {
	return p.Stage || p.Promote || p.Replace || len(p.Retire) > 0
}

// stagedAt is when a successor was staged: its not_before is backdated.
func stagedAt(next *x509.Certificate) time.Time { return next.NotBefore.Add(ClockSkewMargin) }

// effectiveOverlap is the overlap a successor staged at `at` gets: as asked,
// unless staging came so late that the old CA would expire first; then half
// of what is left, so the other half remains for rolling out the leaves the
// successor signs before the old CA's leaves expire.
func effectiveOverlap(at, oldNotAfter time.Time, overlap time.Duration) time.Duration {
	if half := oldNotAfter.Sub(at) / 2; half < overlap {
		return max(half, 0)
	}
	return overlap
}

// PlanRotation decides what an apply at now does to the chain.
func PlanRotation(now time.Time, c CAChain, earlyDays, overlapDays int) RotationPlan {
	var p RotationPlan
	notAfter := c.Current.NotAfter
	promotePoint := notAfter.AddDate(0, 0, -earlyDays)
	overlap := time.Duration(overlapDays) * 24 * time.Hour
	for _, old := range c.Older {
		if !now.Before(old.NotAfter) {
			p.Retire = append(p.Retire, old)
		}
	}
	if len(p.Retire) > 0 {
		p.Reason = fmt.Sprintf("the previous CA expired at %s: it leaves the trust bundle", p.Retire[0].NotAfter.UTC().Format(time.RFC3339))
	}
	switch {
	case c.Next != nil:
		at := stagedAt(c.Next)
		p.PromoteAt = maxTime(promotePoint, at.Add(effectiveOverlap(at, notAfter, overlap)))
		if !now.Before(p.PromoteAt) {
			p.Promote = true
			p.Reason = join(p.Reason, fmt.Sprintf("the successor staged at %s now signs: the certificates it signs are reissued; the old CA stays in the bundle until it expires at %s",
				at.UTC().Format(time.RFC3339), notAfter.UTC().Format(time.RFC3339)))
		}
	case !now.Before(notAfter):
		p.Replace = true
		p.Reason = join(p.Reason, fmt.Sprintf("the CA expired at %s: nothing it signed is valid, so it is replaced (an outage was already under way)", notAfter.UTC().Format(time.RFC3339)))
	case overlapDays == 0:
		if !now.Before(promotePoint) {
			p.Replace = true
			p.Reason = join(p.Reason, fmt.Sprintf("rotation_overlap_days is 0: the CA is replaced at its renewal point %s, with every certificate it signed", promotePoint.UTC().Format(time.RFC3339)))
		}
	default:
		stagePoint := promotePoint.Add(-overlap)
		if now.Before(stagePoint) {
			break
		}
		p.Stage = true
		got := effectiveOverlap(now, notAfter, overlap)
		p.PromoteAt = maxTime(promotePoint, now.Add(got))
		p.Reason = join(p.Reason, fmt.Sprintf("within %d days of the renewal point %s: the successor CA is created and trusted next to this one; it signs from %s",
			overlapDays, promotePoint.UTC().Format(time.RFC3339), p.PromoteAt.UTC().Format(time.RFC3339)))
		if p.PromoteAt.Sub(now) < overlap {
			p.ShortOverlap = fmt.Sprintf("The staging window opened at %s and was missed: the successor is trusted for %s before it signs instead of the %d days rotation_overlap_days asks. "+
				"Roll the new trust bundle out to every gateway and plugin within that time, then the reissued certificates within the same time again, before the old CA expires at %s.",
				stagePoint.UTC().Format(time.RFC3339), days(p.PromoteAt.Sub(now)), overlapDays, notAfter.UTC().Format(time.RFC3339))
		}
	}
	after := c
	if p.Replace {
		after = CAChain{Current: c.Current}
	}
	if p.Stage {
		after.Next = c.Current // stands for the successor: only the phase is read
	}
	if p.Promote {
		after.Older = append([]*x509.Certificate{c.Current}, c.Older...)
		after.Next = nil
	}
	after.Older = without(after.Older, p.Retire)
	p.Phase = after.Phase()
	if p.Phase != PhaseStaged {
		p.PromoteAt = time.Time{}
	}
	return p
}

// Apply returns the chain after the plan, given the successor created for a
// stage (nil otherwise).
func (p RotationPlan) Apply(c CAChain, successor *x509.Certificate) CAChain {
	out := CAChain{Current: c.Current, Next: c.Next, Older: without(c.Older, p.Retire)}
	if p.Promote {
		out = CAChain{Current: c.Next, Older: append([]*x509.Certificate{c.Current}, out.Older...)}
	}
	if p.Stage {
		out.Next = successor
	}
	return out
}

func without(list, drop []*x509.Certificate) []*x509.Certificate {
	var out []*x509.Certificate
	for _, c := range list {
		keep := true
		for _, d := range drop {
			if c == d {
				keep = false
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// days renders a duration in days and hours.
func days(d time.Duration) string {
	h := int(d.Hours())
	return fmt.Sprintf("%d days %d hours", h/24, h%24)
}
