package pluginconfig

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestGatewayExternalConfig(t *testing.T) {
	t.Parallel()
	f, warnings, err := ReadFile("testdata/gateway-external-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range f.Plugins {
		names = append(names, p.Name+":"+p.MCP.URLInfo.Host+":"+strconv.Itoa(p.MCP.URLInfo.Port))
	}
	if got := strings.Join(names, ","); got != "DenyListPlugin:127.0.0.1:3000,OPAPluginFilter:127.0.0.1:8000,LLMGuardPlugin:127.0.0.1:8001" {
		t.Errorf("plugins %s", got)
	}
	if *f.Plugins[1].Priority != 10 || len(f.PluginDirs) != 3 || f.PluginSettings["plugin_timeout"] != 30 {
		t.Errorf("modelled fields lost: %+v", f)
	}
	if len(warnings) != 3 || !strings.Contains(warnings[0].Error(), "PLUGINS_SSRF_PROTECTION_ENABLED") || warnings[0].Line != 6 {
		t.Errorf("warnings %v", warnings)
	}
}

func TestMixedConfig(t *testing.T) {
	t.Parallel()
	f, _, err := ReadFile("testdata/mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	native, ext, stdio, uds := f.Plugins[0], f.Plugins[1], f.Plugins[2], f.Plugins[3]
	if native.External() || native.MCP != nil || native.Mode != "enforce" || native.Config == nil {
		t.Errorf("native %+v", native)
	}
	if !ext.MCP.TLSEnabled() || ext.MCP.URLInfo.Port != 8443 || *ext.MCP.TLS.CheckHostname || ext.Extra["future_key"] != "kept" {
		t.Errorf("external %+v", ext.MCP)
	}
	if stdio.MCP.TLSEnabled() || stdio.MCP.Script == "" || uds.MCP.UDS == "" || uds.MCP.URLInfo.Port != 80 {
		t.Errorf("stdio/uds %+v %+v", stdio.MCP, uds.MCP)
	}
	if ext.MCP.TLS.CertFile != "certs/mcp/gateway/client.crt" || f.ServerSettings.TLS.CertFile != "a" {
		t.Errorf("TLS file fields lost: %+v %+v", ext.MCP.TLS, f.ServerSettings.TLS)
	}
	if *f.ServerSettings.Port != 8000 || *f.ServerSettings.TLS.SSLCertReqs != 2 || f.Extra["extra_top"] != 1 {
		t.Errorf("server settings %+v", f.ServerSettings)
	}
}

func TestErrorsHavePositions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml string
		line, col  int
		msg        string
	}{
		{"invalid yaml", "plugins:\n  - name: a\n    kind: b: c\n", 3, 0, "invalid YAML: mapping values are not allowed"},
		{"empty", "", 1, 1, "empty"},
		{"no plugins", "plugin_dirs: []\n", 1, 1, "no `plugins` list"},
		{"plugins not a list", "plugins:\n  a: 1\n", 2, 3, "`plugins` must be a list"},
		{"missing name", "plugins:\n  - kind: external\n", 2, 5, "needs a `name`"},
		{"missing kind", "plugins:\n  - name: a\n", 2, 5, "needs a `kind`"},
		{"duplicate", "plugins:\n  - name: a\n    kind: x\n  - name: a\n    kind: x\n", 4, 5, "duplicate plugin name \"a\" (first at line 2)"},
		{"external without mcp", "plugins:\n  - name: a\n    kind: external\n", 2, 5, "needs an `mcp` block"},
		{"no url", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: SSE\n", 5, 7, "needs a `url`"},
		{"bad scheme", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: SSE\n      url: ftp://h/x\n", 6, 12, "scheme \"ftp\""},
		{"malformed url", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: SSE\n      url: \"http://[::1/x\"\n", 6, 12, "malformed"},
		{"proto case", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: sse\n      url: http://h/\n", 5, 14, "case-sensitive"},
		{"stdio without script", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STDIO\n", 5, 7, "`script` or `cmd`"},
		{"tls on stdio", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STDIO\n      script: s.py\n      tls: {}\n", 7, 7, "only to SSE and STREAMABLEHTTP"},
		{"tls with uds", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: http://h/\n      uds: /s\n      tls: {}\n", 8, 7, "cannot be used with `uds`"},
		{"name not a string", "plugins:\n  - name: [a]\n    kind: x\n", 2, 11, "`name` must be a string"},
		{"priority not int", "plugins:\n  - name: a\n    kind: x\n    priority: high\n", 4, 15, "`priority` must be an integer"},
		{"cert reqs range", "plugins: []\nserver_settings:\n  tls:\n    ssl_cert_reqs: 3\n", 4, 20, "must be 0, 1 or 2"},
	}
	for _, c := range cases {
		_, _, err := Parse([]byte(c.yaml))
		e, ok := AsError(err)
		if !ok || e.Line != c.line || e.Column != c.col || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%s: got %v, want line %d column %d %q", c.name, err, c.line, c.col, c.msg)
		}
	}
}

func TestExternalConfigWarns(t *testing.T) {
	t.Parallel()
	_, warnings, err := Parse([]byte("plugins:\n  - name: a\n    kind: external\n    config: {x: 1}\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://plugin.example.com/mcp\n"))
	if err != nil || len(warnings) != 1 || warnings[0].Line != 4 || !strings.Contains(warnings[0].Msg, "carries `config`") {
		t.Errorf("%v %v", warnings, err)
	}
}

func TestUnreadableFile(t *testing.T) {
	t.Parallel()
	_, _, err := ReadFile(filepath.Join(t.TempDir(), "missing.yaml"))
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
	for _, name := range []string{"gateway-external-config.yaml", "mixed.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("plugins:\n  - name: a\n   kind: b\n"))
	f.Add([]byte("plugins: {}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _, err := Parse(data)
		if err != nil {
			if _, ok := AsError(err); !ok {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		for _, p := range file.Plugins {
			if p.Name == "" || p.Kind == "" || (p.External() && p.MCP == nil) {
				t.Fatalf("invalid plugin accepted: %+v", p)
			}
		}
	})
}
