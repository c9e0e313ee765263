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

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// rotationCA is a CA that stages its successor at day 70, promotes it at day
// 90 and retires itself at day 100; settings are more of its inputs.
func rotationCA(settings string) string {
	return `
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 100
  early_renewal_days    = 10
  rotation_overlap_days = 20
` + settings + `}
`
}

// rotationLeaves are a gateway and a plugin that ship the CA's trust bundle
// (leafSettings are more of their inputs), and a gateway from another CA.
func rotationLeaves(leafSettings string) string {
	return `
resource "mcptls_ca" "other" {
  key_algorithm = "ECDSA"
  validity_days = 365
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
` + leafSettings + `}

resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  url                = "https://localhost:8443/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
` + leafSettings + `}

resource "mcptls_gateway_cert" "rogue" {
  ca_cert_pem        = mcptls_ca.other.cert_pem
  ca_private_key_pem = mcptls_ca.other.private_key_pem
  key_algorithm      = "ECDSA"
}
`
}

var rotationConfig = rotationCA("") + rotationLeaves("  early_renewal_days = 2\n")

// rotationStep is one apply of a rotation walk: the day it runs (of the walk's
// fake clock), its configuration (the walk's when empty), what the plan does
// to the CA and to each leaf, and the phase and bundle size that follow.
type rotationStep struct {
	name              string
	day               float64
	config            string
	ca, leaves        plancheck.ResourceActionType
	phase             string
	bundle            int
	leavesKeepTheCert bool
	check             resource.TestCheckFunc
}

// rotationWalk is a sequence of applies on a fake clock that starts daysAgo
// days before now, so that the certificates the handshakes use are valid on
// the wall clock (every promotion happens before now, and no certificate used
// expires before now).
type rotationWalk struct {
	config  string
	daysAgo float64
	steps   []rotationStep
	// adopt, when set, makes a Makefile-style tree (openssl) at the walk's
	// start, which the first step imports; its files are apply 0 of the
	// rollout matrix.
	adopt *adoptedTree
}

// adoptedTree is the Makefile-style tree a walk adopts with the first step.
type adoptedTree struct {
	days int    // validity of every certificate in it, from the walk's start
	root string // filled in by walk
}

