# Adopt the files that `make certs-mcp-gateway` wrote (client.crt, client.key, ca.crt).
terraform import mcptls_gateway_cert.this certs/mcp/gateway
