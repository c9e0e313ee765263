package registry

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Pack writes a release of a provider built elsewhere in the layout goreleaser
// gives ours (and Publish reads): one zip per platform holding the binary as
// terraform-provider-<type>_v<version>[.exe], the manifest when there is one,
// SHA256SUMS over both, and sign's detached signature of SHA256SUMS.
func Pack(dir, typ, ver string, binaries map[Platform]string, manifest []byte, sign func(sums []byte) ([]byte, error)) error {
	prefix := fmt.Sprintf("terraform-provider-%s_%s", typ, ver)
	var lines []string
	add := func(name string, content []byte) error {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("%x  %s\n", sha256.Sum256(content), name))
		return nil
	}
	for pl, bin := range binaries {
		z, err := zipBinary(bin, fmt.Sprintf("terraform-provider-%s_v%s", typ, ver), pl.OS == "windows")
		if err != nil {
			return err
		}
		if err := add(fmt.Sprintf("%s_%s_%s.zip", prefix, pl.OS, pl.Arch), z); err != nil {
			return err
		}
	}
	if manifest != nil {
		if err := add(prefix+"_manifest.json", manifest); err != nil {
			return err
		}
	}
	// By file name, as goreleaser writes it.
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[strings.Index(a, "  "):], b[strings.Index(b, "  "):]) })
	sums := []byte(strings.Join(lines, ""))
	sig, err := sign(sums)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, prefix+"_SHA256SUMS"), sums, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, prefix+"_SHA256SUMS.sig"), sig, 0o644)
}

func zipBinary(path, name string, exe bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only
	if exe {
		name += ".exe"
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(w, f); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
