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

type sample struct{ apply, plan []time.Duration }

// scaling measures both graphs at every size, interleaved so that drift in the
// machine hits both alike, and reports the marginal cost per plugin.
func scaling(b *bench, ns []int, runs int) {
	graphs := []struct {
		name   string
		config func(int) string
	}{{"mcptls", mcptlsGraph}, {"terraform_data", floorGraph}}
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
	fmt.Println("| N | mcptls apply | terraform_data apply | mcptls no-op plan | terraform_data no-op plan |")
	fmt.Println("|---|---|---|---|---|")
	for _, n := range ns {
		m, f := samples["mcptls"][n], samples["terraform_data"][n]
		fmt.Printf("| %d | %s | %s | %s | %s |\n", n, seconds(median(m.apply)), seconds(median(f.apply)), seconds(median(m.plan)), seconds(median(f.plan)))
	}
	fmt.Println("\nMarginal cost per plugin (slope between sizes), milliseconds; target: mcptls within 3x of terraform_data")
	fmt.Println()
	fmt.Println("| between | mcptls apply | terraform_data apply | ratio | mcptls plan | terraform_data plan | ratio |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for i := 1; i < len(ns); i++ {
		lo, hi := ns[i-1], ns[i]
		slope := func(g string, pick func(*sample) []time.Duration) float64 {
			return float64(median(pick(samples[g][hi]))-median(pick(samples[g][lo]))) / float64(hi-lo) / float64(time.Millisecond)
		}
		applies := func(s *sample) []time.Duration { return s.apply }
		plans := func(s *sample) []time.Duration { return s.plan }
		ma, fa := slope("mcptls", applies), slope("terraform_data", applies)
		mp, fp := slope("mcptls", plans), slope("terraform_data", plans)
		fmt.Printf("| %d-%d | %.1f | %.1f | %.2fx | %.1f | %.1f | %.2fx |\n", lo, hi, ma, fa, ma/fa, mp, fp, mp/fp)
	}
	fmt.Println()
}
