package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// testCA issues an ECDSA CA at the given time, for inputs no mcptls_ca makes.
func testCA(t testing.TB, now time.Time, days int) (certPEM, keyPEM string) {
	t.Helper()
	key, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
	if err != nil {
		t.Fatal(err)
	}
	issued, err := pki.Issue(pki.Request{Profile: pki.ProfileCA, Subject: pki.DefaultCASubject, ValidityDays: days, Now: now}, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err = pki.EncodePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return issued.CertPEM, keyPEM
}

// gatewayWithCA signs a gateway certificate with literal CA inputs.
func gatewayWithCA(certPEM, keyPEM string) string {
	return fmt.Sprintf(`
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = %q
  ca_private_key_pem = %q
  key_algorithm      = "ECDSA"
}`, certPEM, keyPEM)
}

// TestAccCAValidity_atPlanTime: a CA that has expired, or that only becomes
// valid beyond the clock skew margin, is an error on ca_cert_pem when planning
// (PlanOnly: no apply runs), measured on the provider's clock.
func TestAccCAValidity_atPlanTime(t *testing.T) {
	t.Parallel()
	expiredCert, expiredKey := testCA(t, t0.AddDate(0, 0, -400), 30)
	futureCert, futureKey := testCA(t, t0.Add(time.Hour), 30)
	nearCert, nearKey := testCA(t, t0.Add(pki.ClockSkewMargin+3*time.Minute), 30)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(newFakeClock(t0)),
		Steps: []resource.TestStep{
			{
				Config:      gatewayWithCA(expiredCert, expiredKey),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error: CA certificate has expired.*ca_cert_pem.*expired\s+at\s+2025-02-24T11:55:00Z.*Renew\s+the\s+CA`),
			},
			{
				Config:      gatewayWithCA(futureCert, futureKey),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error: CA certificate is not valid yet.*ca_cert_pem.*becomes\s+valid\s+at\s+2026-03-01T12:55:00Z.*Check\s+the\s+clock`),
			},
			{
				// Three minutes ahead is within the margin: issued, starting with the CA.
				Config: gatewayWithCA(nearCert, nearKey),
				Check:  resource.TestCheckResourceAttr("mcptls_gateway_cert.gw", "not_before", "2026-03-01T12:03:00Z"),
			},
		},
	})
}
