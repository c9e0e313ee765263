package releasetest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// prepareTampered makes copies of the release in which this platform's zip was
// changed after signing (a file added, so it is still a valid provider zip):
//   - "changed": SHA256SUMS and its signature as published;
//   - "resummed": SHA256SUMS rewritten to the changed zip's checksum, the
//     signature as published;
//   - "resigned": SHA256SUMS rewritten and signed again with the publisher's
//     key: a valid release of different bytes under the same version.
//
// Unchanged files are hard links to the release's.
func prepareTampered(t *testing.T, s *suite, dir string) map[string]string {
	t.Helper()
	orig, err := os.ReadFile(s.cur.file(s.host + ".zip"))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := addToZip(orig, "NOTICE.txt", "added after the release was signed\n")
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(s.cur.file("SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	zipName := s.cur.prefix() + "_" + s.host + ".zip"
	resummed := bytes.Replace(sums, fmt.Appendf(nil, "%x  %s", sha256.Sum256(orig), zipName), fmt.Appendf(nil, "%x  %s", sha256.Sum256(changed), zipName), 1)
	if bytes.Equal(resummed, sums) {
		t.Fatalf("%s not found in SHA256SUMS", zipName)
	}
	resigned, err := s.signer.sign(resummed)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, files := range map[string]map[string][]byte{
		"changed":  {zipName: changed},
		"resummed": {zipName: changed, s.cur.prefix() + "_SHA256SUMS": resummed},
		"resigned": {zipName: changed, s.cur.prefix() + "_SHA256SUMS": resummed, s.cur.prefix() + "_SHA256SUMS.sig": resigned},
	} {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		entries, _ := filepath.Glob(filepath.Join(s.cur.dist, s.cur.prefix()+"_*"))
		for _, src := range entries {
			base := filepath.Base(src)
			if b, ok := files[base]; ok {
				err = os.WriteFile(filepath.Join(d, base), b, 0o644)
			} else {
				err = os.Link(src, filepath.Join(d, base))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		out[name] = d
	}
	return out
}

// addToZip copies a zip and adds one file to it.
func addToZip(orig []byte, name, content string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(orig), int64(len(orig)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		r, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		raw, err := zw.CreateRaw(&f.FileHeader)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(raw, r); err != nil {
			return nil, err
		}
	}
	w, err := zw.Create(name)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, content); err != nil {
		return nil, err
	}
	err = zw.Close()
	return buf.Bytes(), err
}

// testTampered: init refuses a package that is not what the publisher signed,
// whatever the registry announces, and a validly signed package whose hashes
// differ from those the lock file recorded. Nothing is installed or locked.
func testTampered(t *testing.T, s *suite, e *engine, dir string) {
	minimal := func(host string) string {
		return requireProviders(map[string][2]string{"mcptls": {mcptlsAddr(host), s.cur.version}})
	}
	refused := func(t *testing.T, w *workspace, wants ...string) {
		t.Helper()
		out, code := w.run("init", "-input=false")
		if code == 0 {
			t.Errorf("init installed a tampered package:\n%s", out)
		} else {
			t.Logf("refused:\n%s", errorText(out))
		}
		for _, want := range wants {
			if !says(out, want) {
				t.Errorf("init's error does not say %q:\n%s", want, out)
			}
		}
		if bins := installedBinaries(t, w); len(bins) > 0 {
			t.Errorf("the tampered package was unpacked: %v", bins)
		}
	}

	for _, tt := range []struct {
		name, dir         string
		shasumFromArchive bool
		want              []string
	}{
		{"zip changed after signing", s.tampered["changed"], false, []string{"archive has incorrect checksum"}},
		{"registry announces the changed zip's checksum", s.tampered["changed"], true, []string{"checksum list has unexpected SHA-256 hash"}},
		{"SHA256SUMS rewritten, signature kept", s.tampered["resummed"], false, []string{"error checking signature", "invalid signature"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rel := s.cur.registryRelease(s.signer)
			rel.Dir, rel.ShasumFromArchive = tt.dir, tt.shasumFromArchive
			reg := s.startRegistry(t, rel)
			w := newWorkspace(t, e, filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")), directInstall, s.cert.caFile)
			w.write("main.tf", minimal(reg.Host))
			refused(t, w, tt.want...)
			if _, err := os.Stat(w.path(".terraform.lock.hcl")); err == nil {
				t.Error("init wrote a lock file for a tampered package")
			}
		})
	}

	// The lock file: a release signed again under the same version installs
	// where nothing was locked, and is refused where the lock file holds the
	// published hashes.
	t.Run("re-signed, refused by the lock file", func(t *testing.T) {
		reg := s.startRegistry(t, s.cur.registryRelease(s.signer))
		w := newWorkspace(t, e, filepath.Join(dir, "locked"), directInstall, s.cert.caFile)
		w.write("main.tf", minimal(reg.Host))
		w.must("init", "-input=false")
		lockBefore, _ := os.ReadFile(w.path(".terraform.lock.hcl"))

		resigned := s.cur.registryRelease(s.signer)
		resigned.Dir = s.tampered["resigned"]
		if !reg.Unpublish("mcptls", "mcptls", s.cur.version) {
			t.Fatal("unpublish")
		}
		if err := reg.Publish(resigned); err != nil {
			t.Fatal(err)
		}
		fresh := newWorkspace(t, e, filepath.Join(dir, "unlocked"), directInstall, s.cert.caFile)
		fresh.write("main.tf", minimal(reg.Host))
		fresh.must("init", "-input=false")

		if err := os.RemoveAll(w.path(".terraform")); err != nil {
			t.Fatal(err)
		}
		refused(t, w, "doesn't match any of the checksums previously recorded in the dependency lock file")
		if lockAfter, _ := os.ReadFile(w.path(".terraform.lock.hcl")); !bytes.Equal(lockAfter, lockBefore) {
			t.Errorf("the lock file changed:\n%s\nwas:\n%s", lockAfter, lockBefore)
		}
	})
}

// installedBinaries lists the provider binaries under the workspace's .terraform.
func installedBinaries(t *testing.T, w *workspace) []string {
	t.Helper()
	var bins []string
	err := filepath.WalkDir(w.path(".terraform"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), "terraform-provider-") {
			bins = append(bins, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bins
}

// errorText is the part of a CLI's output from its first "Error:" on.
func errorText(out string) string {
	if i := strings.Index(out, "Error:"); i >= 0 {
		return out[i:]
	}
	return out
}
