package pki

import (
	"crypto"
	"crypto/x509"
	"reflect"
	"strings"
	"testing"
	"time"
)

// caAt issues a fast CA valid for days from issued.
func caAt(t *testing.T, issued time.Time, days int) *x509.Certificate {
	t.Helper()
	_, pemText, _ := mustCA(t, ecdsaSpec(), issued, days)
	cert, err := ParseCertificate(pemText)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// settings are the inputs of the CAs caAt makes, for days of validity.
func settings(days int) CASettings {
	return CASettings{Subject: DefaultCASubject, Key: ecdsaSpec(), ValidityDays: days}
}

// rotator applies plans the way the provider does: it creates the successor a
// stage asks for with the inputs the plan was made for, then Apply.
type rotator struct {
	t     *testing.T
	chain CAChain
	pol   RotationPolicy
	want  CASettings
	// ownKey, when set, is the key every successor is made from.
	ownKey crypto.Signer
}

// apply plans at now, applies, and checks that a plan right after is empty.
func (r *rotator) apply(now time.Time) RotationPlan {
	r.t.Helper()
	p := PlanRotation(now, r.chain, r.pol, r.want)
	if p.Replace {
		return p
	}
	var successor *x509.Certificate
	if p.Stage {
		key := r.ownKey
		if key == nil {
			var err error
			if key, err = GenerateKey(r.want.Key, nil); err != nil {
				r.t.Fatal(err)
			}
		}
		issued, err := Issue(p.SuccessorRequest(r.want.Subject, r.want.ValidityDays, now), key, nil)
		if err != nil {
			r.t.Fatal(err)
		}
		successor = issued.Cert
	}
	after, err := p.Apply(r.chain, successor, r.ownKey != nil)
	if err != nil {
		r.t.Fatal(err)
	}
	r.chain = after
	if again := PlanRotation(now, r.chain, r.pol, r.want); again.Changes() {
		r.t.Fatalf("the plan after applying %+v at %s is not empty: %+v", p, stamp(now), again)
	}
	if after.Phase() != p.Phase {
		r.t.Fatalf("planned phase %s, got %s", p.Phase, after.Phase())
	}
	return p
}

func TestRotationPhases(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100) // not_after t0-5m+100d; early 10, overlap 20: stage at day 70, promote at day 90
	end := cur.NotAfter
	day := func(n int) time.Time { return end.AddDate(0, 0, n-100) }
	r := &rotator{t: t, chain: CAChain{Current: cur}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}, want: settings(100)}

	// Stable until the staging point, to the second.
	if p := PlanRotation(day(70).Add(-time.Second), r.chain, r.pol, r.want); p.Changes() || p.Phase != PhaseStable {
		t.Fatalf("before staging: %+v", p)
	}
	p := r.apply(day(70))
	if !p.Stage || p.Promote || p.Phase != PhaseStaged || !p.PromoteAt.Equal(day(90)) || p.Late != "" || p.Generation != 2 || len(p.Causes) != 0 {
		t.Fatalf("staging: %+v", p)
	}
	next := r.chain.Next
	// The successor starts when it signs, spans validity_days from then, and
	// has a name of its own.
	if !next.NotBefore.Equal(day(90).Add(-ClockSkewMargin)) || next.NotAfter.Sub(next.NotBefore) != 100*24*time.Hour {
		t.Errorf("successor valid %s - %s, want from %s for 100 days", stamp(next.NotBefore), stamp(next.NotAfter), stamp(day(90).Add(-ClockSkewMargin)))
	}
	if next.Subject.String() != "SERIALNUMBER=2,CN=ContextForge-CA,OU=Plugins,O=ContextForge" || string(next.RawSubject) == string(cur.RawSubject) {
		t.Errorf("successor subject %q", next.Subject.String())
	}
	if got := r.chain.Bundle(); len(got) != 2 || got[0] != cur || got[1] != next {
		t.Fatalf("staged bundle: %v", got)
	}

	// Staged until the successor signs.
	if p := PlanRotation(day(90).Add(-time.Second), r.chain, r.pol, r.want); p.Changes() || p.Phase != PhaseStaged || !p.PromoteAt.Equal(day(90)) {
		t.Fatalf("before promotion: %+v", p)
	}
	if p := r.apply(day(90)); !p.Promote || p.Phase != PhasePromoted || p.Stage {
		t.Fatalf("promotion: %+v", p)
	}
	if r.chain.Current != next || len(r.chain.Older) != 1 || r.chain.Older[0] != cur || r.chain.Bundle()[0] != next {
		t.Fatalf("promoted chain: %+v", r.chain)
	}

	// Promoted until the old CA expires, then stable with the new CA alone.
	if p := PlanRotation(day(100).Add(-time.Second), r.chain, r.pol, r.want); p.Changes() || p.Phase != PhasePromoted {
		t.Fatalf("before retirement: %+v", p)
	}
	if p := r.apply(day(100)); len(p.Retire) != 1 || p.Phase != PhaseStable || p.Stage || p.Promote {
		t.Fatalf("retirement: %+v", p)
	}
	if r.chain.Phase() != PhaseStable || len(r.chain.Bundle()) != 1 || r.chain.Current != next {
		t.Fatalf("retired chain: %+v", r.chain)
	}
	// The next generation is 3.
	if p := r.apply(next.NotAfter.AddDate(0, 0, -30)); !p.Stage || p.Generation != 3 || r.chain.Next.Subject.SerialNumber != "3" {
		t.Fatalf("second rotation: %+v", p)
	}
}

