# Docker compose: the module issues the certificates, hashicorp/local writes
# each service's certificates and an env file per service, and compose.yaml
# mounts each service's own directory read-only (no service sees another's
# key, none sees the CA key) and reads its env file.
#
# Private keys in state: 3N + 5 (11 with the 2 plugins here): mcptls keeps
# 2N + 4, the key files N + 1. With write_only_ca_key = true: 2N + 4; with a
# CA key of your own (ca_key_file): 2N + 3. hashicorp/local has no write-only
# file, so the key files' copies stay (see the keys guide).
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
    local  = { source = "hashicorp/local" }
  }
}

variable "key_algorithm" {
  description = "ECDSA keys are small and fast; RSA gives the Makefile's 4096-bit keys."
  type        = string
  default     = "ECDSA"
}

variable "write_only_ca_key" {
  description = "Leaves sign with the CA key write-only: no copy of it in their state (Terraform >= 1.11)."
  type        = bool
  default     = false
}

variable "ca_key_file" {
  description = "A CA key of your own (PEM, of key_algorithm): the CA is made from it and no CA key is kept in state (Terraform >= 1.11)."
  type        = string
  default     = null
}

module "mtls" {
  source                    = "../modules/plugin-mtls"
  config_path               = "${path.module}/config.yaml"
  key_algorithm             = var.key_algorithm
  cert_dir                  = "/etc/mcp/certs" # where compose.yaml mounts them in each container
  write_only_ca_key         = var.write_only_ca_key
  ca_private_key_pem_wo     = var.ca_key_file == null ? null : file(var.ca_key_file)
  ca_private_key_wo_version = var.ca_key_file == null ? null : 1 # bump with a new key
  # server_host defaults to 0.0.0.0: each plugin listens on its container's network.
}

locals {
  # Nothing in a container reads the CA key or client.pem (cert + key for curl):
  # they stay out of the tree, and so out of hashicorp/local's state.
  deployed = setsubtract(module.mtls.file_paths, ["ca/ca.key", "gateway/client.pem"])
}

resource "local_sensitive_file" "certs" {
  for_each             = local.deployed
  filename             = "${path.module}/certs/mcp/${each.key}"
  content              = module.mtls.files[each.key].content
  file_permission      = module.mtls.file_modes[each.key]
  directory_permission = "0755"
}

# env/gateway.env, env/plugins/<name>.env: compose.yaml's env_file.
resource "local_sensitive_file" "env" {
  for_each             = module.mtls.env_file_names
  filename             = "${path.module}/env/${each.key}.env"
  content              = module.mtls.env_files[each.key]
  file_permission      = "0600"
  directory_permission = "0755"
}

output "expiry" {
  value = module.mtls.expiry
}
