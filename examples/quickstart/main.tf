# The quickstart: what `make certs-mcp-all` does, as one terraform apply.
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

locals {
  # The external plugins of the gateway's plugins/external/config.yaml.
  plugins = {
    DenyListPlugin  = "http://127.0.0.1:3000/mcp"
    OPAPluginFilter = "https://localhost:8000/mcp"
  }
}

resource "mcptls_ca" "this" {}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
}

resource "mcptls_plugin_cert" "this" {
  for_each           = local.plugins
  name               = each.key
  url                = each.value
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
}

output "client_env" {
  value = mcptls_gateway_cert.this.client_env
}

output "server_env" {
  value = { for name, cert in mcptls_plugin_cert.this : name => cert.server_env }
}

# Like `make certs-mcp-check`: when each certificate expires.
output "expiry" {
  value = merge(
    { CA = mcptls_ca.this.not_after, gateway = mcptls_gateway_cert.this.not_after },
    { for name, cert in mcptls_plugin_cert.this : name => cert.not_after },
  )
}
