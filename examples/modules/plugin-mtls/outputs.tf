output "client_env" {
  description = "The gateway's PLUGINS_CLIENT_MTLS_* (MCP plugins)."
  value       = mcptls_gateway_cert.this.client_env
}

output "grpc_client_env" {
  description = "The gateway's PLUGINS_GRPC_CLIENT_MTLS_* (gRPC plugins)."
  value       = mcptls_gateway_cert.this.grpc_client_env
}

output "server_env" {
  description = "Each plugin server's env map, by plugin name."
  value       = { for name, c in mcptls_plugin_cert.this : name => c.server_env }
}

output "secret_env" {
  description = "Per party (gateway, plugins/<name>), the *_KEYFILE_PASSWORD variables of an encrypted key; empty maps without private_key_passphrase_wo."
  sensitive   = true
  value = merge(
    { gateway = mcptls_gateway_cert.this.secret_env },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => c.secret_env },
  )
}

output "env_files" {
  description = "Per party (gateway, plugins/<name>), its env map and secret_env as an env file (KEY=\"value\" lines, sorted, quoted for docker compose's env_file and its $ interpolation)."
  sensitive   = true
  value = { for party, env in local.env : party => join("", [
    for k in sort(keys(env)) : "${k}=\"${replace(replace(replace(env[k], "\\", "\\\\"), "\"", "\\\""), "$", "$$")}\"\n"
  ]) }
}

output "env_file_names" {
  description = "The parties of env_files (gateway, plugins/<name>), for for_each (names are not secret)."
  value       = nonsensitive(toset(keys(local.env)))
}

output "transports" {
  description = "How the gateway reaches each external plugin: mcp, grpc or unix_socket."
  value       = { for name, p in data.mcptls_plugin_config.this.external_plugins : name => p.transport }
}

output "files" {
  description = "The certs/mcp tree: relative path to content and mode. Write it with hashicorp/local, for_each over file_paths."
  value       = local.files
  sensitive   = true
}

output "file_paths" {
  description = "The relative paths of files, for for_each (paths are not secret)."
  value       = nonsensitive(toset(keys(local.files)))
}

output "file_modes" {
  description = "Each file's mode (0600 for keys and client.pem, 0644 for certificates), not sensitive: give it to file_permission, so that a reissue does not flip the permission's sensitivity in every plan."
  value       = nonsensitive({ for path, f in local.files : path => f.mode })
}

output "trust_bundle_pem" {
  description = "Every CA certificate a party must trust now (each ca.crt)."
  value       = mcptls_ca.this.trust_bundle_pem
}

output "ca_cert_pem" {
  description = "The CA certificate that signs now."
  value       = mcptls_ca.this.cert_pem
}

output "rotation_phase" {
  description = "The CA's rotation phase: stable, staged or promoted."
  value       = mcptls_ca.this.rotation_phase
}

output "expiry" {
  description = "Per certificate (ca, gateway, plugins/<name>): not_after and days_left, as make certs-mcp-check shows them."
  value       = { for name, c in data.mcptls_cert_check.this.certificates : name => { not_after = c.not_after, days_left = c.days_left } }
}

output "expiring" {
  description = "Certificates with fewer than expiry_warning_days days left."
  value       = data.mcptls_cert_check.this.expiring
}

output "kubernetes_secret_data" {
  description = "Per certificate (gateway, plugins/<name>), a Kubernetes TLS secret's data: tls.crt, tls.key and ca.crt (the trust bundle)."
  sensitive   = true
  value = merge(
    { gateway = { "tls.crt" = mcptls_gateway_cert.this.cert_pem, "tls.key" = mcptls_gateway_cert.this.private_key_pem, "ca.crt" = mcptls_gateway_cert.this.trust_bundle_pem } },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => { "tls.crt" = c.cert_pem, "tls.key" = c.private_key_pem, "ca.crt" = c.trust_bundle_pem } },
  )
}

output "kubernetes_env" {
  description = "Per certificate (gateway, plugins/<name>), its env map with paths into the secret mounted at kubernetes_mount_dir."
  value = merge(
    { gateway = provider::mcptls::mounted_env(merge(mcptls_gateway_cert.this.client_env, mcptls_gateway_cert.this.grpc_client_env), var.kubernetes_mount_dir) },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => provider::mcptls::mounted_env(c.server_env, var.kubernetes_mount_dir) },
  )
}

output "revisions" {
  description = "Per certificate, a number that changes whenever its secret must change (a new certificate, or a new trust bundle): a write-only sink's version."
  value = merge(
    { gateway = parseint(substr(sha256("${mcptls_gateway_cert.this.serial_number}${mcptls_ca.this.trust_bundle_pem}"), 0, 12), 16) },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => parseint(substr(sha256("${c.serial_number}${mcptls_ca.this.trust_bundle_pem}"), 0, 12), 16) },
  )
}
