package yamlrender

import (
	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// The blocks say what the env maps say (package envmap), from the same
// structs and the same Layout. Each renders as a one-key YAML document
// (`tls:`, `server_settings:`, ...) ending in a line break, ready for
// Terraform's indent() or yamldecode().

func mcpClientTLS(c envmap.Client) mapping {
	l := envmap.Layout{Dir: c.CertDir}
	return mapping{
		{"certfile", l.GatewayCert()},
		{"keyfile", l.GatewayKey()},
		{"ca_bundle", l.GatewayCA()},
		{"verify", c.Verify},
		{"check_hostname", c.CheckHostname},
	}
}

// grpcClientTLS has no check_hostname (GRPCClientTLSConfig has none: gRPC
// always checks the target's host) and verify is always true, as in
// envmap.GRPCClient: cpex 0.1.3 reads false as "use the public roots".
func grpcClientTLS(c envmap.GRPCClient) mapping {
	l := envmap.Layout{Dir: c.CertDir}
	return mapping{
		{"certfile", l.GatewayCert()},
		{"keyfile", l.GatewayKey()},
		{"ca_bundle", l.GatewayCA()},
		{"verify", true},
	}
}

// MCPClientTLS is the `tls:` block a gateway's MCP plugin entry carries under
// `mcp:`. Present, it replaces PLUGINS_CLIENT_MTLS_* as a whole.
func MCPClientTLS(c envmap.Client) (string, error) {
	if err := ValidateCertDir(c.CertDir); err != nil {
		return "", err
	}
	return mapping{{"tls", mcpClientTLS(c)}}.document(), nil
}

// GRPCClientTLS is the `tls:` block a gateway's gRPC plugin entry carries
// under `grpc:`. Present, it replaces PLUGINS_GRPC_CLIENT_MTLS_* as a whole.
func GRPCClientTLS(c envmap.GRPCClient) (string, error) {
	if err := ValidateCertDir(c.CertDir); err != nil {
		return "", err
	}
	return mapping{{"tls", grpcClientTLS(c)}}.document(), nil
}

func checkServer(certDir, plugin, host string) error {
	if err := pki.ValidatePluginName(plugin); err != nil {
		return err
	}
	if err := ValidateCertDir(certDir); err != nil {
		return err
	}
	return ValidateHost(host)
}

// ServerSettings is an MCP plugin server's `server_settings:` block. Present,
// it disables PLUGINS_SERVER_* on that server entirely.
func ServerSettings(s envmap.Server) (string, error) {
	if err := checkServer(s.CertDir, s.Plugin, s.Host); err != nil {
		return "", err
	}
	if err := s.Validate(); err != nil {
		return "", err
	}
	l := envmap.Layout{Dir: s.CertDir}
	return mapping{{"server_settings", mapping{
		{"host", s.Host},
		{"port", s.Port},
		{"tls", mapping{
			{"certfile", l.PluginCert(s.Plugin)},
			{"keyfile", l.PluginKey(s.Plugin)},
			{"ca_bundle", l.PluginCA(s.Plugin)},
			{"ssl_cert_reqs", s.CertReqs},
		}},
	}}}.document(), nil
}

// GRPCServerSettings is a gRPC plugin server's `grpc_server_settings:` block,
// client_auth from ssl_cert_reqs as envmap.ClientAuth maps it. Present, it
// disables PLUGINS_GRPC_SERVER_* on that server entirely.
func GRPCServerSettings(s envmap.GRPCServer) (string, error) {
	if err := checkServer(s.CertDir, s.Plugin, s.Host); err != nil {
		return "", err
	}
	if err := envmap.ValidateGRPCPort(s.Port); err != nil {
		return "", err
	}
	if err := envmap.ValidateCertReqs(s.CertReqs); err != nil {
		return "", err
	}
	l := envmap.Layout{Dir: s.CertDir}
	return mapping{{"grpc_server_settings", mapping{
		{"host", s.Host},
		{"port", s.Port},
		{"tls", mapping{
			{"certfile", l.PluginCert(s.Plugin)},
			{"keyfile", l.PluginKey(s.Plugin)},
			{"ca_bundle", l.PluginCA(s.Plugin)},
			{"client_auth", envmap.ClientAuth(s.CertReqs)},
		}},
	}}}.document(), nil
}
