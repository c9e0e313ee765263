package main

import (
	"fmt"
	"log"
	"math"
	"slices"
	"strings"
)

const providerBlock = `terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}
`

// mcptlsGraph is CA + gateway + n plugins, ECDSA so key generation does not
// dominate what is measured.
func mcptlsGraph(n int) string {
	return providerBlock + fmt.Sprintf(`
resource "mcptls_ca" "ca" {
  key_algorithm = "ECDSA"
}

resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}

resource "mcptls_plugin_cert" "p" {
  count              = %d
  name               = "plugin-${count.index}"
  url                = "https://plugin-${count.index}.internal:8443/mcp"
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
}
`, n)
}

// copyGraph is CA, gateway and n plugins of a resource type that copies its
// input to its output (terraform_data, or floorprovider's floor_thing), the
// CA's input padded with pad bytes that every resource then carries.
func copyGraph(typ, header string, n, pad int) string {
	return header + fmt.Sprintf(`
resource %[1]q "ca" {
  input = "ca%[3]s"
}

resource %[1]q "gw" {
  input = %[1]s.ca.output
}

resource %[1]q "p" {
  count = %[2]d
  input = %[1]s.ca.output
}
`, typ, n, strings.Repeat("x", pad))
}

// floorGraph is the same graph in Terraform's built-in terraform_data: what
// Terraform itself costs per resource, with no provider process at all.
func floorGraph(n int) string { return copyGraph("terraform_data", "", n, 0) }

// paddedFloorGraph carries as many state bytes per resource as an ECDSA
// mcptls_plugin_cert (about 4.9 KB on 2026-12-01; the pad is stored
// twice, as input and output; compare the state B column when mcptls changes):
// Terraform's local backend rewrites the whole state after every resource, so
// state size alone makes apply cost grow with N.
func paddedFloorGraph(n int) string { return copyGraph("terraform_data", "", n, 2200) }

// frameworkGraph is the same graph in bench/floorprovider, the smallest
// framework provider: what the plugin protocol and the framework cost per
// resource before any provider logic.
func frameworkGraph(n int) string { return copyGraph("floor_thing", floorHeader, n, 0) }

const floorHeader = `
terraform {
  required_providers {
    floor = { source = "mcptls/floor" }
  }
}
`

// wideFrameworkGraph uses floorprovider's floor_wide, as wide as
// mcptls_plugin_cert (27 attributes) but with no logic: the framework's cost
// per attribute.
func wideFrameworkGraph(n int) string {
	return copyGraph("floor_wide", floorHeader, n, 0)
}

// contender is one form of the graph.
type contender struct {
	id, name string // id for -forms, name for the tables
	config   func(int) string
	check    func(dir string) // after apply, before the workspace goes; may be nil
}

var contenders = []contender{
	{"mcptls", "mcptls", mcptlsGraph, checkCerts("mcptls")},
	{"tls", "tls", tlsGraph, checkCerts("tls")},
	{"terraform_data", "terraform_data", floorGraph, nil},
	{"framework", "framework", frameworkGraph, nil},
	{"padded", "terraform_data 4.9KB", paddedFloorGraph, nil},
	{"wide", "framework 27 attrs", wideFrameworkGraph, nil},
}

// pickContenders resolves -forms.
func pickContenders(list string) []contender {
	var out []contender
	for _, id := range strings.Split(list, ",") {
		id = strings.TrimSpace(id)
		i := slices.IndexFunc(contenders, func(c contender) bool { return c.id == id })
		if i < 0 {
			var ids []string
			for _, c := range contenders {
				ids = append(ids, c.id)
			}
			log.Fatalf("-forms: unknown %q (known: %s)", id, strings.Join(ids, ","))
		}
		out = append(out, contenders[i])
	}
	return out
}

// metric reads one number from a result: seconds or bytes.
type metric func(result) float64

