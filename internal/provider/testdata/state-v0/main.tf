# State fixture: terraform.tfstate beside this file was written at schema
# version 0 by the first release: a build of commit cee8087 (the state itself
# was committed in d6a8bdf). Every later build must plan it with in-place
# updates of derived values only (env maps gained variables), and empty after
# one apply. That build read this configuration as it was then (for_each over
# external_plugins, no ssrf_protection); it was adapted since to the data
# source's later rules and describes the same resources, so it cannot write the
# state again: keep the committed one. Test keys only: never use them.
terraform {
  required_providers {
    mcptls = { source = "mcptls/mcptls" }
  }
}

data "mcptls_plugin_config" "gateway" {
  # Added after the first release, whose data source did not refuse private IPs.
  ssrf_protection = false
  content         = <<-YAML
    plugins:
      - name: DenyListPlugin
        kind: external
        mcp:
          proto: STREAMABLEHTTP
          url: https://127.0.0.1:8443/mcp
  YAML
}

resource "mcptls_ca" "this" {
  key_algorithm = "ECDSA"
  common_name   = "Fixture-CA"
  validity_days = 36500
}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  key_algorithm      = "ED25519"
  validity_days      = 36000
  cert_dir           = "/etc/mcp"
  check_hostname     = false
}

resource "mcptls_plugin_cert" "this" {
  for_each           = data.mcptls_plugin_config.gateway.tls_plugins
  name               = each.key
  url                = each.value.url
  dns_names          = ["plugin.internal"]
  ip_addresses       = ["10.0.0.7"]
  server_host        = "0.0.0.0"
  ssl_cert_reqs      = 2
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
  key_algorithm      = "ECDSA"
  ecdsa_curve        = "P384"
  validity_days      = 36000
}
