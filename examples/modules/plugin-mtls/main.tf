# A CA, the gateway's client certificate and one server certificate per plugin
# the gateway reaches over TLS, from the gateway's own config.yaml. Leaves ship
# the CA's trust bundle, so a CA rotation never breaks a rolling deployment.

data "mcptls_plugin_config" "this" {
  path            = var.config_path
  content         = var.config_content
  ssrf_protection = var.ssrf_protection
  template_env    = var.template_env
}

locals {
  # The CA's settings: each ca_* input, else the leaves' setting.
  ca = {
    key_algorithm      = coalesce(var.ca_key_algorithm, var.key_algorithm)
    rsa_bits           = coalesce(var.ca_rsa_bits, var.rsa_bits)
    ecdsa_curve        = coalesce(var.ca_ecdsa_curve, var.ecdsa_curve)
    validity_days      = coalesce(var.ca_validity_days, var.validity_days)
    early_renewal_days = coalesce(var.ca_early_renewal_days, var.early_renewal_days)
  }
  # The version, not the key, says whether the CA brings its own key: it is
  # not sensitive, so nothing derived from it becomes sensitive.
  own_ca_key = var.ca_private_key_wo_version != null
  ca_key     = local.own_ca_key ? var.ca_private_key_pem_wo : mcptls_ca.this.private_key_pem
  # While a new key of the CA's own is rotated in, the leaves get both keys and
  # sign with the one of the CA that signs (the new one once its successor does).
  leaves_ca_key = var.ca_previous_private_key_pem_wo == null ? local.ca_key : "${var.ca_previous_private_key_pem_wo}\n${local.ca_key}"
  # Leaves take the CA key write-only when asked, and always with an own key
  # (state holds no CA key for them to copy).
  leaves_write_only = var.write_only_ca_key || local.own_ca_key
}

resource "mcptls_ca" "this" {
  common_name            = var.ca_common_name
  key_algorithm          = local.ca.key_algorithm
  rsa_bits               = local.ca.rsa_bits
  ecdsa_curve            = local.ca.ecdsa_curve
  validity_days          = local.ca.validity_days
  early_renewal_days     = local.ca.early_renewal_days
  rotation_overlap_days  = var.rotation_overlap_days
  private_key_pem_wo     = var.ca_private_key_pem_wo
  private_key_wo_version = var.ca_private_key_wo_version

  lifecycle {
    precondition {
      condition     = (var.ca_private_key_pem_wo == null) == (var.ca_private_key_wo_version == null)
      error_message = "Set ca_private_key_pem_wo and ca_private_key_wo_version together (the version says when the key changes)."
    }
  }
}

resource "mcptls_gateway_cert" "this" {
  ca_cert_pem                       = mcptls_ca.this.cert_pem
  ca_private_key_pem                = local.leaves_write_only ? null : local.ca_key
  ca_private_key_pem_wo             = local.leaves_write_only ? local.leaves_ca_key : null
  trust_bundle_pem                  = mcptls_ca.this.trust_bundle_pem
  key_algorithm                     = var.key_algorithm
  rsa_bits                          = var.rsa_bits
  ecdsa_curve                       = var.ecdsa_curve
  validity_days                     = var.validity_days
  early_renewal_days                = var.early_renewal_days
  private_key_passphrase_wo         = var.private_key_passphrase_wo
  private_key_passphrase_wo_version = var.private_key_passphrase_wo_version
  cert_dir                          = var.cert_dir
  check_hostname                    = var.check_hostname

  lifecycle {
    create_before_destroy = true
  }
}

resource "mcptls_plugin_cert" "this" {
  for_each              = data.mcptls_plugin_config.this.tls_plugins
  name                  = each.key
  url                   = each.value.url         # null for gRPC plugins
  grpc_target           = each.value.grpc_target # null for MCP plugins
  ca_cert_pem           = mcptls_ca.this.cert_pem
  ca_private_key_pem    = local.leaves_write_only ? null : local.ca_key
  ca_private_key_pem_wo = local.leaves_write_only ? local.leaves_ca_key : null
  trust_bundle_pem      = mcptls_ca.this.trust_bundle_pem
  key_algorithm         = var.key_algorithm
  rsa_bits              = var.rsa_bits
  ecdsa_curve           = var.ecdsa_curve
  validity_days         = var.validity_days
  early_renewal_days    = var.early_renewal_days
  # cpex 0.1.3's gRPC server cannot read an encrypted key: gRPC plugins keep theirs plain.
  private_key_passphrase_wo         = each.value.transport == "grpc" ? null : var.private_key_passphrase_wo
  private_key_passphrase_wo_version = each.value.transport == "grpc" ? null : var.private_key_passphrase_wo_version
  cert_dir                          = var.cert_dir
  server_host                       = var.server_host

  lifecycle {
    create_before_destroy = true
  }
}

# Like `make certs-mcp-check`, on the values themselves.
data "mcptls_cert_check" "this" {
  warning_days = var.expiry_warning_days
  pems = merge(
    { ca = { role = "ca", cert_pem = mcptls_ca.this.cert_pem, ca_pem = null } },
    { gateway = { role = "client", cert_pem = mcptls_gateway_cert.this.cert_pem, ca_pem = mcptls_ca.this.trust_bundle_pem } },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => { role = "server", cert_pem = c.cert_pem, ca_pem = mcptls_ca.this.trust_bundle_pem } },
  )
}

locals {
  files = provider::mcptls::files(mcptls_ca.this, mcptls_gateway_cert.this, mcptls_plugin_cert.this)
  # Each party's whole environment: the gateway's for both transports, each
  # plugin's for its own, with the key passwords when keys are encrypted.
  env = merge(
    { gateway = merge(mcptls_gateway_cert.this.client_env, mcptls_gateway_cert.this.grpc_client_env, mcptls_gateway_cert.this.secret_env) },
    { for name, c in mcptls_plugin_cert.this : "plugins/${name}" => merge(c.server_env, c.secret_env) },
  )
}

# Leaves are reissued when due; a leaf whose renewal window is longer than the
# CA's is due before the CA's promotion reissues it anyway (the rotation guide).
check "renewal_windows" {
  assert {
    condition     = var.early_renewal_days <= local.ca.early_renewal_days
    error_message = "early_renewal_days (${var.early_renewal_days}) is longer than the CA's (${local.ca.early_renewal_days}): keep the leaves' renewal window no longer than the CA's (see the rotation guide)."
  }
}
