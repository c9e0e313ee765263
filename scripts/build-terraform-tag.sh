#!/usr/bin/env bash
# Builds a Terraform CLI from a tag of a hashicorp/terraform git checkout, as its
# release build does (CGO off, -trimpath, version.dev=no so it reports the plain
# version), into TOOLS_DIR/terraform-<version>. `go install` cannot build it
# (its go.mod has replace directives), and the release site is not reachable
# here. Not run by CI: it takes about 15 CPU-minutes. Usage:
#   scripts/build-terraform-tag.sh /path/to/terraform-checkout v1.15.9 [TOOLS_DIR]
# The checkout may be a bare repository; the tag's tree is exported with
# `git archive` into a temporary directory, so the checkout is left untouched.
set -euo pipefail
repo=$1 tag=$2
tools_dir=${3:-$HOME/.cache/mcptls-tools/bin}
version=${tag#v}
out="$tools_dir/terraform-$version"
if [ -x "$out" ]; then
	echo "$out"
	exit 0
fi
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
git -C "$repo" archive --format=tar "$tag" | tar -x -C "$src"
if [ "$(tr -d '[:space:]' <"$src/version/VERSION")" != "$version" ]; then
	echo "tag $tag holds version/VERSION $(cat "$src/version/VERSION"), not $version" >&2
	exit 1
fi
mkdir -p "$tools_dir"
echo "building terraform $version from $tag (about 15 CPU-minutes)" >&2
(cd "$src" && CGO_ENABLED=0 nice -n 10 go build -trimpath \
	-ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$out.tmp" .) >&2
TF_CLI_CONFIG_FILE=/dev/null "$out.tmp" version >&2
mv "$out.tmp" "$out"
echo "$out"
