package yamlrender

import (
	"os"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// FuzzAddTLS: whatever the file, AddTLS returns an error or a file that keeps
// every input line, in order, and loads; it never panics or hangs.
func FuzzAddTLS(f *testing.F) {
	fixture, err := os.ReadFile("testdata/gateway-config.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		string(fixture),
		"plugins:\n  - name: A\n    kind: external\n    mcp: {proto: STREAMABLEHTTP, url: \"https://a.example.com/mcp\",\n    }\n",
		"x: &m {proto: STREAMABLEHTTP, url: \"https://m.example.com/mcp\"}\nplugins:\n- {name: A, kind: external, mcp: *m}\n- name: B\n  kind: external\n  mcp:\n    <<: *m\n    tls:\n",
		"plugins:\r\n  - name: G\r\n    kind: external\r\n    grpc:\r\n      target: g.example.com:1\r\n      tls: {verify: false}",
		"plugins:\n  - name: T\n    kind: external\n    mcp: {proto: SSE, url: \"wss://{{ env.H }}/m\"}\n",
		"plugins:\n{%- for n in [\"a\", \"b\"] %}\n  - name: {{ n }}\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://{{ n }}.example.com/mcp\n{%- endfor %}\n",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, content string, replace bool) {
		if len(content) > 1<<14 {
			return
		}
		opts := DefaultOptions()
		opts.Config.TemplateEnv = map[string]string{"H": "h.example.com"}
		if replace {
			opts.Existing = ExistingReplace
		}
		out, err := AddTLS(content, "/c", opts)
		if err != nil {
			if _, ok := pluginconfig.AsProblems(err); !ok {
				t.Fatalf("an error without a position: %v", err)
			}
			return
		}
		if _, _, err := pluginconfig.Parse([]byte(out), opts.Config); err != nil {
			t.Fatalf("the output does not load: %v\n%s", err, out)
		}
		if replace || strings.Contains(content, "tls") {
			return // a tls block there may be replaced on purpose
		}
		// Only insertions: the input is a subsequence of the output.
		i := 0
		for j := 0; i < len(content) && j < len(out); j++ {
			if content[i] == out[j] {
				i++
			}
		}
		if i < len(content) {
			t.Fatalf("input byte %d (%q) lost:\n%s\n---\n%s", i, content[i:min(i+20, len(content))], content, out)
		}
	})
}