var scheduledWalk = rotationWalk{config: rotationConfig, daysAgo: 95, steps: []rotationStep{
	{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
	{name: "stable, the day before staging", day: 69, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "stable", bundle: 1, leavesKeepTheCert: true},
	{name: "staged", day: 70, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "staged, the day before promotion", day: 89, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
	{name: "promoted", day: 90, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 2},
	{name: "promoted, the day before the old CA expires", day: 99, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "promoted", bundle: 2, leavesKeepTheCert: true},
	{name: "retired", day: 100, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "stable", bundle: 1, leavesKeepTheCert: true},
}}

// TestAccCARotation walks a CA through its phases on the fake clock: at each
// step the plan does exactly what the phase asks (what is replaced, what is
// updated in place, what stays), and a plan after each apply is empty. Every
// apply's certificates are written out, and the rollout matrix then connects
// every mix of a gateway and a plugin deployed from the applies on either side
// of each change, with Python's ssl as the gateway and the plugin runtime set
// it up.
func TestAccCARotation(t *testing.T) {
	t.Parallel()
	walkRotation(t, scheduledWalk)
}

// TestAccCARotation_stagingSkipped: nobody applies between the issue and day
// 94, after the promotion point (day 90). The successor is staged then, with a
// warning, and signs after half the time left before the old CA expires (3
// days), so each of the two rollouts has 3 days; a shared trust anchor across
// every change all the same (TestCARotationWarnings checks the warning).
func TestAccCARotation_stagingSkipped(t *testing.T) {
	t.Parallel()
	walkRotation(t, rotationWalk{config: rotationConfig, daysAgo: 98, steps: []rotationStep{
		{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
		{name: "staged late", day: 94, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "staged, a day before promotion", day: 96, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "promoted", day: 97, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 2},
		{name: "retired", day: 100, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "stable", bundle: 1, leavesKeepTheCert: true},
	}})
}

// TestAccCARotation_settingChanges: inputs that need a new CA, changed at each
// phase, stage a successor made with them in place instead of replacing the
// CA: validity_days while stable, ecdsa_curve while staged (the successor is
// replaced and its overlap starts again), organization while promoted (a
// third CA joins the bundle). Leaves are replaced only when a successor signs;
// every mix of parties connects across every change.
func TestAccCARotation_settingChanges(t *testing.T) {
	t.Parallel()
	leaves := rotationLeaves("  early_renewal_days = 2\n")
	v90 := rotationCA("  validity_days = 90\n") + leaves
	v90 = strings.Replace(v90, "  validity_days         = 100\n", "", 1)
	p384 := strings.Replace(v90, `key_algorithm         = "ECDSA"`, "key_algorithm         = \"ECDSA\"\n  ecdsa_curve           = \"P384\"", 1)
	acme := strings.Replace(p384, `ecdsa_curve           = "P384"`, "ecdsa_curve           = \"P384\"\n  organization          = \"Acme\"", 1)
	caIs := func(attr, subject, curve string, days int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			cert, err := pki.ParseCertificate(s.RootModule().Resources["mcptls_ca.ca"].Primary.Attributes[attr])
			if err != nil {
				return err
			}
			spec, _ := pki.SpecOf(cert.PublicKey)
			if got := cert.Subject.String(); got != subject || spec.Curve != curve || cert.NotAfter.Sub(cert.NotBefore) != time.Duration(days)*24*time.Hour {
				return fmt.Errorf("%s is %q, %s, %v; want %q, %s, %d days", attr, got, spec.Curve, cert.NotAfter.Sub(cert.NotBefore), subject, curve, days)
			}
			return nil
		}
	}
	walkRotation(t, rotationWalk{config: rotationConfig, daysAgo: 95, steps: []rotationStep{
		{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
		{name: "validity_days changed while stable: staged", day: 5, config: v90, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true,
			check: caIs("next_cert_pem", "SERIALNUMBER=2,CN=ContextForge-CA,OU=Plugins,O=ContextForge", "P256", 90)},
		{name: "ecdsa_curve changed while staged: staged again", day: 15, config: p384, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 2, leavesKeepTheCert: true,
			check: caIs("next_cert_pem", "SERIALNUMBER=3,CN=ContextForge-CA,OU=Plugins,O=ContextForge", "P384", 90)},
		{name: "staged, the day before the new successor signs", day: 34, config: p384, ca: plancheck.ResourceActionNoop, leaves: plancheck.ResourceActionNoop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "promoted", day: 35, config: p384, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 2,
			check: caIs("cert_pem", "SERIALNUMBER=3,CN=ContextForge-CA,OU=Plugins,O=ContextForge", "P384", 90)},
		{name: "organization changed while promoted: staged next to both", day: 40, config: acme, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "staged", bundle: 3, leavesKeepTheCert: true,
			check: caIs("next_cert_pem", "SERIALNUMBER=4,CN=ContextForge-CA,OU=Plugins,O=Acme", "P384", 90)},
		{name: "promoted again", day: 60, config: acme, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionReplace, phase: "promoted", bundle: 3,
			check: caIs("cert_pem", "SERIALNUMBER=4,CN=ContextForge-CA,OU=Plugins,O=Acme", "P384", 90)},
		{name: "the first CA retired", day: 100, config: acme, ca: plancheck.ResourceActionUpdate, leaves: plancheck.ResourceActionUpdate, phase: "promoted", bundle: 2, leavesKeepTheCert: true},
	}})
}

// TestAccCARotation_leavesRenewEarlierThanTheCA: leaves whose renewal window
// (40 days) is longer than the CA's (10) are due at day 60, while a reissue
// could only end with the CA at day 100, inside that window: they wait (a
// warning says until when) instead of being reissued by every apply, and the
// promotion at day 90 reissues them.
func TestAccCARotation_leavesRenewEarlierThanTheCA(t *testing.T) {
	t.Parallel()
	config := rotationCA("") + rotationLeaves("  early_renewal_days = 40\n")
	noop, update, replace := plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate, plancheck.ResourceActionReplace
	walkRotation(t, rotationWalk{config: config, daysAgo: 95, steps: []rotationStep{
		{name: "stable", day: 0, ca: plancheck.ResourceActionCreate, leaves: plancheck.ResourceActionCreate, phase: "stable", bundle: 1},
		{name: "leaves due, waiting", day: 60, ca: noop, leaves: noop, phase: "stable", bundle: 1, leavesKeepTheCert: true, check: notReady("mcptls_gateway_cert.gw", "mcptls_plugin_cert.p")},
		{name: "staged, leaves still waiting", day: 70, ca: update, leaves: update, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "a day before promotion", day: 89, ca: noop, leaves: noop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "promoted: reissued by the successor", day: 90, ca: update, leaves: replace, phase: "promoted", bundle: 2},
		{name: "retired", day: 100, ca: update, leaves: update, phase: "stable", bundle: 1, leavesKeepTheCert: true},
	}})
}

// TestAccCARotation_makefileTree adopts a tree made the gateway Makefile's way
// (openssl; its gateway certificate is X.509 v1 without key identifiers) 25
// days before its CA expires, with the leaves in their renewal window. The
// first apply stages a successor late (the overlap is halved) and the leaves
// wait for it instead of being reissued by the old CA on every apply; the
// successor, a CA generation with a name of its own, signs; the old CA
// retires. Every mix of the adopted parties and the new ones connects (Python
// ssl) and verifies (openssl verify -purpose), which path building by name
// alone would break.
func TestAccCARotation_makefileTree(t *testing.T) {
	t.Parallel()
	config := `
resource "mcptls_ca" "ca" {
  key_algorithm = "RSA"
  rsa_bits      = 2048
  validity_days = 100
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
  validity_days      = 100
  cert_dir           = "TREE"
}
resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
  validity_days      = 100
  cert_dir           = "TREE"
}
resource "mcptls_gateway_cert" "rogue" {
  ca_cert_pem        = mcptls_ca.other.cert_pem
  ca_private_key_pem = mcptls_ca.other.private_key_pem
  key_algorithm      = "ECDSA"
}
`
	noop, update, replace := plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate, plancheck.ResourceActionReplace
	walkRotation(t, rotationWalk{config: config, daysAgo: 95, adopt: &adoptedTree{days: 100}, steps: []rotationStep{
		{name: "staged late, the leaves wait", day: 75, ca: update, leaves: update, phase: "staged", bundle: 2, leavesKeepTheCert: true,
			check: notReady("mcptls_gateway_cert.gw", "mcptls_plugin_cert.p")},
		{name: "a day before the successor signs", day: 86.5, ca: noop, leaves: noop, phase: "staged", bundle: 2, leavesKeepTheCert: true},
		{name: "promoted", day: 87.5, ca: update, leaves: replace, phase: "promoted", bundle: 2},
		{name: "promoted, now", day: 95, ca: noop, leaves: noop, phase: "promoted", bundle: 2, leavesKeepTheCert: true},
		{name: "retired", day: 100, ca: update, leaves: update, phase: "stable", bundle: 1, leavesKeepTheCert: true},
	}})
}

// notReady checks ready_for_renewal is false: the next plan replaces nothing.
func notReady(addrs ...string) resource.TestCheckFunc {
	var checks []resource.TestCheckFunc
	for _, a := range addrs {
		checks = append(checks, resource.TestCheckResourceAttr(a, "ready_for_renewal", "false"))
	}
	return resource.ComposeTestCheckFunc(checks...)
}

// bundleOf checks how many certificates a PEM bundle holds.
func bundleOf(n int) knownvalue.Check {
	return knownvalue.StringRegexp(regexp.MustCompile(`^(?s)(-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n){` + fmt.Sprint(n) + `}$`))
}

// walkRotation applies the walk's steps, then runs the rollout matrix on
// every apply's files.
func walkRotation(t *testing.T, w rotationWalk) {
	t.Helper()
	start := time.Now().UTC().Truncate(time.Second).Add(-time.Duration(w.daysAgo * float64(24*time.Hour)))
	at := func(day float64) time.Time { return start.Add(time.Duration(day * float64(24*time.Hour))) }
	clock := newFakeClock(start)
	dir := t.TempDir()
	keepGW := statecheck.CompareValue(compare.ValuesSame())
	keepPlugin := statecheck.CompareValue(compare.ValuesSame())
	var steps []resource.TestStep
	snapshots := 0
	if w.adopt != nil {
		// Import blocks (Terraform and OpenTofu >= 1.5), as the README adopts a
		// tree: the first step imports and applies; later they are no-ops.
		w.adopt.root = filepath.Join(dir, "tree", "certs", "mcp")
		makefileTreeAt(t, w.adopt.root, start, w.adopt.days)
		w.config = strings.ReplaceAll(w.config, "TREE", w.adopt.root)
		for _, imp := range []struct{ addr, sub string }{{"mcptls_ca.ca", "ca"}, {"mcptls_gateway_cert.gw", "gateway"}, {"mcptls_plugin_cert.p", "plugins/DenyListPlugin"}} {
			w.config += fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", imp.addr, filepath.Join(w.adopt.root, imp.sub))
		}
		snapshotTree(t, w.adopt.root, filepath.Join(dir, "0"))
		snapshots = 1
	}
	for i, s := range w.steps {
		config := s.config
		if config == "" {
			config = w.config
		}
		config = strings.ReplaceAll(config, "TREE", filepath.Join(dir, "tree", "certs", "mcp"))
		checks := []statecheck.StateCheck{
			statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact(s.phase)),
			statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), bundleOf(s.bundle)),
			statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("ready_for_renewal"), knownvalue.Bool(false)),
			statecheck.CompareValuePairs("mcptls_gateway_cert.gw", tfjsonpath.New("trust_bundle_pem"), "mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), compare.ValuesSame()),
			statecheck.CompareValuePairs("mcptls_plugin_cert.p", tfjsonpath.New("trust_bundle_pem"), "mcptls_ca.ca", tfjsonpath.New("trust_bundle_pem"), compare.ValuesSame()),
		}
		if s.phase == "staged" {
			checks = append(checks, statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_cert_pem"), bundleOf(1)))
		} else {
			checks = append(checks, statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("next_cert_pem"), knownvalue.Null()))
		}
		if !s.leavesKeepTheCert {
			keepGW = statecheck.CompareValue(compare.ValuesSame())
			keepPlugin = statecheck.CompareValue(compare.ValuesSame())
		}
		checks = append(checks,
			keepGW.AddStateValue("mcptls_gateway_cert.gw", tfjsonpath.New("cert_pem")),
			keepPlugin.AddStateValue("mcptls_plugin_cert.p", tfjsonpath.New("cert_pem")))
		first := i == 0
		check := snapshotApply(filepath.Join(dir, fmt.Sprint(snapshots+i)))
		if s.check != nil {
			check = resource.ComposeTestCheckFunc(s.check, check)
		}
		steps = append(steps, resource.TestStep{
			PreConfig: func() { clock.Set(at(s.day)) },
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("mcptls_ca.ca", s.ca),
					plancheck.ExpectResourceAction("mcptls_gateway_cert.gw", s.leaves),
					plancheck.ExpectResourceAction("mcptls_plugin_cert.p", s.leaves),
					plancheck.ExpectResourceAction("mcptls_gateway_cert.rogue", map[bool]plancheck.ResourceActionType{true: plancheck.ResourceActionCreate, false: plancheck.ResourceActionNoop}[first]),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: checks,
			Check:             check,
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(clock), Steps: steps})
	var changes []int // applies that changed something, by snapshot
	for i, s := range w.steps {
		if i+snapshots > 0 && s.ca != plancheck.ResourceActionNoop {
			changes = append(changes, i+snapshots)
		}
	}
	rolloutMatrix(t, dir, changes)
	if w.adopt != nil {
		verifyMatrix(t, dir, changes)
	}
}

// snapshotApply writes each party's certificate, key and shipped bundle.
func snapshotApply(dir string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		files := map[string]string{}
		for name, addr := range map[string]string{"gw": "mcptls_gateway_cert.gw", "p": "mcptls_plugin_cert.p", "rogue": "mcptls_gateway_cert.rogue"} {
			a := s.RootModule().Resources[addr].Primary.Attributes
			for ext, attr := range map[string]string{".crt": "cert_pem", ".key": "private_key_pem", ".ca.crt": "trust_bundle_pem"} {
				files[name+ext] = a[attr]
			}
		}
		return writeFiles(dir, files)
	}
}

