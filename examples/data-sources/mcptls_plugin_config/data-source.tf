data "mcptls_plugin_config" "gateway" {
  path = "${path.module}/plugins/external/config.yaml"
}

resource "mcptls_ca" "this" {}

# One server certificate per external plugin.
resource "mcptls_plugin_cert" "this" {
  for_each           = data.mcptls_plugin_config.gateway.external_plugins
  name               = each.key
  url                = each.value.url
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
}
