package yamlrender

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// Cert dirs that need quoting in YAML, and one that does not.
var certDirs = []string{
	"/app/certs",
	"certs/mcp/",
	"C:/certs: #1",
	"yes",
	"8443",
	"/mnt/it's \"quoted\" \\ here",
	"/srv/zertifikäte",
	"on/off",
	"- dash",
	"[brackets]",
	"./.inf",
}

func TestScalarReadsBackAsTheSameString(t *testing.T) {
	t.Parallel()
	values := []string{
		"plain/path.crt", "/app/certs/gateway/client.crt", "", " lead", "trail ", "a: b", "a:b", "a #b", "a#b", "#x",
		"yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "=", "<<",
		"1", "0x1F", "0o17", "017", "1_000", "1:20", "1.5", "1e3", ".5", ".inf", "-.inf", ".NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00",
		"-", "-x", "?", "? x", "@x", "`x", "!tag", "&a", "*a", "%x", "|", ">", "{a}", "[a]", "a,b", "'q'", `"q"`, `back\slash`,
		"ünïcödé", "\u2028", "\u00a0x", "日本", "😀", "tab\tin",
	}
	for _, v := range values {
		if got := Scalar(v); (got == v) != (v == "plain/path.crt" || v == "/app/certs/gateway/client.crt") {
			t.Errorf("Scalar(%q) = %s: plain only when that reads back the same", v, got)
		}
	}
	var block, flow strings.Builder
	block.WriteString("plugin_dirs:\n")
	for _, v := range values {
		fmt.Fprintf(&block, "  - %s\n", Scalar(v))
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = Scalar(v)
	}
	fmt.Fprintf(&flow, "plugin_dirs: [%s]\n", strings.Join(quoted, ", "))
	for _, doc := range []string{block.String(), flow.String()} {
		f := mustParse(t, doc, pluginconfig.DefaultOptions())
		if len(f.PluginDirs) != len(values) {
			t.Fatalf("%d values back:\n%s", len(f.PluginDirs), doc)
		}
		for i, v := range values {
			if f.PluginDirs[i] != v {
				t.Errorf("our parser reads %s as %q, want %q", quoted[i], f.PluginDirs[i], v)
			}
		}
		pyyaml(t, doc, func(t *testing.T, got any) {
			for i, v := range values {
				if g := at(got, "plugin_dirs", i); g != v {
					t.Errorf("PyYAML reads %s as %#v, want %q", quoted[i], g, v)
				}
			}
		})
	}
}

// mcpEntry is a gateway config with block placed under a plugin's mcp:, as
// a user places it with indent(6, ...).
func mcpEntry(block string) string {
	return "plugins:\n  - name: DenyListPlugin\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://deny.example.com:8443/mcp\n      " + indent(6, block)
}

func grpcEntry(block string) string {
	return "plugins:\n  - name: OPAPluginFilter\n    kind: external\n    grpc:\n      target: opa.example.com:50051\n      " + indent(6, block)
}

func TestMCPClientTLSRoundTrip(t *testing.T) {
	t.Parallel()
	for _, dir := range certDirs {
		for _, c := range []envmap.Client{{CertDir: dir, Verify: true, CheckHostname: false}, {CertDir: dir, Verify: false, CheckHostname: true}} {
			block, err := MCPClientTLS(c)
			if err != nil {
				t.Fatal(err)
			}
			l := envmap.Layout{Dir: dir}
			doc := mcpEntry(block)
			tls := plugin(t, mustParse(t, doc, pluginconfig.DefaultOptions()), "DenyListPlugin").MCP.TLS
			want := pluginconfig.ClientTLS{TLSFiles: pluginconfig.TLSFiles{CertFile: l.GatewayCert(), KeyFile: l.GatewayKey(), CABundle: l.GatewayCA()}, Verify: c.Verify, CheckHostname: c.CheckHostname}
			if tls == nil || *tls != want {
				t.Errorf("%q: our parser reads %+v, want %+v\n%s", dir, tls, want, doc)
			}
			// The env map points at the same files.
			env := c.Env()
			if env["PLUGINS_CLIENT_MTLS_CERTFILE"] != want.CertFile || env["PLUGINS_CLIENT_MTLS_KEYFILE"] != want.KeyFile || env["PLUGINS_CLIENT_MTLS_CA_BUNDLE"] != want.CABundle {
				t.Errorf("%q: env %v, YAML %+v", dir, env, want)
			}
			pyyaml(t, doc, func(t *testing.T, got any) {
				expectFields(t, pyPlugin(got, "DenyListPlugin"), map[string]any{
					"mcp.tls.certfile": want.CertFile, "mcp.tls.keyfile": want.KeyFile, "mcp.tls.ca_bundle": want.CABundle,
					"mcp.tls.verify": c.Verify, "mcp.tls.check_hostname": c.CheckHostname,
				})
			})
		}
	}
}