func TestRotationWithoutOverlapReplaces(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	chain := CAChain{Current: caAt(t, t0, 100)}
	end := chain.Current.NotAfter
	pol := RotationPolicy{EarlyDays: 10}
	if p := PlanRotation(end.AddDate(0, 0, -10).Add(-time.Second), chain, pol, settings(100)); p.Changes() {
		t.Fatalf("%+v", p)
	}
	if p := PlanRotation(end.AddDate(0, 0, -10), chain, pol, settings(100)); !p.Replace || p.Stage || p.Phase != PhaseStable {
		t.Fatalf("%+v", p)
	}
	// A setting that needs a new CA replaces it at once, naming the input.
	if p := PlanRotation(t0.AddDate(0, 0, 5), chain, pol, settings(60)); !p.Replace || !reflect.DeepEqual(p.Causes, []string{"validity_days"}) || !strings.Contains(p.Reason, "a new CA is needed for validity_days") {
		t.Fatalf("%+v", p)
	}
}

func TestRotationStagingMissed(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100)
	end := cur.NotAfter
	r := &rotator{t: t, chain: CAChain{Current: cur}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}, want: settings(100)}
	// First apply after the promotion point, 6 days before the CA expires:
	// the successor is staged now and signs after half the time left.
	late := end.AddDate(0, 0, -6)
	p := r.apply(late)
	if !p.Stage || p.Promote || !p.PromoteAt.Equal(late.Add(3*24*time.Hour)) ||
		!strings.Contains(p.Late, "The staging window from "+stamp(end.AddDate(0, 0, -30))+" to "+stamp(end.AddDate(0, 0, -10))+" was missed") ||
		!strings.Contains(p.Late, "trusted for 3 days 0 hours before it signs instead of the 20 days") || !strings.Contains(p.Late, "still have 3 days 0 hours to roll out") {
		t.Fatalf("%+v", p)
	}
	// An apply before that keeps staging; one after promotes.
	if p := PlanRotation(late.Add(3*24*time.Hour-time.Second), r.chain, r.pol, r.want); p.Changes() {
		t.Fatalf("changed early: %+v", p)
	}
	if p := r.apply(late.Add(3 * 24 * time.Hour)); !p.Promote {
		t.Fatalf("not promoted: %+v", p)
	}
	// Never applied before the CA expired: nothing can be saved, replace.
	if p := PlanRotation(end, CAChain{Current: cur}, r.pol, r.want); !p.Replace {
		t.Fatalf("expired: %+v", p)
	}
}

