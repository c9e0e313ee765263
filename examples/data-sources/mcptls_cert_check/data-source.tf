# `make certs-mcp-check` without make, openssl or scripts: check the certs/mcp
# tree that `make certs-mcp-all` wrote.
data "mcptls_cert_check" "mcp" {
  directory    = "${path.module}/certs/mcp"
  warning_days = 30

  # Problems (expired, not yet valid, does not chain to the CA, wrong purpose,
  # unreadable) fail the plan. Without this they are only warnings.
  lifecycle {
    postcondition {
      condition     = alltrue([for c in values(self.certificates) : length(c.problems) == 0])
      error_message = "Certificates with problems: ${join(", ", [for name, c in self.certificates : name if length(c.problems) > 0])}. See the warnings above for why."
    }
  }
}

# The expiry table: each certificate's not_after and days left.
output "certificate_expiry" {
  value = {
    for name, c in data.mcptls_cert_check.mcp.certificates :
    name => c.days_left == null ? "unreadable" : "${c.not_after} (${c.days_left} days left)"
  }
}

# Expiring within warning_days is a warning: a failed check assertion never
# stops a plan or an apply.
check "certificates_not_expiring" {
  assert {
    condition     = length(data.mcptls_cert_check.mcp.expiring) == 0
    error_message = "Renew within 30 days: ${join(", ", data.mcptls_cert_check.mcp.expiring)}."
  }
}
