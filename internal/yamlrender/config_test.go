package yamlrender

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig/parity"
)

// added checks that out is in with lines added and nothing else changed,
// byte for byte, and returns the added lines, joined.
func added(t *testing.T, in, out string) string {
	t.Helper()
	a, b := strings.SplitAfter(in, "\n"), strings.SplitAfter(out, "\n")
	// Longest common subsequence of lines.
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var extra strings.Builder
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i, j = i+1, j+1
		case lcs[i][j+1] >= lcs[i+1][j]:
			extra.WriteString(b[j])
			j++
		default:
			t.Errorf("input line %d changed or removed: %q", i+1, a[i])
			i++
		}
	}
	for ; i < len(a); i++ {
		t.Errorf("input line %d changed or removed: %q", i+1, a[i])
	}
	for ; j < len(b); j++ {
		extra.WriteString(b[j])
	}
	return extra.String()
}

// block is a client tls block at an indentation and step, as the file writes it.
func mcpBlock(dir string, verify, checkHostname bool) string {
	const indent, step = "      ", "  "
	var b strings.Builder
	mapping{{"tls", mcpClientTLS(envmap.Client{CertDir: dir, Verify: verify, CheckHostname: checkHostname})}}.block(&b, indent, step, "\n")
	return b.String()
}

func grpcBlock(dir, indent, step string) string {
	var b strings.Builder
	mapping{{"tls", grpcClientTLS(envmap.GRPCClient{CertDir: dir})}}.block(&b, indent, step, "\n")
	return b.String()
}

func readFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/gateway-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAddTLSToTheGatewayConfig(t *testing.T) {
	t.Parallel()
	in := readFixture(t)
	for _, c := range []struct {
		dir                   string
		verify, checkHostname bool
	}{{"/app/certs", true, true}, {"C:/mcp certs: #2", false, false}, {"no", true, false}} {
		opts := DefaultOptions()
		opts.Verify, opts.CheckHostname = c.verify, c.checkHostname
		out, err := AddTLS(in, c.dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Only the two blocks are new, each at its block's indentation
		// (two spaces deeper under mcp:, four under grpc:, as the file does).
		if got, want := added(t, in, out), mcpBlock(c.dir, c.verify, c.checkHostname)+grpcBlock(c.dir, "        ", "    "); got != want {
			t.Errorf("added\n%s\nwant\n%s", got, want)
		}
		// Each as the last key of its block: after the url (and its comment),
		// before the gRPC plugin's tags.
		want := strings.NewReplacer(
			"# behind the mesh\n", "# behind the mesh\n"+mcpBlock(c.dir, c.verify, c.checkHostname),
			"\"opa.plugins.example.com:50051\"\n", "\"opa.plugins.example.com:50051\"\n"+grpcBlock(c.dir, "        ", "    "),
		).Replace(in)
		if out != want {
			t.Errorf("got\n%s\nwant\n%s", out, want)
		}
		before, after := mustParse(t, in, pluginconfig.DefaultOptions()), mustParse(t, out, pluginconfig.DefaultOptions())
		l := envmap.Layout{Dir: c.dir}
		files := pluginconfig.TLSFiles{CertFile: l.GatewayCert(), KeyFile: l.GatewayKey(), CABundle: l.GatewayCA()}
		if got := plugin(t, after, "DenyListPlugin").MCP.TLS; got == nil || *got != (pluginconfig.ClientTLS{TLSFiles: files, Verify: c.verify, CheckHostname: c.checkHostname}) {
			t.Errorf("mcp.tls %+v", got)
		}
		if got := plugin(t, after, "OPAPluginFilter").GRPC.TLS; got == nil || *got != (pluginconfig.GRPCClientTLS{TLSFiles: files, Verify: true}) {
			t.Errorf("grpc.tls %+v", got)
		}
		if plugin(t, after, "LocalHTTPPlugin").MCP.TLS != nil {
			t.Error("the http plugin got a tls block")
		}
		if len(after.Plugins) != 5 || plugin(t, after, "PIIFilterPlugin").Mode != "sequential" || plugin(t, after, "SocketPlugin").UnixSocket.Path != "/var/run/mcp-plugin.sock" ||
			strings.Join(after.PluginDirs, ",") != strings.Join(before.PluginDirs, ",") || len(plugin(t, after, "OPAPluginFilter").Tags) != 1 {
			t.Errorf("other entries changed: %+v", after)
		}
		pyyaml(t, out, func(t *testing.T, doc any) {
			expectFields(t, pyPlugin(doc, "DenyListPlugin"), map[string]any{
				"mcp.tls.certfile": files.CertFile, "mcp.tls.keyfile": files.KeyFile, "mcp.tls.ca_bundle": files.CABundle,
				"mcp.tls.verify": c.verify, "mcp.tls.check_hostname": c.checkHostname, "mcp.url": "https://deny.plugins.example.com:8443/mcp", "priority": 100,
			})
			expectFields(t, pyPlugin(doc, "OPAPluginFilter"), map[string]any{
				"grpc.tls.certfile": files.CertFile, "grpc.tls.keyfile": files.KeyFile, "grpc.tls.ca_bundle": files.CABundle,
				"grpc.tls.verify": true, "grpc.target": "opa.plugins.example.com:50051", "tags.0": "opa",
			})
			expectFields(t, pyPlugin(doc, "LocalHTTPPlugin"), map[string]any{"mcp.tls": `<no key "tls">`})
			expectFields(t, doc, map[string]any{"plugin_dirs.0": "plugins/native", "plugin_settings.plugin_timeout": 30, "plugin_settings.fail_on_plugin_error": false})
		})
		// Fed back in, it is already done.
		again, err := AddTLS(out, c.dir, opts)
		if err != nil || again != out {
			t.Errorf("second run changed the output (%v):\n%s", err, again)
		}
	}
}

func TestAddTLSToExistingBlocks(t *testing.T) {
	t.Parallel()
	in := `plugins:
  - name: Hand
    kind: external
    mcp:
      proto: STREAMABLEHTTP
      url: https://hand.example.com/mcp
      tls:   # written by hand
        verify: true
        keyfile_password: secret   # not ours
      reconnect_attempts: 3
  - name: Same
    kind: external
    grpc:
      target: same.example.com:50051
      tls:
        certfile: /app/certs/gateway/client.crt
        keyfile: /app/certs/gateway/client.key
        ca_bundle: /app/certs/gateway/ca.crt
  - name: Empty
    kind: external
    mcp:
      proto: SSE
      url: wss://empty.example.com/mcp
      tls:   # null: the env set applies
      reconnect_delay: 0.5
`
	// Default: refuse, naming the block, what differs and both ways out; a
	// block equal to mcptls's (Same, verify defaulting to true) is no conflict.
	_, err := AddTLS(in, "/app/certs", DefaultOptions())
	ps, ok := pluginconfig.AsProblems(err)
	if !ok || len(ps) != 1 || ps[0].Line != 7 || ps[0].Column != 7 {
		t.Fatalf("want one problem at 7:7, got %v", err)
	}
	for _, says := range []string{`plugin "Hand"`, "no certfile, mcptls writes /app/certs/gateway/client.crt", "keyfile_password", "PLUGINS_CLIENT_MTLS_*", `existing_tls = "replace"`, `"keep"`} {
		if !strings.Contains(ps[0].Msg, says) {
			t.Errorf("the problem does not say %q: %s", says, ps[0].Msg)
		}
	}

	// keep: Hand as written, Same is already right, Empty gets its block in
	// place of the null one.
	opts := DefaultOptions()
	opts.Existing = ExistingKeep
	out, err := AddTLS(in, "/app/certs", opts)
	if err != nil {
		t.Fatal(err)
	}
	// Under the null key, which stays with its comment.
	emptyBlock := mcpBlock("/app/certs", true, true)
	filled := strings.Replace(emptyBlock, "      tls:\n", "      tls:   # null: the env set applies\n", 1)
	if want := strings.Replace(in, "      tls:   # null: the env set applies\n", filled, 1); out != want {
		t.Errorf("keep:\n%s\nwant\n%s", out, want)
	}
	f := mustParse(t, out, pluginconfig.DefaultOptions())
	if tls := plugin(t, f, "Hand").MCP.TLS; tls.KeyfilePassword != "secret" || tls.CertFile != "" {
		t.Errorf("keep changed Hand: %+v", tls)
	}

	// replace: Hand's block, comment and all, becomes mcptls's, in place.
	opts.Existing = ExistingReplace
	out, err = AddTLS(in, "/app/certs", opts)
	if err != nil {
		t.Fatal(err)
	}
	handOld := "      tls:   # written by hand\n        verify: true\n        keyfile_password: secret   # not ours\n"
	want := strings.Replace(strings.Replace(in, handOld, emptyBlock, 1), "      tls:   # null: the env set applies\n", filled, 1)
	if out != want {
		t.Errorf("replace:\n%s\nwant\n%s", out, want)
	}
	f = mustParse(t, out, pluginconfig.DefaultOptions())
	if tls := plugin(t, f, "Hand").MCP.TLS; tls.KeyfilePassword != "" || tls.CertFile != "/app/certs/gateway/client.crt" || plugin(t, f, "Hand").MCP.URL != "https://hand.example.com/mcp" {
		t.Errorf("replace: Hand %+v", tls)
	}
	pyyaml(t, out, func(t *testing.T, doc any) {
		expectFields(t, pyPlugin(doc, "Hand"), map[string]any{"mcp.tls.certfile": "/app/certs/gateway/client.crt", "mcp.tls.keyfile_password": `<no key "keyfile_password">`, "mcp.reconnect_attempts": 3})
		expectFields(t, pyPlugin(doc, "Empty"), map[string]any{"mcp.tls.ca_bundle": "/app/certs/gateway/ca.crt", "mcp.tls.check_hostname": true})
		expectFields(t, pyPlugin(doc, "Same"), map[string]any{"grpc.tls.certfile": "/app/certs/gateway/client.crt", "grpc.tls.verify": `<no key "verify">`})
	})
}

func TestAddTLSInFlowMappingsAndAnchors(t *testing.T) {
	t.Parallel()
	in := `x-common: &common {proto: STREAMABLEHTTP}
plugins:
  - name: Flow
    kind: external
    mcp: {proto: STREAMABLEHTTP, url: "https://flow.example.com/mcp"}   # one line
  - name: Trailing
    kind: external
    mcp: {proto: STREAMABLEHTTP,
          url: "https://trailing.example.com/mcp", # a comment
    }
  - name: SharedA
    kind: external
    mcp: &shared
      <<: *common
      url: https://shared.example.com/mcp
  - name: SharedB
    kind: external
    mcp: *shared
  - name: Merged
    kind: external
    grpc:
      <<: {target: merged.example.com:50051}
`
	out, err := AddTLS(in, "/c", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	flow := "tls: {certfile: /c/gateway/client.crt, keyfile: /c/gateway/client.key, ca_bundle: /c/gateway/ca.crt, verify: true, check_hostname: true}"
	want := strings.NewReplacer(
		`url: "https://flow.example.com/mcp"}`, `url: "https://flow.example.com/mcp", `+flow+"}",
		"# a comment\n    }", "# a comment\n     "+flow+"}",
		"      url: https://shared.example.com/mcp\n", "      url: https://shared.example.com/mcp\n"+mcpBlock("/c", true, true),
		"      <<: {target: merged.example.com:50051}\n", "      <<: {target: merged.example.com:50051}\n"+grpcBlock("/c", "      ", "  "),
	).Replace(in)
	if out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	f := mustParse(t, out, pluginconfig.DefaultOptions())
	for _, name := range []string{"Flow", "Trailing", "SharedA", "SharedB"} {
		if tls := plugin(t, f, name).MCP.TLS; tls == nil || tls.KeyFile != "/c/gateway/client.key" {
			t.Errorf("%s: %+v", name, tls)
		}
	}
	pyyaml(t, out, func(t *testing.T, doc any) {
		for _, name := range []string{"Flow", "Trailing", "SharedA", "SharedB"} {
			expectFields(t, pyPlugin(doc, name), map[string]any{"mcp.tls.keyfile": "/c/gateway/client.key", "mcp.proto": "STREAMABLEHTTP"})
		}
		expectFields(t, pyPlugin(doc, "Merged"), map[string]any{"grpc.tls.ca_bundle": "/c/gateway/ca.crt", "grpc.target": "merged.example.com:50051"})
	})
}

func TestAddTLSOverAMergedBlock(t *testing.T) {
	t.Parallel()
	in := `defaults: &tls
  tls: {verify: false}
plugins:
  - name: A
    kind: external
    mcp:
      <<: *tls
      proto: STREAMABLEHTTP
      url: https://a.example.com/mcp
  - name: B
    kind: external
    mcp:
      proto: STREAMABLEHTTP
      url: https://b.example.com/mcp
      tls: &own {verify: false}
  - name: C
    kind: external
    mcp:
      proto: STREAMABLEHTTP
      url: http://c.example.com/mcp
      tls: *own
`
	_, err := AddTLS(in, "/c", DefaultOptions())
	if ps, _ := pluginconfig.AsProblems(err); len(ps) != 2 || ps[0].Line != 2 || ps[1].Line != 15 {
		t.Fatalf("want the merged block (line 2) and B's (15) named, got %v", err)
	}
	opts := DefaultOptions()
	opts.Existing = ExistingReplace
	// B's block is anchored and C uses it: replacing it would change C.
	_, err = AddTLS(in, "/c", opts)
	if ps, _ := pluginconfig.AsProblems(err); len(ps) != 1 || ps[0].Line != 15 || !strings.Contains(ps[0].Msg, "&own, which an alias elsewhere uses") {
		t.Fatalf("want B's anchored block refused, got %v", err)
	}
	in = strings.Replace(in, "tls: *own", "tls: {verify: false}", 1)
	out, err := AddTLS(in, "/c", opts)
	if err != nil {
		t.Fatal(err)
	}
	// A gets its own tls, which wins over the merged one; the anchor stays.
	if got, want := added(t, strings.Replace(in, "      tls: &own {verify: false}\n", "", 1), out), mcpBlock("/c", true, true)+mcpBlock("/c", true, true); got != want {
		t.Errorf("added\n%s\nwant\n%s", got, want)
	}
	f := mustParse(t, out, pluginconfig.DefaultOptions())
	if tls := plugin(t, f, "A").MCP.TLS; !tls.Verify || tls.CertFile != "/c/gateway/client.crt" {
		t.Errorf("A %+v", tls)
	}
	if tls := plugin(t, f, "C").MCP.TLS; tls.Verify || tls.CertFile != "" {
		t.Errorf("C (http) was changed: %+v", tls)
	}
}

func TestAddTLSKeepsTemplates(t *testing.T) {
	t.Parallel()
	in := `plugins:
  - name: Deny
    kind: external
    mcp:
      proto: STREAMABLEHTTP
      url: "https://{{ env.DENY_HOST }}:8443/mcp"
  - name: Flow
    kind: external
    mcp: {proto: STREAMABLEHTTP, url: "https://{{ env.FLOW_HOST }}/mcp"}
  - name: Grpc
    kind: external
    grpc:
      target: {{ env.GRPC_TARGET }}
`
	_, err := AddTLS(in, "/c", DefaultOptions())
	ps, _ := pluginconfig.AsProblems(err)
	var missing []string
	for _, p := range ps {
		if strings.Contains(p.Msg, "is not in template_env") {
			missing = append(missing, fmt.Sprintf("%d:%d %s", p.Line, p.Column, strings.Fields(p.Msg)[0]))
		}
	}
	if strings.Join(missing, ", ") != "6:24 env.DENY_HOST, 9:51 env.FLOW_HOST, 13:18 env.GRPC_TARGET" {
		t.Fatalf("want the missing names at their positions, got %v", err)
	}
	opts := DefaultOptions()
	opts.Config.TemplateEnv = map[string]string{"DENY_HOST": "deny.example.com", "FLOW_HOST": "flow-plugin.example.com", "GRPC_TARGET": "grpc.example.com:50051"}
	out, err := AddTLS(in, "/c", opts)
	if err != nil {
		t.Fatal(err)
	}
	flow := ", tls: {certfile: /c/gateway/client.crt, keyfile: /c/gateway/client.key, ca_bundle: /c/gateway/ca.crt, verify: true, check_hostname: true}"
	want := strings.NewReplacer(
		`:8443/mcp"`+"\n", `:8443/mcp"`+"\n"+mcpBlock("/c", true, true),
		`/mcp"}`, `/mcp"`+flow+"}",
		"{{ env.GRPC_TARGET }}\n", "{{ env.GRPC_TARGET }}\n"+grpcBlock("/c", "      ", "  "),
	).Replace(in)
	if out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	rendered, err := pluginconfig.Read([]byte(out), opts.Config)
	if err != nil {
		t.Fatal(err)
	}
	pyyaml(t, rendered.Text(), func(t *testing.T, doc any) {
		expectFields(t, pyPlugin(doc, "Flow"), map[string]any{"mcp.url": "https://flow-plugin.example.com/mcp", "mcp.tls.verify": true})
		expectFields(t, pyPlugin(doc, "Grpc"), map[string]any{"grpc.target": "grpc.example.com:50051", "grpc.tls.verify": true})
	})
}

func TestAddTLSLeavesWhatNeedsNoTLS(t *testing.T) {
	t.Parallel()
	in := `plugins:
  - name: Native
    kind: plugins.pii.PII
  - name: Plain
    kind: external
    mcp: {proto: STREAMABLEHTTP, url: "http://plain.example.com/mcp", tls: {verify: false}}
  - name: Uds
    kind: external
    mcp: {proto: STREAMABLEHTTP, url: "http://localhost/mcp", uds: /run/p.sock}
  - name: Stdio
    kind: external
    mcp: {proto: STDIO, script: server.py}
  - name: GrpcUds
    kind: external
    grpc: {uds: /run/g.sock}
  - name: Sock
    kind: external
    unix_socket: {path: /run/u.sock}
server_settings: {host: 0.0.0.0, port: 8000}
`
	out, err := AddTLS(in, "/c", DefaultOptions())
	if err != nil || out != in {
		t.Errorf("changed (%v):\n%s", err, out)
	}
	if out, err := AddTLS("", "/c", DefaultOptions()); err != nil || out != "" {
		t.Errorf("empty file: %q %v", out, err)
	}
}

func TestAddTLSLineEndings(t *testing.T) {
	t.Parallel()
	in := "plugins:\r\n  - name: A\r\n    kind: external\r\n    grpc:\r\n      target: 10.0.0.5:50051"
	opts := DefaultOptions()
	opts.Config.SSRFProtection = false
	out, err := AddTLS(in, "/c", opts)
	if err != nil {
		t.Fatal(err)
	}
	// CRLF like the file, and like the file no line break at the end.
	if want := in + "\r\n" + strings.TrimSuffix(strings.ReplaceAll(grpcBlock("/c", "      ", "  "), "\n", "\r\n"), "\r\n"); out != want {
		t.Errorf("got %q\nwant %q", out, want)
	}
	if tls := plugin(t, mustParse(t, out, opts.Config), "A").GRPC.TLS; tls == nil || tls.CertFile != "/c/gateway/client.crt" {
		t.Errorf("%+v", tls)
	}
}

func TestAddTLSRefuses(t *testing.T) {
	t.Parallel()
	ok := "plugins:\n  - name: A\n    kind: external\n    mcp: {proto: STREAMABLEHTTP, url: \"https://10.1.2.3:8443/mcp\"}\n"
	// The gateway's default SSRF protection refuses the private IP, at its place.
	_, err := AddTLS(ok, "/c", DefaultOptions())
	if ps, _ := pluginconfig.AsProblems(err); len(ps) != 1 || ps[0].Line != 4 || ps[0].Column != 39 || !strings.Contains(ps[0].Msg, pluginconfig.SSRFSetting) {
		t.Errorf("SSRF: %v", err)
	}
	noSSRF := DefaultOptions()
	noSSRF.Config.SSRFProtection = false
	if _, err := AddTLS(ok, "/c", noSSRF); err != nil {
		t.Errorf("SSRF off: %v", err)
	}
	for _, c := range []struct {
		content, dir string
		existing     Existing
		arg, says    string
		line, column int
	}{
		{content: "plugins:\n  - name: A\n    kind: external\n    grpc: {target: a:1, uds: /s}\n", dir: "/c", line: 4, column: 25, says: "both `target` and `uds`"},
		{content: "plugins: [\n", dir: "/c", line: 1, column: 10, says: "invalid YAML"},
		{content: ok, dir: "/c\n", arg: "cert_dir", says: "control character"},
		{content: ok, dir: "{{ env.DIR }}", arg: "cert_dir", says: "Jinja2"},
		{content: ok, dir: "/c", existing: "overwrite", arg: "options.existing_tls", says: `existing_tls is "overwrite"`},
	} {
		opts := noSSRF
		if c.existing != "" {
			opts.Existing = c.existing
		}
		_, err := AddTLS(c.content, c.dir, opts)
		if c.arg != "" {
			if envmap.FieldOf(err) != c.arg || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%q: want an error on %s saying %q, got %v", c.content, c.arg, c.says, err)
			}
			continue
		}
		ps, _ := pluginconfig.AsProblems(err)
		if len(ps) == 0 || ps[0].Line != c.line || ps[0].Column != c.column || !strings.Contains(ps[0].Msg, c.says) {
			t.Errorf("%q: want %d:%d %q, got %v", c.content, c.line, c.column, c.says, err)
		}
	}
}

// A block shared through an anchor with a plugin that needs no TLS would
// change that plugin too: the check of the result refuses it.
func TestAddTLSRefusesToChangeAnotherPlugin(t *testing.T) {
	t.Parallel()
	in := `plugins:
  - name: A
    kind: external
    mcp: &m
      proto: STREAMABLEHTTP
      url: https://a.example.com/mcp
  - name: Native
    kind: plugins.native.Plugin
    mcp: *m
`
	_, err := AddTLS(in, "/c", DefaultOptions())
	if ps, _ := pluginconfig.AsProblems(err); len(ps) != 1 || ps[0].Line != 7 || !strings.Contains(ps[0].Msg, `plugin "Native" would read differently`) {
		t.Errorf("want the native plugin named, got %v", err)
	}
}

func TestVerifyCatchesAnyOtherChange(t *testing.T) {
	t.Parallel()
	in := readFixture(t)
	out, err := AddTLS(in, "/c", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before, err := pluginconfig.Read([]byte(in), pluginconfig.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	e := &editor{reading: before, opts: DefaultOptions(), certDir: "/c", expect: map[string]bool{"DenyListPlugin": true, "OPAPluginFilter": true}}
	if err := e.verify(out); err != nil {
		t.Fatalf("the real output: %v", err)
	}
	for _, tampered := range []string{
		strings.Replace(out, "priority: 50", "priority: 51", 1),
		strings.Replace(out, "  - plugins/custom\n", "", 1),
		strings.Replace(out, "check_hostname: true", "check_hostname: false", 1),
		strings.Replace(out, "      timeout: 30.0\n", "      timeout: 30.0\n      timeout: 31\n", 1),
		strings.Replace(out, "tags: [opa]", "tags: [", 1),
	} {
		if err := e.verify(tampered); err == nil || !strings.Contains(err.Error(), "without changing something else") {
			t.Errorf("not caught (%v):\n%s", err, tampered)
		}
	}
}

// The gateway's own plugins/external/config.yaml, moved to https: each of its
// three plugins gets mcp.tls above the commented-out examples, nothing else
// moves. Its URLs are 127.0.0.1, so SSRF protection is off, as it must be on
// that gateway.
func TestAddTLSToTheGatewaysOwnFile(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../pluginconfig/testdata/gateway-external-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in := strings.ReplaceAll(string(b), "http://", "https://")
	opts := DefaultOptions()
	opts.Config.SSRFProtection = false
	opts.CheckHostname = false
	out, err := AddTLS(in, "certs/mcp", opts)
	if err != nil {
		t.Fatal(err)
	}
	block := mcpBlock("certs/mcp", true, false)
	if got := added(t, in, out); got != block+block+block {
		t.Errorf("added\n%s", got)
	}
	if !strings.Contains(out, "url: https://127.0.0.1:3000/mcp\n"+block+"      # tls:\n") {
		t.Errorf("DenyListPlugin's block is not right after its url:\n%s", out)
	}
	f := mustParse(t, out, opts.Config)
	for _, p := range f.Plugins {
		if p.MCP.TLS == nil || p.MCP.TLS.CertFile != "certs/mcp/gateway/client.crt" || p.MCP.TLS.CheckHostname {
			t.Errorf("%s: %+v", p.Name, p.MCP.TLS)
		}
	}
	pyyaml(t, out, func(t *testing.T, doc any) {
		for _, name := range []string{"DenyListPlugin", "OPAPluginFilter", "LLMGuardPlugin"} {
			expectFields(t, pyPlugin(doc, name), map[string]any{"mcp.tls.ca_bundle": "certs/mcp/gateway/ca.crt", "mcp.tls.check_hostname": false, "mcp.tls.verify": true})
		}
		expectFields(t, pyPlugin(doc, "OPAPluginFilter"), map[string]any{"priority": 10, "mcp.url": "https://127.0.0.1:8000/mcp"})
		expectFields(t, doc, map[string]any{"plugin_dirs.2": "/etc/mcpgateway/plugins", "plugin_settings.plugin_health_check_interval": 60})
	})
}

// TestAddTLSToAFileWithEveryConstruct: a config with Jinja2 filters,
// conditionals, loops, raw blocks and comments, a keep-chomping block scalar
// last in an mcp block, an ipv4: target, a byte-order mark and CRLF line
// endings. AddTLS adds the three tls blocks and nothing else: the bytes
// around them are the input's, and the gateway's own renderer and loader
// (Jinja2 and PyYAML) read the rest of the output as they read the input.
func TestAddTLSToAFileWithEveryConstruct(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/all-constructs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in := string(raw)
	env := map[string]string{"WITH_DNS": "1"}
	opts := DefaultOptions()
	opts.Config.TemplateEnv = env
	out, err := AddTLS(in, "/app/certs", opts)
	if err != nil {
		t.Fatal(err)
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	secure := crlf(mcpBlock("/app/certs", true, true))
	grpc := crlf(grpcBlock("/app/certs", "      ", "  "))
	dns := ", tls: {certfile: /app/certs/gateway/client.crt, keyfile: /app/certs/gateway/client.key, ca_bundle: /app/certs/gateway/ca.crt, verify: true}"
	// Each block where it belongs: after the |+ scalar's blank lines, after the target, inside the flow mapping.
	for _, want := range []string{"        kept with its blank lines\r\n\r\n\r\n" + secure, "target: \"ipv4:10.0.0.7:50051\"\r\n" + grpc, "grpc.plugins.example.com:50052\"" + dns + "}"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if back := strings.NewReplacer(secure, "", grpc, "", dns, "").Replace(out); back != in {
		t.Errorf("more than the tls blocks changed:\n%s", out)
	}
	// The gateway reads the output as the input, but for the three tls blocks.
	dir := t.TempDir()
	outPath := filepath.Join(dir, "out.yaml")
	if err := os.WriteFile(outPath, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	before, after := gatewayLoad(t, "testdata/all-constructs.yaml", env), gatewayLoad(t, outPath, env)
	tls := map[string]any{}
	for _, name := range []string{"Secure", "Grpc", "Dns"} {
		p, _ := pyPlugin(after, name).(map[string]any)
		block, _ := p["mcp"].(map[string]any)
		if block == nil {
			block, _ = p["grpc"].(map[string]any)
		}
		tls[name] = block["tls"]
		delete(block, "tls")
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("the gateway reads more than the tls blocks differently:\nbefore %v\nafter  %v", before, after)
	}
	expectFields(t, map[string]any{"tls": tls}, map[string]any{
		"tls.Secure.certfile": "/app/certs/gateway/client.crt", "tls.Secure.check_hostname": true,
		"tls.Grpc.ca_bundle": "/app/certs/gateway/ca.crt", "tls.Dns.verify": true,
	})
	if note := at(before, "plugins", 0, "mcp", "note"); note != "kept with its blank lines\n\n\n" {
		t.Errorf("note %q", note)
	}
}

// TestAddTLSSaysSizes: a result past the 4 MiB mcptls reads is refused with
// both sizes, not as "cannot add the tls blocks without changing something".
func TestAddTLSSaysSizes(t *testing.T) {
	t.Parallel()
	plugin := "plugins:\n  - name: A\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://a.example.com/mcp\n"
	pad := "# " + strings.Repeat("x", pluginconfig.MaxConfigBytes-len(plugin)-100) + "\n"
	_, err := AddTLS(pad+plugin, "/c", DefaultOptions())
	ps, _ := pluginconfig.AsProblems(err)
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, fmt.Sprintf("bytes, more than the %d (4 MiB) mcptls reads", pluginconfig.MaxConfigBytes)) || !strings.Contains(ps[0].Msg, "would be 41") {
		t.Errorf("%v", err)
	}
	_, err = AddTLS(pad+pad, "/c", DefaultOptions())
	if ps, _ := pluginconfig.AsProblems(err); len(ps) != 1 || !strings.Contains(ps[0].Msg, fmt.Sprintf("bytes; a plugin config is at most %d (4 MiB)", pluginconfig.MaxConfigBytes)) {
		t.Errorf("%v", err)
	}
}

// TestOneReadingOfEveryFile: plugin_config_tls_yaml and the data source read
// a file through the same pluginconfig.Read: on every file of the parity
// table they refuse the same files with the same problems, at the same
// places, and accept the same files (a function cannot show warnings; the
// data source shows the same ones, from the same reading).
func TestOneReadingOfEveryFile(t *testing.T) {
	t.Parallel()
	cases, err := parity.Cases("../pluginconfig/testdata/parity")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		_, _, readErr := pluginconfig.Parse([]byte(c.Text), c.Options)
		opts := DefaultOptions()
		opts.Config = c.Options
		opts.Existing = ExistingKeep
		_, tlsErr := AddTLS(c.Text, "/c", opts)
		switch {
		case readErr != nil && (tlsErr == nil || tlsErr.Error() != readErr.Error()):
			t.Errorf("%s: the data source refuses it:\n%v\nplugin_config_tls_yaml: %v", c.File, readErr, tlsErr)
		case readErr == nil && tlsErr != nil && !placementOnly(tlsErr):
			t.Errorf("%s: the data source reads it, plugin_config_tls_yaml refuses it: %v", c.File, tlsErr)
		case readErr == nil && tlsErr != nil:
			// Read alike; only where a block would go is written by a loop.
			t.Logf("%s: %v", c.File, tlsErr)
		}
	}
}

// placementOnly is an AddTLS refusal about where a block would go, not about the file.
func placementOnly(err error) bool {
	ps, _ := pluginconfig.AsProblems(err)
	for _, p := range ps {
		if !strings.Contains(p.Msg, "mcptls cannot add") {
			return false
		}
	}
	return len(ps) > 0
}
