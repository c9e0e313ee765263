package releasetest

import (
	"context"
	"crypto/tls"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/releasetest/registry"
)

// The earlier release the upgrade starts from: the commit main landed at on
// 2026-11-24 with issues 5 and 6 (CI green), which users could have had.
// Its schema predates CA rotation (mcptls_ca at schema version 0) and the
// transport-aware env maps (no PLUGINS_TRANSPORT), so the upgrade has state to
// upgrade and derived values to recompute. Its code is built with today's
// release configuration: its own listed the signature in SHA256SUMS after
// signing, so that release would have failed every install.
const (
	earlierCommit  = "0fce9771121accfb7782f2e626fccdd0c93e0b4a"
	earlierVersion = "0.1.0"
)

// hashicorp/local as the quickstart needs it: the binary make local-provider
// go-installs from v2.9.0's release commit (GNUmakefile's LOCAL_PROVIDER_VERSION),
// served by the same registry under hashicorp/local, signed with the same
// throwaway key. Its manifest is the one hashicorp/local ships (protocol 5).
const (
	localVersion  = "2.9.0"
	localManifest = `{"version": 1, "metadata": {"protocol_versions": ["5.0"]}}`
)

// suite is what every engine's checks share: the releases, the signer, the
// registry's certificate and the CA file clients trust.
type suite struct {
	signer   *signer
	cur, old *release
	local    registry.Release
	cert     registryCert
	host     string // this machine's platform, "linux_amd64"
	tampered map[string]string
}

