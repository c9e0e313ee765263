# PLUGINS_GRPC_CLIENT_MTLS_* for a gateway that mounts its certificates at /app/certs.
output "gateway_grpc_env" {
  value = provider::mcptls::grpc_client_env("/app/certs")
}
