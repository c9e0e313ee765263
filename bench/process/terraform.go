package main

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"
)

// bench holds the built providers and a CLI config pointing dev_overrides at them.
type bench struct {
	tf      string
	scratch string
	rc      string
	tls     tlsProvider
}

func newBench(tf, toolsDir string) *bench {
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
	// dev_overrides takes a directory and runs the file in it named
	// terraform-provider-<type> (optionally followed by _ or . and more).
	b.tls = ensureTLSProvider(toolsDir, scratch)
	must(os.Symlink(b.tls.path, filepath.Join(bin, "terraform-provider-tls")))
	must(os.WriteFile(b.rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "mcptls/mcptls" = %[1]q
    "mcptls/floor"  = %[1]q
    "hashicorp/tls" = %[1]q
  }
  direct {}
}
`, bin)), 0o600))
	return b
}

func (b *bench) close() { _ = os.RemoveAll(b.scratch) }

// run measures one CLI command in dir. A plan that would change something is
// an error: the no-op plan is what is measured.
func (b *bench) run(dir string, args ...string) usage {
	cmd := exec.Command(b.tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+b.rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		log.Fatalf("%v: %v", args, err)
	}
	done, sampled := make(chan struct{}), make(chan *sampler)
	go func() { sampled <- sample(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	s := <-sampled
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 2 {
		log.Fatalf("%v in %s is not a no-op:\n%s", args, dir, out.Bytes())
	}
	if err != nil {
		log.Fatalf("%v in %s: %v\n%s", args, dir, err, out.Bytes())
	}
	cpu, maxRSS, ok := rusageOf(cmd.ProcessState.SysUsage())
	if !ok {
		log.Fatalf("no rusage for %v on %s", args, runtime.GOOS)
	}
	// The samples are lower bounds of terraform's own CPU and its providers':
	// were the providers not in wait4's rusage, it would fall short of their sum.
	if sampled := s.tfCPU + s.providerCPU(); cpu < sampled-100*time.Millisecond {
		log.Fatalf("%v: rusage CPU %v is less than sampled terraform %v + providers %v: provider processes are not in terraform's rusage",
			args, cpu, s.tfCPU, s.providerCPU())
	}
	return usage{wall: wall, cpu: cpu, maxRSS: maxRSS, tfPeak: s.tfPeak, provPeak: s.provPeak, provCPU: s.providerCPU()}
}

// result is one apply of a fresh configuration and the no-op plan after it.
type result struct {
	apply, plan usage
	state       int64 // bytes of terraform.tfstate after apply
}

// applyAndPlan applies a fresh configuration, measures a no-op plan of it, and
// calls afterApply (if any) on the directory before it is removed.
func (b *bench) applyAndPlan(config string, afterApply func(dir string)) result {
	dir := b.workspace(map[string]string{"main.tf": config})
	defer func() { _ = os.RemoveAll(dir) }()
	var r result
	r.apply = b.run(dir, "apply", "-auto-approve", "-input=false")
	st, err := os.Stat(filepath.Join(dir, "terraform.tfstate"))
	must(err)
	r.state = st.Size()
	r.plan = b.run(dir, "plan", "-input=false", "-detailed-exitcode")
	if afterApply != nil {
		afterApply(dir)
	}
	return r
}
