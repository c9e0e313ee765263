#!/usr/bin/env bash
# Runs the provider's acceptance suite on every engine we support: the Terraform
# on PATH (1.11 on our machines), Terraform 1.8.5 and OpenTofu 1.12.6, the last
# two built from source into the tools cache once. Usage: testacc-matrix.sh TOOLS_DIR
# The race detector runs in `make test`; here it is off, since the engine, not our
# code, is what changes between runs (it halves the time). MATRIX_SKIP_PATH=1 leaves
# out the Terraform on PATH, for CI, where `make test` has just run the whole
# suite on it.
set -euo pipefail
tools_dir=$1
cd "$(dirname "$0")/.."
tf_path=$(command -v terraform || true)
tf_185=$(MCPTLS_FORCE_BUILT_TERRAFORM=1 scripts/find-terraform.sh "$tools_dir" 1.8.5 --build)
tofu=$(scripts/find-tofu.sh "$tools_dir" 1.12.6 --build)

summary=()
failed=0
run() { # name, CLI path, extra env...
	local name=$1 cli=$2
	shift 2
	echo "=== acceptance suite on $name ($cli)"
	local start=$SECONDS
	# The user's CLI config is not the tests' business (a missing one makes tofu
	# print a warning the harness cannot parse as a version).
	if env TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" TF_CLI_CONFIG_FILE=/dev/null "$@" \
		go test -count=1 -timeout 30m -json ./internal/provider/... | go run ./scripts/testsummary "$name"; then
		summary+=("$name: ok in $((SECONDS - start)) s")
	else
		summary+=("$name: FAILED after $((SECONDS - start)) s")
		failed=1
	fi
}
if [ -n "${MATRIX_SKIP_PATH:-}" ]; then
	summary+=("terraform on PATH: left out (MATRIX_SKIP_PATH: make test ran the suite on it)")
elif [ -n "$tf_path" ]; then
	run "terraform $("$tf_path" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p') (PATH)" "$(readlink -f "$tf_path")"
else
	summary+=("terraform on PATH: none, skipped (the image provides 1.11; it cannot be downloaded here)")
fi
run "terraform 1.8.5" "$tf_185"
# The harness addresses in-process providers as registry.terraform.io/<namespace>/<name>.
run "opentofu 1.12.6" "$tofu" TF_ACC_PROVIDER_NAMESPACE=mcptls
printf '%s\n' "${summary[@]}"
exit $failed