func TestGRPCClientTLSRoundTrip(t *testing.T) {
	t.Parallel()
	for _, dir := range certDirs {
		c := envmap.GRPCClient{CertDir: dir}
		block, err := GRPCClientTLS(c)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(block, "check_hostname") {
			t.Errorf("grpc.tls has no check_hostname:\n%s", block)
		}
		doc := grpcEntry(block)
		tls := plugin(t, mustParse(t, doc, pluginconfig.DefaultOptions()), "OPAPluginFilter").GRPC.TLS
		env := c.Env()
		want := pluginconfig.GRPCClientTLS{TLSFiles: pluginconfig.TLSFiles{
			CertFile: env["PLUGINS_GRPC_CLIENT_MTLS_CERTFILE"], KeyFile: env["PLUGINS_GRPC_CLIENT_MTLS_KEYFILE"], CABundle: env["PLUGINS_GRPC_CLIENT_MTLS_CA_BUNDLE"]}, Verify: true}
		if tls == nil || *tls != want {
			t.Errorf("%q: our parser reads %+v, want %+v\n%s", dir, tls, want, doc)
		}
		pyyaml(t, doc, func(t *testing.T, got any) {
			expectFields(t, pyPlugin(got, "OPAPluginFilter"), map[string]any{
				"grpc.tls.certfile": want.CertFile, "grpc.tls.keyfile": want.KeyFile, "grpc.tls.ca_bundle": want.CABundle, "grpc.tls.verify": true,
			})
		})
	}
}

var hosts = []string{"127.0.0.1", "0.0.0.0", "::", "localhost", "yes", "plugin.example.com"}

func TestServerSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	for i, dir := range certDirs {
		s := envmap.Server{Listener: envmap.Listener{CertDir: dir, Plugin: "Deny_List.Plugin-1", Host: hosts[i%len(hosts)], Port: 8000 + i, CertReqs: i % 3}}
		doc, err := ServerSettings(s)
		if err != nil {
			t.Fatal(err)
		}
		// A plugin server's config: its own plugins, then the block.
		doc = "plugins:\n  - name: ReplaceBadWordsPlugin\n    kind: plugins.regex_filter.search_replace.SearchReplacePlugin\n" + doc
		got := mustParse(t, doc, pluginconfig.DefaultOptions()).ServerSettings
		env := s.Env()
		want := pluginconfig.ServerSettings{Listener: pluginconfig.Listener{Host: s.Host, Port: s.Port}, TLS: &pluginconfig.ServerTLS{TLSFiles: pluginconfig.TLSFiles{
			CertFile: env["PLUGINS_SERVER_SSL_CERTFILE"], KeyFile: env["PLUGINS_SERVER_SSL_KEYFILE"], CABundle: env["PLUGINS_SERVER_SSL_CA_CERTS"]}, SSLCertReqs: s.CertReqs}}
		if got == nil || got.Host != want.Host || got.Port != want.Port || got.UDS != "" || got.TLS == nil || *got.TLS != *want.TLS {
			t.Errorf("%q: our parser reads %+v, want %+v\n%s", dir, got, want, doc)
		}
		pyyaml(t, doc, func(t *testing.T, got any) {
			expectFields(t, got, map[string]any{
				"server_settings.host": s.Host, "server_settings.port": s.Port,
				"server_settings.tls.certfile": want.TLS.CertFile, "server_settings.tls.keyfile": want.TLS.KeyFile,
				"server_settings.tls.ca_bundle": want.TLS.CABundle, "server_settings.tls.ssl_cert_reqs": s.CertReqs,
			})
		})
	}
}

func TestGRPCServerSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	for i, dir := range certDirs {
		s := envmap.GRPCServer{Listener: envmap.Listener{CertDir: dir, Plugin: "OPAPluginFilter", Host: hosts[i%len(hosts)], Port: 50051 + i, CertReqs: i % 3}}
		doc, err := GRPCServerSettings(s)
		if err != nil {
			t.Fatal(err)
		}
		got := mustParse(t, doc, pluginconfig.DefaultOptions()).GRPCServerSettings
		env := s.Env()
		want := pluginconfig.GRPCServerTLS{TLSFiles: pluginconfig.TLSFiles{
			CertFile: env["PLUGINS_GRPC_SERVER_SSL_CERTFILE"], KeyFile: env["PLUGINS_GRPC_SERVER_SSL_KEYFILE"], CABundle: env["PLUGINS_GRPC_SERVER_SSL_CA_CERTS"]},
			ClientAuth: env["PLUGINS_GRPC_SERVER_SSL_CLIENT_AUTH"]}
		if got == nil || got.Host != s.Host || got.Port != s.Port || got.TLS == nil || *got.TLS != want {
			t.Errorf("%q: our parser reads %+v, want host %s port %d %+v\n%s", dir, got, s.Host, s.Port, want, doc)
		}
		pyyaml(t, doc, func(t *testing.T, got any) {
			expectFields(t, got, map[string]any{
				"grpc_server_settings.host": s.Host, "grpc_server_settings.port": s.Port,
				"grpc_server_settings.tls.certfile": want.CertFile, "grpc_server_settings.tls.keyfile": want.KeyFile,
				"grpc_server_settings.tls.ca_bundle": want.CABundle, "grpc_server_settings.tls.client_auth": want.ClientAuth,
			})
		})
	}
}

