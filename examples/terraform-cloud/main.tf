# In Terraform Cloud (or HCP Terraform, or any remote backend) nothing is
# written to disk: certificates, keys and env maps live in the workspace's
# state, encrypted at rest, and reach the deploy as outputs (or write-only
# sinks, see examples/kubernetes).
#
# Private keys in state: 3N + 5 (11 with the 2 plugins here): mcptls keeps
# 2N + 4, and the certificates output N + 1 (root outputs are kept in state).
terraform {
  cloud {
    organization = "acme"
    workspaces {
      name = "mcp-plugin-mtls"
    }
  }
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

module "mtls" {
  source        = "../modules/plugin-mtls"
  config_path   = "${path.module}/config.yaml" # committed with the workspace's code
  key_algorithm = "ECDSA"
  cert_dir      = "/app/certs" # where the deploy mounts them
}

output "gateway_env" {
  value = merge(module.mtls.client_env, module.mtls.grpc_client_env)
}

output "server_env" {
  value = module.mtls.server_env
}

output "expiring" {
  value = module.mtls.expiring
}

# Read by the deploy pipeline with `terraform output -json certificates`
# (a workspace run token can read outputs; sensitive values stay hidden in the UI).
output "certificates" {
  value     = module.mtls.kubernetes_secret_data
  sensitive = true
}
