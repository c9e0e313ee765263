# The gateway's config.yaml as kept in the repository (usually
# file("${path.module}/config.yaml")): the MCP plugin at an https URL gets
# mcp.tls, the gRPC plugin grpc.tls; comments, the http plugin and the
# template stay as written.
locals {
  gateway_config = <<-EOT
    plugins:
      # Deny list, behind the mesh.
      - name: DenyListPlugin
        kind: external
        mcp:
          proto: STREAMABLEHTTP
          url: "https://{{ env.DENY_LIST_HOST }}:8443/mcp"
      - name: LocalPlugin
        kind: external
        mcp:
          proto: STREAMABLEHTTP
          url: http://localhost:8001/mcp
      - name: OPAPluginFilter
        kind: external
        grpc:
          target: opa.plugins.example.com:50051
  EOT
}

output "gateway_config" {
  value = provider::mcptls::plugin_config_tls_yaml(local.gateway_config, "/app/certs", {
    template_env = { DENY_LIST_HOST = "deny-list.plugins.example.com" }
  })
}

# Options: no host name check in mcp.tls, and write mcptls's block over any
# tls block a plugin already has.
output "gateway_config_replaced" {
  value = provider::mcptls::plugin_config_tls_yaml(local.gateway_config, "/app/certs", {
    check_hostname = false
    existing_tls   = "replace"
    template_env   = { DENY_LIST_HOST = "deny-list.plugins.example.com" }
  })
}
