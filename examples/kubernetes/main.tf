# Plugin mTLS on Kubernetes: one TLS secret per certificate, written write-only
# (data_wo: the secret's data is not kept in the kubernetes provider's state),
# and env maps that point into the secret where the pod mounts it
# (kubernetes.tf).
#
# Private keys in state: 2N + 4 (8 with the 2 plugins here), all in mcptls's
# resources: data_wo keeps none in the kubernetes provider's. With
# ca_private_key_pem_wo (the CA's own key, from your secret store) it is N + 2.
#
# Not validated against the kubernetes provider: hashicorp/kubernetes (>= 2.37
# for data_wo) cannot be built from the Go module proxy here. The acceptance
# suite applies this directory with a stand-in for kubernetes.tf that writes
# what a pod would see (the secret's files and the env) and runs the
# gateway-to-plugin handshakes with them.
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

variable "key_algorithm" {
  description = "ECDSA keys are small and fast; RSA gives the Makefile's 4096-bit keys."
  type        = string
  default     = "ECDSA"
}

module "mtls" {
  source               = "../modules/plugin-mtls"
  config_path          = "${path.module}/config.yaml"
  key_algorithm        = var.key_algorithm
  server_host          = "0.0.0.0" # each plugin listens on its pod's network (the module's default)
  kubernetes_mount_dir = "/etc/mcp/tls"
}
