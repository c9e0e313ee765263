package pluginconfig

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func parse(t *testing.T, yaml string, opts Options) (*File, []*Warning, Problems) {
	t.Helper()
	f, w, err := Parse([]byte(yaml), opts)
	if err == nil {
		return f, w, nil
	}
	ps, ok := AsProblems(err)
	if !ok {
		t.Fatalf("error without a position: %v", err)
	}
	return f, w, ps
}

func noSSRF() Options { return Options{SSRFProtection: false} }

func TestGatewayExternalConfig(t *testing.T) {
	t.Parallel()
	// The gateway's own file: refused by its default SSRF protection...
	_, _, err := ReadFile("testdata/gateway-external-config.yaml", DefaultOptions())
	ps, _ := AsProblems(err)
	if len(ps) != 3 || ps[0].Line != 7 || ps[0].Column != 12 || !strings.Contains(ps[0].Msg, SSRFSetting) {
		t.Fatalf("SSRF errors: %v", err)
	}
	// ...and loaded without it.
	f, warnings, err := ReadFile("testdata/gateway-external-config.yaml", noSSRF())
	if err != nil || len(warnings) != 0 {
		t.Fatal(err, warnings)
	}
	var names []string
	for _, p := range f.Plugins {
		e, _ := p.Endpoint()
		host, port := e.Host(), e.Port
		names = append(names, p.Name+":"+host+":"+strconv.Itoa(port)+":"+strconv.FormatBool(p.NeedsServerCert()))
	}
	if got := strings.Join(names, ","); got != "DenyListPlugin:127.0.0.1:3000:false,OPAPluginFilter:127.0.0.1:8000:false,LLMGuardPlugin:127.0.0.1:8001:false" {
		t.Errorf("plugins %s", got)
	}
	if f.Plugins[1].Priority != 10 || f.Plugins[0].Priority != 100 || len(f.PluginDirs) != 3 {
		t.Errorf("modelled fields lost: %+v", f)
	}
}

func TestTransports(t *testing.T) {
	t.Parallel()
	f, warnings, err := ReadFile("testdata/transports.yaml", DefaultOptions())
	if err != nil || len(warnings) != 0 {
		t.Fatal(err, warnings)
	}
	want := []struct {
		transport, host string
		port            int
		tls, cert       bool
		socket          string
	}{
		{"", "", 0, false, false, ""},
		{TransportMCP, "plugin.example.com", 8443, true, true, ""},
		{TransportGRPC, "grpc-plugin.internal", 50051, true, true, ""},
		{TransportGRPC, "", 0, false, false, "/var/run/grpc-plugin.sock"},
		{TransportUnixSocket, "", 0, false, false, "/var/run/mcp-plugin.sock"},
		{TransportMCP, "", 0, false, false, ""},
		{TransportMCP, "", 0, false, false, "/var/run/mcp.sock"},
	}
	for i, w := range want {
		p := f.Plugins[i]
		e, _ := p.Endpoint()
		host, port := e.Host(), e.Port
		if p.Transport() != w.transport || host != w.host || port != w.port || p.TLSEnabled() != w.tls || p.NeedsServerCert() != w.cert || p.SocketPath() != w.socket {
			t.Errorf("%s: transport %q host %q port %d tls %v cert %v socket %q", p.Name, p.Transport(), host, port, p.TLSEnabled(), p.NeedsServerCert(), p.SocketPath())
		}
	}
	if f.Plugins[0].Mode != "sequential" || f.Plugins[1].Mode != "sequential" || f.Plugins[1].MCP.TLS.CheckHostname {
		t.Errorf("mode migration or tls: %+v %+v", f.Plugins[0], f.Plugins[1].MCP.TLS)
	}
	if s := f.GRPCServerSettings; s == nil || s.TLS.ClientAuth != "require" || s.Port != 50051 || f.ServerSettings.TLS.SSLCertReqs != 2 {
		t.Errorf("server settings %+v %+v", f.ServerSettings, f.GRPCServerSettings)
	}
}

