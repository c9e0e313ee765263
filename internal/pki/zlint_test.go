package pki

import (
	"crypto/x509"
	"testing"

	zx509 "github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3"
	"github.com/zmap/zlint/v3/lint"
)

// applicableSources are the lint sources that govern a private mTLS PKI. The
// others (CA/Browser Forum, root store and ETSI policies) govern publicly
// trusted certificates; their findings must each be accepted below, with why.
var applicableSources = map[lint.LintSource]bool{
	lint.RFC3279: true, lint.RFC5280: true, lint.RFC5480: true, lint.RFC5891: true,
	lint.RFC6960: true, lint.RFC8813: true, lint.Community: true,
}

// acceptedFindings are the public-web-PKI findings we accept, and why.
var acceptedFindings = map[string]string{
	// Subjects are the Makefile's (CN, O, OU; no C, L, ST): the product's contract.
	"e_ca_country_name_missing":             "subject",
	"e_subj_orgunit_in_ca_cert":             "subject",
	"e_organizational_unit_name_prohibited": "subject",
	"e_sub_cert_country_name_must_appear":   "subject",
	"e_sub_cert_locality_name_must_appear":  "subject",
	"e_sub_cert_province_must_appear":       "subject",
	"w_subject_common_name_included":        "subject: the gateway identifies plugins by CN mcp-plugin-<name>",
	// Peers trust one pinned CA file; rotation is renewal, not revocation.
	"e_missing_crl_distrib_point":                    "no CRL/OCSP in a two-party private PKI",
	"e_sub_cert_aia_missing":                         "no CRL/OCSP in a two-party private PKI",
	"w_sub_cert_aia_does_not_contain_issuing_ca_url": "peers hold the CA; nothing to fetch",
	"e_sub_cert_cert_policy_empty":                   "no certificate policy OIDs in a private PKI",
	"e_sub_cert_certificate_policies_missing":        "no certificate policy OIDs in a private PKI",
	// Internal names and addresses are the point: <name>, mcp-plugin-<name>, localhost, the URL's IP.
	"e_dnsname_not_valid_tld":        "internal DNS names",
	"e_ext_san_contains_reserved_ip": "private and loopback IP SANs",
	// 825 days is the guide's default; the browsers' 398-day cap is for public roots.
	"e_tls_server_cert_valid_time_longer_than_398_days": "validity_days default 825",
	"w_tls_server_cert_valid_time_longer_than_397_days": "validity_days default 825",
	// pathlen:0 is deliberate: the CA signs leaves only.
	"w_root_ca_basic_constraints_path_len_constraint_field_present": "pathlen:0 on purpose",
	// A subject key ID on leaves helps chain building and costs nothing (RFC 5280 4.2.1.2 says SHOULD).
	"w_ext_subject_key_identifier_not_recommended_subscriber": "SKID on every certificate",
	// SHA-256 is pinned for every key (the contract); Mozilla pairs P-384 with SHA-384 for public roots.
	"e_mp_ecdsa_signature_encoding_correct": "SHA-256 on P-384",
	// Ed25519 is opt-in; the Baseline Requirements allow only RSA and ECDSA.
	"e_algorithm_identifier_improper_encoding": "Ed25519 (RFC 8410 encoding)",
	"e_signature_algorithm_not_supported":      "Ed25519",
}

// TestZlint lints every certificate kind for every key algorithm. Applicable
// lints must pass; other findings above notice level must be accepted.
func TestZlint(t *testing.T) {
	t.Parallel()
	for _, spec := range []KeySpec{
		{Algorithm: AlgorithmRSA, RSABits: 2048}, ecdsaSpec(),
		{Algorithm: AlgorithmECDSA, Curve: CurveP384}, {Algorithm: AlgorithmEd25519},
	} {
		issuer, _, _ := mustCA(t, spec, testNow, DefaultValidityDays)
		key, err := GenerateKey(spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		sans, err := PluginSANs("DenyListPlugin", "10.0.0.5", []string{"plugin.internal"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		certs := map[string]*x509.Certificate{"ca": issuer.Cert}
		for kind, req := range map[string]Request{
			"gateway": {Profile: ProfileClient, Subject: DefaultGatewaySubject},
			"plugin":  {Profile: ProfileServer, Subject: PluginSubject("DenyListPlugin", DefaultPluginSubject), DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses},
		} {
			req.ValidityDays, req.Now = DefaultValidityDays, testNow
			issued, err := Issue(req, key, issuer)
			if err != nil {
				t.Fatal(err)
			}
			certs[kind] = issued.Cert
		}
		for kind, cert := range certs {
			zcert, err := zx509.ParseCertificate(cert.Raw)
			if err != nil {
				t.Fatalf("%s %s: zcrypto cannot parse: %v", spec.Algorithm, kind, err)
			}
			for name, result := range zlint.LintCertificate(zcert).Results {
				if result.Status < lint.Warn {
					continue
				}
				source := lint.GlobalRegistry().ByName(name).Source
				if _, ok := acceptedFindings[name]; ok && !applicableSources[source] {
					continue
				}
				t.Errorf("%s %s: %s [%s] %s %s", spec.Algorithm, kind, name, source, result.Status, result.Details)
			}
		}
	}
}
