# Check what the mcptls resources issued, from state, without writing files.
resource "mcptls_ca" "this" {}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
}

resource "mcptls_plugin_cert" "this" {
  for_each           = toset(["DenyListPlugin", "OPAPluginFilter"])
  name               = each.key
  ca_cert_pem        = mcptls_ca.this.cert_pem
  ca_private_key_pem = mcptls_ca.this.private_key_pem
}

data "mcptls_cert_check" "issued" {
  pems = merge(
    {
      ca      = { role = "ca", cert_pem = mcptls_ca.this.cert_pem, ca_pem = null }
      gateway = { role = "client", cert_pem = mcptls_gateway_cert.this.cert_pem, ca_pem = mcptls_gateway_cert.this.ca_cert_pem }
    },
    {
      for name, cert in mcptls_plugin_cert.this :
      "plugins/${name}" => { role = "server", cert_pem = cert.cert_pem, ca_pem = cert.ca_cert_pem }
    },
  )
}

output "days_left" {
  value = { for name, c in data.mcptls_cert_check.issued.certificates : name => c.days_left }
}