// yamlCase is a file and the one problem it must report, or "" for none.
type yamlCase struct {
	name, yaml string
	line, col  int
	msg        string
}

func checkCases(t *testing.T, cases []yamlCase, opts Options) {
	t.Helper()
	for _, c := range cases {
		_, _, ps := parse(t, c.yaml, opts)
		if c.msg == "" {
			if ps != nil {
				t.Errorf("%s: unexpected %v", c.name, ps)
			}
			continue
		}
		if len(ps) != 1 || ps[0].Line != c.line || ps[0].Column != c.col || !strings.Contains(ps[0].Msg, c.msg) {
			t.Errorf("%s: got %v, want line %d column %d %q", c.name, ps, c.line, c.col, c.msg)
		}
	}
}

func TestYAMLLikePyYAML(t *testing.T) {
	t.Parallel()
	checkCases(t, []yamlCase{
		{"unclosed flow sequence, at its real line", "plugins:\n  - name: a\n    hooks: [x, y\n    kind: b\n", 4, 5, "invalid YAML: ',' or ']' must be specified"},
		{"reserved character", "plugins:\n  - name: a\n    kind: @x\n", 3, 11, "invalid YAML: '@' is a reserved character"},
		{"second document", "plugins: []\n---\nplugins: []\n", 2, 1, "a second YAML document"},
		{"empty second document", "plugins: []\n---\n", 2, 1, "a second YAML document"},
		{"unknown tag", "plugins:\n  - name: !custom a\n    kind: x\n", 2, 11, "could not determine a constructor"},
		{"undefined alias", "plugins: *nope\n", 1, 10, "refers to no anchor"},
		{"merge of a scalar", "base: &b x\nplugins:\n  - <<: *b\n    name: a\n", 3, 9, "merge key"},
		{"flow nesting bomb", "plugins: " + strings.Repeat("[", 300) + "\n", 1, 266, "nested [ or {"},
		{"list as a key", "? [a]\n: b\nplugins: []\n", 2, 1, "invalid YAML"},
		{"explicit document end", "---\nplugins: []\n...\n", 0, 0, ""},
		{"yes is a boolean, so no string", "plugins:\n  - name: yes\n    kind: x\n", 2, 11, "Input should be a valid string"},
		{"quoted yes is a string", "plugins:\n  - name: 'yes'\n    kind: x\n", 0, 0, ""},
		{"!!str makes a string", "plugins:\n  - name: !!str 12\n    kind: x\n", 0, 0, ""},
		{"!!int on text", "plugins:\n  - name: a\n    kind: x\n    priority: !!int ten\n", 4, 15, "not a valid !!int"},
		{"priority from a numeric string", "plugins:\n  - name: a\n    kind: x\n    priority: '7'\n", 0, 0, ""},
		{"priority 0x10 is a YAML int", "plugins:\n  - name: a\n    kind: x\n    priority: 0x10\n", 0, 0, ""},
		{"priority fractional", "plugins:\n  - name: a\n    kind: x\n    priority: 1.5\n", 4, 15, "fractional part"},
	}, DefaultOptions())
}

func TestMergeKeysAndAliases(t *testing.T) {
	t.Parallel()
	yaml := `
common: &common
  kind: external
  priority: 20
  mcp: &mcp
    proto: STREAMABLEHTTP
    url: https://a.example.com/mcp
plugins:
  - <<: *common
    name: a
  - <<: [{priority: 30}, *common]
    name: b
    mcp:
      <<: *mcp
      url: https://b.example.com/mcp
  - name: c
    <<: *common
    priority: 40
`
	f, warnings, ps := parse(t, yaml, DefaultOptions())
	if ps != nil || len(warnings) != 0 {
		t.Fatal(ps, warnings)
	}
	got := ""
	for _, p := range f.Plugins {
		got += p.Name + ":" + strconv.Itoa(p.Priority) + ":" + p.MCP.URLInfo.Host + " "
	}
	// The first mapping of a merge list wins; keys written out win over merged ones.
	if got != "a:20:a.example.com b:30:b.example.com c:40:a.example.com " {
		t.Errorf("got %s", got)
	}
}

