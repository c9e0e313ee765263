package provider

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

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

func mustRegexp(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// checkKey parses the stored key and compares its kind with what was asked.
func checkKey(addr, algorithm string, rsaBits int, curve string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		key, err := pki.ParsePrivateKey(s.RootModule().Resources[addr].Primary.Attributes["private_key_pem"])
		if err != nil {
			return err
		}
		spec, err := pki.SpecOf(key.Public())
		if err != nil {
			return err
		}
		if spec.Algorithm != algorithm || (rsaBits != 0 && spec.RSABits != rsaBits) || (curve != "" && spec.Curve != curve) {
			return fmt.Errorf("%s key is %+v, want %s %d %s", addr, spec, algorithm, rsaBits, curve)
		}
		return nil
	}
}