// TestRotationStagedSuccessorOutlivesAnExpiredCA: nobody applied between the
// successor's signing point and the CA's end. The successor, trusted by every
// bundle shipped since staging, signs (replacing the CA would make a CA
// nobody trusts yet), and the expired CA leaves the bundle in the same
// apply, so the plan after it is empty.
func TestRotationStagedSuccessorOutlivesAnExpiredCA(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100)
	r := &rotator{t: t, chain: CAChain{Current: cur}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}, want: settings(100)}
	if p := r.apply(cur.NotAfter.AddDate(0, 0, -30)); !p.Stage {
		t.Fatalf("not staged: %+v", p)
	}
	next := r.chain.Next
	p := r.apply(cur.NotAfter.Add(time.Hour))
	if !p.Promote || p.Replace || !reflect.DeepEqual(p.Retire, []string{cur.SerialNumber.String()}) || p.Phase != PhaseStable ||
		!strings.Contains(p.Reason, "everything the old CA signed has expired") {
		t.Fatalf("%+v", p)
	}
	if !r.chain.Current.Equal(next) || len(r.chain.Older) != 0 || r.chain.Next != nil {
		t.Fatalf("chain after: %+v", r.chain)
	}
}

// TestRotationLateOnlyWhenTheOverlapDoesNotFit: staging inside the window
// keeps the whole overlap as long as the reissued certificates keep half of
// early_renewal_days to roll out; only after that is the overlap shortened,
// with a warning that says what happened.
func TestRotationLateOnlyWhenTheOverlapDoesNotFit(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 825)
	end := cur.NotAfter
	pol := RotationPolicy{EarlyDays: 30, OverlapDays: 30}
	window := end.AddDate(0, 0, -60) // opens 60 days before the end
	chain := CAChain{Current: cur}
	// A CA adopted 2.4 hours into its window: the full 30 days, no warning.
	at := window.Add(144 * time.Minute)
	if p := PlanRotation(at, chain, pol, settings(825)); !p.Stage || p.Late != "" || !p.PromoteAt.Equal(at.AddDate(0, 0, 30)) {
		t.Fatalf("2.4 hours into the window: %+v", p)
	}
	// The last second that fits: the reissued certificates keep 15 days.
	fits := end.AddDate(0, 0, -45)
	if p := PlanRotation(fits, chain, pol, settings(825)); p.Late != "" || !p.PromoteAt.Equal(end.AddDate(0, 0, -15)) {
		t.Fatalf("at the last point that fits: %+v", p)
	}
	p := PlanRotation(fits.Add(time.Hour), chain, pol, settings(825))
	if !strings.Contains(p.Late, "Staging started 15 days 1 hours into the staging window that opened at "+stamp(window)) ||
		!strings.Contains(p.Late, "trusted for 29 days 23 hours before it signs instead of the 30 days") || !p.PromoteAt.Equal(end.AddDate(0, 0, -15)) {
		t.Fatalf("an hour later: %+v", p)
	}
}

