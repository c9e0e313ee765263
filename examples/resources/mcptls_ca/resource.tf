# The Makefile's CA: RSA 4096, 825 days, CN=ContextForge-CA. It rotates without
# an outage: 30 days before its renewal point it stages a successor.
resource "mcptls_ca" "this" {}

# A short-lived ECDSA CA: renewal point 60 days before expiry, successor trusted
# 45 days before that.
resource "mcptls_ca" "short" {
  common_name           = "Acme-MCP-CA"
  organization          = "Acme"
  key_algorithm         = "ECDSA"
  ecdsa_curve           = "P384"
  validity_days         = 365
  early_renewal_days    = 60
  rotation_overlap_days = 45
}

# Ship the bundle, not the CA alone: it holds the successor while it is staged.
resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
}

output "rotation" {
  value = {
    phase     = mcptls_ca.this.rotation_phase
    not_after = mcptls_ca.this.not_after
  }
}
