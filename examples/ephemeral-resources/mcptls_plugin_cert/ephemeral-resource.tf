# A CA whose key stays in a secret store: state holds no key at all.
resource "mcptls_ca" "this" {
  key_algorithm          = "ECDSA"
  private_key_pem_wo     = var.ca_private_key_pem # e.g. from an ephemeral Vault read
  private_key_wo_version = 1
}

variable "ca_private_key_pem" {
  type      = string
  sensitive = true
  ephemeral = true
}

# A new certificate and key on every run, never in state or plan.
ephemeral "mcptls_plugin_cert" "deny_list" {
  name               = "DenyListPlugin"
  url                = "https://deny-list.plugins.svc:8443/mcp"
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = var.ca_private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
  key_algorithm      = "ECDSA"
  validity_days      = 70
}

locals {
  # The sink takes a new pair only when this number changes: at the first apply
  # of each month, and whenever the CA's trust bundle changes (rotation).
  revision = tonumber(formatdate("YYYYMM", plantimestamp())) * 4096 + parseint(substr(sha256(mcptls_ca.this.trust_bundle_pem), 0, 3), 16)
}

# A write-only sink, for example the kubernetes provider's secret:
#
# resource "kubernetes_secret_v1" "deny_list_tls" {
#   metadata { name = "mcp-plugin-denylistplugin-tls" }
#   data_wo = {
#     "tls.crt" = ephemeral.mcptls_plugin_cert.deny_list.cert_pem
#     "tls.key" = ephemeral.mcptls_plugin_cert.deny_list.private_key_pem
#     "ca.crt"  = ephemeral.mcptls_plugin_cert.deny_list.trust_bundle_pem
#   }
#   data_wo_revision = local.revision
# }
