// Command process measures whole `terraform apply` and no-op `terraform plan`
// runs of the built provider (wall time, CPU time, peak memory, state bytes)
// against hashicorp/tls building the same certificates, Terraform's own
// terraform_data and minimal framework providers on the same dependency graph,
// and RSA-4096 issuance against the openssl recipe that `make certs-mcp-all`
// runs. It prints a Markdown report; bench/README.md holds the recorded one.
// Ratios, not seconds, are the claim.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	terraform := flag.String("terraform", "terraform", "Terraform CLI to run")
	sizes := flag.String("n", "10,50,200", "plugin counts for the scaling runs")
	runs := flag.Int("runs", 3, "repetitions of each scaling measurement (the median is kept)")
	rsaRuns := flag.Int("rsa-runs", 5, "repetitions of the RSA-4096 comparison (0 skips it)")
	var ids []string
	for _, c := range contenders {
		ids = append(ids, c.id)
	}
	forms := flag.String("forms", strings.Join(ids, ","), "contenders of the scaling runs, in this order")
	home, _ := os.UserHomeDir()
	tools := flag.String("tools", filepath.Join(home, ".cache", "mcptls-tools", "bin"),
		"tools cache: the pinned hashicorp/tls provider is go-installed here when missing")
	flag.Parse()
	cs := pickContenders(*forms)
	tf, err := exec.LookPath(*terraform)
	if err != nil {
		log.Fatal(err)
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			log.Fatalf("-n: %v", err)
		}
		if n < 1 || (len(ns) > 0 && n <= ns[len(ns)-1]) {
			log.Fatalf("-n: %q must be increasing plugin counts of at least 1", *sizes)
		}
		ns = append(ns, n)
	}
	if *runs < 1 {
		log.Fatal("-runs must be at least 1")
	}
	b := newBench(tf, *tools)
	defer b.close()

	fmt.Print(machine(tf, b.tls))
	scaling(b, ns, *runs, cs)
	certReport([]string{"mcptls", "tls"})
	if *rsaRuns > 0 {
		rsaVsOpenSSL(b, *rsaRuns)
	}
}

// machine describes where the numbers come from.
func machine(tf string, tls tlsProvider) string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "model name") {
				cpu = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	tfVersion, _ := exec.Command(tf, "version").Output()
	openssl, _ := exec.Command("openssl", "version").Output()
	return fmt.Sprintf("## Machine\n\n- %s, %d cores (GOMAXPROCS %d), %s/%s\n- %s\n- %s\n- %s\n- %s\n- %s\n\n",
		cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(),
		strings.SplitN(strings.TrimSpace(string(tfVersion)), "\n", 2)[0], tls, strings.TrimSpace(string(openssl)),
		time.Now().UTC().Format("2006-01-02"))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// write puts a file into a new directory under the bench's scratch space.
func (b *bench) workspace(files map[string]string) string {
	dir, err := os.MkdirTemp(b.scratch, "ws-")
	must(err)
	for name, content := range files {
		must(os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
	}
	return dir
}
