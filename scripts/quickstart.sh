#!/usr/bin/env bash
# Applies examples/quickstart with the freshly built provider and hashicorp/local
# (from the tools cache) through dev_overrides, on local state: no terraform init,
# so no registry; `terraform get` installs the local module. The apply writes the
# certs/mcp tree; a real openssl mTLS handshake then proves it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tf=${TERRAFORM:-terraform}
tools=${TOOLS_DIR:-$HOME/.cache/mcptls-tools/bin}
rc="$root/.tfrc"
cat >"$rc" <<RC
provider_installation {
  dev_overrides {
    "mcptls/mcptls"  = "$root"
    "hashicorp/local" = "$tools"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$rc"
# Colours only on a terminal: output redirected to a file or a CI log stays plain.
[ -t 1 ] || export TF_CLI_ARGS="-no-color"
qs="$root/examples/quickstart"
cd "$qs"
"$tf" get
"$tf" apply -auto-approve -input=false
"$tf" plan -detailed-exitcode -input=false >/dev/null && echo "A second plan is empty: no changes."

echo
echo "Certificate expiry (like make certs-mcp-check, from data.mcptls_cert_check):"
"$tf" output expiry

certs="$qs/certs/mcp"
echo
echo "hashicorp/local wrote $certs (keys 600, certificates 644):"
find "$certs" -type f -printf '%m %p\n' | sort -k2

if ! command -v openssl >/dev/null; then
	echo "openssl not found: skipping the handshake check."
	exit 0
fi
plugin=DenyListPlugin
port=$(( 20000 + RANDOM % 20000 ))
openssl verify -CAfile "$certs/ca/ca.crt" "$certs/gateway/client.crt" "$certs/plugins/$plugin/server.crt"
openssl s_server -quiet -naccept 3 -accept "127.0.0.1:$port" \
	-cert "$certs/plugins/$plugin/server.crt" -key "$certs/plugins/$plugin/server.key" \
	-CAfile "$certs/plugins/$plugin/ca.crt" -Verify 1 -verify_return_error >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
handshake() {
	echo Q | timeout 10 openssl s_client -connect "127.0.0.1:$port" -verify_hostname localhost -verify_return_error \
		-CAfile "$certs/gateway/ca.crt" "$@" 2>&1
}
out=$(handshake -cert "$certs/gateway/client.crt" -key "$certs/gateway/client.key")
if ! grep -q "Verify return code: 0 (ok)" <<<"$out"; then
	echo "$out"
	echo "mTLS handshake FAILED"
	exit 1
fi
echo "mTLS handshake gateway -> $plugin (by localhost, with the gateway's client cert): OK"
out=$(handshake -ign_eof </dev/null || true)
if ! grep -qiE "alert (certificate required|handshake failure)|peer did not return a certificate" <<<"$out"; then
	echo "$out"
	echo "the plugin server accepted a client without a certificate"
	exit 1
fi
echo "Without a client certificate the plugin server refuses: OK"
echo
echo "Next:"
echo "  terraform -chdir=examples/quickstart output client_env   # PLUGINS_CLIENT_MTLS_* for the gateway"
echo "  terraform -chdir=examples/quickstart output server_env   # PLUGINS_SERVER_* per plugin"
echo "  certs are in examples/quickstart/certs/mcp; keys are also in terraform.tfstate: protect it."
echo "  deploy recipes: examples/compose (docker compose), examples/kubernetes (README: Deploy recipes)"
