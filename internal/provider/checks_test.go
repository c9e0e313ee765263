package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

type compareEqual struct{}

func (compareEqual) CompareValues(values ...any) error {
	for _, v := range values[1:] {
		if v != values[0] {
			return fmt.Errorf("values differ: %v and %v", values[0], v)
		}
	}
	return nil
}

// checkSANs parses the issued certificate and compares its SANs.
func checkSANs(addr, wantDNS, wantIPs string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		cert, err := pki.ParseCertificate(rs.Primary.Attributes["cert_pem"])
		if err != nil {
			return err
		}
		sans := pki.SANsOf(cert.DNSNames, cert.IPAddresses)
		var ips []string
		for _, ip := range sans.IPAddresses {
			ips = append(ips, ip.String())
		}
		if got := strings.Join(sans.DNSNames, ","); !strings.EqualFold(got, wantDNS) {
			return fmt.Errorf("DNS SANs %s, want %s", got, wantDNS)
		}
		if got := strings.Join(ips, ","); got != wantIPs {
			return fmt.Errorf("IP SANs %s, want %s", got, wantIPs)
		}
		return nil
	}
}
