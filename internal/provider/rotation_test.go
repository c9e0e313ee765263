package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// rotationConfig is a CA that stages its successor at day 70, promotes it at
// day 90 and retires itself at day 100, with a gateway and a plugin that ship
// its trust bundle, and a gateway from another CA.
const rotationConfig = `
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 100
  early_renewal_days    = 10
  rotation_overlap_days = 20
}

resource "mcptls_ca" "other" {
  key_algorithm = "ECDSA"
  validity_days = 365
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
  early_renewal_days = 2
}

resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  url                = "https://localhost:8443/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
  early_renewal_days = 2
}

resource "mcptls_gateway_cert" "rogue" {
  ca_cert_pem        = mcptls_ca.other.cert_pem
  ca_private_key_pem = mcptls_ca.other.private_key_pem
  key_algorithm      = "ECDSA"
}
`

// rotationStep is one apply of the rotation walk: the day it runs, what the
// plan does to each resource, and the phase and bundle size that follow.
type rotationStep struct {
	name              string
	day               int
	ca, leaves        plancheck.ResourceActionType
	phase             string
	bundle            int
	leavesKeepTheCert bool
}

var rotationWalk = []rotationStep{
	{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
	{name: "stable, the day before staging", day: 69, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "stable", bundle: 1, leavesKeepTheCert: true},
	{name: "staged", day: 70, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "staged, the day before promotion", day: 89, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "promoted", day: 90, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 2},
	{name: "promoted, the day before the old CA expires", day: 99, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "promoted", bundle: 2, leavesKeepTheCert: true},
	{name: "retired", day: 100, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "stable", bundle: 1, leavesKeepTheCert: true},
}

// bundleOf checks how many certificates a PEM bundle holds.
func bundleOf(n int) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(`^(?s)(-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n){` + fmt.Sprint(n) + `}$`))
}

// TestAccCARotation walks a CA through its phases on the fake clock: at each
// step the plan does exactly what the phase asks (what is replaced, what is
// updated in place, what stays), and a plan after each apply is empty. Every
// apply's certificates are written out, and TestAccCARotation's rollout matrix
// then connects every mix of a gateway and a plugin deployed from the applies
// on either side of each phase boundary, with Python's ssl as the gateway and
// the plugin runtime set it up.
func TestAccCARotation(t *testing.T) {
	t.Parallel()
	// The walk spans 100 days; it starts 95 days ago, so that every
	// certificate the handshakes use is valid now, on the wall clock.
	walkRotation(t, rotationWalk, 95)
}