func TestBlocksAreExactlyThese(t *testing.T) {
	t.Parallel()
	mcp, _ := MCPClientTLS(envmap.Client{CertDir: "/app/certs", Verify: true, CheckHostname: false})
	grpc, _ := GRPCClientTLS(envmap.GRPCClient{CertDir: "certs/mcp"})
	server, _ := ServerSettings(envmap.Server{Listener: envmap.Listener{CertDir: "/app/certs", Plugin: "DenyListPlugin", Host: "0.0.0.0", Port: 8000, CertReqs: 2}})
	grpcServer, _ := GRPCServerSettings(envmap.GRPCServer{Listener: envmap.Listener{CertDir: "/app/certs", Plugin: "OPAPluginFilter", Host: "0.0.0.0", Port: 50051, CertReqs: 1}})
	for got, want := range map[string]string{
		mcp:  "tls:\n  certfile: /app/certs/gateway/client.crt\n  keyfile: /app/certs/gateway/client.key\n  ca_bundle: /app/certs/gateway/ca.crt\n  verify: true\n  check_hostname: false\n",
		grpc: "tls:\n  certfile: certs/mcp/gateway/client.crt\n  keyfile: certs/mcp/gateway/client.key\n  ca_bundle: certs/mcp/gateway/ca.crt\n  verify: true\n",
		server: "server_settings:\n  host: \"0.0.0.0\"\n  port: 8000\n  tls:\n    certfile: /app/certs/plugins/DenyListPlugin/server.crt\n" +
			"    keyfile: /app/certs/plugins/DenyListPlugin/server.key\n    ca_bundle: /app/certs/plugins/DenyListPlugin/ca.crt\n    ssl_cert_reqs: 2\n",
		grpcServer: "grpc_server_settings:\n  host: \"0.0.0.0\"\n  port: 50051\n  tls:\n    certfile: /app/certs/plugins/OPAPluginFilter/server.crt\n" +
			"    keyfile: /app/certs/plugins/OPAPluginFilter/server.key\n    ca_bundle: /app/certs/plugins/OPAPluginFilter/ca.crt\n    client_auth: optional\n",
	} {
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	}
}

func TestBlocksRefuseValuesThatBreakTheFile(t *testing.T) {
	t.Parallel()
	server := func(s envmap.Server) error { _, err := ServerSettings(s); return err }
	grpcServer := func(s envmap.GRPCServer) error { _, err := GRPCServerSettings(s); return err }
	ok := envmap.Server{Listener: envmap.Listener{CertDir: "c", Plugin: "p", Host: "h", Port: 8000, CertReqs: 2}}
	with := func(f func(*envmap.Server)) envmap.Server { s := ok; f(&s); return s }
	for _, c := range []struct {
		err         error
		field, want string
	}{
		{server(with(func(s *envmap.Server) { s.CertDir = "/certs\nverify: false" })), "cert_dir", "control character"},
		{server(with(func(s *envmap.Server) { s.CertDir = "{{ env.CERTS }}" })), "cert_dir", "Jinja2"},
		{server(with(func(s *envmap.Server) { s.CertDir = "/a/{# b" })), "cert_dir", "Jinja2"},
		{server(with(func(s *envmap.Server) { s.CertDir = "/a/../b" })), "cert_dir", "contains `..`"},
		{server(with(func(s *envmap.Server) { s.Host = "a\u0085b" })), "host", "control character"},
		{server(with(func(s *envmap.Server) { s.Host = "{%x" })), "host", "Jinja2"},
		{server(with(func(s *envmap.Server) { s.Plugin = "a b" })), "name", "cannot be a directory"},
		{server(with(func(s *envmap.Server) { s.Port = 65000 })), "port", "health port"},
		{server(with(func(s *envmap.Server) { s.CertReqs = 3 })), "ssl_cert_reqs", "ssl_cert_reqs must be"},
		{grpcServer(envmap.GRPCServer{Listener: envmap.Listener{CertDir: "c", Plugin: "p", Host: "h", Port: 70000}}), "port", "between 1 and 65535"},
		{grpcServer(envmap.GRPCServer{Listener: envmap.Listener{CertDir: "c", Plugin: "p", Host: "h", Port: 1, CertReqs: -1}}), "ssl_cert_reqs", "ssl_cert_reqs must be"},
		{func() error { _, err := MCPClientTLS(envmap.Client{CertDir: ""}); return err }(), "cert_dir", "must not be empty"},
		{func() error { _, err := GRPCClientTLS(envmap.GRPCClient{CertDir: "a\tb"}); return err }(), "cert_dir", "control character"},
	} {
		if c.err == nil || envmap.FieldOf(c.err) != c.field || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("want an error on %s with %q, got %v (on %q)", c.field, c.want, c.err, envmap.FieldOf(c.err))
		}
	}
}
