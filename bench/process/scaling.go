package main

import (
	"fmt"
	"strings"
	"time"
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
// mcptls_plugin_cert (about 3.4 KB; stored twice, as input and output):
// Terraform's local backend rewrites the whole state after every resource, so
// state size alone makes apply cost grow with N.
func paddedFloorGraph(n int) string { return copyGraph("terraform_data", "", n, 1700) }

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

type sample struct{ apply, plan []time.Duration }

// scaling measures both graphs at every size, interleaved so that drift in the
// machine hits both alike, and reports the marginal cost per plugin.
func scaling(b *bench, ns []int, runs int) {
	graphs := []struct {
		name   string
		config func(int) string
	}{{"mcptls", mcptlsGraph}, {"terraform_data", floorGraph}, {"framework", frameworkGraph}, {"terraform_data 3.4KB", paddedFloorGraph}, {"framework 27 attrs", wideFrameworkGraph}}
	samples := map[string]map[int]*sample{}
	for _, g := range graphs {
		samples[g.name] = map[int]*sample{}
		for _, n := range ns {
			samples[g.name][n] = &sample{}
		}
	}
	for r := 0; r < runs; r++ {
		for _, n := range ns {
			for _, g := range graphs {
				apply, plan := b.applyAndPlan(g.config(n))
				s := samples[g.name][n]
				s.apply, s.plan = append(s.apply, apply), append(s.plan, plan)
			}
		}
	}

	names := []string{"mcptls", "terraform_data", "framework", "terraform_data 3.4KB", "framework 27 attrs"}
	fmt.Printf("## CA + gateway + N plugins (ECDSA), median of %d runs, seconds\n\n", runs)
	fmt.Println("terraform_data is Terraform's built-in floor (no provider process); framework is")
	fmt.Println("bench/floorprovider, the smallest terraform-plugin-framework provider; terraform_data 3.4KB")
	fmt.Println("carries as many state bytes per resource as an ECDSA mcptls_plugin_cert; framework 27 attrs")
	fmt.Println("is the floor provider with as many attributes as mcptls_plugin_cert and no logic.")
	fmt.Println()
	for _, step := range steps {
		fmt.Printf("| %s, N | %s |\n|---|%s\n", step.name, strings.Join(names, " | "), strings.Repeat("---|", len(names)))
		for _, n := range ns {
			var cells []string
			for _, g := range names {
				cells = append(cells, seconds(median(step.pick(samples[g][n]))))
			}
			fmt.Printf("| %d | %s |\n", n, strings.Join(cells, " | "))
		}
		fmt.Println()
	}
	fmt.Println("Marginal cost per plugin (slope between sizes), milliseconds, and mcptls's ratio to terraform_data (the target: within 3x)")
	fmt.Println()
	fmt.Printf("| between | step | %s | mcptls / terraform_data |\n|---|---|%s---|\n", strings.Join(names, " | "), strings.Repeat("---|", len(names)))
	for i := 1; i < len(ns); i++ {
		lo, hi := ns[i-1], ns[i]
		for _, step := range steps {
			slope := func(g string) float64 {
				return float64(median(step.pick(samples[g][hi]))-median(step.pick(samples[g][lo]))) / float64(hi-lo) / float64(time.Millisecond)
			}
			var cells []string
			for _, g := range names {
				cells = append(cells, fmt.Sprintf("%.1f", slope(g)))
			}
			fmt.Printf("| %d-%d | %s | %s | %.2fx |\n", lo, hi, step.name, strings.Join(cells, " | "), slope("mcptls")/slope("terraform_data"))
		}
	}
	fmt.Println()
}

var steps = []struct {
	name string
	pick func(*sample) []time.Duration
}{{"apply", func(s *sample) []time.Duration { return s.apply }}, {"no-op plan", func(s *sample) []time.Duration { return s.plan }}}
