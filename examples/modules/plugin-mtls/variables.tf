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

variable "key_algorithm" {
  description = "RSA (the Makefile's), ECDSA or ED25519, for every key."
  type        = string
  default     = "RSA"
}

variable "rsa_bits" {
  description = "RSA key size: 2048, 3072 or 4096."
  type        = number
  default     = 4096
}

variable "ecdsa_curve" {
  description = "ECDSA curve: P256 or P384."
  type        = string
  default     = "P256"
}

variable "validity_days" {
  description = "Days every certificate is valid (a leaf never outlives the CA)."
  type        = number
  default     = 825
}

variable "early_renewal_days" {
  description = "Days before not_after at which a certificate is renewed (the CA: promoted)."
  type        = number
  default     = 30
}

variable "rotation_overlap_days" {
  description = "Days the CA's successor is trusted before it signs; 0 replaces the CA at renewal instead."
  type        = number
  default     = 30
}

variable "ca_common_name" {
  description = "The CA's common name: give each environment its own."
  type        = string
  default     = "ContextForge-CA"
}

variable "cert_dir" {
  description = "Where the certs/mcp tree is, as the gateway and the plugin servers see it (the env maps' paths)."
  type        = string
  default     = "certs/mcp"
}

variable "server_host" {
  description = "The plugin servers' bind address."
  type        = string
  default     = "127.0.0.1"
}

variable "check_hostname" {
  description = "PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME for the gateway."
  type        = bool
  default     = true
}

variable "kubernetes_mount_dir" {
  description = "Where a Kubernetes TLS secret is mounted, for the kubernetes output's env maps."
  type        = string
  default     = "/etc/mcp/tls"
}

variable "expiry_warning_days" {
  description = "A certificate with fewer days left is listed in expiring (and warned about)."
  type        = number
  default     = 30
}