var (
	applyWall    metric = func(r result) float64 { return r.apply.wall.Seconds() }
	applyCPU     metric = func(r result) float64 { return r.apply.cpu.Seconds() }
	applyProvCPU metric = func(r result) float64 { return r.apply.provCPU.Seconds() }
	planWall     metric = func(r result) float64 { return r.plan.wall.Seconds() }
	planCPU      metric = func(r result) float64 { return r.plan.cpu.Seconds() }
	planProvCPU  metric = func(r result) float64 { return r.plan.provCPU.Seconds() }
	stateBytes   metric = func(r result) float64 { return float64(r.state) }
	applyTFRSS   metric = func(r result) float64 { return float64(r.apply.tfPeak) }
	applyProvRSS metric = func(r result) float64 { return float64(r.apply.provPeak) }
	applyMaxRSS  metric = func(r result) float64 { return float64(r.apply.maxRSS) }
	planTFRSS    metric = func(r result) float64 { return float64(r.plan.tfPeak) }
	planProvRSS  metric = func(r result) float64 { return float64(r.plan.provPeak) }
	planMaxRSS   metric = func(r result) float64 { return float64(r.plan.maxRSS) }
)

// medianOf is the median of one metric over runs (the upper one of an even count).
func medianOf(rs []result, m metric) float64 {
	var v []float64
	for _, r := range rs {
		v = append(v, m(r))
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// scaling applies every contender at every size, interleaved run by run so
// that drift in the machine hits all alike, and reports totals, the marginal
// cost per plugin and mcptls against the targets.
func scaling(b *bench, ns []int, runs int, cs []contender) {
	samples := map[string]map[int][]result{}
	for _, c := range cs {
		samples[c.id] = map[int][]result{}
	}
	for r := 0; r < runs; r++ {
		for _, n := range ns {
			for _, c := range cs {
				res := b.applyAndPlan(c.config(n), c.check)
				samples[c.id][n] = append(samples[c.id][n], res)
				log.Printf("run %d/%d, N=%d, %s: apply %.2f s (CPU %.2f s), plan %.2f s (CPU %.2f s), state %d B",
					r+1, runs, n, c.name, res.apply.wall.Seconds(), res.apply.cpu.Seconds(),
					res.plan.wall.Seconds(), res.plan.cpu.Seconds(), res.state)
			}
		}
	}

	fmt.Printf("## CA + gateway + N plugins (ECDSA P-256), median of %d runs\n\n", runs)
	fmt.Println("tls is hashicorp/tls with the graph users would write (tls_private_key, tls_cert_request and")
	fmt.Println("tls_locally_signed_cert per plugin); terraform_data is Terraform's built-in floor (no provider")
	fmt.Println("process); framework is bench/floorprovider, the smallest terraform-plugin-framework provider;")
	fmt.Println("terraform_data 4.9KB carries as many state bytes per resource as an ECDSA mcptls_plugin_cert;")
	fmt.Println("framework 27 attrs is the floor provider with as many attributes as mcptls_plugin_cert and no logic.")
	fmt.Println()
	fmt.Println("CPU is user+sys of terraform and the provider processes it ran (wait4 rusage, exact); in")
	fmt.Println("parentheses the providers' part, sampled from /proc every 50 ms (a lower bound). RSS is the peak")
	fmt.Println("resident set in MB: terraform / largest provider process, sampled (lower bounds), then the exact")
	fmt.Println("ru_maxrss of the largest single process. State is terraform.tfstate after apply.")
	fmt.Println()
	fmt.Println("| N | contender | apply s | apply CPU s (provider) | plan s | plan CPU s (provider) | state KB | apply RSS MB tf / provider / max | plan RSS MB tf / provider / max |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	for _, n := range ns {
		for _, c := range cs {
			rs := samples[c.id][n]
			med := func(m metric) float64 { return medianOf(rs, m) }
			fmt.Printf("| %d | %s | %.2f | %.2f (%.2f) | %.2f | %.2f (%.2f) | %.1f | %s | %s |\n", n, c.name,
				med(applyWall), med(applyCPU), med(applyProvCPU), med(planWall), med(planCPU), med(planProvCPU),
				med(stateBytes)/1024, rss(med(applyTFRSS), med(applyProvRSS), med(applyMaxRSS)),
				rss(med(planTFRSS), med(planProvRSS), med(planMaxRSS)))
		}
	}
	fmt.Println()

	has := func(id string) bool { return samples[id] != nil }
	fmt.Println("Marginal cost per plugin (slope of the medians between two sizes): milliseconds, state bytes,")
	fmt.Println("and CPU and state against tls and terraform_data.")
	fmt.Println()
	fmt.Println("| between | contender | apply ms | apply CPU ms | plan ms | plan CPU ms | state B | apply CPU / tls | apply CPU / terraform_data | plan CPU / tls | plan CPU / terraform_data | state / tls |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|")
	for i := 1; i < len(ns); i++ {
		lo, hi := ns[i-1], ns[i]
		slope := func(id string, m metric) float64 {
			return (medianOf(samples[id][hi], m) - medianOf(samples[id][lo], m)) / float64(hi-lo)
		}
		ratio := func(id, to string, m metric) string {
			if !has(to) {
				return "-"
			}
			return ratioCell(slope(id, m), slope(to, m))
		}
		for _, c := range cs {
			fmt.Printf("| %d-%d | %s | %.1f | %.1f | %.1f | %.1f | %.0f | %s | %s | %s | %s | %s |\n", lo, hi, c.name,
				1e3*slope(c.id, applyWall), 1e3*slope(c.id, applyCPU), 1e3*slope(c.id, planWall), 1e3*slope(c.id, planCPU),
				slope(c.id, stateBytes),
				ratio(c.id, "tls", applyCPU), ratio(c.id, "terraform_data", applyCPU),
				ratio(c.id, "tls", planCPU), ratio(c.id, "terraform_data", planCPU), ratio(c.id, "tls", stateBytes))
		}
	}
	fmt.Println()

	if !has("mcptls") || len(ns) < 2 {
		return
	}
	fmt.Println("mcptls per added plugin against the targets:")
	fmt.Println()
	fmt.Println("| between | target | mcptls / reference | met |")
	fmt.Println("|---|---|---|---|")
	for i := 1; i < len(ns); i++ {
		lo, hi := ns[i-1], ns[i]
		slope := func(id string, m metric) float64 {
			return (medianOf(samples[id][hi], m) - medianOf(samples[id][lo], m)) / float64(hi-lo)
		}
		for _, t := range []struct {
			what, ref string
			m         metric
			max       float64
		}{
			{"apply CPU", "tls", applyCPU, 0.2}, {"apply CPU", "terraform_data", applyCPU, 3},
			{"no-op plan CPU", "tls", planCPU, 0.2}, {"no-op plan CPU", "terraform_data", planCPU, 3},
			{"state bytes", "tls", stateBytes, 0.4},
		} {
			if !has(t.ref) {
				continue
			}
			r, ref := slope("mcptls", t.m), slope(t.ref, t.m)
			met := "no"
			switch {
			case r <= 0 || ref <= 0:
				met = "noise" // a slope at or below zero: sizes too close for this run count
			case r/ref <= t.max:
				met = "yes"
			}
			fmt.Printf("| %d-%d | %s <= %gx %s | %s | %s |\n", lo, hi, t.what, t.max, t.ref, ratioCell(r, ref), met)
		}
	}
	fmt.Println()
}

// ratioCell prints a/b, or n/a when b is not positive (a slope lost in noise).
func ratioCell(a, b float64) string {
	if b <= 0 || math.IsNaN(a/b) {
		return "n/a"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

func rss(tf, prov, maxRSS float64) string {
	mb := func(v float64) string {
		if v == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0f", v/(1<<20))
	}
	return mb(tf) + " / " + mb(prov) + " / " + mb(maxRSS)
}