// TestRotationSettingChanges: an input that needs a new CA stages a successor
// made with it, at once, at every phase; a change while staged replaces the
// successor (or drops it when the inputs are the CA's again).
func TestRotationSettingChanges(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100)
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	r := &rotator{t: t, chain: CAChain{Current: cur}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}, want: settings(100)}

	// Stable: validity_days 100 -> 60 stages a 60-day successor, which signs after the overlap.
	r.want = settings(60)
	p := r.apply(day(5))
	if !p.Stage || !reflect.DeepEqual(p.Causes, []string{"validity_days"}) || !p.PromoteAt.Equal(day(25)) || p.Late != "" ||
		!strings.Contains(p.Reason, "a new CA is needed for validity_days") {
		t.Fatalf("stable: %+v", p)
	}
	if got := r.chain.Next.NotAfter.Sub(r.chain.Next.NotBefore); got != 60*24*time.Hour {
		t.Fatalf("successor spans %v", got)
	}
	// Staged: the key changes too; the successor is replaced by one that has
	// it, and the overlap starts again.
	r.want.Key = KeySpec{Algorithm: AlgorithmECDSA, Curve: CurveP384}
	p = r.apply(day(10))
	if !p.Discard || !p.Stage || !reflect.DeepEqual(p.Causes, []string{"ecdsa_curve"}) || p.Generation != 3 || !p.PromoteAt.Equal(day(30)) ||
		!strings.Contains(p.Reason, "does not have the new ecdsa_curve") {
		t.Fatalf("staged: %+v", p)
	}
	if len(r.chain.Bundle()) != 2 || r.chain.Next.Subject.SerialNumber != "3" {
		t.Fatalf("restaged chain: %+v", r.chain)
	}
	// Back to the CA's own settings before it signs: the successor is dropped.
	r.want = settings(100)
	if p := r.apply(day(15)); !p.Discard || p.Stage || p.Phase != PhaseStable || !strings.Contains(p.Reason, "the inputs are this CA's again") {
		t.Fatalf("unstaged: %+v", p)
	}
	// And changed again: staged, then promoted after the overlap.
	r.want = settings(80)
	r.apply(day(20))
	if p := PlanRotation(day(40).Add(-time.Second), r.chain, r.pol, r.want); p.Changes() {
		t.Fatalf("before the overlap passed: %+v", p)
	}
	if p := r.apply(day(40)); !p.Promote || p.Stage || p.Phase != PhasePromoted {
		t.Fatalf("promoted: %+v", p)
	}
	// Promoted: another change stages a third CA next to both.
	r.want.Subject.Organization = "Example"
	p = r.apply(day(50))
	if !p.Stage || !reflect.DeepEqual(p.Causes, []string{"organization"}) || p.Phase != PhaseStaged || len(r.chain.Bundle()) != 3 {
		t.Fatalf("promoted, then changed: %+v, bundle %d", p, len(r.chain.Bundle()))
	}
	if got := SubjectOf(r.chain.Next); got.Organization != "Example" || got.CommonName != "ContextForge-CA" {
		t.Fatalf("successor subject %+v", got)
	}
	// At the first CA's end it leaves the bundle, and the third, staged for
	// its overlap, signs; the second stays until its own end.
	if p := r.apply(cur.NotAfter); len(p.Retire) != 1 || !p.Promote || p.Phase != PhasePromoted || len(r.chain.Bundle()) != 2 {
		t.Fatalf("retirement and promotion: %+v", p)
	}
}

// TestRotationOwnKey: a CA whose key is brought re-signs its successor from
// the same key on schedule (nothing to change); a new key (a new
// private_key_wo_version) stages a successor made from it.
func TestRotationOwnKey(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	key, _ := GenerateKey(ecdsaSpec(), nil)
	issued, err := Issue(Request{Profile: ProfileCA, Subject: DefaultCASubject, ValidityDays: 100, Now: t0}, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := settings(100)
	want.OwnKey = key.Public()
	r := &rotator{t: t, chain: CAChain{Current: issued.Cert, CurrentOwnKey: true}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}, want: want, ownKey: key}
	if p := PlanRotation(t0.AddDate(0, 0, 10), r.chain, r.pol, r.want); p.Changes() {
		t.Fatalf("own key, nothing changed: %+v", p)
	}
	if m := want.Mismatch(issued.Cert, false); !reflect.DeepEqual(m, []string{"private_key_wo_version"}) {
		t.Fatalf("own key wanted, generated key held: %v", m)
	}
	r.apply(issued.Cert.NotAfter.AddDate(0, 0, -30))
	if !publicKeysEqual(r.chain.Next.PublicKey, key.Public()) || r.chain.Next.Subject.SerialNumber != "2" {
		t.Fatalf("re-signed successor: %+v", r.chain.Next.Subject)
	}

	newKey, _ := GenerateKey(ecdsaSpec(), nil)
	r2 := &rotator{t: t, chain: CAChain{Current: issued.Cert, CurrentOwnKey: true}, pol: r.pol, want: want, ownKey: newKey}
	r2.want.OwnKey = newKey.Public()
	p := r2.apply(t0.AddDate(0, 0, 10))
	if !p.Stage || !reflect.DeepEqual(p.Causes, []string{"private_key_wo_version"}) || !publicKeysEqual(r2.chain.Next.PublicKey, newKey.Public()) {
		t.Fatalf("new own key: %+v", p)
	}
}

