# A CA, the gateway's client certificate and one server certificate per plugin
# the gateway reaches over TLS, from the gateway's own config.yaml. Leaves ship
# the CA's trust bundle, so a CA rotation never breaks a rolling deployment.

data "mcptls_plugin_config" "this" {
  path            = var.config_path
  content         = var.config_content
  ssrf_protection = var.ssrf_protection
  template_env    = var.template_env
}

resource "mcptls_ca" "this" {
  common_name           = var.ca_common_name
  key_algorithm         = var.key_algorithm
  rsa_bits              = var.rsa_bits
  ecdsa_curve           = var.ecdsa_curve
  validity_days         = var.validity_days
  early_renewal_days    = var.early_renewal_days
  rotation_overlap_days = var.rotation_overlap_days
}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = var.key_algorithm
  rsa_bits           = var.rsa_bits
  ecdsa_curve        = var.ecdsa_curve
  validity_days      = var.validity_days
  early_renewal_days = var.early_renewal_days
  cert_dir           = var.cert_dir
  check_hostname     = var.check_hostname

  lifecycle {
    create_before_destroy = true
  }
}

resource "mcptls_plugin_cert" "this" {
  for_each           = data.mcptls_plugin_config.this.tls_plugins
  name               = each.key
  url                = each.value.url         # null for gRPC plugins
  grpc_target        = each.value.grpc_target # null for MCP plugins
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = var.key_algorithm
  rsa_bits           = var.rsa_bits
  ecdsa_curve        = var.ecdsa_curve
  validity_days      = var.validity_days
  early_renewal_days = var.early_renewal_days
  cert_dir           = var.cert_dir
  server_host        = var.server_host

  lifecycle {
    create_before_destroy = true
  }
}

# Like `make certs-mcp-check`, on the values themselves.
data "mcptls_cert_check" "this" {
  warning_days = var.expiry_warning_days
  pems = merge(
    { ca = { role = "ca", cert_pem = mcptls_ca.this.cert_pem, ca_pem = null } },
    { gateway = { role = "client", cert_pem = mcptls_gateway_cert.this.cert_pem, ca_pem = mcptls_ca.this.trust_bundle_pem } },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => { role = "server", cert_pem = c.cert_pem, ca_pem = mcptls_ca.this.trust_bundle_pem } },
  )
}

locals {
  files = provider::mcptls::files(mcptls_ca.this, mcptls_gateway_cert.this, mcptls_plugin_cert.this)
}
