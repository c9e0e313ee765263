package main

import (
	"fmt"
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

// floorGraph is the same graph in Terraform's built-in terraform_data: what
// Terraform itself costs per resource, with no provider process at all.
func floorGraph(n int) string {
	return fmt.Sprintf(`
resource "terraform_data" "ca" {
  input = "ca"
}

resource "terraform_data" "gw" {
  input = terraform_data.ca.output
}

resource "terraform_data" "p" {
  count = %d
  input = terraform_data.ca.output
}
`, n)
}

// frameworkGraph is the same graph in bench/floorprovider, the smallest
// framework provider: what the plugin protocol and the framework cost per
// resource before any provider logic.
func frameworkGraph(n int) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    floor = { source = "mcptls/floor" }
  }
}

resource "floor_thing" "ca" {
  input = "ca"
}

resource "floor_thing" "gw" {
  input = floor_thing.ca.output
}

resource "floor_thing" "p" {
  count = %d
  input = floor_thing.ca.output
}
`, n)
}

type sample struct{ apply, plan []time.Duration }

// scaling measures both graphs at every size, interleaved so that drift in the
// machine hits both alike, and reports the marginal cost per plugin.
func scaling(b *bench, ns []int, runs int) {
	graphs := []struct {
		name   string
		config func(int) string
	}{{"mcptls", mcptlsGraph}, {"terraform_data", floorGraph}, {"framework", frameworkGraph}}
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

	fmt.Printf("## CA + gateway + N plugins (ECDSA), median of %d runs, seconds\n\n", runs)
	fmt.Println("terraform_data is Terraform's built-in floor (no provider process); framework is")
	fmt.Println("bench/floorprovider, the smallest terraform-plugin-framework provider.")
	fmt.Println()
	fmt.Println("| N | apply: mcptls | terraform_data | framework | no-op plan: mcptls | terraform_data | framework |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, n := range ns {
		m, f, w := samples["mcptls"][n], samples["terraform_data"][n], samples["framework"][n]
		fmt.Printf("| %d | %s | %s | %s | %s | %s | %s |\n", n, seconds(median(m.apply)), seconds(median(f.apply)), seconds(median(w.apply)),
			seconds(median(m.plan)), seconds(median(f.plan)), seconds(median(w.plan)))
	}
	fmt.Println("\nMarginal cost per plugin (slope between sizes), milliseconds, and mcptls's ratio to each floor; target: within 3x of terraform_data")
	fmt.Println()
	fmt.Println("| between | step | mcptls | terraform_data | framework | mcptls / terraform_data | mcptls / framework |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for i := 1; i < len(ns); i++ {
		lo, hi := ns[i-1], ns[i]
		for _, step := range []struct {
			name string
			pick func(*sample) []time.Duration
		}{{"apply", func(s *sample) []time.Duration { return s.apply }}, {"no-op plan", func(s *sample) []time.Duration { return s.plan }}} {
			slope := func(g string) float64 {
				return float64(median(step.pick(samples[g][hi]))-median(step.pick(samples[g][lo]))) / float64(hi-lo) / float64(time.Millisecond)
			}
			m, f, w := slope("mcptls"), slope("terraform_data"), slope("framework")
			fmt.Printf("| %d-%d | %s | %.1f | %.1f | %.1f | %.2fx | %.2fx |\n", lo, hi, step.name, m, f, w, m/f, m/w)
		}
	}
	fmt.Println()
}
