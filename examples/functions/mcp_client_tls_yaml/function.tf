# The gateway's mcp.tls block for an MCP plugin, for a gateway that mounts the
# certificates at /app/certs; indent() places it under the plugin's mcp: block.
locals {
  mcp_tls = provider::mcptls::mcp_client_tls_yaml("/app/certs", true, true)
}

output "gateway_config" {
  value = <<-EOT
    plugins:
      - name: DenyListPlugin
        kind: external
        mcp:
          proto: STREAMABLEHTTP
          url: https://deny-list.plugins.example.com:8443/mcp
          ${indent(6, chomp(local.mcp_tls))}
  EOT
}

# The same block as an object, for a config built with yamlencode().
output "gateway_config_encoded" {
  value = yamlencode({
    plugins = [{
      name = "DenyListPlugin"
      kind = "external"
      mcp = {
        proto = "STREAMABLEHTTP"
        url   = "https://deny-list.plugins.example.com:8443/mcp"
        tls   = yamldecode(local.mcp_tls).tls
      }
    }]
  })
}