// TestCASettingsMismatch names each input that needs a new CA, and only those.
func TestCASettingsMismatch(t *testing.T) {
	t.Parallel()
	cert := caAt(t, testNow, 100)
	for _, c := range []struct {
		name   string
		change func(*CASettings)
		want   []string
	}{
		{"nothing", func(*CASettings) {}, nil},
		{"common_name", func(s *CASettings) { s.Subject.CommonName = "Other" }, []string{"common_name"}},
		{"organization", func(s *CASettings) { s.Subject.Organization = "" }, []string{"organization"}},
		{"organizational_unit", func(s *CASettings) { s.Subject.OrganizationalUnit = "X" }, []string{"organizational_unit"}},
		{"the generation is no input", func(s *CASettings) { s.Subject.Generation = 7 }, nil},
		{"validity_days", func(s *CASettings) { s.ValidityDays = 99 }, []string{"validity_days"}},
		{"key_algorithm", func(s *CASettings) { s.Key = KeySpec{Algorithm: AlgorithmRSA, RSABits: 2048} }, []string{"key_algorithm"}},
		{"ecdsa_curve", func(s *CASettings) { s.Key.Curve = CurveP384 }, []string{"ecdsa_curve"}},
		{"rsa_bits of an ECDSA key is not read", func(s *CASettings) { s.Key.RSABits = 2048 }, nil},
		{"several", func(s *CASettings) { s.Subject.CommonName, s.ValidityDays = "Other", 5 }, []string{"common_name", "validity_days"}},
	} {
		s := settings(100)
		c.change(&s)
		if got := s.Mismatch(cert, false); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRotationConverges applies the rotation at irregular times, with and
// without setting changes and missed windows: after every apply the plan at
// the same moment is empty (rotator.apply checks), and across each apply a
// leaf signed before or after it is trusted by the bundles of both.
func TestRotationConverges(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for name, walk := range map[string][]struct {
		day  float64
		want CASettings
	}{
		"on schedule":                {{69, settings(100)}, {70, settings(100)}, {89.5, settings(100)}, {90, settings(100)}, {99, settings(100)}, {100, settings(100)}, {160, settings(100)}},
		"missed window":              {{95, settings(100)}, {97, settings(100)}, {97.5, settings(100)}, {100, settings(100)}},
		"adopted 25 days before":     {{75, settings(100)}, {87.5, settings(100)}, {95, settings(100)}, {100, settings(100)}},
		"change at each phase":       {{5, settings(60)}, {30, settings(60)}, {45, settings(50)}, {70, settings(50)}, {90, settings(50)}, {100, settings(50)}, {110, settings(50)}, {115, settings(50)}},
		"change back and forth":      {{5, settings(60)}, {6, settings(100)}, {7, settings(60)}, {8, settings(40)}, {40, settings(40)}},
		"change near the old end":    {{85, settings(60)}, {92.5, settings(60)}, {95, settings(60)}, {100, settings(60)}},
		"promoted late, due at once": {{5, settings(40)}, {40, settings(40)}, {60, settings(40)}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := &rotator{t: t, chain: CAChain{Current: caAt(t, t0, 100)}, pol: RotationPolicy{EarlyDays: 10, OverlapDays: 20}}
			for _, step := range walk {
				before := r.chain
				r.want = step.want
				now := t0.Add(time.Duration(step.day * float64(24*time.Hour)))
				if p := r.apply(now); p.Replace {
					t.Fatalf("day %v: replaced: %s", step.day, p.Reason)
				}
				for _, signer := range []*x509.Certificate{before.Current, r.chain.Current} {
					for _, bundle := range [][]*x509.Certificate{before.Bundle(), r.chain.Bundle()} {
						if !contains(bundle, signer) {
							t.Errorf("day %v: a leaf of %q is not trusted by a bundle of %d", step.day, signer.Subject, len(bundle))
						}
					}
				}
			}
		})
	}
}

func contains(list []*x509.Certificate, c *x509.Certificate) bool {
	for _, b := range list {
		if b == c {
			return true
		}
	}
	return false
}

// TestLegacySuccessorKeepsItsSchedule: a successor staged by an earlier build
// (same subject as the CA, not_before at staging) signs when that build said.
func TestLegacySuccessorKeepsItsSchedule(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100)
	end := cur.NotAfter
	legacy := caAt(t, end.AddDate(0, 0, -30), 100) // staged on time at day 70, generation 1 like cur
	pol := RotationPolicy{EarlyDays: 10, OverlapDays: 20}
	chain := CAChain{Current: cur, Next: legacy}
	if got := SignsAt(chain, pol); !got.Equal(end.AddDate(0, 0, -10)) {
		t.Fatalf("legacy successor signs at %s", stamp(got))
	}
	if p := PlanRotation(end.AddDate(0, 0, -10), chain, pol, settings(100)); !p.Promote {
		t.Fatalf("%+v", p)
	}
}

