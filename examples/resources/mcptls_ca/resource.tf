# The Makefile's CA: RSA 4096, 825 days, CN=ContextForge-CA.
resource "mcptls_ca" "this" {}

# A short-lived ECDSA CA that renews 60 days before it expires.
resource "mcptls_ca" "short" {
  common_name        = "Acme-MCP-CA"
  organization       = "Acme"
  key_algorithm      = "ECDSA"
  ecdsa_curve        = "P384"
  validity_days      = 365
  early_renewal_days = 60
}
