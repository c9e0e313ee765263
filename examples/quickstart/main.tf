# The quickstart: what `make certs-mcp-all` does, as one terraform apply driven by
# the gateway's own config.yaml, through the reusable module, with the certs/mcp
# tree written by hashicorp/local.
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
    local  = { source = "hashicorp/local" }
  }
}

variable "key_algorithm" {
  description = "RSA (the Makefile's 4096-bit keys), ECDSA or ED25519."
  type        = string
  default     = "RSA"
}

module "mtls" {
  source        = "../modules/plugin-mtls"
  config_path   = "${path.module}/config.yaml"
  key_algorithm = var.key_algorithm
  server_host   = "127.0.0.1" # the plugins run on this machine, next to the gateway
}

# The guide's tree, keys 600 and certificates 644. A plugin removed from
# config.yaml loses its files at the next apply (its empty directory stays:
# hashicorp/local does not remove directories).
#
# Private keys in state: 3N + 7 (13 with the 2 plugins here): mcptls keeps
# 2N + 4, the files N + 3 (ca.key, client.key, client.pem, each server.key).
resource "local_sensitive_file" "certs" {
  for_each             = module.mtls.file_paths
  filename             = "${path.module}/certs/mcp/${each.key}"
  content              = module.mtls.files[each.key].content
  file_permission      = module.mtls.file_modes[each.key]
  directory_permission = "0755"
}

output "client_env" {
  description = "The gateway's PLUGINS_CLIENT_MTLS_* (MCP plugins)."
  value       = module.mtls.client_env
}

output "grpc_client_env" {
  description = "The gateway's PLUGINS_GRPC_CLIENT_MTLS_* (gRPC plugins)."
  value       = module.mtls.grpc_client_env
}

output "server_env" {
  description = "Each plugin server's env: PLUGINS_SERVER_* for MCP, PLUGINS_GRPC_SERVER_* for gRPC."
  value       = module.mtls.server_env
}

output "transports" {
  description = "How the gateway reaches each external plugin."
  value       = module.mtls.transports
}

# Like `make certs-mcp-check`: when each certificate expires, from data.mcptls_cert_check.
output "expiry" {
  value = module.mtls.expiry
}