// TestLeafRenewal: a due leaf is reissued unless the reissue would be due at
// once; then it waits for the successor in its bundle, unless it would
// expire before that successor signs.
func TestLeafRenewal(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ca := caAt(t, t0, 100)
	end := ca.NotAfter
	successor, err := Issue(Request{Profile: ProfileCA, Subject: Subject{CommonName: "ContextForge-CA", Generation: 2}, ValidityDays: 100, Now: end.AddDate(0, 0, -30), From: end.AddDate(0, 0, -10)}, ecdsaKey(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	staged := []*x509.Certificate{ca, successor.Cert}
	// A CA of another tree in the bundle whose subject happens to carry a
	// number, issued before this one: not a successor.
	foreign, err := Issue(Request{Profile: ProfileCA, Subject: Subject{CommonName: "Corp Root", Generation: 2}, ValidityDays: 900, Now: t0.AddDate(0, 0, -300)}, ecdsaKey(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	withForeign := []*x509.Certificate{ca, foreign.Cert}
	for _, c := range []struct {
		name                 string
		now, notAfter        time.Time
		validity, early      int
		bundle               []*x509.Certificate
		due, reissue         bool
		reissueEnds, signsAt time.Time
	}{
		{"not due", end.AddDate(0, 0, -40), end.AddDate(0, 0, -5), 30, 30, staged, false, false, time.Time{}, time.Time{}},
		{"due, a reissue outlives the window", end.AddDate(0, 0, -80), end.AddDate(0, 0, -75), 10, 7, nil, true, true, end.AddDate(0, 0, -70).Add(-ClockSkewMargin), time.Time{}},
		{"due, clamped inside the window: waits for the successor", end.AddDate(0, 0, -25), end, 90, 30, staged, true, false, end, end.AddDate(0, 0, -10)},
		{"due before anything is staged: waits", end.AddDate(0, 0, -35), end, 90, 40, []*x509.Certificate{ca}, true, false, end, time.Time{}},
		{"would expire before the successor signs: reissued to the CA's end", end.AddDate(0, 0, -25), end.AddDate(0, 0, -12), 90, 30, staged, true, true, end, end.AddDate(0, 0, -10)},
		{"ends after the successor signs: waits", end.AddDate(0, 0, -25), end.AddDate(0, 0, -9), 90, 30, staged, true, false, end, end.AddDate(0, 0, -10)},
		{"nothing staged and it gains: reissued once", end.AddDate(0, 0, -25), end.AddDate(0, 0, -20), 90, 30, nil, true, true, end, time.Time{}},
		{"a foreign CA with a numbered subject is no successor", end.AddDate(0, 0, -35), end.AddDate(0, 0, -20), 90, 40, withForeign, true, true, end, time.Time{}},
	} {
		got := PlanLeafRenewal(c.now, c.notAfter, c.validity, c.early, ca, c.bundle)
		if got.Due != c.due || got.Reissue != c.reissue || !got.ReissueEnds.Equal(c.reissueEnds) || !got.SuccessorSignsAt.Equal(c.signsAt) {
			t.Errorf("%s: %+v, want due %v reissue %v ending %s, successor at %s", c.name, got, c.due, c.reissue, stamp(c.reissueEnds), stamp(c.signsAt))
		}
		if got.Reissue {
			// Converges: what the reissue gives is not reissued again at once.
			if again := PlanLeafRenewal(c.now, got.ReissueEnds, c.validity, c.early, ca, c.bundle); again.Reissue {
				t.Errorf("%s: the reissued certificate is reissued again: %+v", c.name, again)
			}
		}
	}
}

func ecdsaKey(t *testing.T) crypto.Signer {
	t.Helper()
	key, err := GenerateKey(ecdsaSpec(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return key
}
