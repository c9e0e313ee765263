# A plugin server's env for a pod that mounts its TLS secret at /etc/mcp/tls.
output "plugin_env" {
  value = provider::mcptls::mounted_env(mcptls_plugin_cert.this.server_env, "/etc/mcp/tls")
}
