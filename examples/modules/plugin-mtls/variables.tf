# The gateway's config.yaml

variable "config_path" {
  description = "Path of the gateway's plugin config.yaml. Exactly one of config_path and config_content."
  type        = string
  default     = null
}

variable "config_content" {
  description = "The text of the gateway's plugin config.yaml. Exactly one of config_path and config_content."
  type        = string
  default     = null
}

variable "ssrf_protection" {
  description = "The gateway's PLUGINS_SSRF_PROTECTION_ENABLED: a plugin URL at a private or loopback IP is an error while true."
  type        = bool
  default     = true
}

variable "template_env" {
  description = "Values of {{ env.NAME }} in the config, as the gateway's environment gives them."
  type        = map(string)
  default     = {}
}

# The leaf certificates (the gateway's and the plugins'), and the CA unless a ca_* input says otherwise

variable "key_algorithm" {
  description = "RSA (the Makefile's), ECDSA or ED25519: the leaves' keys, and the CA's unless ca_key_algorithm is set."
  type        = string
  default     = "RSA"
}

variable "rsa_bits" {
  description = "RSA key size of the leaves (and of the CA unless ca_rsa_bits is set): 2048, 3072 or 4096."
  type        = number
  default     = 4096
}

variable "ecdsa_curve" {
  description = "ECDSA curve of the leaves (and of the CA unless ca_ecdsa_curve is set): P256 or P384."
  type        = string
  default     = "P256"
}

variable "validity_days" {
  description = "Days a leaf certificate is valid (and the CA, unless ca_validity_days is set). A leaf never outlives its CA."
  type        = number
  default     = 825
}

variable "early_renewal_days" {
  description = "Days before its not_after at which a leaf is reissued (and the CA's, unless ca_early_renewal_days is set). Keep it no longer than the CA's."
  type        = number
  default     = 30
}

# The CA and its rotation

variable "ca_common_name" {
  description = "The CA's common name: give each environment its own."
  type        = string
  default     = "ContextForge-CA"
}

variable "ca_key_algorithm" {
  description = "The CA's key algorithm; null: key_algorithm."
  type        = string
  default     = null
}

variable "ca_rsa_bits" {
  description = "The CA's RSA key size; null: rsa_bits."
  type        = number
  default     = null
}

variable "ca_ecdsa_curve" {
  description = "The CA's ECDSA curve; null: ecdsa_curve."
  type        = string
  default     = null
}

variable "ca_validity_days" {
  description = "Days the CA is valid; null: validity_days. Must exceed ca_early_renewal_days + rotation_overlap_days."
  type        = number
  default     = null
}

variable "ca_early_renewal_days" {
  description = "Days before the CA's not_after at which its successor starts signing (promotion); null: early_renewal_days."
  type        = number
  default     = null
}

variable "rotation_overlap_days" {
  description = "Days the CA's successor is trusted before it signs (the rotation guide's monthly cadence); 0 replaces the CA at renewal instead."
  type        = number
  default     = 30
}

# Keeping keys out of state (Terraform >= 1.11, OpenTofu >= 1.11)

variable "write_only_ca_key" {
  description = "Leaves sign with ca_private_key_pem_wo, so no leaf keeps a copy of the CA key in state (N + 3 keys instead of 2N + 4). Implied by ca_private_key_pem_wo."
  type        = bool
  default     = false
}

variable "ca_private_key_pem_wo" {
  description = "The CA's own key (PEM), write-only: the CA is self-signed from it and no CA key is kept in state (N + 2 keys). Set with ca_private_key_wo_version; pass it from file() or another value that is not itself in state (a module input cannot be ephemeral while the module supports Terraform 1.8)."
  type        = string
  default     = null
  sensitive   = true
}

variable "ca_private_key_wo_version" {
  description = "Version of ca_private_key_pem_wo: set it with the key, and change it to bring another key (a successor CA made from it is staged; see ca_previous_private_key_pem_wo)."
  type        = number
  default     = null
}

variable "ca_previous_private_key_pem_wo" {
  description = "While a new ca_private_key_pem_wo is rotated in: the key it replaces. The leaves sign with the current CA's key until the successor made from the new key signs, then with the new one, without another change; remove it once rotation_phase is no longer staged."
  type        = string
  default     = null
  sensitive   = true
}

variable "private_key_passphrase_wo" {
  description = "A passphrase for every leaf key: the keys are written as encrypted PKCS#8 and secret_env holds the *_KEYFILE_PASSWORD variables. Set with private_key_passphrase_wo_version. cpex 0.1.3's gRPC code cannot read encrypted keys, so gRPC plugins keep plain keys (the gateway's key is encrypted and serves MCP plugins only)."
  type        = string
  default     = null
  sensitive   = true
}

variable "private_key_passphrase_wo_version" {
  description = "Version of private_key_passphrase_wo: set it with the passphrase, and change it to issue new keys under a new one."
  type        = number
  default     = null
}

# Where the certificates are deployed

variable "cert_dir" {
  description = "Where the certs/mcp tree is, as the gateway and the plugin servers see it (the env maps' paths)."
  type        = string
  default     = "certs/mcp"
}

variable "server_host" {
  description = "The plugin servers' bind address: 0.0.0.0 for a plugin in its own container or pod (its health port, port + 1000, listens there too); 127.0.0.1 when the gateway runs on the same host."
  type        = string
  default     = "0.0.0.0"
}

variable "check_hostname" {
  description = "PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME for the gateway."
  type        = bool
  default     = true
}

variable "kubernetes_mount_dir" {
  description = "Where a Kubernetes TLS secret is mounted, for the kubernetes_env output's paths."
  type        = string
  default     = "/etc/mcp/tls"
}

variable "expiry_warning_days" {
  description = "A certificate with fewer days left is listed in expiring (and warned about)."
  type        = number
  default     = 30
}