// snapshotTree lays an adopted tree's files out as snapshotApply does.
func snapshotTree(t *testing.T, root, dir string) {
	t.Helper()
	files := map[string]string{}
	for name, from := range map[string]string{"gw": "gateway/client", "p": "plugins/DenyListPlugin/server"} {
		for ext, file := range map[string]string{".crt": from + ".crt", ".key": from + ".key", ".ca.crt": filepath.Join(filepath.Dir(from), "ca.crt")} {
			data, err := os.ReadFile(filepath.Join(root, file))
			if err != nil {
				t.Fatal(err)
			}
			files[name+ext] = string(data)
		}
	}
	if err := writeFiles(dir, files); err != nil {
		t.Fatal(err)
	}
}

// rolloutMatrix connects, across every apply that changed something, a
// gateway deployed from the apply before or after it with a plugin deployed
// from the apply before or after it: all four mixes must connect. A gateway
// of another CA must not.
func rolloutMatrix(t *testing.T, dir string, changes []int) {
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
	add := func(name string, gwApply int, gw string, pApply int, ok bool) {
		g, p := filepath.Join(dir, fmt.Sprint(gwApply)), filepath.Join(dir, fmt.Sprint(pApply))
		cases = append(cases, pyCase{
			Name:       name,
			ServerCert: filepath.Join(p, "p.crt"), ServerKey: filepath.Join(p, "p.key"), ServerCA: filepath.Join(p, "p.ca.crt"),
			ClientCert: filepath.Join(g, gw+".crt"), ClientKey: filepath.Join(g, gw+".key"), ClientCA: filepath.Join(g, gw+".ca.crt"),
			ServerHostname: "localhost", CheckHostname: true,
		})
		want[name] = ok
	}
	for _, i := range changes {
		for _, g := range []int{i - 1, i} {
			for _, p := range []int{i - 1, i} {
				add(fmt.Sprintf("apply %d: gateway of apply %d, plugin of apply %d", i, g, p), g, "gw", p, true)
			}
		}
		add(fmt.Sprintf("apply %d: a gateway of another CA", i), i, "rogue", i, false)
	}
	input, _ := json.Marshal(cases)
	cmd := exec.Command(python, "testdata/tls_peer.py")
	cmd.Stdin = bytes.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tls_peer.py: %v\n%s", err, out)
	}
	mixes, connected, results := 0, 0, 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r struct {
			Name, Error string
			OK          bool
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results++
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
	t.Logf("rollout matrix: %d of %d mixes connected across %d changes; %d foreign gateways refused", connected, mixes, len(changes), results-mixes)
	if mixes != 4*len(changes) || results != len(cases) {
		t.Errorf("%d mixes and %d results, want %d mixes (%d changes x 4) and %d results", mixes, results, 4*len(changes), len(changes), len(cases))
	}
}