func TestAliasBombStaysCheap(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := 0; j < 10; j++ {
			b.WriteString("*a" + strconv.Itoa(i-1) + ", ")
		}
		b.WriteString("]\n")
	}
	b.WriteString("plugins:\n  - name: p\n    kind: native\n    hooks: *a11\n")
	_, _, ps := parse(t, b.String(), DefaultOptions())
	// hooks must be a list of strings: the first element is itself a list.
	if len(ps) != 1 || !strings.Contains(ps[0].Msg, "hooks[0]") {
		t.Errorf("got %v", ps)
	}
}

func TestDuplicateKeysWarn(t *testing.T) {
	t.Parallel()
	f, warnings, ps := parse(t, "plugins:\n  - name: a\n    kind: native\n    priority: 1\n    priority: 2\n", DefaultOptions())
	if ps != nil || f.Plugins[0].Priority != 2 {
		t.Fatalf("%v %+v", ps, f)
	}
	if len(warnings) != 1 || warnings[0].Line != 5 || warnings[0].Column != 5 || !strings.Contains(warnings[0].Msg, "duplicate key `priority` (first at line 4)") {
		t.Errorf("warnings %v", warnings)
	}
}

func TestNamesDifferingInCaseWarn(t *testing.T) {
	t.Parallel()
	_, warnings, ps := parse(t, "plugins:\n  - name: Deny\n    kind: native\n  - name: deny\n    kind: native\n", DefaultOptions())
	if ps != nil || len(warnings) != 1 || warnings[0].Line != 4 || !strings.Contains(warnings[0].Msg, "differ only in case") {
		t.Errorf("%v %v", ps, warnings)
	}
}

func TestEveryProblemIsReported(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("plugins:\n")
	for i := 0; i < 40; i++ {
		b.WriteString("  - name: p" + strconv.Itoa(i) + "\n    kind: external\n")
	}
	_, _, ps := parse(t, b.String(), DefaultOptions())
	if len(ps) != MaxProblems || ps[0].Line != 2 || ps[1].Line != 4 || !strings.Contains(ps[MaxProblems-1].Msg, "and 16 more problems") {
		t.Errorf("got %d problems: %v", len(ps), ps)
	}
}

func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	_, _, err := ReadFile(filepath.Join(t.TempDir(), "missing.yaml"), DefaultOptions())
	if err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("%v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"gateway-external-config.yaml", "transports.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("plugins:\n  - name: a\n   kind: b\n"))
	f.Add([]byte("plugins: {}"))
	f.Add([]byte("a: &a [x]\nplugins:\n  - <<: {name: n, kind: external, grpc: {target: 'h:1'}}\n    hooks: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, warnings, err := Parse(data, Options{SSRFProtection: true, TemplateEnv: map[string]string{"A": "x"}})
		if err != nil {
			ps, ok := AsProblems(err)
			if !ok || len(ps) == 0 || len(ps) > MaxProblems {
				t.Fatalf("error without positions: %v", err)
			}
			for _, p := range ps {
				if p.Line < 1 || p.Column < 1 {
					t.Fatalf("problem without a position: %v", p)
				}
			}
			return
		}
		for _, w := range warnings {
			if w.Line < 1 || w.Column < 1 {
				t.Fatalf("warning without a position: %v", w)
			}
		}
		for _, p := range file.Plugins {
			// An empty name or kind is a valid str for the gateway (parity 110).
			if p.External() && p.Transport() == "" {
				t.Fatalf("external plugin without a transport: %+v", p)
			}
		}
	})
}
