resource "mcptls_ca" "this" {}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  cert_dir           = "/app/certs/mcp"
}

# PLUGINS_CLIENT_MTLS_* for the gateway's deployment.
output "gateway_env" {
  value = mcptls_gateway_cert.this.client_env
}