// TestRelease is make release-check: a dry release of every platform, signed
// and verified; then, on each engine of MCPTLS_RELEASE_ENGINES, an install
// from a loopback registry with the quickstart applied, several platforms
// locked and tampered packages refused; an upgrade from the earlier release;
// an install from a filesystem mirror.
func TestRelease(t *testing.T) {
	if os.Getenv("MCPTLS_RELEASE_CHECK") != "1" {
		t.Skip("builds every platform and runs Terraform and OpenTofu against a loopback registry: make release-check runs it (MCPTLS_RELEASE_CHECK=1)")
	}
	goreleaser := requireEnv(t, "MCPTLS_GORELEASER")
	localBin := requireEnv(t, "MCPTLS_LOCAL_PROVIDER")
	engines, err := parseEngines(requireEnv(t, "MCPTLS_RELEASE_ENGINES"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if os.Getenv("MCPTLS_RELEASE_KEEP") != "" {
		// Kept for a look after the run, so not t.TempDir, which the test removes.
		if work, err = os.MkdirTemp("", "mcptls-release-"); err != nil { //nolint:usetesting // kept on purpose
			t.Fatal(err)
		}
		t.Logf("keeping everything under %s", work)
	}
	in := readInputs(t)
	s := &suite{signer: newSigner(t, work), host: runtime.GOOS + "_" + runtime.GOARCH}

	s.buildReleases(t, in, goreleaser, work)
	if !t.Run("release", func(t *testing.T) { verifyRelease(t, s.cur, s.signer, in.top.Notes) }) {
		t.FailNow()
	}
	s.packLocal(t, localBin, filepath.Join(work, "local"))
	s.cert = newRegistryCert(t, work)
	s.tampered = prepareTampered(t, s, filepath.Join(work, "tampered"))

	t.Run("engines", func(t *testing.T) {
		for _, e := range engines {
			t.Run(e.String(), func(t *testing.T) {
				t.Parallel()
				t.Run("install", func(t *testing.T) { testInstall(t, s, e, filepath.Join(work, e.name, "install")) })
				t.Run("tampered", func(t *testing.T) { testTampered(t, s, e, filepath.Join(work, e.name, "tampered")) })
				t.Run("upgrade", func(t *testing.T) { testUpgrade(t, s, e, filepath.Join(work, e.name, "upgrade")) })
				t.Run("mirror", func(t *testing.T) { testMirror(t, s, e, filepath.Join(work, e.name, "mirror")) })
			})
		}
	})
}

// inputs is what the releases are made from, read from the repository's HEAD.
type inputs struct {
	repo, head    string
	top           Entry  // CHANGELOG.md's top entry: the version and notes of HEAD's release
	earlierNotes  string // CHANGELOG.md's entry for earlierVersion
	releaseConfig []byte // HEAD's .goreleaser.yml
}

func readInputs(t *testing.T) inputs {
	t.Helper()
	var in inputs
	var err error
	if in.repo, err = gitOutput(".", "rev-parse", "--show-toplevel"); err != nil {
		t.Fatal(err)
	}
	if in.head, err = gitOutput(in.repo, "rev-parse", "HEAD"); err != nil {
		t.Fatal(err)
	}
	if dirty, _ := gitOutput(in.repo, "status", "--porcelain", "--untracked-files=no"); dirty != "" {
		t.Logf("the release is built from HEAD %s; uncommitted changes are not in it:\n%s", in.head[:12], dirty)
	}
	cfg, err := gitOutput(in.repo, "show", in.head+":.goreleaser.yml")
	if err != nil {
		t.Fatal(err)
	}
	in.releaseConfig = []byte(cfg)
	changelog, err := gitOutput(in.repo, "show", in.head+":CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ParseChangelog(changelog)
	if err != nil {
		t.Fatal(err)
	}
	in.top = entries[0]
	for _, e := range entries {
		if e.Version.String() == earlierVersion {
			in.earlierNotes = e.Notes
		}
	}
	if in.earlierNotes == "" {
		t.Fatalf("CHANGELOG.md has no %s entry for the earlier release", earlierVersion)
	}
	if _, err := gitOutput(in.repo, "cat-file", "-e", earlierCommit+"^{commit}"); err != nil {
		t.Fatalf("the earlier release's commit %s is not in this clone (a shallow clone?): %v", earlierCommit, err)
	}
	return in
}

// buildReleases runs both goreleaser pipelines at once: HEAD for every
// platform, the earlier release for this machine's only.
func (s *suite) buildReleases(t *testing.T, in inputs, goreleaser, work string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var curErr, oldErr error
	var curTook, oldTook time.Duration
	wg.Add(2)
	go func() {
		defer wg.Done()
		v := in.top.Version.String()
		s.cur, curTook, curErr = buildRelease(ctx, buildOptions{repo: in.repo, commit: in.head, version: v, notes: in.top.Notes,
			goreleaser: goreleaser, signer: s.signer, dir: filepath.Join(work, "build-"+v)})
	}()
	go func() {
		defer wg.Done()
		s.old, oldTook, oldErr = buildRelease(ctx, buildOptions{repo: in.repo, commit: earlierCommit, version: earlierVersion, notes: in.earlierNotes,
			goreleaser: goreleaser, signer: s.signer, hostConfig: in.releaseConfig, dir: filepath.Join(work, "build-"+earlierVersion)})
	}()
	wg.Wait()
	if curErr != nil || oldErr != nil {
		t.Fatalf("goreleaser:\n%v\n%v", curErr, oldErr)
	}
	t.Logf("goreleaser built %s (every platform) in %.0f s and %s (%s) in %.0f s, side by side",
		s.cur.version, curTook.Seconds(), s.old.version, s.host, oldTook.Seconds())
}

// packLocal makes the hashicorp/local release the quickstart installs.
func (s *suite) packLocal(t *testing.T, bin, dir string) {
	t.Helper()
	s.local = registry.Release{Namespace: "hashicorp", Type: "local", Version: localVersion, Dir: dir, SigningKey: s.signer.publicKey}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := registry.Pack(dir, "local", localVersion, map[registry.Platform]string{{OS: runtime.GOOS, Arch: runtime.GOARCH}: bin},
		[]byte(localManifest), s.signer.sign); err != nil {
		t.Fatal(err)
	}
}

func requireEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set (make release-check sets it)", name)
	}
	return v
}

// registryCert is the registries' HTTPS certificate and the CA file clients
// trust through SSL_CERT_FILE.
type registryCert struct {
	tls    tls.Certificate
	caFile string
}

func newRegistryCert(t *testing.T, dir string) registryCert {
	t.Helper()
	cert, caPEM, err := registry.LoopbackCertificate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := registryCert{tls: cert, caFile: filepath.Join(dir, "registry-ca.pem")}
	if err := os.WriteFile(c.caFile, []byte(caPEM), 0o644); err != nil {
		t.Fatal(err)
	}
	return c
}

// startRegistry serves the releases on 127.0.0.1 until the test ends.
func (s *suite) startRegistry(t *testing.T, releases ...registry.Release) *registry.Server {
	t.Helper()
	srv, err := registry.Start(s.cert.tls)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for _, r := range releases {
		if err := srv.Publish(r); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

func (s *suite) wantHashes(t *testing.T, r *release, platforms ...string) []string {
	t.Helper()
	sums, err := r.sums()
	if err != nil {
		t.Fatal(err)
	}
	zips, err := r.zips()
	if err != nil {
		t.Fatal(err)
	}
	want, err := WantHashes(sums, zips, platforms...)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

func mcptlsAddr(host string) string { return host + "/mcptls/mcptls" }

func quoteLines(lines []string) string { return "  " + strings.Join(lines, "\n  ") }
