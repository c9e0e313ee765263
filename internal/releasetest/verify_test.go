package releasetest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/goccy/go-yaml"
)

const modulePath = "github.com/mcptls/terraform-provider-mcptls"

// configuredPlatforms reads the platforms .goreleaser.yml builds ("linux_amd64").
func configuredPlatforms(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Builds []struct {
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
			Ignore []struct {
				Goos   string `yaml:"goos"`
				Goarch string `yaml:"goarch"`
			} `yaml:"ignore"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return nil, err
	}
	if len(cfg.Builds) != 1 {
		return nil, fmt.Errorf("%s: want one build, has %d", path, len(cfg.Builds))
	}
	var out []string
	for _, goos := range cfg.Builds[0].Goos {
		for _, goarch := range cfg.Builds[0].Goarch {
			ignored := slices.ContainsFunc(cfg.Builds[0].Ignore, func(i struct {
				Goos   string `yaml:"goos"`
				Goarch string `yaml:"goarch"`
			}) bool {
				return (i.Goos == "" || i.Goos == goos) && (i.Goarch == "" || i.Goarch == goarch)
			})
			if !ignored {
				out = append(out, goos+"_"+goarch)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// verifyRelease checks what goreleaser made, as a registry and a careful user
// would: exactly one zip per configured platform and the manifest in SHA256SUMS,
// each checksum right, the signature valid for the throwaway key alone (gpg, and
// the OpenPGP library Terraform uses), every zip holding the binary for its
// platform built from the tagged commit, and the license; the manifest
// announcing protocol 6.0 as the repository's file does; the release notes the
// CHANGELOG's entry.
func verifyRelease(t *testing.T, r *release, s *signer, wantNotes string) {
	t.Helper()
	platforms, err := configuredPlatforms(filepath.Join(r.src, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	sums, err := r.sums()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range platforms {
		want = append(want, r.prefix()+"_"+p+".zip")
	}
	want = append(want, r.prefix()+"_manifest.json")
	slices.Sort(want)
	if got := slices.Sorted(maps.Keys(sums)); !slices.Equal(got, want) {
		t.Errorf("SHA256SUMS lists\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for name, sum := range sums {
		b, err := os.ReadFile(filepath.Join(r.dist, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: sha256 %x, SHA256SUMS says %s", name, h, sum)
		}
	}

	// The signature, by gpg with nothing but the public key, and by the
	// OpenPGP implementation Terraform and OpenTofu verify with.
	if err := s.verifyWithPublicKeyOnly(t.TempDir(), r.file("SHA256SUMS"), r.file("SHA256SUMS.sig")); err != nil {
		t.Error(err)
	}
	keys, err := openpgp.ReadArmoredKeyRing(strings.NewReader(s.publicKey))
	if err != nil {
		t.Fatal(err)
	}
	sumsFile, _ := os.ReadFile(r.file("SHA256SUMS"))
	sig, _ := os.ReadFile(r.file("SHA256SUMS.sig"))
	if signer, err := openpgp.CheckDetachedSignature(keys, bytes.NewReader(sumsFile), bytes.NewReader(sig), nil); err != nil {
		t.Errorf("openpgp: SHA256SUMS.sig: %v", err)
	} else if fp := strings.ToUpper(hex.EncodeToString(signer.PrimaryKey.Fingerprint)); fp != s.fingerprint {
		t.Errorf("signed by %s, want %s", fp, s.fingerprint)
	}

	for _, p := range platforms {
		verifyZip(t, r, p)
	}

	manifest, _ := os.ReadFile(r.file("manifest.json"))
	repoManifest, _ := os.ReadFile(filepath.Join(r.src, "terraform-registry-manifest.json"))
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil || !bytes.Equal(manifest, repoManifest) ||
		m.Version != 1 || !slices.Equal(m.Metadata.ProtocolVersions, []string{"6.0"}) {
		t.Errorf("manifest (%v):\n%s\nwant the repository's terraform-registry-manifest.json with protocol 6.0:\n%s", err, manifest, repoManifest)
	}

	var meta struct {
		Tag, Version, Commit string
	}
	b, err := os.ReadFile(filepath.Join(r.dist, "metadata.json"))
	if err == nil {
		err = json.Unmarshal(b, &meta)
	}
	if err != nil || meta.Tag != "v"+r.version || meta.Version != r.version || meta.Commit != r.commit {
		t.Errorf("dist/metadata.json (%v): %+v, want tag v%s, version %s, commit %s", err, meta, r.version, r.version, r.commit)
	}
	// goreleaser keeps custom release notes for the GitHub release it skipped
	// here: what it was given is the CHANGELOG's entry, and it loaded that file.
	notes, err := os.ReadFile(r.notes)
	if err != nil || strings.TrimSpace(string(notes)) != strings.TrimSpace(wantNotes) {
		t.Errorf("release notes (%v):\n%s\nwant CHANGELOG.md's top entry:\n%s", err, notes, wantNotes)
	}
	if log, _ := os.ReadFile(r.log); !strings.Contains(string(log), fmt.Sprintf("loading file %q", r.notes)) {
		t.Errorf("goreleaser's log does not show it loading the release notes %s", r.notes)
	}
}

// verifyZip: the zip holds the provider binary, executable, for its platform,
// built from the tagged commit (go version -m; -trimpath keeps -ldflags out of
// it, so main.version is not readable there), and LICENSE.txt.
func verifyZip(t *testing.T, r *release, platform string) {
	t.Helper()
	goos, goarch, _ := strings.Cut(platform, "_")
	zr, err := zip.OpenReader(r.file(platform + ".zip"))
	if err != nil {
		t.Error(err)
		return
	}
	defer func() { _ = zr.Close() }()
	bin := "terraform-provider-mcptls_v" + r.version
	if goos == "windows" {
		bin += ".exe"
	}
	var names []string
	var binFile *zip.File
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == bin {
			binFile = f
		}
	}
	slices.Sort(names)
	if want := []string{"LICENSE.txt", bin}; !slices.Equal(names, want) {
		t.Errorf("%s holds %v, want %v", platform, names, want)
		return
	}
	if goos != "windows" && binFile.Mode()&0o111 == 0 {
		t.Errorf("%s: %s is not executable (%v)", platform, bin, binFile.Mode())
	}
	f, err := binFile.Open()
	if err != nil {
		t.Error(err)
		return
	}
	exe, err := io.ReadAll(f)
	_ = f.Close()
	if err != nil {
		t.Error(err)
		return
	}
	if got := binaryPlatform(exe); got != platform {
		t.Errorf("%s: %s is a %s binary", platform, bin, got)
	}
	info, err := buildinfo.Read(bytes.NewReader(exe))
	if err != nil {
		t.Errorf("%s: %v", platform, err)
		return
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if info.Main.Path != modulePath || settings["vcs.revision"] != r.commit || settings["vcs.modified"] != "false" ||
		settings["CGO_ENABLED"] != "0" || settings["-trimpath"] != "true" || settings["GOOS"] != goos || settings["GOARCH"] != goarch {
		t.Errorf("%s: build info %s %v, want %s from commit %s (unmodified), CGO off, -trimpath",
			platform, info.Main.Path, settings, modulePath, r.commit)
	}
	lic, err := zr.Open("LICENSE.txt")
	if err == nil {
		b, _ := io.ReadAll(lic)
		_ = lic.Close()
		repo, _ := os.ReadFile(filepath.Join(r.src, "LICENSE"))
		if !bytes.Equal(b, repo) {
			t.Errorf("%s: LICENSE.txt is not the repository's LICENSE", platform)
		}
	}
}

// binaryPlatform reads the OS and architecture an executable is built for.
func binaryPlatform(b []byte) string {
	r := bytes.NewReader(b)
	if f, err := elf.NewFile(r); err == nil {
		goos := map[elf.OSABI]string{elf.ELFOSABI_NONE: "linux", elf.ELFOSABI_FREEBSD: "freebsd"}[f.OSABI]
		goarch := map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
		return goos + "_" + goarch
	}
	if f, err := macho.NewFile(r); err == nil {
		return "darwin_" + map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
	}
	if f, err := pe.NewFile(r); err == nil {
		return "windows_" + map[uint16]string{pe.IMAGE_FILE_MACHINE_AMD64: "amd64", pe.IMAGE_FILE_MACHINE_ARM64: "arm64"}[f.Machine]
	}
	return "unknown"
}
