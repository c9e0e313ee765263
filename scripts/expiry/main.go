// Command expiry prints `terraform output -json expiry` (name -> not_after, RFC
// 3339) as `make certs-mcp-check` does, with the days left.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"
)

func main() {
	var expiry map[string]string
	if err := json.NewDecoder(os.Stdin).Decode(&expiry); err != nil {
		fmt.Fprintln(os.Stderr, "reading terraform output:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(expiry))
	for name := range expiry {
		names = append(names, name)
	}
	// The CA and the gateway first, then the plugins by name.
	rank := map[string]int{"CA": 0, "gateway": 1}
	sort.Slice(names, func(i, j int) bool {
		ri, iok := rank[names[i]]
		rj, jok := rank[names[j]]
		if !iok {
			ri = 2
		}
		if !jok {
			rj = 2
		}
		return ri < rj || (ri == rj && names[i] < names[j])
	})
	now := time.Now()
	for _, name := range names {
		notAfter, err := time.Parse(time.RFC3339, expiry[name])
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		fmt.Printf("  %-20s expires %s  (%d days left)\n", name, notAfter.UTC().Format("Jan _2 15:04:05 2006 MST"), int(notAfter.Sub(now).Hours()/24))
	}
}
