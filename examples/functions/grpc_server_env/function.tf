# PLUGINS_GRPC_SERVER_* for a gRPC plugin container that mounts the certificates
# at /app/certs and requires the gateway's client certificate (ssl_cert_reqs 2).
output "grpc_plugin_env" {
  value = provider::mcptls::grpc_server_env("OPAPluginFilter", "/app/certs", "0.0.0.0", 50051, 2)
}
