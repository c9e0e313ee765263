# The certs/mcp tree of a CA, the gateway and the for_each plugin certificates,
# written by hashicorp/local with the Makefile's modes.
locals {
  files = provider::mcptls::files(mcptls_ca.this, mcptls_gateway_cert.this, mcptls_plugin_cert.this)
}

resource "local_sensitive_file" "certs" {
  for_each        = nonsensitive(toset(keys(local.files)))
  filename        = "${path.module}/certs/mcp/${each.key}"
  content         = local.files[each.key].content
  file_permission = local.files[each.key].mode
}
