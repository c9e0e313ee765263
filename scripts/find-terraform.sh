#!/usr/bin/env bash
# Prints the absolute path of a Terraform CLI >= 1.8: the one on PATH, else one
# built with `go install` into the tools cache (the registry is not reachable).
# With --build it builds when missing; without, it only prints what it would use.
set -euo pipefail
tools_dir=$1 fallback=$2 build=${3:-}
usable() {
	local v
	v=$(TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
	[ -n "$v" ] || return 1
	local major minor
	IFS=. read -r major minor _ <<<"$v"
	[ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }
}
if [ -z "${MCPTLS_FORCE_BUILT_TERRAFORM:-}" ] && p=$(command -v terraform) && usable "$p"; then
	readlink -f "$p"
	exit 0
fi
built="$tools_dir/terraform"
if [ ! -x "$built" ] && [ "$build" = "--build" ]; then
	echo "building terraform v$fallback with go install (a few minutes, once)" >&2
	mkdir -p "$tools_dir"
	GOBIN="$tools_dir" go install "github.com/hashicorp/terraform@v$fallback" >&2
fi
echo "$built"
