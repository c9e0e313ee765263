resource "mcptls_ca" "this" {}

resource "mcptls_plugin_cert" "deny_list" {
  name               = "DenyListPlugin"
  url                = "https://10.0.4.7:3000/mcp" # adds IP SAN 10.0.4.7 and sets server_port 3000
  dns_names          = ["deny-list.plugins.svc.cluster.local"]
  server_host        = "0.0.0.0"
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  trust_bundle_pem   = mcptls_ca.this.trust_bundle_pem
}

# PLUGINS_SERVER_* for the plugin server's deployment.
output "plugin_env" {
  value = mcptls_plugin_cert.deny_list.server_env
}
