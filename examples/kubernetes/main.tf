# Plugin mTLS on Kubernetes: one TLS secret per certificate, written write-only
# (data_wo: the secret's data is not kept in the kubernetes provider's state),
# and env maps that point into the secret where the pod mounts it.
#
# Not validated in CI: the hashicorp/kubernetes provider (>= 2.37 for data_wo)
# cannot be built from the Go module proxy here (only v1.13.4 is served), so
# this file is checked by `terraform fmt` only. The mcptls side is the module
# the quickstart and the environments example apply.
terraform {
  required_version = ">= 1.11" # write-only arguments
  required_providers {
    mcptls     = { source = "mcptls/mcptls" }
    kubernetes = { source = "hashicorp/kubernetes", version = ">= 2.37" }
  }
}

variable "namespace" {
  type    = string
  default = "mcp"
}

module "mtls" {
  source               = "../modules/plugin-mtls"
  config_path          = "${path.module}/config.yaml"
  key_algorithm        = "ECDSA"
  kubernetes_mount_dir = "/etc/mcp/tls"
}

# gateway, plugins/DenyListPlugin, plugins/OPAPluginFilter
resource "kubernetes_secret_v1" "tls" {
  for_each = module.mtls.revisions

  metadata {
    name      = "mcp-${replace(lower(each.key), "/", "-")}-tls"
    namespace = var.namespace
  }
  type             = "kubernetes.io/tls"
  data_wo          = module.mtls.kubernetes_secret_data[each.key]
  data_wo_revision = each.value # changes with the certificate or the trust bundle
}

# The env of each workload (non-secret: paths, ports, switches). Mount the
# secret above at /etc/mcp/tls in the matching pod and use this as its env.
resource "kubernetes_config_map_v1" "env" {
  for_each = module.mtls.kubernetes_env

  metadata {
    name      = "mcp-${replace(lower(each.key), "/", "-")}-env"
    namespace = var.namespace
  }
  data = each.value
}
