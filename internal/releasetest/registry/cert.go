package registry

import (
	"crypto/tls"
	"time"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// LoopbackCertificate issues the registry's HTTPS certificate with this
// provider's own pki: a CA, and a server certificate with the profile
// mcptls_plugin_cert gives a plugin named "registry" at https://127.0.0.1
// (SANs registry, mcp-plugin-registry, localhost, IP 127.0.0.1). It returns the
// certificate and the CA's PEM, which clients trust (SSL_CERT_FILE). ECDSA keys:
// the test is about the registry, not RSA key generation.
func LoopbackCertificate(now time.Time) (tls.Certificate, string, error) {
	spec := pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}
	caKey, err := pki.GenerateKey(spec, nil)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	ca, err := pki.Issue(pki.Request{
		Profile: pki.ProfileCA, Subject: pki.Subject{CommonName: "mcptls release-check CA", Organization: "mcptls"},
		ValidityDays: 1, Now: now,
	}, caKey, nil)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sans, err := pki.PluginSANs("registry", "127.0.0.1", nil, nil)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	key, err := pki.GenerateKey(spec, nil)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	leaf, err := pki.Issue(pki.Request{
		Profile: pki.ProfileServer, Subject: pki.PluginSubject("registry", pki.DefaultPluginSubject),
		DNSNames: sans.DNSNames, IPAddresses: sans.IPAddresses, ValidityDays: 1, Now: now,
	}, key, &pki.Issuer{Cert: ca.Cert, Key: caKey})
	if err != nil {
		return tls.Certificate{}, "", err
	}
	keyPEM, err := pki.EncodePrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	cert, err := tls.X509KeyPair([]byte(leaf.CertPEM), []byte(keyPEM))
	return cert, ca.CertPEM, err
}
