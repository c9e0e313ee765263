package pki

import (
	"crypto/x509"
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

func TestRotationPhases(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100) // not_after t0+100d; early 10, overlap 20: stage at day 70, promote at day 90
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	chain := CAChain{Current: cur}

	// Stable until the staging point.
	if p := PlanRotation(day(70).Add(-time.Second), chain, 10, 20); p.Changes() || p.Phase != PhaseStable {
		t.Fatalf("before staging: %+v", p)
	}
	p := PlanRotation(day(70), chain, 10, 20)
	if !p.Stage || p.Promote || p.Phase != PhaseStaged || !p.PromoteAt.Equal(day(90)) || p.ShortOverlap != "" {
		t.Fatalf("staging: %+v", p)
	}
	next := caAt(t, day(70), 100)
	staged := p.Apply(chain, next)
	if staged.Phase() != PhaseStaged || len(staged.Bundle()) != 2 || staged.Bundle()[0] != cur {
		t.Fatalf("staged chain: %+v", staged)
	}

	// Staged until the promotion point, never sooner than the overlap.
	if p := PlanRotation(day(90).Add(-time.Second), staged, 10, 20); p.Changes() || p.Phase != PhaseStaged {
		t.Fatalf("before promotion: %+v", p)
	}
	p = PlanRotation(day(90), staged, 10, 20)
	if !p.Promote || p.Phase != PhasePromoted {
		t.Fatalf("promotion: %+v", p)
	}
	promoted := p.Apply(staged, nil)
	if promoted.Current != next || len(promoted.Older) != 1 || promoted.Older[0] != cur || promoted.Bundle()[0] != next {
		t.Fatalf("promoted chain: %+v", promoted)
	}

	// Promoted until the old CA expires, then stable with the new CA alone.
	if p := PlanRotation(day(100).Add(-time.Second), promoted, 10, 20); p.Changes() || p.Phase != PhasePromoted {
		t.Fatalf("before retirement: %+v", p)
	}
	p = PlanRotation(day(100), promoted, 10, 20)
	if len(p.Retire) != 1 || p.Phase != PhaseStable || p.Stage || p.Promote {
		t.Fatalf("retirement: %+v", p)
	}
	if retired := p.Apply(promoted, nil); retired.Phase() != PhaseStable || len(retired.Bundle()) != 1 || retired.Current != next {
		t.Fatalf("retired chain: %+v", retired)
	}
}

func TestRotationWithoutOverlapReplaces(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	chain := CAChain{Current: caAt(t, t0, 100)}
	if p := PlanRotation(t0.AddDate(0, 0, 90).Add(-time.Second), chain, 10, 0); p.Changes() {
		t.Fatalf("%+v", p)
	}
	if p := PlanRotation(t0.AddDate(0, 0, 90), chain, 10, 0); !p.Replace || p.Stage || p.Phase != PhaseStable {
		t.Fatalf("%+v", p)
	}
}

func TestRotationStagingMissed(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cur := caAt(t, t0, 100)
	chain := CAChain{Current: cur}
	// First apply after the promotion point, 6 days before the CA expires:
	// the successor is staged now and signs after half the time left.
	late := t0.AddDate(0, 0, 94)
	p := PlanRotation(late, chain, 10, 20)
	if !p.Stage || p.Promote || !p.PromoteAt.Equal(late.Add(3*24*time.Hour)) || !strings.Contains(p.ShortOverlap, "3 days 0 hours") {
		t.Fatalf("%+v", p)
	}
	staged := p.Apply(chain, caAt(t, late, 100))
	// An apply before that keeps staging; one after promotes.
	if p := PlanRotation(late.Add(3*24*time.Hour-time.Hour), staged, 10, 20); p.Promote {
		t.Fatalf("promoted early: %+v", p)
	}
	if p := PlanRotation(late.Add(3*24*time.Hour), staged, 10, 20); !p.Promote {
		t.Fatalf("not promoted: %+v", p)
	}
	// Never applied before the CA expired: nothing can be saved, replace.
	if p := PlanRotation(t0.AddDate(0, 0, 100), chain, 10, 20); !p.Replace {
		t.Fatalf("expired: %+v", p)
	}
}

// TestEveryMixShareATrustAnchor is the rollout argument, checked on the
// certificates themselves: across each transition, a leaf signed in the
// earlier or the later apply verifies against the bundle of either apply.
func TestEveryMixShareATrustAnchor(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return t0.AddDate(0, 0, n) }
	cur := caAt(t, t0, 100)
	chains := []CAChain{{Current: cur}}
	times := []time.Time{day(60), day(70), day(90), day(100)}
	for _, now := range times[1:] {
		last := chains[len(chains)-1]
		p := PlanRotation(now, last, 10, 20)
		chains = append(chains, p.Apply(last, caAt(t, now, 100)))
	}
	for i := 0; i+1 < len(chains); i++ {
		for _, signer := range []*x509.Certificate{chains[i].Current, chains[i+1].Current} {
			for _, bundle := range [][]*x509.Certificate{chains[i].Bundle(), chains[i+1].Bundle()} {
				found := false
				for _, b := range bundle {
					found = found || b == signer
				}
				if !found {
					t.Errorf("transition %d: a leaf signed by %s is not trusted by a party holding %d CAs", i, signer.SerialNumber, len(bundle))
				}
			}
		}
	}
}
