resource "mcptls_ca" "this" {
  key_algorithm = "ECDSA"
}

# The gateway's client certificate and key, issued on every run and handed to a
# write-only sink; its env maps point at where the sink mounts them.
ephemeral "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = "ECDSA"
  cert_dir           = "/app/certs"
  validity_days      = 70
}
