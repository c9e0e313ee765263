#!/usr/bin/env bash
# Prints the absolute path of OpenTofu at the pinned version, built from its Go
# module source into the tools cache (its release site is not reachable here).
# With --build it builds when missing (about 8 minutes on 2 cores, once).
set -euo pipefail
tools_dir=$1 version=$2 build=${3:-}
built="$tools_dir/tofu-$version"
if [ ! -x "$built" ] && [ "$build" = "--build" ]; then
	echo "building OpenTofu v$version from its module source (a few minutes, once)" >&2
	mkdir -p "$tools_dir"
	dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	src=$(mktemp -d)
	trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
	cp -r "$dir/." "$src"
	chmod -R u+w "$src"
	(cd "$src" && go build -o "$built.tmp" ./cmd/tofu) >&2
	mv "$built.tmp" "$built"
fi
echo "$built"
