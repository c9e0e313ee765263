package envmap

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

// Validate checks the input; an error names its field.
func (c GRPCClient) Validate() error { return field("cert_dir", ValidateCertDir(c.CertDir)) }

// Env renders the gateway's gRPC client variables.
func (c GRPCClient) Env() map[string]string {
	return clientEnv("PLUGINS_GRPC_CLIENT_MTLS_", c.CertDir, true)
}

// ClientAuth maps ssl_cert_reqs (0, 1, 2) to GRPCServerTLSConfig.client_auth;
// "" for any other value, which Validate refuses.
func ClientAuth(certReqs int) string {
	if certReqs < 0 || certReqs > 2 {
		return ""
	}
	return [...]string{"none", "optional", "require"}[certReqs]
}

// GRPCServer holds what one gRPC plugin server's PLUGINS_GRPC_SERVER_* variables say.
type GRPCServer struct{ Listener }

// Validate checks the values the plugin server would reject at start-up;
// an error names its field.
func (s GRPCServer) Validate() error { return s.validate(ValidateGRPCPort) }

// Env renders the gRPC plugin server's variables.
func (s GRPCServer) Env() map[string]string {
	env := s.env("PLUGINS_GRPC_SERVER_")
	env["PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH"] = ClientAuth(s.CertReqs)
	return env
}
