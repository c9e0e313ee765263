package provider

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// builtProvider is the provider binary, built once per test run for tests that
// drive the Terraform CLI as a user does (dev_overrides, no init).
var builtProvider = struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}{}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtProvider.dir != "" {
		_ = os.RemoveAll(builtProvider.dir)
	}
	os.Exit(code)
}

// cliWorkspace is a directory with a configuration and a CLI config whose
// dev_overrides point mcptls/mcptls at the built binary.
type cliWorkspace struct {
	t   *testing.T
	tf  string
	dir string
	env []string
}

// localProviderVersion is hashicorp/local v2.9.0's release commit (GNUmakefile's
// LOCAL_PROVIDER_VERSION); localProvider is where it is built, once.
const localProviderVersion = "v1.4.1-0.20260513075820-3561e410f9fe"

var localProvider = struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}{}

// withLocalProvider lets the workspace's CLI run hashicorp/local through
// dev_overrides, built into the tools cache (as make local-provider does) when missing.
func (w *cliWorkspace) withLocalProvider() *cliWorkspace {
	w.t.Helper()
	localProvider.once.Do(func() {
		home, _ := os.UserHomeDir()
		localProvider.dir = filepath.Join(home, ".cache", "mcptls-tools", "bin")
		if _, err := os.Stat(filepath.Join(localProvider.dir, "terraform-provider-local")); err == nil {
			return
		}
		cmd := exec.Command("go", "install", "github.com/terraform-providers/terraform-provider-local@"+localProviderVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+localProvider.dir)
		localProvider.out, localProvider.err = cmd.CombinedOutput()
	})
	if localProvider.err != nil {
		w.t.Fatalf("go install hashicorp/local: %v\n%s", localProvider.err, localProvider.out)
	}
	rc := `provider_installation {
  dev_overrides {
    "mcptls/mcptls"   = "` + builtProvider.dir + `"
    "hashicorp/local" = "` + localProvider.dir + `"
  }
  direct {}
}
`
	if err := os.WriteFile(filepath.Join(w.dir, ".terraformrc"), []byte(rc), 0o600); err != nil {
		w.t.Fatal(err)
	}
	return w
}

// copyTree copies a directory of the repository (examples) into the workspace.
func (w *cliWorkspace) copyTree(from, to string) {
	w.t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if strings.HasPrefix(rel, ".terraform") || strings.Contains(rel, "tfstate") || strings.HasPrefix(rel, "certs") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(w.dir, to, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// newCLIWorkspace copies files into a new directory; it skips unless make test
// (TF_ACC and TF_ACC_TERRAFORM_PATH) runs it.
func newCLIWorkspace(t *testing.T, files map[string][]byte) *cliWorkspace {
	t.Helper()
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || tf == "" {
		t.Skip("set TF_ACC and TF_ACC_TERRAFORM_PATH (make test does)")
	}
	builtProvider.once.Do(func() {
		builtProvider.dir, builtProvider.err = os.MkdirTemp("", "mcptls-provider-") //nolint:usetesting // one binary for every test of the run; TestMain removes it
		if builtProvider.err == nil {
			builtProvider.out, builtProvider.err = exec.Command("go", "build", "-o", filepath.Join(builtProvider.dir, "terraform-provider-mcptls"), "../..").CombinedOutput()
		}
	})
	if builtProvider.err != nil {
		t.Fatalf("go build: %v\n%s", builtProvider.err, builtProvider.out)
	}
	w := &cliWorkspace{t: t, tf: tf, dir: t.TempDir()}
	files[".terraformrc"] = []byte(`provider_installation {
  dev_overrides { "mcptls/mcptls" = "` + builtProvider.dir + `" }
  direct {}
}
`)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(w.dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	w.env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(w.dir, ".terraformrc"), "TF_IN_AUTOMATION=1", "TF_ACC=", "CHECKPOINT_DISABLE=1")
	return w
}

// run runs the CLI in the workspace and returns its combined output.
func (w *cliWorkspace) run(args ...string) (string, error) {
	cmd := exec.Command(w.tf, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustRun fails the test when the command fails.
func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	out, err := w.run(args...)
	if err != nil {
		w.t.Fatalf("%s %v: %v\n%s", filepath.Base(w.tf), args, err, out)
	}
	return out
}
