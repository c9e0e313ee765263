package pki

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Staged CA rotation. Our CAs carry pathlen:0, so a successor cannot be
// cross-signed: trust must reach every party before the successor signs.
// A CA therefore moves through three phases, each applied in place:
//
//	stable   -> staged    at not_after - early_renewal_days - rotation_overlap_days,
//	                      or at once when an input changed that needs a new CA
//	                      (CASettings.Mismatch): the successor exists, made with
//	                      the inputs as they are now; the bundle holds both CAs,
//	                      and leaves only ship the new bundle.
//	staged   -> promoted  when the successor's overlap has passed (its not_before
//	                      plus ClockSkewMargin, SignsAt): the successor signs,
//	                      the leaves are reissued, the bundle keeps the old CA.
//	promoted -> stable    once the old CA has expired: it leaves the bundle.
//
// A deployment mixing parties from two consecutive applies always shares a
// trust anchor: every bundle shipped holds the CA that signed every leaf of
// the apply before and of the apply after it. Each generation has a subject
// of its own (Subject.Generation), so path building by name never takes one
// for another.
//
// PlanRotation decides; the decision (RotationPlan) is a value the provider
// keeps in private state between plan and apply, and Apply carries it out.

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
// (nil when none) and older CAs still trusted (newest first). The OwnKey flags
// say that a certificate's key was brought (private_key_pem_wo) rather than
// generated.
type CAChain struct {
	Current                   *x509.Certificate
	Next                      *x509.Certificate
	Older                     []*x509.Certificate
	CurrentOwnKey, NextOwnKey bool
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
//
// One exception to the order: CAs of one subject, which only a successor
// staged before generations had subjects of their own shares with the CA it
// succeeded, stand oldest first. OpenSSL takes the first CA of the issuer's
// name for a certificate without key identifiers (the Makefile's), and those
// were all signed by the older one; a certificate with them (every one this
// provider issues) finds its own CA in any order.
func (c CAChain) Bundle() []*x509.Certificate {
	out := []*x509.Certificate{c.Current}
	if c.Next != nil {
		out = append(out, c.Next)
	}
	out = append(out, c.Older...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if bytes.Equal(out[i].RawSubject, out[j].RawSubject) && out[j].NotBefore.Before(out[i].NotBefore) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// RotationPolicy is a CA's schedule: early_renewal_days and rotation_overlap_days.
type RotationPolicy struct {
	EarlyDays, OverlapDays int
}

// CASettings are the inputs a CA certificate embodies: a certificate that
// does not have one of them needs a successor.
type CASettings struct {
	Subject      Subject
	Key          KeySpec
	ValidityDays int
	// OwnKey is the public half of the key brought with private_key_pem_wo;
	// nil when the CA's key is generated.
	OwnKey crypto.PublicKey
}

// Mismatch names, by input, what cert (whose key was brought when ownKey)
// does not have of s; nil when it has them all. Changes that need no new CA
// (early_renewal_days, rotation_overlap_days, rsa_bits or ecdsa_curve of
// another algorithm) are not inputs here, and the generation is not compared.
func (s CASettings) Mismatch(cert *x509.Certificate, ownKey bool) []string {
	var out []string
	got := SubjectOf(cert)
	for _, f := range []struct {
		name      string
		got, want string
	}{
		{"common_name", got.CommonName, s.Subject.CommonName},
		{"organization", got.Organization, s.Subject.Organization},
		{"organizational_unit", got.OrganizationalUnit, s.Subject.OrganizationalUnit},
	} {
		if f.got != f.want {
			out = append(out, f.name)
		}
	}
	switch spec, err := SpecOf(cert.PublicKey); {
	case err != nil || spec.Algorithm != s.Key.Algorithm:
		out = append(out, "key_algorithm")
	case spec.Algorithm == AlgorithmRSA && spec.RSABits != s.Key.RSABits:
		out = append(out, "rsa_bits")
	case spec.Algorithm == AlgorithmECDSA && spec.Curve != s.Key.Curve:
		out = append(out, "ecdsa_curve")
	}
	if ValidityDays(cert.NotBefore, cert.NotAfter) != s.ValidityDays {
		out = append(out, "validity_days")
	}
	if (s.OwnKey != nil) != ownKey || (s.OwnKey != nil && !publicKeysEqual(cert.PublicKey, s.OwnKey)) {
		out = append(out, "private_key_wo_version")
	}
	return out
}

// RotationPlan is what one apply does to a CA. It is plain data, so the
// provider keeps it in private state from plan to apply.
type RotationPlan struct {
	// Replace issues a new CA instead (an expired CA, or rotation_overlap_days 0).
	Replace bool `json:"replace,omitempty"`
	// Discard drops the staged successor, which no longer has the inputs.
	Discard bool `json:"discard,omitempty"`
	// Promote makes the staged successor sign.
	Promote bool `json:"promote,omitempty"`
	// Stage creates a successor of Generation that signs from PromoteAt.
	Stage      bool `json:"stage,omitempty"`
	Generation int  `json:"generation,omitempty"`
	// Retire lists the serial numbers (decimal) of older CAs that have
	// expired and leave the bundle.
	Retire []string `json:"retire,omitempty"`
	// Phase is the phase after the apply.
	Phase string `json:"phase"`
	// PromoteAt is when the successor staged after the apply signs (zero when none).
	PromoteAt time.Time `json:"promote_at,omitzero"`
	// Causes are the inputs that need a new CA (CASettings.Mismatch).
	Causes []string `json:"causes,omitempty"`
	// Reason says why, for the plan's diagnostics ("" when nothing changes).
	Reason string `json:"reason,omitempty"`
	// Late is set when the successor is trusted for less than
	// rotation_overlap_days before it signs, and says why.
	Late string `json:"late,omitempty"`
}

// Changes reports whether the apply changes the CA at all.
func (p RotationPlan) Changes() bool {
	return p.Replace || p.Discard || p.Promote || p.Stage || len(p.Retire) > 0
}

// NewCertificate reports whether the apply gives the CA another certificate.
func (p RotationPlan) NewCertificate() bool { return p.Replace || p.Promote }

// SignsAt is when a staged successor starts to sign: its not_before plus the
// skew margin, since a successor is issued to start then. A successor staged
// before generations had subjects of their own (the same generation as the
// CA it succeeds) was issued at staging; it keeps the schedule it was staged
// with.
func SignsAt(c CAChain, pol RotationPolicy) time.Time {
	at := c.Next.NotBefore.Add(ClockSkewMargin)
	if GenerationOf(c.Next) != GenerationOf(c.Current) {
		return at
	}
	end := c.Current.NotAfter
	return maxTime(end.AddDate(0, 0, -pol.EarlyDays), at.Add(TrustOverlap(at, end, pol)))
}

// TrustOverlap is how long a successor staged at now is trusted before it
// signs, for a CA ending at end: rotation_overlap_days, as long as the
// certificates the successor then reissues keep at least half of
// early_renewal_days to roll out before the old CA expires. Later, those keep
// that half and the overlap shrinks, down to half of the time left, when the
// two rollouts (trust first, then certificates) get one half each.
func TrustOverlap(now, end time.Time, pol RotationPolicy) time.Duration {
	left := end.Sub(now)
	overlap, early := daysOf(pol.OverlapDays), daysOf(pol.EarlyDays)
	return max(min(overlap, max(left-early/2, left/2)), 0)
}

// PlanRotation decides what an apply at now does to the chain, for a CA with
// the schedule pol whose inputs are now want. A promotion is followed in the
// same apply by whatever the new signing CA needs at once (a successor, when
// the inputs changed since it was staged or its own staging point has
// passed), so the plan right after any apply is empty.
func PlanRotation(now time.Time, c CAChain, pol RotationPolicy, want CASettings) RotationPlan {
	p, reasons := decide(now, c, pol, want)
	if p.Promote {
		promoted, _ := p.Apply(c, nil, false)
		then, more := decide(now, promoted, pol, want)
		if then.Stage {
			p.Stage, p.Generation, p.PromoteAt, p.Causes, p.Late = true, then.Generation, then.PromoteAt, then.Causes, then.Late
		}
		// The CA it replaces may have expired already (nobody applied between
		// the successor's signing point and the CA's end): it leaves at once.
		p.Retire = append(p.Retire, then.Retire...)
		if then.Stage || len(then.Retire) > 0 {
			reasons = append(reasons, more...)
		}
	}
	p.Reason = strings.Join(reasons, "; ")
	after, _ := p.Apply(c, c.Current, false) // the certificate stands for the successor: only the phase is read
	p.Phase = after.Phase()
	if p.Phase != PhaseStaged {
		p.PromoteAt = time.Time{}
	}
	return p
}

// decide is one step of PlanRotation, with its reasons.
func decide(now time.Time, c CAChain, pol RotationPolicy, want CASettings) (RotationPlan, []string) {
	var p RotationPlan
	var reasons []string
	for _, old := range c.Older {
		if !now.Before(old.NotAfter) {
			p.Retire = append(p.Retire, old.SerialNumber.String())
			reasons = append(reasons, fmt.Sprintf("the previous CA %q expired at %s: it leaves the trust bundle", old.Subject.String(), stamp(old.NotAfter)))
		}
	}
	end := c.Current.NotAfter
	promotePoint := end.AddDate(0, 0, -pol.EarlyDays)
	stagePoint := promotePoint.Add(-daysOf(pol.OverlapDays))
	causes := want.Mismatch(c.Current, c.CurrentOwnKey)
	scheduled := pol.OverlapDays > 0 && !now.Before(stagePoint)
	stage := func(why string) {
		p.Stage = true
		p.Generation = maxGeneration(c) + 1
		overlap := TrustOverlap(now, end, pol)
		p.PromoteAt = now.Add(overlap).Truncate(time.Second)
		reasons = append(reasons, why+fmt.Sprintf("; it signs from %s", stamp(p.PromoteAt)))
		if overlap < daysOf(pol.OverlapDays) {
			p.Late = lateNote(now, end, p.PromoteAt, pol, overlap)
		}
	}
	switch {
	case !now.Before(end) && c.Next == nil:
		p.Replace = true
		reasons = append(reasons, fmt.Sprintf("the CA expired at %s: nothing it signed is valid, so it is replaced (an outage was already under way)", stamp(end)))
	case c.Next != nil:
		signsAt := SignsAt(c, pol)
		stale := want.Mismatch(c.Next, c.NextOwnKey)
		switch {
		case !now.Before(signsAt) && (len(stale) == 0 || !now.Before(promotePoint)):
			// The successor signs; if the inputs changed since it was staged and
			// the CA is due, it signs anyway and another successor follows.
			p.Promote = true
			tail := fmt.Sprintf("the old CA stays in the bundle until it expires at %s", stamp(end))
			if !now.Before(end) {
				tail = fmt.Sprintf("no apply came between its signing point and the old CA's end at %s, so everything the old CA signed has expired (an outage was under way), and the old CA leaves the bundle", stamp(end))
			}
			reasons = append(reasons, fmt.Sprintf("the successor %q signs from now on: the certificates it signs are reissued; %s", c.Next.Subject.String(), tail))
		case len(stale) > 0 && pol.OverlapDays == 0:
			p.Replace = true
			p.Causes = stale
			reasons = append(reasons, fmt.Sprintf("a new CA is needed for %s, and rotation_overlap_days is 0: the CA and its staged successor are replaced, with every certificate the CA signed",
				strings.Join(stale, ", ")))
		case len(stale) > 0:
			p.Discard = true
			p.Causes = stale
			if len(causes) > 0 || scheduled {
				stage(fmt.Sprintf("the staged successor %q does not have the new %s: it is replaced by a successor with the new settings, trusted from now (the overlap starts again)",
					c.Next.Subject.String(), strings.Join(stale, ", ")))
			} else {
				reasons = append(reasons, fmt.Sprintf("the inputs are this CA's again (%s): the staged successor %q is dropped and this CA keeps signing",
					strings.Join(stale, ", "), c.Next.Subject.String()))
			}
		default:
			p.PromoteAt = signsAt
		}
	case pol.OverlapDays == 0 && (len(causes) > 0 || !now.Before(promotePoint)):
		p.Replace = true
		p.Causes = causes
		if len(causes) > 0 {
			reasons = append(reasons, fmt.Sprintf("a new CA is needed for %s, and rotation_overlap_days is 0: the CA is replaced, with every certificate it signed", strings.Join(causes, ", ")))
		} else {
			reasons = append(reasons, fmt.Sprintf("rotation_overlap_days is 0: the CA is replaced at its renewal point %s, with every certificate it signed", stamp(promotePoint)))
		}
	case len(causes) > 0:
		p.Causes = causes
		stage(fmt.Sprintf("a new CA is needed for %s: a successor with the new settings is created and trusted next to this one, which keeps signing until then",
			strings.Join(causes, ", ")))
	case scheduled:
		stage(fmt.Sprintf("within %d days of the renewal point %s: the successor CA is created and trusted next to this one",
			pol.OverlapDays, stamp(promotePoint)))
	}
	return p, reasons
}

// SuccessorRequest is what Stage issues: a CA certificate with the subject
// and validity of the inputs, of the plan's generation, that starts when it
// signs (so validity_days counts from then).
func (p RotationPlan) SuccessorRequest(subject Subject, validityDays int, now time.Time) Request {
	subject.Generation = p.Generation
	return Request{Profile: ProfileCA, Subject: subject, ValidityDays: validityDays, Now: now, From: p.PromoteAt}
}

// Apply returns the chain after the plan, given the successor created for a
// stage (and whether its key was brought), nil otherwise.
func (p RotationPlan) Apply(c CAChain, successor *x509.Certificate, successorOwnKey bool) (CAChain, error) {
	if p.Replace {
		return CAChain{}, errors.New("a replaced CA is issued anew, not rotated")
	}
	out := c
	older := c.Older
	if p.Promote {
		if c.Next == nil {
			return c, errors.New("no staged successor to promote")
		}
		older = append([]*x509.Certificate{c.Current}, older...)
		out.Current, out.CurrentOwnKey = c.Next, c.NextOwnKey
		out.Next, out.NextOwnKey = nil, false
	}
	out.Older = nil
	for _, old := range older {
		if !containsString(p.Retire, old.SerialNumber.String()) {
			out.Older = append(out.Older, old)
		}
	}
	if p.Discard {
		out.Next, out.NextOwnKey = nil, false
	}
	if p.Stage {
		if successor == nil {
			return c, errors.New("no successor was created for the stage")
		}
		out.Next, out.NextOwnKey = successor, successorOwnKey
	}
	return out, nil
}

// lateNote explains a successor trusted for less than rotation_overlap_days.
func lateNote(now, end, promoteAt time.Time, pol RotationPolicy, overlap time.Duration) string {
	promotePoint := end.AddDate(0, 0, -pol.EarlyDays)
	stagePoint := promotePoint.Add(-daysOf(pol.OverlapDays))
	var why string
	switch {
	case !now.Before(promotePoint):
		why = fmt.Sprintf("The staging window from %s to %s was missed (no apply ran in it)", stamp(stagePoint), stamp(promotePoint))
	case !now.Before(stagePoint):
		why = fmt.Sprintf("Staging started %s into the staging window that opened at %s", duration(now.Sub(stagePoint)), stamp(stagePoint))
	default:
		why = fmt.Sprintf("The CA it succeeds expires at %s, %s from now", stamp(end), duration(end.Sub(now)))
	}
	return fmt.Sprintf("%s: the successor is trusted for %s before it signs instead of the %d days rotation_overlap_days asks, so that the certificates it signs still have %s to roll out before the old CA expires at %s. "+
		"Roll the new trust bundle out to every gateway and plugin before %s, then the reissued certificates before %s.",
		why, duration(overlap), pol.OverlapDays, duration(end.Sub(promoteAt)), stamp(end), stamp(promoteAt), stamp(end))
}

func maxGeneration(c CAChain) int {
	g := 0
	for _, cert := range append(c.Bundle(), c.Next) {
		if cert != nil {
			g = max(g, GenerationOf(cert))
		}
	}
	return g
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func daysOf(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// duration renders a duration in days and hours.
func duration(d time.Duration) string {
	h := int(d.Hours())
	return fmt.Sprintf("%d days %d hours", h/24, h%24)
}
