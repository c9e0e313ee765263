package releasetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// testMirror: `providers mirror` copies the release from the registry, byte for
// byte, into the packed layout; a configuration whose CLI config names only that
// filesystem mirror then installs from it with the registry offline and not
// asked once. The lock file written against the registry is accepted as it is
// (the mirror's zips have the signed hashes); a new lock file made from the
// mirror alone holds only what the mirror can vouch for.
func testMirror(t *testing.T, s *suite, e *engine, dir string) {
	reg := s.startRegistry(t, s.cur.registryRelease(s.signer))
	config := requireProviders(map[string][2]string{"mcptls": {mcptlsAddr(reg.Host), "~> " + s.cur.version}})
	src := newWorkspace(t, e, filepath.Join(dir, "online"), directInstall, s.cert.caFile)
	src.write("main.tf", config)
	src.must("init", "-input=false")
	lock, err := os.ReadFile(src.path(".terraform.lock.hcl"))
	if err != nil {
		t.Fatal(err)
	}

	mirror := filepath.Join(dir, "mirror")
	platforms := []string{s.host, "darwin_arm64", "windows_amd64"}
	args := []string{"providers", "mirror"}
	for _, p := range platforms {
		args = append(args, "-platform="+p)
	}
	src.must(append(args, mirror)...)
	for _, p := range platforms {
		name := s.cur.prefix() + "_" + p + ".zip"
		got, err := os.ReadFile(filepath.Join(mirror, reg.Host, "mcptls", "mcptls", name))
		if err != nil {
			t.Errorf("the mirror has no %s: %v", name, err)
			continue
		}
		if want, _ := os.ReadFile(s.cur.file(p + ".zip")); !bytes.Equal(got, want) {
			t.Errorf("the mirror's %s differs from the release's", name)
		}
	}

	reg.SetOffline(true)
	asked := reg.Requests()
	air := newWorkspace(t, e, filepath.Join(dir, "airgapped"), mirrorOnly(mirror), s.cert.caFile)
	air.write("main.tf", config)
	air.write(".terraform.lock.hcl", string(lock))
	air.must("init", "-input=false")
	if got, _ := os.ReadFile(air.path(".terraform.lock.hcl")); !bytes.Equal(got, lock) {
		t.Errorf("init from the mirror changed the lock file made against the registry:\n%s\nwas:\n%s", got, lock)
	}

	fresh := newWorkspace(t, e, filepath.Join(dir, "airgapped-unlocked"), mirrorOnly(mirror), s.cert.caFile)
	fresh.write("main.tf", config)
	fresh.must("init", "-input=false")
	zips, err := s.cur.zips()
	if err != nil {
		t.Fatal(err)
	}
	h1, err := WantHashes(nil, zips, s.host)
	if err != nil {
		t.Fatal(err)
	}
	checkLocked(t, fresh.lockFile(), mcptlsAddr(reg.Host), s.cur.version, "~> "+s.cur.version, h1)
	if n := reg.Requests() - asked; n != 0 {
		t.Errorf("installing from the filesystem mirror asked the registry %d times", n)
	}
}
