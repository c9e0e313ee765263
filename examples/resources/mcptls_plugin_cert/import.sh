# Adopt the files that `make certs-mcp-plugin PLUGIN_NAME=DenyListPlugin` wrote;
# the directory name is the plugin name.
terraform import mcptls_plugin_cert.deny_list certs/mcp/plugins/DenyListPlugin
