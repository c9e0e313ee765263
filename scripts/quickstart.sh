#!/usr/bin/env bash
# Applies examples/quickstart with the freshly built provider through dev_overrides
# (no terraform init: the registry is not needed), on local state.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TERRAFORM:-terraform}
rc="$root/.tfrc"
cat >"$rc" <<RC
provider_installation {
  dev_overrides { "mcptls/mcptls" = "$root" }
  direct {}
}
RC
cd "$root/examples/quickstart"
export TF_CLI_CONFIG_FILE="$rc"
"$tf" apply -auto-approve -input=false
echo
echo "A second plan must be empty:"
"$tf" plan -detailed-exitcode -input=false >/dev/null && echo "no changes."
echo
echo "Next: terraform output -json (in examples/quickstart) gives the env maps; keys are in state, so protect it."
