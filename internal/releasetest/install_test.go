package releasetest

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/releasetest/registry"
)

// lockPlatforms are the platforms `providers lock` records besides this
// machine's: what a team on Linux, macOS and Windows commits.
var lockPlatforms = []string{"darwin_amd64", "darwin_arm64", "linux_arm64", "windows_amd64"}

// testInstall: the quickstart, with its sources naming the loopback registry
// and a version constraint, installs from it (the signature checked: the CLI
// names the key, "self-signed" in Terraform's words, "signed" in OpenTofu's), writes a lock file with the hashes the release defines,
// applies, plans empty; `providers lock` then records every platform asked.
func testInstall(t *testing.T, s *suite, e *engine, dir string) {
	reg := s.startRegistry(t, s.old.registryRelease(s.signer), s.cur.registryRelease(s.signer), s.local)
	copyExamples(t, s.cur.src, dir, reg.Host)
	w := newWorkspace(t, e, filepath.Join(dir, "quickstart"), directInstall, s.cert.caFile)
	constraint := "~> " + s.cur.version
	w.write("release_override.tf", requireProviders(map[string][2]string{
		"mcptls": {mcptlsAddr(reg.Host), constraint},
		"local":  {reg.Host + "/hashicorp/local", localVersion},
	}))

	out := w.must("init", "-input=false")
	for _, want := range []string{mcptlsAddr(reg.Host) + " v" + s.cur.version, "signed, key ID " + s.signer.keyID() + ")"} {
		if !says(out, want) {
			t.Errorf("init does not say %q:\n%s", want, out)
		}
	}
	lock := w.lockFile()
	checkLocked(t, lock, mcptlsAddr(reg.Host), s.cur.version, constraint, s.wantHashes(t, s.cur, s.host))
	checkLocked(t, lock, reg.Host+"/hashicorp/local", localVersion, localVersion, s.localHashes(t))

	vars := []string{"-input=false", "-var", "key_algorithm=ECDSA"}
	w.must(append([]string{"apply", "-auto-approve"}, vars...)...)
	for _, f := range []string{"certs/mcp/ca/ca.crt", "certs/mcp/gateway/client.key"} {
		if _, err := os.Stat(w.path(f)); err != nil {
			t.Errorf("the quickstart's apply did not write %s: %v", f, err)
		}
	}
	if out, code := w.run(append([]string{"plan", "-detailed-exitcode"}, vars...)...); code != 0 {
		t.Errorf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}

	args := []string{"providers", "lock"}
	for _, p := range append([]string{s.host}, lockPlatforms...) {
		args = append(args, "-platform="+p)
	}
	w.must(append(args, mcptlsAddr(reg.Host))...)
	checkLocked(t, w.lockFile(), mcptlsAddr(reg.Host), s.cur.version, constraint,
		s.wantHashes(t, s.cur, append([]string{s.host}, lockPlatforms...)...))
}

// localHashes is what the lock file should hold for hashicorp/local, served for
// this platform alone.
func (s *suite) localHashes(t *testing.T) []string {
	t.Helper()
	prefix := filepath.Join(s.local.Dir, "terraform-provider-local_"+localVersion+"_")
	b, err := os.ReadFile(prefix + "SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	sums, err := registry.ParseSHA256SUMS(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := WantHashes(sums, map[string]string{s.host: prefix + s.host + ".zip"}, s.host)
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// checkLocked: the lock file pins the version and constraint and holds exactly
// the hashes wanted.
func checkLocked(t *testing.T, lock map[string]Locked, addr, version, constraints string, hashes []string) {
	t.Helper()
	got, ok := lock[addr]
	if !ok {
		t.Errorf("the lock file has no %s", addr)
		return
	}
	if got.Version != version || got.Constraints != constraints {
		t.Errorf("%s locked at %s (%q), want %s (%q)", addr, got.Version, got.Constraints, version, constraints)
	}
	if !slices.Equal(got.Hashes, hashes) {
		t.Errorf("%s hashes in the lock file:\n%s\nwant (zh: of every file the signed SHA256SUMS lists, h1: of each platform installed or locked):\n%s",
			addr, quoteLines(got.Hashes), quoteLines(hashes))
	}
}
