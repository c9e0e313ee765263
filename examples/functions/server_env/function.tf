# PLUGINS_SERVER_* for a container that mounts the certificates at /app/certs.
output "plugin_env" {
  value = provider::mcptls::server_env("DenyListPlugin", "/app/certs", "0.0.0.0", 8000, 2)
}
