package envmap

import "strconv"

// gRPC: the gateway's PLUGINS_GRPC_CLIENT_MTLS_* and the plugin server's
// PLUGINS_GRPC_SERVER_* (cpex settings.py). PLUGINS_CLIENT_MTLS_* does not
// apply to gRPC, and gRPC always checks the target's host against the SANs.

// DefaultGRPCServerPort is GRPCServerConfig's default port.
const DefaultGRPCServerPort = 50051

// GRPCClient holds what the gateway's PLUGINS_GRPC_CLIENT_MTLS_* variables say.
// VERIFY is always true: gRPC checks the server's certificate regardless, and
// cpex 0.1.3 reads false as "drop the CA bundle and use the public roots".
type GRPCClient struct {
	CertDir string
}

// Env renders the gateway's gRPC client variables.
func (c GRPCClient) Env() map[string]string {
	l := Layout{c.CertDir}
	return map[string]string{
		"PLUGINS_GRPC_CLIENT_MTLS_CERTFILE":  l.GatewayCert(),
		"PLUGINS_GRPC_CLIENT_MTLS_KEYFILE":   l.GatewayKey(),
		"PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE": l.GatewayCA(),
		"PLUGINS_GRPC_CLIENT_MTLS_VERIFY":    "true",
	}
}

// ClientAuth maps ssl_cert_reqs (0, 1, 2) to GRPCServerTLSConfig.client_auth.
func ClientAuth(certReqs int) string {
	return [...]string{"none", "optional", "require"}[certReqs]
}

// GRPCServer holds what one gRPC plugin server's PLUGINS_GRPC_SERVER_* variables say.
type GRPCServer struct {
	CertDir  string
	Plugin   string
	Host     string
	Port     int
	CertReqs int
}

// Env renders the gRPC plugin server's variables.
func (s GRPCServer) Env() map[string]string {
	l := Layout{s.CertDir}
	return map[string]string{
		"PLUGINS_GRPC_SERVER_HOST":            s.Host,
		"PLUGINS_GRPC_SERVER_PORT":            strconv.Itoa(s.Port),
		"PLUGINS_GRPC_SERVER_SSL_ENABLED":     "true",
		"PLUGINS_GRPC_SERVER_SSL_KEYFILE":     l.PluginKey(s.Plugin),
		"PLUGINS_GRPC_SERVER_SSL_CERTFILE":    l.PluginCert(s.Plugin),
		"PLUGINS_GRPC_SERVER_SSL_CA_CERTS":    l.PluginCA(s.Plugin),
		"PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH": ClientAuth(s.CertReqs),
	}
}
