package yamlrender

import (
	"os"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// TestAddTLSToPluginsALoopWrites: plugins a `{% for %}` writes get their tls
// block once, in the loop's body, at the end of the block's last line, with
// or without whitespace control; the output renders each plugin with the
// block (the parity file 120 is the gateway-accepted case), and a loop that
// also writes a plugin reached without TLS is refused, naming that plugin.
func TestAddTLSToPluginsALoopWrites(t *testing.T) {
	t.Parallel()
	parity120, err := os.ReadFile("../pluginconfig/testdata/parity/120-jinja-for-loop-plugins.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"parity 120":                  string(parity120),
		"grpc, no whitespace control": "plugins:\n{% for n in [\"a\", \"b\"] %}\n  - name: {{ n }}\n    kind: external\n    grpc:\n      target: \"{{ n }}.example.com:50051\"\n{% endfor %}\n# end\n",
		"CRLF":                        "plugins:\r\n{% for n in [\"a\", \"b\"] %}\r\n  - name: {{ n }}\r\n    kind: external\r\n    mcp:\r\n      proto: STREAMABLEHTTP\r\n      url: https://{{ n }}.example.com/mcp # note\r\n{% endfor %}\r\n",
	} {
		out, err := AddTLS(text, "/c", DefaultOptions())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if n := strings.Count(out, " tls:"); n != 1 || !strings.Contains(out, "for n") && !strings.Contains(out, "for name") || !strings.Contains(out, "endfor %}") {
			t.Errorf("%s: %d tls blocks:\n%s", name, n, out)
		}
		f, _, err := pluginconfig.Parse([]byte(out), DefaultOptions().Config)
		if err != nil || len(f.Plugins) < 2 {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range f.Plugins {
			if (p.MCP == nil || p.MCP.TLS == nil) && (p.GRPC == nil || p.GRPC.TLS == nil) {
				t.Errorf("%s: plugin %q has no tls block:\n%s", name, p.Name, out)
			}
		}
	}
	mixed := "plugins:\n{% for n, s in [(\"a\", \"https\"), (\"b\", \"http\")] %}\n  - name: {{ n }}\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: {{ s }}://{{ n }}.example.com/mcp\n{% endfor %}\n"
	if _, err := AddTLS(mixed, "/c", DefaultOptions()); err == nil || !strings.Contains(err.Error(), "line 3, column 5: mcptls cannot add a tls block here: the `{% for %}` that writes this plugin also writes plugin \"b\", which the gateway reaches without TLS") {
		t.Errorf("%v", err)
	}
}
