# The gateway's grpc.tls block for a gRPC plugin, for a gateway that mounts the
# certificates at /app/certs; indent() places it under the plugin's grpc: block.
output "gateway_config" {
  value = <<-EOT
    plugins:
      - name: OPAPluginFilter
        kind: external
        grpc:
          target: opa.plugins.example.com:50051
          ${indent(6, chomp(provider::mcptls::grpc_client_tls_yaml("/app/certs")))}
  EOT
}