// verifyMatrix runs openssl verify, as the gateway's Makefile checks its tree,
// on every certificate of the applies on either side of each change against
// every bundle of them, for the certificate's purpose.
func verifyMatrix(t *testing.T, dir string, changes []int) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: the verify matrix needs it")
	}
	runs := 0
	for _, i := range changes {
		for _, certApply := range []int{i - 1, i} {
			for _, bundleApply := range []int{i - 1, i} {
				for party, purpose := range map[string]string{"gw": "sslclient", "p": "sslserver"} {
					for _, bundleOf := range []string{"gw", "p"} {
						cert := filepath.Join(dir, fmt.Sprint(certApply), party+".crt")
						bundle := filepath.Join(dir, fmt.Sprint(bundleApply), bundleOf+".ca.crt")
						out, err := exec.Command(openssl, "verify", "-purpose", purpose, "-CAfile", bundle, cert).CombinedOutput()
						runs++
						if err != nil {
							t.Errorf("apply %d: openssl verify -purpose %s of the %s certificate of apply %d against the %s bundle of apply %d: %v\n%s",
								i, purpose, party, certApply, bundleOf, bundleApply, err, out)
						}
					}
				}
			}
		}
		out, err := exec.Command(openssl, "verify", "-purpose", "sslclient", "-CAfile", filepath.Join(dir, fmt.Sprint(i), "p.ca.crt"),
			filepath.Join(dir, fmt.Sprint(i), "rogue.crt")).CombinedOutput()
		if err == nil {
			t.Errorf("apply %d: a gateway of another CA verifies: %s", i, out)
		}
	}
	t.Logf("verify matrix: %d openssl verify runs across %d changes", runs, len(changes))
}

