package pluginconfig

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// TestGRPCTargetsAsGrpcioReadsThem: each form, as grpcio 1.51 reads it.
// Measured with real handshakes: ipv4:///a:p and ipv6:///[a]:p connect;
// ipv4://a:p does not; a trailing dot (h.:p) passes grpcio's name check
// against a SAN with or without the dot (the target 127.0.0.1:p with the
// server name "localhost." against "localhost" and "localhost."), so it
// carries the certificate whose SAN is the name without its dot.
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
		"ipv4:10.0.0.7:1,10.0.0.8:1":           "ipv4 10.0.0.7,10.0.0.8 1 none",
		"ipv4:///127.0.0.1:50051":              "ipv4 127.0.0.1 50051 cert",
		"ipv6:///[::1]:50051":                  "ipv6 ::1 50051 cert",
		"ipv6:[::1]:1,[::2]:1":                 "ipv6 ::1,::2 1 none",
		"h.example.com.:50051":                 " h.example.com. 50051 cert",
		"ipv6:[::1]:50051":                     "ipv6 ::1 50051 cert",
		"unix:///run/p.sock":                   "unix  0 none",
		"unix-abstract:p":                      "unix-abstract  0 none",
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
			kind = "none"
		}
		if got := strings.Join([]string{e.Scheme, strings.Join(e.Hosts, ","), itoa(e.Port), kind}, " "); got != want {
			t.Errorf("%s: %q, want %q", target, got, want)
		}
	}
	for _, bad := range []string{"ipv4:host:1", "ipv4:10.0.0.7", "ipv6:10.0.0.7:1", "h:0", "h:65536", "h:x", ":50051", "dns://auth", "unix:", "a b:1", "ipv4://127.0.0.1:1", "ipv4://a/127.0.0.1:1"} {
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

// TestAddressListsCannotCarryACertificate: grpcio checks the server's
// certificate against an ipv4:/ipv6: list as one name (measured with grpcio
// 1.51: "Peer name 127.0.0.1:P,127.0.0.2:P is not in peer certificate" for a
// certificate naming both addresses; ipv4:///127.0.0.1:P and ipv6:///[::1]:P
// connect), so a list gets no certificate, and the reason says what to write.
func TestAddressListsCannotCarryACertificate(t *testing.T) {
	t.Parallel()
	e, err := GRPCEndpoint("ipv4:///10.0.0.7:50051,10.0.0.8:50051")
	if err != nil {
		t.Fatal(err)
	}
	err = e.SANCheck()
	for _, want := range []string{"ipv4: target with 2 addresses", `"10.0.0.7:50051,10.0.0.8:50051"`, "ssl_target_name_override", "give one address (ipv4:10.0.0.7:50051)", "dns:///plugins.example.com:50051"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	if e.CarriesCertificate() {
		t.Error("a list carries a certificate")
	}
}

// TestTLSEndpointsNoCertificateCanServeAreNamed: a plugin the gateway reaches
// over TLS at a host no certificate can name is left out of tls_plugins with
// a warning at its url or target that names the plugin and the reason, never
// silently; an internationalized host is the IDNA name httpx connects to.
func TestTLSEndpointsNoCertificateCanServeAreNamed(t *testing.T) {
	t.Parallel()
	mcp := func(name, url string) string {
		return "  - name: " + name + "\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: " + url + "\n"
	}
	grpc := func(name, target string) string {
		return "  - name: " + name + "\n    kind: external\n    grpc:\n      target: \"" + target + "\"\n"
	}
	text := "plugins:\n" + mcp("Idn", "https://bücher.example/mcp") + mcp("Dot", "https://.example.com/mcp") + mcp("Pct", "https://h%2f/mcp") +
		mcp("Star", "https://*.example.com/mcp") + grpc("List", "ipv4:10.0.0.7:50051,10.0.0.8:50051") + grpc("V4", "ipv4:///10.0.0.7:50051") +
		grpc("Trail", "h.example.com.:50051") + mcp("Plain", "http://.example.com/mcp")
	f, warnings, err := Parse([]byte(text), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var tls []string
	for _, p := range f.Plugins {
		if p.NeedsServerCert() {
			e, _ := p.Endpoint()
			tls = append(tls, p.Name+"="+e.Host())
		}
	}
	if got := strings.Join(tls, " "); got != "Idn=xn--bcher-kva.example V4=10.0.0.7 Trail=h.example.com." {
		t.Errorf("tls plugins %s", got)
	}
	var all []string
	for _, w := range warnings {
		all = append(all, w.Error())
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{
		`plugin "Dot": mcp.url: ".example.com" is not a valid DNS name; mcptls leaves the plugin out of tls_plugins`,
		`plugin "Pct": mcp.url: "h%2f" is not a valid DNS name; mcptls leaves`,
		`plugin "Star": mcp.url: host "*.example.com" is a wildcard pattern`,
		`plugin "List": grpc.target: an ipv4: target with 2 addresses cannot carry a certificate`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no warning %q in\n%s", want, got)
		}
	}
	if n := strings.Count(got, "leaves the plugin out of tls_plugins"); n != 4 {
		t.Errorf("%d plugins left out with a warning, want 4:\n%s", n, got)
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

// TestNameThatIsNoDNSNameWarnsAsTheResourceDoes: a plugin in tls_plugins
// whose name is no DNS name gets the warning mcptls_plugin_cert gives for
// that name, in the same words; a plugin that needs no certificate none.
func TestNameThatIsNoDNSNameWarnsAsTheResourceDoes(t *testing.T) {
	t.Parallel()
	text := "plugins:\n" +
		"  - {name: my_plugin, kind: external, mcp: {proto: STREAMABLEHTTP, url: \"https://p.example.com/mcp\"}}\n" +
		"  - {name: plain_one, kind: external, mcp: {proto: STREAMABLEHTTP, url: \"http://p.example.com/mcp\"}}\n" +
		"  - {name: Fine, kind: external, grpc: {target: \"p.example.com:50051\"}}\n"
	_, warnings, err := Parse([]byte(text), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Msg != pki.PluginNameHostWarning("my_plugin") || warnings[0].Line != 2 {
		t.Errorf("%v", warnings)
	}
}
