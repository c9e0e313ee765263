package envmap

import (
	"reflect"
	"strings"
	"testing"
)

func TestClientEnvMatchesTheGuide(t *testing.T) {
	t.Parallel()
	got := Client{CertDir: "certs/mcp/", Verify: true, CheckHostname: false}.Env()
	want := map[string]string{
		"PLUGINS_CLIENT_MTLS_CERTFILE":       "certs/mcp/gateway/client.crt",
		"PLUGINS_CLIENT_MTLS_KEYFILE":        "certs/mcp/gateway/client.key",
		"PLUGINS_CLIENT_MTLS_CA_BUNDLE":      "certs/mcp/gateway/ca.crt",
		"PLUGINS_CLIENT_MTLS_VERIFY":         "true",
		"PLUGINS_CLIENT_MTLS_CHECK_HOSTNAME": "false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

func TestServerEnvStartsAnHTTPServer(t *testing.T) {
	t.Parallel()
	s := Server{Listener: Listener{CertDir: "/app/certs", Plugin: "ReplaceBadWordsPlugin", Host: "127.0.0.1", Port: 8000, CertReqs: 2}}
	got := s.Env()
	if got["PLUGINS_SERVER_SSL_KEYFILE"] != "/app/certs/plugins/ReplaceBadWordsPlugin/server.key" ||
		got["PLUGINS_SERVER_SSL_CA_CERTS"] != "/app/certs/plugins/ReplaceBadWordsPlugin/ca.crt" ||
		got["PLUGINS_SERVER_PORT"] != "8000" || got["PLUGINS_SERVER_SSL_ENABLED"] != "true" || got["PLUGINS_SERVER_SSL_CERT_REQS"] != "2" {
		t.Errorf("got %v", got)
	}
	// Without it the runtime runs stdio when stdin is not a TTY, and nothing listens.
	if got["PLUGINS_TRANSPORT"] != "http" {
		t.Errorf("PLUGINS_TRANSPORT %q", got["PLUGINS_TRANSPORT"])
	}
	if s.HealthPort() != 9000 {
		t.Errorf("health port %d", s.HealthPort())
	}
	// Each input names the field at fault, in the order the functions take them.
	with := func(f func(*Listener)) Listener { l := s.Listener; f(&l); return l }
	for field, bad := range map[string]Listener{
		"name":          with(func(l *Listener) { l.Plugin = ".hidden" }),
		"cert_dir":      with(func(l *Listener) { l.CertDir = "a/../b" }),
		"host":          with(func(l *Listener) { l.Host = "" }),
		"port":          with(func(l *Listener) { l.Port = 64536 }),
		"ssl_cert_reqs": with(func(l *Listener) { l.CertReqs = 3 }),
	} {
		if got := FieldOf(Server{bad}.Validate()); got != field {
			t.Errorf("%+v: field %q, want %q", bad, got, field)
		}
	}
	for _, bad := range []int{0, 64536} {
		if FieldOf(Server{with(func(l *Listener) { l.Port = bad })}.Validate()) != "port" {
			t.Errorf("port %d accepted", bad)
		}
	}
	if (Server{with(func(l *Listener) { l.Port, l.CertReqs = 64535, 0 })}).Validate() != nil {
		t.Error("64535 rejected")
	}
	// gRPC has no health port: its ports go to 65535.
	if (GRPCServer{with(func(l *Listener) { l.Port = 65535 })}).Validate() != nil || FieldOf(GRPCServer{with(func(l *Listener) { l.Port = 65536 })}.Validate()) != "port" {
		t.Error("gRPC ports")
	}
	if FieldOf(Client{CertDir: ""}.Validate()) != "cert_dir" || FieldOf(GRPCClient{CertDir: "x\ny"}.Validate()) != "cert_dir" || (Client{CertDir: "c"}).Validate() != nil {
		t.Error("clients")
	}
}

func TestGRPCEnv(t *testing.T) {
	t.Parallel()
	server := GRPCServer{Listener: Listener{CertDir: "/app/certs", Plugin: "G", Host: "0.0.0.0", Port: 50051, CertReqs: 1}}.Env()
	want := map[string]string{
		"PLUGINS_GRPC_SERVER_HOST":            "0.0.0.0",
		"PLUGINS_GRPC_SERVER_PORT":            "50051",
		"PLUGINS_GRPC_SERVER_SSL_ENABLED":     "true",
		"PLUGINS_GRPC_SERVER_SSL_KEYFILE":     "/app/certs/plugins/G/server.key",
		"PLUGINS_GRPC_SERVER_SSL_CERTFILE":    "/app/certs/plugins/G/server.crt",
		"PLUGINS_GRPC_SERVER_SSL_CA_CERTS":    "/app/certs/plugins/G/ca.crt",
		"PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH": "optional",
	}
	if !reflect.DeepEqual(server, want) {
		t.Errorf("server %v", server)
	}
	for reqs, auth := range []string{"none", "optional", "require"} {
		if ClientAuth(reqs) != auth {
			t.Errorf("%d: %s", reqs, ClientAuth(reqs))
		}
	}
	client := GRPCClient{CertDir: "certs/mcp"}.Env()
	if len(client) != 4 || client["PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE"] != "certs/mcp/gateway/ca.crt" || client["PLUGINS_GRPC_CLIENT_MTLS_VERIFY"] != "true" {
		t.Errorf("client %v", client)
	}
}

func TestValuesCannotInjectLines(t *testing.T) {
	t.Parallel()
	for dir, want := range map[string]string{
		"/certs\nPLUGINS_CLIENT_MTLS_VERIFY=false": "control character",
		"/certs\x00":    "control character",
		"/certs/../etc": "contains `..`",
		"..":            "contains `..`",
		"":              "must not be empty",
	} {
		if err := ValidateCertDir(dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v", dir, err)
		}
	}
	for _, ok := range []string{"certs/mcp", "/app/certs/", ".", "/a..b/c"} {
		if err := ValidateCertDir(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for host, want := range map[string]string{"": "must not be empty", "a\nb": "control character", "a b": "not an address"} {
		if err := ValidateHost(host); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v", host, err)
		}
	}
}

func TestTree(t *testing.T) {
	t.Parallel()
	tree := Tree(Certificate{CertPEM: "ca"}, &Certificate{CertPEM: "gw", KeyPEM: "gwkey", BundlePEM: "bundle", ClientPEM: "gwpem"},
		map[string]Certificate{"P": {CertPEM: "p", KeyPEM: "pkey", BundlePEM: "bundle"}})
	want := map[string]File{
		"ca/ca.crt":          {"ca", "0644"}, // no ca.key: the CA's key is kept elsewhere
		"gateway/client.crt": {"gw", "0644"}, "gateway/client.key": {"gwkey", "0600"}, "gateway/ca.crt": {"bundle", "0644"}, "gateway/client.pem": {"gwpem", "0600"},
		"plugins/P/server.crt": {"p", "0644"}, "plugins/P/server.key": {"pkey", "0600"}, "plugins/P/ca.crt": {"bundle", "0644"},
	}
	if !reflect.DeepEqual(tree, want) {
		t.Errorf("got %v", tree)
	}
	if len(Tree(Certificate{CertPEM: "ca", KeyPEM: "k"}, nil, nil)) != 2 {
		t.Error("a CA alone")
	}
}

func TestMounted(t *testing.T) {
	t.Parallel()
	env := Server{Listener: Listener{CertDir: "certs/mcp", Plugin: "P", Host: "0.0.0.0", Port: 8000, CertReqs: 2}}.Env()
	got := Mounted(env, "/etc/mcp/tls")
	if got["PLUGINS_SERVER_SSL_CERTFILE"] != "/etc/mcp/tls/tls.crt" || got["PLUGINS_SERVER_SSL_KEYFILE"] != "/etc/mcp/tls/tls.key" ||
		got["PLUGINS_SERVER_SSL_CA_CERTS"] != "/etc/mcp/tls/ca.crt" || got["PLUGINS_SERVER_PORT"] != "8000" || got["PLUGINS_TRANSPORT"] != "http" {
		t.Errorf("server %v", got)
	}
	client := Mounted(GRPCClient{CertDir: "x"}.Env(), "/m")
	if client["PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE"] != "/m/ca.crt" || client["PLUGINS_GRPC_CLIENT_MTLS_VERIFY"] != "true" {
		t.Errorf("client %v", client)
	}
}
