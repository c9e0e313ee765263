package releasetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// engine is a Terraform or OpenTofu CLI.
type engine struct {
	name    string // "terraform" or "opentofu"
	bin     string
	version string
}

func (e *engine) String() string { return e.name + " " + e.version }

// parseEngines reads MCPTLS_RELEASE_ENGINES: "name=/path/to/cli" pairs
// separated by spaces, e.g. "terraform=/usr/local/bin/terraform opentofu=/…/tofu".
func parseEngines(spec string) ([]*engine, error) {
	var out []*engine
	for _, f := range strings.Fields(spec) {
		name, bin, ok := strings.Cut(f, "=")
		if !ok || bin == "" {
			return nil, fmt.Errorf("MCPTLS_RELEASE_ENGINES: %q is not name=/path/to/cli", f)
		}
		cmd := exec.Command(bin, "version", "-json")
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
		b, err := cmd.Output()
		var v struct {
			Version string `json:"terraform_version"`
		}
		if err == nil {
			err = json.Unmarshal(b, &v)
		}
		if err != nil || v.Version == "" {
			return nil, fmt.Errorf("%s version -json: %w", bin, err)
		}
		out = append(out, &engine{name: name, bin: bin, version: v.Version})
	}
	if len(out) == 0 {
		return nil, errors.New("MCPTLS_RELEASE_ENGINES names no CLI")
	}
	return out, nil
}

// workspace is a directory where one engine runs with one CLI configuration,
// trusting the registry's CA through SSL_CERT_FILE.
type workspace struct {
	t         *testing.T
	e         *engine
	dir       string
	cliConfig string
	caFile    string
}

func newWorkspace(t *testing.T, e *engine, dir, cliConfig, caFile string) *workspace {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "..", filepath.Base(dir)+".tfrc")
	if err := os.WriteFile(rc, []byte(cliConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	return &workspace{t: t, e: e, dir: dir, cliConfig: rc, caFile: caFile}
}

// directInstall is a CLI configuration that installs from registries only:
// no implicit local directories, no plugin cache.
const directInstall = "provider_installation {\n  direct {}\n}\n"

// mirrorOnly installs from a filesystem mirror and nothing else.
func mirrorOnly(dir string) string {
	return fmt.Sprintf("provider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", dir)
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// run runs the CLI in the workspace and returns its combined output and exit
// code (an error only when it could not run at all).
func (w *workspace) run(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.Command(w.e.bin, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		w.t.Fatalf("%s %s: %v", w.e.name, strings.Join(args, " "), err)
	}
	w.t.Logf("%s %s (in %s): exit %d, %.1f s", w.e.name, strings.Join(args, " "), filepath.Base(w.dir), code, time.Since(start).Seconds())
	return ansi.ReplaceAllString(out.String(), ""), code
}

// stdout runs the CLI and returns its standard output alone (JSON), failing the
// test unless it exits 0.
func (w *workspace) stdout(args ...string) []byte {
	w.t.Helper()
	cmd := exec.Command(w.e.bin, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("%s %s: %v\n%s", w.e.name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// must runs the CLI and fails the test, quoting its output, unless it exits 0.
func (w *workspace) must(args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != 0 {
		w.t.Fatalf("%s %s failed (exit %d):\n%s", w.e.name, strings.Join(args, " "), code, out)
	}
	return out
}

// env is the test process's environment without any Terraform or OpenTofu
// setting, plus the workspace's CLI configuration and CA.
func (w *workspace) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "TOFU_") || k == "SSL_CERT_FILE" || k == "SSL_CERT_DIR" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+w.cliConfig,
		"SSL_CERT_FILE="+w.caFile,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
}

// says reports whether a CLI's output holds want, reading it as a sentence:
// the CLIs wrap long messages and frame them with box-drawing characters.
func says(out, want string) bool {
	flat := strings.NewReplacer("│", " ", "╷", " ", "╵", " ").Replace(out)
	return strings.Contains(strings.Join(strings.Fields(flat), " "), want)
}

func (w *workspace) path(name string) string { return filepath.Join(w.dir, name) }

func (w *workspace) lockFile() map[string]Locked {
	w.t.Helper()
	b, err := os.ReadFile(w.path(".terraform.lock.hcl"))
	if err != nil {
		w.t.Fatal(err)
	}
	locked, err := ParseLockFile(b)
	if err != nil {
		w.t.Fatal(err)
	}
	return locked
}

func (w *workspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(w.path(name), []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// requireProviders is a root module that needs only the given providers
// (local name = {source, version}).
func requireProviders(providers map[string][2]string) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n")
	for name, p := range providers {
		fmt.Fprintf(&b, "    %s = {\n      source  = %q\n      version = %q\n    }\n", name, p[0], p[1])
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// copyExamples copies the examples/ tree of a release's source (Terraform files
// and what they read, no state or generated files) to dst, with every provider
// source naming the loopback registry: "mcptls/mcptls" becomes
// "<host>/mcptls/mcptls" and "hashicorp/local" "<host>/hashicorp/local".
func copyExamples(t *testing.T, src, dst, host string) {
	t.Helper()
	root := filepath.Join(src, "examples")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		name := d.Name()
		if d.IsDir() {
			if name == "certs" || strings.HasPrefix(name, ".terraform") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasPrefix(name, ".terraform") || strings.Contains(name, ".tfstate") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(name, ".tf") {
			b = bytes.ReplaceAll(b, []byte(`"mcptls/mcptls"`), []byte(`"`+host+`/mcptls/mcptls"`))
			b = bytes.ReplaceAll(b, []byte(`"hashicorp/local"`), []byte(`"`+host+`/hashicorp/local"`))
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
