# PLUGINS_CLIENT_MTLS_* for a gateway that mounts the certificates at /app/certs.
output "gateway_env" {
  value = provider::mcptls::client_env("/app/certs", true, true)
}
