# The quickstart: what `make certs-mcp-all` does, as one terraform apply driven by
# the gateway's own config.yaml.
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

variable "key_algorithm" {
  description = "RSA (the Makefile's 4096-bit keys), ECDSA or ED25519."
  type        = string
  default     = "RSA"
}

data "mcptls_plugin_config" "gateway" {
  path = "${path.module}/config.yaml"
}

resource "mcptls_ca" "this" {
  key_algorithm = var.key_algorithm
}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = var.key_algorithm
}

# One server certificate per plugin the gateway reaches over TLS (MCP at an
# https URL, gRPC at a TCP target); Unix-socket and native plugins need none.
resource "mcptls_plugin_cert" "this" {
  for_each           = data.mcptls_plugin_config.gateway.tls_plugins
  name               = each.key
  url                = each.value.url
  grpc_target        = each.value.grpc_target
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = var.key_algorithm
}

output "client_env" {
  description = "The gateway's PLUGINS_CLIENT_MTLS_* (MCP plugins)."
  value       = mcptls_gateway_cert.this.client_env
}

output "grpc_client_env" {
  description = "The gateway's PLUGINS_GRPC_CLIENT_MTLS_* (gRPC plugins)."
  value       = mcptls_gateway_cert.this.grpc_client_env
}

output "transports" {
  description = "How the gateway reaches each external plugin."
  value       = { for name, p in data.mcptls_plugin_config.gateway.external_plugins : name => p.transport }
}

output "server_env" {
  description = "Each plugin server's env: PLUGINS_SERVER_* for MCP, PLUGINS_GRPC_SERVER_* for gRPC."
  value       = { for name, cert in mcptls_plugin_cert.this : name => cert.server_env }
}

# Like `make certs-mcp-check`: when each certificate expires.
output "expiry" {
  value = merge(
    { CA = mcptls_ca.this.not_after, gateway = mcptls_gateway_cert.this.not_after },
    { for name, cert in mcptls_plugin_cert.this : name => cert.not_after },
  )
}

# Every file of the guide's certs/mcp tree, for scripts/writecerts (the quickstart
# cannot use the local provider from the registry here).
output "files" {
  sensitive = true
  value = merge(
    {
      "ca/ca.crt"          = mcptls_ca.this.cert_pem
      "ca/ca.key"          = mcptls_ca.this.private_key_pem
      "gateway/client.crt" = mcptls_gateway_cert.this.cert_pem
      "gateway/client.key" = mcptls_gateway_cert.this.private_key_pem
      "gateway/client.pem" = mcptls_gateway_cert.this.client_pem
      "gateway/ca.crt"     = mcptls_gateway_cert.this.trust_bundle_pem
    },
    merge([for name, cert in mcptls_plugin_cert.this : {
      "plugins/${name}/server.crt" = cert.cert_pem
      "plugins/${name}/server.key" = cert.private_key_pem
      "plugins/${name}/ca.crt"     = cert.trust_bundle_pem
    }]...),
  )
}
