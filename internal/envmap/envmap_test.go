package envmap

import (
	"reflect"
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

func TestServerEnvAndHealthPort(t *testing.T) {
	t.Parallel()
	s := Server{CertDir: "/app/certs", Plugin: "ReplaceBadWordsPlugin", Host: "127.0.0.1", Port: 8000, CertReqs: 2}
	got := s.Env()
	if got["PLUGINS_SERVER_SSL_KEYFILE"] != "/app/certs/plugins/ReplaceBadWordsPlugin/server.key" ||
		got["PLUGINS_SERVER_SSL_CA_CERTS"] != "/app/certs/plugins/ReplaceBadWordsPlugin/ca.crt" ||
		got["PLUGINS_SERVER_PORT"] != "8000" || got["PLUGINS_SERVER_SSL_ENABLED"] != "true" || got["PLUGINS_SERVER_SSL_CERT_REQS"] != "2" {
		t.Errorf("got %v", got)
	}
	if s.HealthPort() != 9000 {
		t.Errorf("health port %d", s.HealthPort())
	}
	for _, bad := range []Server{{Port: 0}, {Port: 64536}, {Port: 8000, CertReqs: 3}, {Port: 8000, CertReqs: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if (Server{Port: 64535, CertReqs: 0}).Validate() != nil {
		t.Error("64535 rejected")
	}
}
