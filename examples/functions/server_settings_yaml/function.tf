# An MCP plugin server's own config.yaml: its plugins, then server_settings with
# the certificates mounted at /app/certs, requiring the gateway's client
# certificate (ssl_cert_reqs 2). The server still needs PLUGINS_TRANSPORT=http.
output "plugin_server_config" {
  value = <<-EOT
    plugins:
      - name: DenyListPlugin
        kind: plugins.deny_filter.deny.DenyListPlugin
        hooks: ["prompt_pre_fetch"]
    ${chomp(provider::mcptls::server_settings_yaml("DenyListPlugin", "/app/certs", "0.0.0.0", 8000, 2))}
  EOT
}
