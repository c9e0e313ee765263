// Command testsummary reads `go test -json` on stdin, prints what `go test`
// would (package results, and the output of failing tests), then a summary:
// how many tests ran, passed, failed and were skipped, and why each skip
// happened, so a green run shows whether the acceptance tests really ran.
// Usage: go test -json ./... | go run ./scripts/testsummary "engine label"
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

type counts struct{ run, pass, fail, skip int }

func main() {
	label := "go test"
	if len(os.Args) > 1 {
		label = os.Args[1]
	}
	output := map[string][]string{} // package/test -> its output lines
	perPackage := map[string]*counts{}
	skips := map[string][]string{} // reason -> tests
	failed := false
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	for in.Scan() {
		var e event
		if err := json.Unmarshal(in.Bytes(), &e); err != nil {
			fmt.Println(in.Text()) // not JSON: a build error, say
			continue
		}
		key := e.Package + "/" + e.Test
		c := perPackage[e.Package]
		if c == nil {
			c = &counts{}
			perPackage[e.Package] = c
		}
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
			if e.Test == "" && (strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") || strings.HasPrefix(e.Output, "?")) {
				fmt.Print(e.Output)
			}
		case "run":
			if e.Test != "" {
				c.run++
			}
		case "pass":
			if e.Test != "" {
				c.pass++
			}
		case "skip":
			if e.Test != "" {
				c.skip++
				reason := skipReason(output[key])
				skips[reason] = append(skips[reason], e.Test)
			}
		case "fail", "build-fail":
			failed = true
			if e.Test != "" {
				c.fail++
			}
			fmt.Print(strings.Join(output[key], ""))
		}
		if e.Action == "pass" || e.Action == "skip" {
			delete(output, key)
		}
	}
	total := counts{}
	var pkgs []string
	for p, c := range perPackage {
		pkgs = append(pkgs, p)
		total.run, total.pass, total.fail, total.skip = total.run+c.run, total.pass+c.pass, total.fail+c.fail, total.skip+c.skip
	}
	sort.Strings(pkgs)
	fmt.Printf("\n=== summary (%s): %d tests ran, %d passed, %d failed, %d skipped\n", label, total.run, total.pass, total.fail, total.skip)
	for _, p := range pkgs {
		if c := perPackage[p]; c.run > 0 {
			fmt.Printf("    %-70s %4d ran %4d passed %3d failed %3d skipped\n", p, c.run, c.pass, c.fail, c.skip)
		}
	}
	var reasons []string
	for r := range skips {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		tests := skips[r]
		sort.Strings(tests)
		fmt.Printf("  skipped %d: %s\n      %s\n", len(tests), r, strings.Join(tests, ", "))
	}
	if failed || total.fail > 0 {
		os.Exit(1)
	}
}

// skipReason is the message t.Skip printed: the last "file.go:N: text" line.
func skipReason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "---") || strings.HasPrefix(l, "===") || l == "" {
			continue
		}
		if _, msg, ok := strings.Cut(l, ": "); ok && strings.Contains(l[:strings.Index(l, ": ")], ".go:") {
			return msg
		}
		return l
	}
	return "no reason given"
}
