package releasetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/mcptls/terraform-provider-mcptls/internal/releasetest/registry"
)

// release is one version of this provider built by goreleaser from a commit of
// this repository, in a scratch clone tagged v<version>.
type release struct {
	version string // "0.2.0"
	commit  string
	src     string // the scratch clone, checked out at commit
	dist    string // goreleaser's output
	notes   string // the release notes goreleaser was given
	log     string // goreleaser's output
}

func (r *release) prefix() string { return "terraform-provider-mcptls_" + r.version }

// file is the path of one of the release's files, by the suffix after
// terraform-provider-mcptls_<version>_ ("SHA256SUMS", "linux_amd64.zip").
func (r *release) file(suffix string) string {
	return filepath.Join(r.dist, r.prefix()+"_"+suffix)
}

func (r *release) sums() (map[string]string, error) {
	b, err := os.ReadFile(r.file("SHA256SUMS"))
	if err != nil {
		return nil, err
	}
	return registry.ParseSHA256SUMS(b)
}

// zips maps "os_arch" to the release's zip for that platform.
func (r *release) zips() (map[string]string, error) {
	m, err := filepath.Glob(r.file("*_*.zip"))
	out := map[string]string{}
	for _, z := range m {
		out[strings.TrimSuffix(strings.TrimPrefix(filepath.Base(z), r.prefix()+"_"), ".zip")] = z
	}
	return out, err
}

func (r *release) registryRelease(s *signer) registry.Release {
	return registry.Release{Namespace: "mcptls", Type: "mcptls", Version: r.version, Dir: r.dist, SigningKey: s.publicKey}
}

type buildOptions struct {
	repo, commit, version, notes string
	goreleaser                   string
	// hostConfig, when set, is the goreleaser configuration to build with,
	// narrowed to this machine's platform, instead of the commit's own: the
	// earlier release, which the upgrade installs here and nowhere else.
	hostConfig []byte
	signer     *signer
	dir        string
}

// buildRelease clones the repository into dir, tags the commit v<version> there
// (never in the repository itself) and runs goreleaser's release pipeline with
// publishing skipped: build, archive, checksum, sign. Its output goes to
// dir/goreleaser.log, quoted on failure.
func buildRelease(ctx context.Context, o buildOptions) (*release, time.Duration, error) {
	start := time.Now()
	r := &release{version: o.version, commit: o.commit, src: filepath.Join(o.dir, "src"), notes: filepath.Join(o.dir, "release-notes.md")}
	r.dist = filepath.Join(r.src, "dist")
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return nil, 0, err
	}
	if err := os.WriteFile(r.notes, []byte(o.notes), 0o644); err != nil {
		return nil, 0, err
	}
	for _, args := range [][]string{
		{"clone", "--quiet", o.repo, r.src},
		{"-C", r.src, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", o.commit},
		{"-C", r.src, "tag", "v" + o.version, o.commit},
	} {
		if out, err := exec.CommandContext(ctx, "git", args...).CombinedOutput(); err != nil {
			return nil, 0, fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	args := []string{"release", "--clean", "--skip=publish,announce", "--release-notes", r.notes, "--verbose"}
	if o.hostConfig != nil {
		// goreleaser's release has no --single-target: a narrowed copy, outside
		// the clone (which must stay clean).
		cfg := filepath.Join(o.dir, "goreleaser-"+runtime.GOOS+"_"+runtime.GOARCH+".yml")
		if err := hostOnlyConfig(o.hostConfig, r.src, cfg); err != nil {
			return nil, 0, err
		}
		args = append(args, "--config", cfg)
	}
	logPath := filepath.Join(o.dir, "goreleaser.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, 0, err
	}
	defer func() { _ = logFile.Close() }()
	cmd := exec.CommandContext(ctx, o.goreleaser, args...)
	cmd.Dir = r.src
	cmd.Env = append(os.Environ(), o.signer.env()...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Run(); err != nil {
		out, _ := os.ReadFile(logPath)
		return nil, 0, fmt.Errorf("goreleaser %s (in %s): %w\n%s", strings.Join(args, " "), r.src, err, tail(out, 60))
	}
	// The GitHub release carries the manifest under the release's name
	// (release.extra_files); the registry reads it from there.
	manifest, err := os.ReadFile(filepath.Join(r.src, "terraform-registry-manifest.json"))
	if err == nil {
		err = os.WriteFile(r.file("manifest.json"), manifest, 0o644)
	}
	if err != nil {
		return nil, 0, err
	}
	r.log = logPath
	return r, time.Since(start), nil
}

// hostOnlyConfig writes the goreleaser configuration b, building for this
// machine's platform only, to dst. A tree without LICENSE (older commits) gets
// zips with the binary alone.
func hostOnlyConfig(b []byte, tree, dst string) error {
	var cfg map[string]any
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return err
	}
	builds, _ := cfg["builds"].([]any)
	if len(builds) != 1 {
		return fmt.Errorf("goreleaser configuration: want one build, has %d", len(builds))
	}
	build, _ := builds[0].(map[string]any)
	if build == nil {
		return fmt.Errorf("goreleaser configuration: builds[0] is not a mapping")
	}
	build["goos"], build["goarch"] = []string{runtime.GOOS}, []string{runtime.GOARCH}
	delete(build, "ignore")
	if _, err := os.Stat(filepath.Join(tree, "LICENSE")); err != nil {
		archives, _ := cfg["archives"].([]any)
		for _, a := range archives {
			if a, ok := a.(map[string]any); ok {
				a["files"] = []string{"none*"} // goreleaser's way to say "the binary only"
			}
		}
	}
	out, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, out, 0o644)
}

// tail is the last n lines of b.
func tail(b []byte, n int) string {
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// gitOutput runs git in dir and returns its trimmed output.
func gitOutput(dir string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		var stderr string
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			stderr = string(ee.Stderr)
		}
		return "", fmt.Errorf("git %s: %w %s", strings.Join(args, " "), err, stderr)
	}
	return strings.TrimSpace(string(out)), nil
}
