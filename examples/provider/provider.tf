terraform {
  required_providers {
    mcptls = {
      source = "mcptls/mcptls"
    }
  }
}

# The provider takes no configuration.
provider "mcptls" {}
