# A gRPC plugin server's own config.yaml: its plugins, then grpc_server_settings
# with the certificates mounted at /app/certs, requiring the gateway's client
# certificate (ssl_cert_reqs 2 is client_auth: require).
output "plugin_server_config" {
  value = <<-EOT
    plugins:
      - name: OPAPluginFilter
        kind: plugins.external.opa.opapluginfilter.plugin.OPAPluginFilter
        hooks: ["tool_pre_invoke"]
    ${chomp(provider::mcptls::grpc_server_settings_yaml("OPAPluginFilter", "/app/certs", "0.0.0.0", 50051, 2))}
  EOT
}
