terraform {
  # Provider functions (files, mounted_env) need Terraform 1.8 or OpenTofu 1.7.
  required_version = ">= 1.8"
  required_providers {
    mcptls = {
      source = "mcptls/mcptls"
    }
  }
}
