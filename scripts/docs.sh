#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs, offline: the schema comes from the built
# provider through dev_overrides, so nothing is downloaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${TOOLS_DIR:-$HOME/.cache/mcptls-tools/bin}
tf=${TERRAFORM:?TERRAFORM must name a Terraform CLI}
tfplugindocs="$tools/tfplugindocs"
[ -x "$tfplugindocs" ] || GOBIN="$tools" go install github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs@${TFPLUGINDOCS_VERSION:-v0.25.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bin/terraform-provider-mcptls" "$root"
cat >"$work/rc" <<RC
provider_installation {
  dev_overrides { "mcptls/mcptls" = "$work/bin" }
  direct {}
}
RC
printf 'terraform {\n  required_providers {\n    mcptls = { source = "mcptls/mcptls" }\n  }\n}\n' >"$work/main.tf"
(cd "$work" && TF_CLI_CONFIG_FILE="$work/rc" "$tf" providers schema -json 2>/dev/null) |
	# tfplugindocs looks the provider up by its short name.
	sed "s#\"registry.terraform.io/mcptls/mcptls\"#\"mcptls\"#" >"$work/schema.json"
cd "$root"
"$tfplugindocs" generate --provider-name mcptls --providers-schema "$work/schema.json"
"$tfplugindocs" validate --provider-name mcptls
