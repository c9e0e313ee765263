# Adopt the CA that `make certs-mcp-ca` wrote (ca.crt and ca.key in the directory).
terraform import mcptls_ca.this certs/mcp/ca
