package yamlrender

import (
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// A tls block must be read under every environment the mapping it ends is
// read under: AddTLS refuses a place inside a control structure the mapping
// does not start in, or behind a statement whose `-` ate the line break
// (review of issue 19, section 5), and accepts a whole plugin inside one.
func TestAddTLSOnlyWhereEveryEnvironmentReadsIt(t *testing.T) {
	t.Parallel()
	const head = "plugins:\n  - name: P\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n"
	const url = "      url: https://p.example.com/mcp\n"
	for _, c := range []struct {
		name, in string
		env      map[string]string
		says     string // "" when AddTLS adds the block
		want     string // the output when it does: in with the block at {TLS}
	}{
		{
			name: "url then {%- if %}, whose - eats its line break",
			in:   head + strings.TrimSuffix(url, "\n") + "\n{%- if env.EXTRA %}\n  - name: Q\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: http://q.example.com/mcp\n{%- endif %}\n",
			env:  map[string]string{"EXTRA": "1"},
			says: "inside the {% if %} at line 7, column 1",
		},
		{
			name: "the last key in one branch of if/else",
			in:   head + "{% if env.T %}\n" + url + "{% else %}\n      url: https://p2.example.com/mcp\n{% endif %}\n  - name: Q\n    kind: native\n",
			env:  map[string]string{"T": "1"},
			says: "inside the {% if %} at line 6, column 1",
		},
		{
			name: "the else branch, after an inline set",
			in:   head + "{% if env.T %}\n" + url + "{% else %}\n{% set x = dict(a=1) %}      url: https://p2.example.com/mcp\n{% endif %}\n",
			says: "inside the {% if %} at line 6, column 1",
		},
		{
			name: "an empty loop whose - tags ate the line break",
			in:   head + url + "      {%- for i in [] %}\n      x{{ i }}: 1\n      {%- endfor %}\n  - name: Q\n    kind: native\n",
			says: "after the {% for %} at line 7, column 7",
		},
		{
			name: "a set block after the url, its - eating the line break",
			in:   head + url + "{%- set x %}y{% endset %}\n",
			says: "after the {% set %} at line 7, column 1",
		},
		{
			name: "a flow mapping closed in another branch",
			in:   "plugins:\n  - name: P\n    kind: external\n    mcp: {proto: STREAMABLEHTTP, url: https://p.example.com/mcp\n{% if env.T %}\n    }\n{% else %}\n    , x: 1}\n{% endif %}\n",
			env:  map[string]string{"T": "1"},
			says: "inside the {% if %} at line 5, column 1",
		},
		{
			name: "a whole plugin inside an if",
			in:   "plugins:\n{% if env.T %}\n  - name: P\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n" + url + "{TLS}{% endif %}\n",
			env:  map[string]string{"T": "1"},
		},
		{
			name: "a whole plugin in a for that runs once",
			in:   "plugins:\n{% for n in ['P'] %}\n  - name: P\n    kind: external\n    mcp: {proto: STREAMABLEHTTP, url: https://p.example.com/mcp{FLOW}}\n{% endfor %}\n",
		},
		{
			name: "an if after the block, on a line of its own",
			in:   head + url + "{TLS}{% if env.T %}\n  - name: Q\n    kind: native\n{% endif %}\n",
		},
		{
			name: "a set and an if with its own branch before the last key",
			in:   head + "{% set x = {'a': (1)} %}{% if env.T %}      # t\n{% endif %}\n" + url + "{TLS}",
		},
		{
			name: "a raw block after the url",
			in:   head + url + "{TLS}{% raw %}  - name: Q\n    kind: native\n{% endraw %}\n",
		},
	} {
		opts := DefaultOptions()
		opts.Config.TemplateEnv = c.env
		in := strings.NewReplacer("{TLS}", "", "{FLOW}", "").Replace(c.in)
		out, err := AddTLS(in, "/c", opts)
		if c.says != "" {
			ps, _ := pluginconfig.AsProblems(err)
			if len(ps) != 1 || ps[0].Line != 4 || ps[0].Column != 5 || !strings.Contains(ps[0].Msg, c.says) || !strings.Contains(ps[0].Msg, "write the block by hand") {
				t.Errorf("%s: want an error saying %q, got %v", c.name, c.says, err)
			}
			continue
		}
		want := strings.NewReplacer("{TLS}", mcpBlock("/c", true, true),
			"{FLOW}", ", tls: {certfile: /c/gateway/client.crt, keyfile: /c/gateway/client.key, ca_bundle: /c/gateway/ca.crt, verify: true, check_hostname: true}").Replace(c.in)
		if err != nil || out != want {
			t.Errorf("%s: got %v\n%s\nwant\n%s", c.name, err, out, want)
		}
	}
}
