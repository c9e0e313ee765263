package pluginconfig

import (
	"strconv"
	"strings"
	"testing"
)

func TestGRPCTargetsAsGrpcioReadsThem(t *testing.T) {
	t.Parallel()
	for target, want := range map[string]string{
		"plugins.example.com:50051":            " plugins.example.com 50051 cert",
		"[fd00::7]:50051":                      " fd00::7 50051 cert",
		"dns:///grpc.example.com:50051":        "dns grpc.example.com 50051 cert",
		"dns:grpc.example.com:50052":           "dns grpc.example.com 50052 cert",
		"dns://8.8.8.8/grpc.example.com:50053": "dns grpc.example.com 50053 cert",
		"dns:///grpc.example.com":              "dns grpc.example.com 443 cert",
		"ipv4:10.0.0.7:50051":                  "ipv4 10.0.0.7 50051 cert",
		"ipv4:10.0.0.7:1,10.0.0.8:1":           "ipv4 10.0.0.7,10.0.0.8 1 cert",
		"ipv6:[::1]:50051":                     "ipv6 ::1 50051 cert",
		"unix:///run/p.sock":                   "unix  0 socket",
		"unix-abstract:p":                      "unix-abstract  0 socket",
		"my_plugin:50051":                      " my_plugin 50051 cert",
		"Upper.Example.COM:1":                  " upper.example.com 1 cert",
	} {
		e, err := GRPCEndpoint(target)
		if err != nil {
			t.Errorf("%s: %v", target, err)
			continue
		}
		kind := "cert"
		if !e.CarriesCertificate() {
			kind = "socket"
		}
		if got := strings.Join([]string{e.Scheme, strings.Join(e.Hosts, ","), itoa(e.Port), kind}, " "); got != want {
			t.Errorf("%s: %q, want %q", target, got, want)
		}
	}
	for _, bad := range []string{"ipv4:host:1", "ipv4:10.0.0.7", "ipv6:10.0.0.7:1", "h:0", "h:65536", "h:x", ":50051", "dns://auth", "unix:", "a b:1"} {
		if _, err := GRPCEndpoint(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	// A unix: target is read, and says why it cannot carry a certificate.
	e, _ := GRPCEndpoint("unix:/run/p.sock")
	if err := e.SANCheck(); err == nil || !strings.Contains(err.Error(), "refuses TLS on a Unix socket") {
		t.Errorf("%v", err)
	}
}

func TestMCPEndpoint(t *testing.T) {
	t.Parallel()
	e, err := MCPEndpoint("https://my_plugin:8443/mcp")
	if err != nil || e.Host() != "my_plugin" || e.Port != 8443 || !e.ExplicitPort || !e.TLS() || !e.CarriesCertificate() {
		t.Errorf("%+v %v", e, err)
	}
	e, _ = MCPEndpoint("http://h/mcp")
	if e.TLS() || e.CarriesCertificate() || e.Port != 80 || e.ExplicitPort {
		t.Errorf("%+v", e)
	}
	if _, err := MCPEndpoint("https://user:secret@h/mcp"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("%v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
