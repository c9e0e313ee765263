package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// bench holds the built provider and a CLI config pointing dev_overrides at it.
type bench struct {
	tf      string
	scratch string
	rc      string
}

func newBench(tf string) *bench {
	scratch, err := os.MkdirTemp("", "mcptls-bench-")
	must(err)
	b := &bench{tf: tf, scratch: scratch, rc: filepath.Join(scratch, "terraformrc")}
	bin := filepath.Join(scratch, "bin")
	for name, pkg := range map[string]string{"terraform-provider-mcptls": ".", "terraform-provider-floor": "./bench/floorprovider"} {
		build := exec.Command("go", "build", "-o", filepath.Join(bin, name), pkg)
		if out, err := build.CombinedOutput(); err != nil {
			log.Fatalf("go build %s (run from the repository root): %v\n%s", pkg, err, out)
		}
	}
	must(os.WriteFile(b.rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "mcptls/mcptls" = %[1]q
    "mcptls/floor"  = %[1]q
  }
  direct {}
}
`, bin)), 0o600))
	return b
}

func (b *bench) close() { _ = os.RemoveAll(b.scratch) }

// run times one CLI command in dir. A plan that would change something is an
// error: the no-op plan is what is measured.
func (b *bench) run(dir string, args ...string) time.Duration {
	cmd := exec.Command(b.tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+b.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		log.Fatalf("%v in %s is not a no-op:\n%s", args, dir, out)
	}
	if err != nil {
		log.Fatalf("%v in %s: %v\n%s", args, dir, err, out)
	}
	return elapsed
}

// applyAndPlan applies a fresh configuration, then times a no-op plan of it.
func (b *bench) applyAndPlan(config string) (apply, plan time.Duration) {
	dir := b.workspace(map[string]string{"main.tf": config})
	defer func() { _ = os.RemoveAll(dir) }()
	apply = b.run(dir, "apply", "-auto-approve", "-input=false")
	plan = b.run(dir, "plan", "-input=false", "-detailed-exitcode")
	return apply, plan
}
