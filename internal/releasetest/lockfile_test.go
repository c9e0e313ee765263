package releasetest

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseLockFile(t *testing.T) {
	t.Parallel()
	src := `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "127.0.0.1:40000/mcptls/mcptls" {
  version     = "0.2.0"
  constraints = "~> 0.2.0"
  hashes = [
    "zh:bb",
    "h1:aa",
  ]
}

provider "registry.terraform.io/hashicorp/local" {
  version = "2.9.0"
}
`
	got, err := ParseLockFile([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := got["127.0.0.1:40000/mcptls/mcptls"]
	if m.Version != "0.2.0" || m.Constraints != "~> 0.2.0" || !slices.Equal(m.Hashes, []string{"h1:aa", "zh:bb"}) {
		t.Errorf("mcptls: %+v", m)
	}
	if l := got["registry.terraform.io/hashicorp/local"]; l.Version != "2.9.0" || l.Hashes != nil {
		t.Errorf("local: %+v", l)
	}
	for _, bad := range []string{`provider "a" {}`, "provider \"a\" {\n version = \"1\"\n}\nprovider \"a\" {\n version = \"1\"\n}\n", "provider {"} {
		if _, err := ParseLockFile([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestWantHashes: zh: for every line of SHA256SUMS, h1: only for the platforms
// asked, the same h1: for the same contents.
func TestWantHashes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		w, _ := zw.Create("terraform-provider-x_v1.0.0")
		_, _ = w.Write([]byte(content))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zips := map[string]string{"linux_amd64": write("a.zip", "one"), "darwin_arm64": write("b.zip", "two"), "windows_amd64": write("c.zip", "one")}
	sums := map[string]string{"x_linux_amd64.zip": "11", "x_darwin_arm64.zip": "22", "x_manifest.json": "33"}
	got, err := WantHashes(sums, zips, "linux_amd64")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || !slices.Contains(got, "zh:11") || !slices.Contains(got, "zh:22") || !slices.Contains(got, "zh:33") || !strings.HasPrefix(got[0], "h1:") {
		t.Errorf("got %v", got)
	}
	same, _ := WantHashes(nil, zips, "linux_amd64", "windows_amd64")
	other, _ := WantHashes(nil, zips, "darwin_arm64")
	if len(same) != 1 || same[0] != got[0] || other[0] == got[0] {
		t.Errorf("h1 of equal contents %v, of other contents %v", same, other)
	}
	if _, err := WantHashes(sums, zips, "freebsd_arm64"); err == nil {
		t.Error("no error for a platform without a zip")
	}
}
