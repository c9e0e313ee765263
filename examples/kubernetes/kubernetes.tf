# One TLS secret and one config map per party: gateway, plugins/DenyListPlugin,
# plugins/OPAPluginFilter. Mount the secret at /etc/mcp/tls in the party's pod
# (defaultMode 0440: tls.key must not be world-readable) and use the config map
# as its env (envFrom); the deploying guide shows the pod spec.

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

# The env of each workload (not secret: paths, ports, switches).
resource "kubernetes_config_map_v1" "env" {
  for_each = module.mtls.kubernetes_env

  metadata {
    name      = "mcp-${replace(lower(each.key), "/", "-")}-env"
    namespace = var.namespace
  }
  data = each.value
}
