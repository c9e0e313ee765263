# The same module twice: staging and production, each with its own CA, key
# algorithm and validity. A certificate of one environment does not verify
# against the other's CA.
#
# Private keys in state: 6N + 14 (26 with the 2 plugins here): in each
# environment mcptls keeps 2N + 4 and the files output N + 3 (root outputs are
# kept in state); without that output, 4N + 8.
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

module "staging" {
  source                = "../modules/plugin-mtls"
  config_path           = "${path.module}/config.yaml"
  template_env          = { PLUGIN_DOMAIN = "staging.internal" }
  ca_common_name        = "MCP-Staging-CA"
  key_algorithm         = "ECDSA"
  validity_days         = 90
  early_renewal_days    = 15
  rotation_overlap_days = 15
  cert_dir              = "/etc/mcp/staging"
}

module "production" {
  source         = "../modules/plugin-mtls"
  config_path    = "${path.module}/config.yaml"
  template_env   = { PLUGIN_DOMAIN = "prod.internal" }
  ca_common_name = "MCP-Production-CA"
  key_algorithm  = "RSA"
  rsa_bits       = 2048
  validity_days  = 365
  cert_dir       = "/etc/mcp/production"
}

output "client_env" {
  value = {
    staging    = module.staging.client_env
    production = module.production.client_env
  }
}

output "server_env" {
  value = {
    staging    = module.staging.server_env
    production = module.production.server_env
  }
}

output "files" {
  sensitive = true
  value = {
    staging    = module.staging.files
    production = module.production.files
  }
}

output "expiry" {
  value = {
    staging    = module.staging.expiry
    production = module.production.expiry
  }
}