// makefileTreeAt writes a certs/mcp tree under root as the gateway's Makefile
// lays it out (openssl; a CA with CA:TRUE and key identifiers, an X.509 v1
// gateway certificate, a plugin certificate whose only extension is its SANs),
// every certificate valid for days from start, exactly. openssl ca sets the
// dates (req -x509 cannot backdate before OpenSSL 3.4). Names are written O,
// OU, CN, the order crypto/x509 writes them in, so that the CA's name is the
// very name a successor with the same inputs would have if generations did not
// differ (the Makefile writes CN first, which OpenSSL's name comparison, order
// and all, would tell apart by accident). Keys: RSA-2048 for the CA, P-256 for
// leaves. It skips the test when openssl is missing.
func makefileTreeAt(t *testing.T, root string, start time.Time, days int) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed: the Makefile tree needs it")
	}
	at := func(name string) string { return filepath.Join(root, name) }
	stamp := func(tm time.Time) string { return tm.UTC().Format("20060102150405Z") }
	files := map[string]string{
		"db/index.txt": "", "db/serial": "1000\n",
		"openssl.cnf": "[ca]\ndefault_ca = mk\n[mk]\ndatabase = " + at("db/index.txt") + "\nserial = " + at("db/serial") + "\nnew_certs_dir = " + at("db") +
			"\ndefault_md = sha256\npolicy = any\nunique_subject = no\ncopy_extensions = none\n[any]\norganizationName = optional\norganizationalUnitName = optional\ncommonName = supplied\n" +
			"[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n" +
			"[v3_ca]\nbasicConstraints = critical,CA:TRUE\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always,issuer\n",
		"plugins/DenyListPlugin/server.ext": "subjectAltName = DNS:DenyListPlugin, DNS:mcp-plugin-DenyListPlugin, DNS:localhost\n",
	}
	for _, d := range []string{"db", "ca", "gateway", "plugins/DenyListPlugin"} {
		if err := os.MkdirAll(at(d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		if err := os.WriteFile(at(name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	dates := []string{"-startdate", stamp(start), "-enddate", stamp(start.AddDate(0, 0, days))}
	run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", at("ca/ca.key"), "-out", at("ca/ca.csr"),
		"-subj", "/CN=ContextForge-CA/O=ContextForge/OU=Plugins", "-config", at("openssl.cnf"))
	run(append([]string{"ca", "-batch", "-config", at("openssl.cnf"), "-selfsign", "-keyfile", at("ca/ca.key"), "-in", at("ca/ca.csr"),
		"-out", at("ca/ca.crt"), "-extensions", "v3_ca", "-notext"}, dates...)...)
	leaf := func(dir, certName, subject, extfile string) {
		key, csr, crt := at(dir+"/"+certName+".key"), at(dir+"/"+certName+".csr"), at(dir+"/"+certName+".crt")
		run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr,
			"-subj", subject, "-config", at("openssl.cnf"))
		args := append([]string{"ca", "-batch", "-config", at("openssl.cnf"), "-cert", at("ca/ca.crt"), "-keyfile", at("ca/ca.key"),
			"-in", csr, "-out", crt, "-notext"}, dates...)
		if extfile != "" {
			args = append(args, "-extfile", at(extfile))
		}
		run(args...)
		ca, err := os.ReadFile(at("ca/ca.crt"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(at(dir+"/ca.crt"), ca, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	leaf("gateway", "client", "/CN=mcp-gateway-client/O=MCPGateway/OU=Gateway", "")
	leaf("plugins/DenyListPlugin", "server", "/CN=mcp-plugin-DenyListPlugin/O=MCPGateway/OU=Plugins", "plugins/DenyListPlugin/server.ext")
	gw, err := os.ReadFile(at("gateway/client.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if cert, err := pki.ParseCertificate(string(gw)); err != nil || cert.Version != 1 || len(cert.AuthorityKeyId) != 0 {
		t.Fatalf("the tree's gateway certificate is not X.509 v1 without key identifiers: %v", err)
	}
}

// TestCARotationWarnings: a plan that moves the CA to another phase says so,
// a staging window missed says how short the overlap becomes, and staging a
// little after the window opened, when the whole overlap still fits, is not
// called late.
func TestCARotationWarnings(t *testing.T) {
	t.Parallel()
	set := map[string]tftypes.Value{
		"key_algorithm": tftypes.NewValue(tftypes.String, "ECDSA"), "validity_days": number(100),
		"early_renewal_days": number(10), "rotation_overlap_days": number(20),
	}
	clock := newFakeClock(t0)
	ca := newProtoResource(t, clock, NewCAResource, "mcptls_ca", set)
	ca.apply()
	end := t0.Add(-pki.ClockSkewMargin).AddDate(0, 0, 100)
	clock.Set(end.AddDate(0, 0, -30).Add(-time.Second))
	if d := findWarning(ca.plan().Diagnostics, "CA rotation"); d != nil {
		t.Errorf("the second before staging: %s: %s", d.Summary, d.Detail)
	}
	clock.Set(end.AddDate(0, 0, -30).Add(144 * time.Minute)) // 2.4 hours into the window
	planned := ca.apply()
	if findWarning(planned.Diagnostics, "CA rotation: staged", "the successor CA is created and trusted next to this one") == nil {
		t.Errorf("staging without its warning: %s", describeDiags(planned.Diagnostics))
	}
	if findWarning(planned.Diagnostics, "overlap is shorter") != nil {
		t.Errorf("staging 2.4 hours into the window warned of a short overlap: %s", describeDiags(planned.Diagnostics))
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

	// An input that needs a new CA: the plan names it and says when the successor signs.
	changed := newProtoResource(t, clock, NewCAResource, "mcptls_ca", set)
	clock.Set(t0)
	changed.apply()
	changed.config = changed.with("validity_days", number(90))
	clock.Set(t0.AddDate(0, 0, 5))
	planned = changed.apply()
	signs := t0.AddDate(0, 0, 25).Format(time.RFC3339)
	if findWarning(planned.Diagnostics, "CA rotation: staged (validity_days)", "A new CA is needed for validity_days", "it signs from "+signs) == nil {
		t.Errorf("a setting change without its warning: %s", describeDiags(planned.Diagnostics))
	}
}

// TestAccReadyForRenewal: ready_for_renewal, set by refresh, says whether the
// next plan gives the certificate a new one: a due leaf whose reissue would
// outlive its window (true), a due leaf that waits for the CA's successor
// (false), a CA whose successor is due to sign (true).
func TestAccReadyForRenewal(t *testing.T) {
	t.Parallel()
	config := rotationCA("") + `
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
  early_renewal_days = 40
}
resource "mcptls_plugin_cert" "p" {
  name               = "DenyListPlugin"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  trust_bundle_pem   = mcptls_ca.ca.trust_bundle_pem
  key_algorithm      = "ECDSA"
  validity_days      = 10
  early_renewal_days = 2
}
`
	start := t0
	clock := newFakeClock(start)
	ready := func(ca, gw, p bool) resource.TestCheckFunc {
		return resource.ComposeTestCheckFunc(
			resource.TestCheckResourceAttr("mcptls_ca.ca", "ready_for_renewal", fmt.Sprint(ca)),
			resource.TestCheckResourceAttr("mcptls_gateway_cert.gw", "ready_for_renewal", fmt.Sprint(gw)),
			resource.TestCheckResourceAttr("mcptls_plugin_cert.p", "ready_for_renewal", fmt.Sprint(p)))
	}
	day := func(n int) func() { return func() { clock.Set(start.AddDate(0, 0, n)) } }
	noop, update, replace := plancheck.ResourceActionNoop, plancheck.ResourceActionUpdate, plancheck.ResourceActionReplace
	actions := func(ca, gw, p plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("mcptls_ca.ca", ca),
				plancheck.ExpectResourceAction("mcptls_gateway_cert.gw", gw), plancheck.ExpectResourceAction("mcptls_plugin_cert.p", p)},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		}
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: factories(clock), Steps: []resource.TestStep{
		{Config: config, Check: ready(false, false, false)},
		{PreConfig: day(8), RefreshState: true, ExpectNonEmptyPlan: true, Check: ready(false, false, true)},
		{PreConfig: day(8), Config: config, ConfigPlanChecks: actions(noop, noop, replace), Check: ready(false, false, false)},
		{PreConfig: day(65), RefreshState: true, ExpectNonEmptyPlan: true, Check: ready(false, false, true)},
		{PreConfig: day(65), Config: config, ConfigPlanChecks: actions(noop, noop, replace), Check: ready(false, false, false)},
		{PreConfig: day(70), Config: config, ConfigPlanChecks: actions(update, update, update), Check: ready(false, false, false)},
		// The successor signs: the plan that promotes it replaces both leaves.
		{PreConfig: day(90), RefreshState: true, ExpectNonEmptyPlan: true, Check: ready(true, true, true)},
		{PreConfig: day(90), Config: config, ConfigPlanChecks: actions(update, replace, replace), Check: ready(false, false, false)},
	}})
}

// TestAccCASettingUnknownAtPlan: an existing CA whose setting comes from a
// resource that changes in the same apply is refused at plan, naming the
// setting and the way out, instead of an apply that would decide otherwise
// than its plan ("Provider produced inconsistent final plan"). Known at plan,
// the same change stages a successor.
func TestAccCASettingUnknownAtPlan(t *testing.T) {
	t.Parallel()
	config := func(org, expr string) string {
		return fmt.Sprintf(`
resource "terraform_data" "org" {
  input = %q
}
resource "mcptls_ca" "ca" {
  key_algorithm         = "ECDSA"
  validity_days         = 100
  early_renewal_days    = 10
  rotation_overlap_days = 20
  organization          = %s
}
`, org, expr)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{Config: config("A", "terraform_data.org.output")},
			{Config: config("B", "terraform_data.org.output"), ExpectError: regexp.MustCompile(`(?s)CA setting not known at plan.*organization of this existing CA will only be known at apply.*-target`)},
			{Config: config("B", `"B"`), ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("mcptls_ca.ca", plancheck.ResourceActionUpdate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			}, ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("mcptls_ca.ca", tfjsonpath.New("rotation_phase"), knownvalue.StringExact("staged")),
			}},
		},
	})
}