// skippedStagingWalk: nobody applies between the issue and day 94, after the
// promotion point (day 90). The successor is staged then, with a warning, and
// signs after half the time left before the old CA expires (3 days), so each
// of the two rollouts has 3 days.
var skippedStagingWalk = []rotationStep{
	{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
	{name: "staged late", day: 94, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "staged, a day before promotion", day: 96, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "promoted", day: 97, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 2},
	{name: "retired", day: 100, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "stable", bundle: 1, leavesKeepTheCert: true},
}

// TestAccCARotation_stagingSkipped: the late walk keeps a shared trust anchor
// across every boundary too (TestCARotationWarnings checks the warning).
func TestAccCARotation_stagingSkipped(t *testing.T) {
	t.Parallel()
	walkRotation(t, skippedStagingWalk, 98)
}

// walkRotation applies rotationConfig at each step's day of a fake clock that
// starts daysAgo days before now, then runs the rollout matrix.
func walkRotation(t *testing.T, walk []rotationStep, daysAgo int) {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Second).AddDate(0, 0, -daysAgo)
	clock := newFakeClock(start)
	dir := t.TempDir()
	keepGW := statecheck.CompareValue(compare.ValuesSame())
	keepPlugin := statecheck.CompareValue(compare.ValuesSame())
	var steps []resource.TestStep
	for i, s := range walk {
		checks := []statecheck.StateCheck{
			statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact(s.phase)),
			statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), bundleOf(s.bundle)),
			statecheck.CompareValuePairs("mcptls_gateway_cert.gw", tfjsonpath.New("trust_bundle_pem"), "mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), compare.ValuesSame()),
			statecheck.CompareValuePairs("mcptls_plugin_cert.p", tfjsonpath.New("trust_bundle_pem"), "mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), compare.ValuesSame()),
		}
		if s.phase == "staged" {
			checks = append(checks, statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_cert_pem"), bundleOf(1)))
		} else {
			checks = append(checks, statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_cert_pem"), knownvalue.Null()))
		}
		if s.leavesKeepTheCert {
			checks = append(checks,
				keepGW.AddStateValue("mcptls_gateway_cert.gw", tfjsonpath.New("cert_pem")),
				keepPlugin.AddStateValue("mcptls_plugin_cert.p", tfjsonpath.New("cert_pem")))
		} else {
			keepGW = statecheck.CompareValue(compare.ValuesSame())
			keepPlugin = statecheck.CompareValue(compare.ValuesSame())
			checks = append(checks,
				keepGW.AddStateValue("mcptls_gateway_cert.gw", tfjsonpath.New("cert_pem")),
				keepPlugin.AddStateValue("mcptls_plugin_cert.p", tfjsonpath.New("cert_pem")))
		}
		steps = append(steps, resource.TestStep{
			PreConfig: func() { clock.Set(start.AddDate(0, 0, s.day)) },
			Config:    rotationConfig,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", s.ca),
					plancheck.ExpectResourceAction("mcptls_gateway_cert.gw", s.leaves),
					plancheck.ExpectResourceAction("mcptls_plugin_cert.p", s.leaves),
					plancheck.ExpectResourceAction("mcptls_gateway_cert.rogue", map[bool]plancheck.ResourceActionType{true: plancheck.ResourceActionCreate, false: plancheck.ResourceActionNoop}[i == 0]),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: checks,
			Check:             snapshotApply(filepath.Join(dir, fmt.Sprint(i))),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(clock), Steps: steps})
	rolloutMatrix(t, walk, dir)
}

// snapshotApply writes each party's certificate, key and shipped bundle.
func snapshotApply(dir string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		for name, addr := range map[string]string{"gw": "mcptls_gateway_cert.gw", "p": "mcptls_plugin_cert.p", "rogue": "mcptls_gateway_cert.rogue"} {
			a := s.RootModule().Resources[addr].Primary.Attributes
			for ext, attr := range map[string]string{".crt": "cert_pem", ".key": "private_key_pem", ".ca.crt": "trust_bundle_pem"} {
				if err := os.WriteFile(filepath.Join(dir, name+ext), []byte(a[attr]), 0o600); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// rolloutMatrix connects, at every phase boundary, a gateway deployed from the
// apply before or after it with a plugin deployed from the apply before or
// after it: all four mixes must connect. A gateway of another CA must not.
func rolloutMatrix(t *testing.T, walk []rotationStep, dir string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the rollout matrix needs it")
	}
	type pyCase struct {
		Name           string `json:"name"`
		ServerCert     string `json:"server_cert"`
		ServerKey      string `json:"server_key"`
		ServerCA       string `json:"server_ca"`
		ClientCert     string `json:"client_cert"`
		ClientKey      string `json:"client_key"`
		ClientCA       string `json:"client_ca"`
		ServerHostname string `json:"server_hostname"`
		CheckHostname  bool   `json:"check_hostname"`
	}
	want := map[string]bool{}
	var cases []pyCase
	add := func(name, gwApply, gw, pApply string, ok bool) {
		g, p := filepath.Join(dir, gwApply), filepath.Join(dir, pApply)
		cases = append(cases, pyCase{
			Name:       name,
			ServerCert: filepath.Join(p, "p.crt"), ServerKey: filepath.Join(p, "p.key"), ServerCA: filepath.Join(p, "p.ca.crt"),
			ClientCert: filepath.Join(g, gw+".crt"), ClientKey: filepath.Join(g, gw+".key"), ClientCA: filepath.Join(g, gw+".ca.crt"),
			ServerHostname: "localhost", CheckHostname: true,
		})
		want[name] = ok
	}
	for i := 1; i < len(walk); i++ {
		before, after := walk[i-1], walk[i]
		if before.phase == after.phase {
			continue
		}
		boundary := before.phase + " -> " + after.phase
		for _, g := range []int{i - 1, i} {
			for _, p := range []int{i - 1, i} {
				add(fmt.Sprintf("%s: gateway of apply %d, plugin of apply %d", boundary, g, p), fmt.Sprint(g), "gw", fmt.Sprint(p), true)
			}
		}
		add(boundary+": a gateway of another CA", fmt.Sprint(i), "rogue", fmt.Sprint(i), false)
	}
	input, _ := json.Marshal(cases)
	cmd := exec.Command(python, "testdata/tls_peer.py")
	cmd.Stdin = bytes.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tls_peer.py: %v\n%s", err, out)
	}
	mixes, connected := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Name, Error string
			OK          bool
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if want[r.Name] {
			mixes++
			if r.OK {
				connected++
			}
		}
		if r.OK != want[r.Name] {
			t.Errorf("%s: connected=%v, want %v (%s)", r.Name, r.OK, want[r.Name], r.Error)
		}
	}
	t.Logf("rollout matrix: %d of %d mixes connected; %d foreign gateways refused", connected, mixes, len(cases)-mixes)
	if boundaries := 3; mixes != 4*boundaries {
		t.Errorf("%d mixes, want %d (%d boundaries x 4)", mixes, 4*boundaries, boundaries)
	}
}

// TestCARotationWarnings: a plan that moves the CA to another phase says so,
// and a staging window missed says how short the overlap becomes.
func TestCARotationWarnings(t *testing.T) {
	t.Parallel()
	set := map[string]tftypes.Value{
		"key_algorithm": tftypes.NewValue(tftypes.String, "ECDSA"), "validity_days": number(100),
		"early_renewal_days": number(10), "rotation_overlap_days": number(20),
	}
	clock := newFakeClock(t0)
	ca := newProtoResource(t, clock, NewCAResource, "mcptls_ca", set)
	ca.apply()
	clock.Set(t0.AddDate(0, 0, 69))
	if d := findWarning(ca.plan().Diagnostics, "CA rotation"); d != nil {
		t.Errorf("the day before staging: %s: %s", d.Summary, d.Detail)
	}
	clock.Set(t0.AddDate(0, 0, 70))
	planned := ca.apply()
	if findWarning(planned.Diagnostics, "CA rotation: staged", "the successor CA is created and trusted next to this one") == nil {
		t.Errorf("staging without its warning: %s", describeDiags(planned.Diagnostics))
	}
	if findWarning(planned.Diagnostics, "overlap is shorter") != nil {
		t.Errorf("staging on time warned of a short overlap: %s", describeDiags(planned.Diagnostics))
	}

	late := newProtoResource(t, clock, NewCAResource, "mcptls_ca", set)
	clock.Set(t0)
	late.apply()
	clock.Set(t0.AddDate(0, 0, 94))
	planned = late.apply()
	d := findWarning(planned.Diagnostics, "CA rotation staged late: the overlap is shorter than asked", "was missed", "trusted for 2 days 23 hours before it signs instead of the 20 days")
	if d == nil {
		t.Fatalf("a missed staging window without its warning: %s", describeDiags(planned.Diagnostics))
	}
	clock.Set(t0.AddDate(0, 0, 97))
	if findWarning(late.plan().Diagnostics, "CA rotation: promoted") == nil {
		t.Errorf("promotion 3 days after the late staging: %s", describeDiags(late.plan().Diagnostics))
	}
}
