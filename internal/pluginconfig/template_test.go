package pluginconfig

import (
	"strings"
	"testing"
)

const mcpPlugin = "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n"

func TestTemplatesRenderAsTheGateway(t *testing.T) {
	t.Parallel()
	yaml := "{# the gateway's own constructs #}\n" +
		"plugins:\n" +
		"{% for name in ['a', 'b'] %}\n" +
		"  - name: {{ name }}\n" +
		"    kind: external\n" +
		"    mcp:\n" +
		"      proto: STREAMABLEHTTP\n" +
		"      url: https://{{ env.HOST | default('fallback.example.com') }}/{{ name }}\n" +
		"{% endfor %}\n" +
		"{%- if env.GRPC == '1' %}\n" +
		"  - name: g\n" +
		"    kind: external\n" +
		"    grpc: {target: \"{{ env.GRPC_HOST ~ ':' ~ (env.GRPC_PORT | default(50051)) }}\"}\n" +
		"{%- endif %}\n" +
		"plugin_settings:\n" +
		"  redis_url: '{{ env.RATELIMITER_REDIS_URL | default(env.REDIS_URL | default(\"redis://redis:6379/0\")) }}'\n" +
		"  raw: '{% raw %}{{ kept }}{% endraw %}'\n"
	f, warnings, ps := parse(t, yaml, Options{SSRFProtection: true, TemplateEnv: map[string]string{"GRPC": "1", "GRPC_HOST": "g.example.com"}})
	if ps != nil || len(warnings) != 0 {
		t.Fatalf("%v %v", ps, warnings)
	}
	if len(f.Plugins) != 3 || f.Plugins[1].MCP.URL != "https://fallback.example.com/b" || f.Plugins[2].GRPC.Target != "g.example.com:50051" {
		t.Errorf("%+v %+v", f.Plugins, f.Plugins[2].GRPC)
	}
}

func TestUndefinedNames(t *testing.T) {
	t.Parallel()
	// A plugin's own payload template: the gateway renders it empty.
	webhook := "plugins:\n  - name: w\n    kind: plugins.webhook.Webhook\n    config:\n      body: |\n        {\"event\": \"{{event}}\",\n         \"violation\": {{ violation }}}\n"
	f, warnings, ps := parse(t, webhook, DefaultOptions())
	if ps != nil || f == nil || len(warnings) != 2 {
		t.Fatalf("%v %v", ps, warnings)
	}
	if w := warnings[0]; w.Line != 6 || w.Column != 22 || !strings.Contains(w.Msg, "`event` is not defined") || !strings.Contains(w.Msg, `reads "{\"event\": \"\","`) || !strings.Contains(w.Msg, "{% raw %}") {
		t.Errorf("%v", w)
	}
	if w := warnings[1]; w.Line != 7 || w.Column != 26 || !strings.Contains(w.Msg, "`violation`") {
		t.Errorf("%v", w)
	}

	// In a YAML comment it changes nothing; under default or in a condition it is meant.
	_, warnings, ps = parse(t, "# url: {{ env.OLD_URL }}\nplugins: [] # {{ nothing }}\n"+
		"x: {{ env.A | default('d') }}{% if env.B %}b{% endif %}{{ env.C is defined }}{{ 'y' if env.D else 'n' }}{{ env.E or 'e' }}\n", DefaultOptions())
	if ps != nil || len(warnings) != 0 {
		t.Errorf("%v %v", ps, warnings)
	}

	// Where it decides where or how the gateway connects, it is an error.
	checkCases(t, []yamlCase{
		{"url", mcpPlugin + "      url: https://{{ env.HOST }}:8443/mcp\n", 6, 23, "env.HOST is not in template_env, so the gateway renders it as an empty string in plugin \"a\": mcp.url"},
		{"proto", "plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: \"{{ env['PROTO'] }}STREAMABLEHTTP\"\n      url: https://h/mcp\n", 5, 18, "env['PROTO'] is not in template_env"},
		{"grpc target", "plugins:\n  - name: g\n    kind: external\n    grpc: {target: \"h:{{ port }}\"}\n", 4, 26, "`port` is not defined"},
		{"server port", "plugins: []\nserver_settings:\n  port: 80{{ env.PORT }}\n", 3, 14, "server_settings.port"},
		{"url in a folded block scalar", mcpPlugin + "      url: >-\n        https://{{ env.HOST }}p.example.com/mcp\n", 7, 20, "env.HOST is not in template_env, so the gateway renders it as an empty string in plugin \"a\": mcp.url"},
		{"url from a variable set earlier", "{% set h = env.HOST %}" + mcpPlugin + "      url: https://{{ h }}p.example.com/mcp\n", 6, 20, "this writes an undefined value"},
		{"url from a macro parameter not passed", "{% macro u(h) %}https://{{ h }}x/mcp{% endmacro %}" + mcpPlugin + "      url: {{ u() }}\n", 6, 12, "this writes an undefined value"},
	}, DefaultOptions())

	// In a one-line flow plugin, an undefined name in a value that decides
	// nothing is a warning about that value, not an error blamed on kind.
	_, warnings, ps = parse(t, "plugins:\n  - {name: a, kind: external, description: \"{{ env.D }}\", mcp: {proto: STREAMABLEHTTP, url: \"https://a.example.com/mcp\"}}\n", DefaultOptions())
	if ps != nil || len(warnings) != 1 || !strings.Contains(warnings[0].Msg, "env.D is not in template_env") {
		t.Errorf("%v %v", ps, warnings)
	}
	// A key of the plugin below its name is not part of the name.
	_, warnings, ps = parse(t, "plugins:\n  - name: a\n    kind: external\n    description: {{ env.D }}\n    mcp: {proto: STREAMABLEHTTP, url: \"https://a.example.com/mcp\"}\n", DefaultOptions())
	if ps != nil || len(warnings) != 1 {
		t.Errorf("%v %v", ps, warnings)
	}

	// In a statement that is no condition, a warning at the name.
	_, warnings, ps = parse(t, "{% set host = env.HOST %}plugins: []\n", DefaultOptions())
	if ps != nil || len(warnings) != 1 || warnings[0].Column != 15 || !strings.Contains(warnings[0].Msg, "reads it as undefined") {
		t.Errorf("%v %v", ps, warnings)
	}
}

func TestTemplateErrorsAreTheGateways(t *testing.T) {
	t.Parallel()
	checkCases(t, []yamlCase{
		{"syntax", mcpPlugin + "      url: https://{{ env.PLUGIN_HOST /mcp\n", 6, 43, "template syntax error"},
		{"unknown tag", "plugins: []\n{% do x %}\n", 2, 4, "template syntax error"},
		{"undefined in arithmetic", "plugins: []\nport: {{ env.PORT + 1 }}\n", 2, 7, "UndefinedError: env.PORT is undefined"},
		{"undefined to int", "plugins: []\nport: {{ env.PORT | int }}\n", 2, 7, "UndefinedError: env.PORT is undefined"},
		{"attribute of undefined", "plugins: []\nx: {{ cfg.host }}\n", 2, 4, "template error"},
		{"division by zero", "plugins: []\nx: {{ 1 // 0 }}\n", 2, 4, "ZeroDivisionError"},
		{"str + int", "plugins: []\nx: {{ 'a' + 1 }}\n", 2, 4, "TypeError"},
		{"include", "plugins: []\n{% include 'other.yaml' %}\n", 2, 1, "TemplateNotFound: other.yaml"},
		{"range too big", "plugins: []\n{% for i in range(100001) %}{% endfor %}\n", 2, 1, "MAX_RANGE"},
		{"unknown filter in a macro that never runs", "plugins: []\n{% macro m() %}{{ x | nosuch }}{% endmacro %}\n", 2, 23, "No filter named 'nosuch'"},
		{"unknown test", "plugins: []\nx: {{ 1 is nosuch }}\n", 2, 12, "No test named 'nosuch'"},
		{"a NUL written by the template", "plugins: []\nx: a{{ '\\x00mcptls:0' }}b\n", 2, 5, "NUL character"},
		{"a NUL from template_env", "plugins: []\nx: a{{ env.Z }}b\n", 2, 5, "NUL character"},
		{"an integer beyond 64 bits", "plugins: []\nx: {{ 9223372036854775807 + 1 }}\n", 2, 4, "a number beyond 64 bits"},
	}, Options{SSRFProtection: true, TemplateEnv: map[string]string{"Z": "\x00mcptls:0"}})
}

func TestPositionsMapBackThroughTheTemplate(t *testing.T) {
	t.Parallel()
	env := Options{TemplateEnv: map[string]string{"N": "abcdefghijklmnop", "LIST": "[1, 2"}}
	// After a rendered value on the same line: exact.
	_, _, ps := parse(t, "plugins:\n  - name: {{ env.N }}\n    kind: 1\n    hooks: {{ env.N }}\n", env)
	if len(ps) != 2 || ps[0].Line != 3 || ps[0].Column != 11 || ps[1].Line != 4 || ps[1].Column != 12 {
		t.Errorf("columns mapped back: %v", ps)
	}
	// Inside a rendered value: at its {{.
	_, _, ps = parse(t, "plugins: []\nx: {{ env.LIST }}\n", env)
	if len(ps) != 1 || ps[0].Line != 2 || ps[0].Column != 4 {
		t.Errorf("inside a value: %v", ps)
	}
	// Text a loop writes again maps to its one source line; lines after the loop keep theirs.
	_, _, ps = parse(t, "plugins:\n{% for i in range(2) %}\n  - name: p{{ i }}\n    kind: [x\n{% endfor %}\n", env)
	if len(ps) != 1 || ps[0].Line < 3 || ps[0].Line > 4 {
		t.Errorf("in a loop: %v", ps)
	}
	// Whitespace control that joins lines: what follows maps to where it is written.
	_, _, ps = parse(t, "plugins: []\nx: a\n  {{- ' b' }}\ny: [\n", env)
	if len(ps) != 1 || ps[0].Line != 4 {
		t.Errorf("after joined lines: %v", ps)
	}
	// A byte-order mark and CRLF do not move columns.
	_, _, ps = parse(t, "\ufeffplugins:\r\n  - name: a\r\n    kind: [x\r\n", env)
	if len(ps) != 1 || ps[0].Line != 3 || ps[0].Column != 11 {
		t.Errorf("BOM and CRLF: %v", ps)
	}
}

func TestAutoescapeWarns(t *testing.T) {
	t.Parallel()
	f, warnings, ps := parse(t, "plugins:\n  - name: c\n    kind: native\n    description: \"{{ env['AMP'] }}\"\n    author: \"{{ env.AMP | safe }}\"\n",
		Options{TemplateEnv: map[string]string{"AMP": "a&b"}})
	if ps != nil || len(f.Plugins) != 1 {
		t.Fatal(ps)
	}
	if len(warnings) != 1 || warnings[0].Line != 4 || warnings[0].Column != 19 || !strings.Contains(warnings[0].Msg, `writes "a&amp;b" here, not "a&b"`) {
		t.Errorf("%v", warnings)
	}
}

func TestHostileTemplatesStop(t *testing.T) {
	t.Parallel()
	checkCases(t, []yamlCase{
		{"nested loops", "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", 1, 29, "mcptls stops here"},
		{"loops in a macro", "{% macro m() %}{% for a in 'x' * 2000 %}{% for b in 'x' * 2000 %}{% endfor %}{% endfor %}{% endmacro %}{{ m() }}", 1, 104, "mcptls stops here"},
		{"a macro calling itself", "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", 1, 41, "mcptls stops here"},
		{"a macro passed to itself", "{% macro a(f) %}{{ f(f) }}{% endmacro %}{{ a(a) }}", 1, 41, "mcptls stops here"},
		{"a recursive loop", "{% for x in 'a' recursive %}{{ loop(x) }}{% endfor %}", 1, 1, "recursive"},
		{"a huge string", "x: {{ 'x' * 100000000 }}", 1, 4, "mcptls stops here"},
		{"deep brackets", "x: {{ " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + " }}", 1, 71, "nests deeper"},
		{"many unary minus", "x: {{ " + strings.Repeat("-", 100) + "1 }}", 1, 71, "nests deeper"},
		{"deep blocks", strings.Repeat("{% if 1 %}", 150) + strings.Repeat("{% endif %}", 150), 1, 1004, "nest deeper"},
	}, DefaultOptions())
}

func TestFileAsThePythonLoaderReadsIt(t *testing.T) {
	t.Parallel()
	// A byte-order mark is skipped, not read as part of the first key.
	f, _, ps := parse(t, "\ufeffplugins:\n  - name: a\n    kind: native\n", DefaultOptions())
	if ps != nil || len(f.Plugins) != 1 {
		t.Errorf("BOM: %v %+v", ps, f)
	}
	// Universal newlines: CRLF and a lone CR are line breaks.
	f, _, ps = parse(t, "plugins:\r\n  - name: a\r    kind: native\r\n", DefaultOptions())
	if ps != nil || len(f.Plugins) != 1 || f.Plugins[0].Kind != "native" {
		t.Errorf("CR: %v %+v", ps, f)
	}
	checkCases(t, []yamlCase{
		{"not UTF-8", "plugins: []\nx: \xff\n", 2, 4, "is not UTF-8"},
		{"NUL", "plugins: []\nx: a\x00\n", 2, 5, "#x0000"},
		{"tab before a comment", "plugins: []\nx: a\t# note\n", 2, 5, "a tab"},
		{"tab after a key", "plugins: []\nurl:\thttp://h\n", 2, 5, "a tab"},
		{"trailing tab", "plugins: []\nx: a\t\n", 2, 5, "a tab"},
		{"U+2028", "plugins: []\nx: a\u2028b\n", 2, 5, "U+2028"},
		{"U+2029", "plugins: []\nx: a\u2029b\n", 2, 5, "U+2029"},
		{"U+0085", "plugins: []\nx: a\u0085b\n", 2, 5, "U+0085"},
		{"a tab a value renders", "plugins: []\nx: {{ env.T }}\n", 2, 4, "a tab"},
	}, Options{TemplateEnv: map[string]string{"T": "a\tb"}})
	// Tabs where PyYAML reads them as text.
	_, _, ps = parse(t, "plugins: []\nx: \"a\tb\"\ny: 'a\tb'\nz: |\n  a\tb\n\t# not here: this comment line starts with a tab\n", DefaultOptions())
	if len(ps) != 1 || ps[0].Line != 6 || ps[0].Column != 1 {
		t.Errorf("%v", ps)
	}
	_, _, ps = parse(t, "plugins: []   # a\tcomment\nx: |\n  text\twith a tab\n  \tand one more\n", DefaultOptions())
	if ps != nil {
		t.Errorf("%v", ps)
	}
}

// FuzzRender: the Jinja pass never panics or hangs, every error has a
// position, and every position of the rendered text maps into the file.
func FuzzRender(f *testing.F) {
	for _, seed := range []string{
		"url: {{ env.A }}\n", "{% if env.A %}a: 1{% else %}a: {{ x }}{% endif %}\n", "{% for i in range(3) %}- {{ i }}\n{% endfor %}",
		"{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(env.A | default('d')) }}", "{% raw %}{{ x }}{% endraw %}", "{# c #}{{- ' x ' -}}  \n",
		"{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %}{{ ns.n }}", "{{ '%s' % env.A }}{{ [1] * 3 }}{{ {'a': 1} | tojson }}",
		"\ufeff{{ env.A ~ 'b' }}\r\nx: 1\r", "{% filter upper %}{{ env.A }}{% endfilter %}", "{{ 1 // 0 }}", "{% call m() %}{% endcall %}",
		"{% if 10 > env.A|length > 0 == 0 < 1 %}{{ 1 in [true] }}{% endif %}", "{{ env.A.split(',', 1)[-1] ~ 'é'[0] }}{{ ' a b '.rsplit(None, 1) }}",
		"{% set s %}<{{ env.A | safe }}>{% endset %}{{ s | upper ~ '&' }}", "{{ {'b': 1, 'a': 2} | dictsort | urlencode }}{{ '%g|%#o' % (1.5, 8) }}",
		"{%- raw -%} {{ x }} {%- endraw %}{% raw %}{% endraw %}", "{% macro m(a, b) %}{{ b }}{% endmacro %}{{ m(1) | title }}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := decodeSource(data)
		if err != nil {
			return
		}
		rt, errs := renderTemplate(src, map[string]string{"A": "x"})
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 {
				t.Fatalf("error without a position: %v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		lines := strings.Count(src.text, "\n") + 1
		for line := 1; line <= len(rt.lineStarts); line++ {
			if l, c := rt.original(line, 1); l < 1 || c < 1 || l > lines {
				t.Fatalf("rendered line %d maps to %d:%d, outside the %d lines", line, l, c, lines)
			}
		}
		for _, s := range rt.segs {
			if s.exact && (s.sStart < 0 || s.sStart+s.rEnd-s.rStart > len(src.text)) {
				t.Fatalf("segment %+v outside the source", s)
			}
		}
	})
}

// TestConstructsOnlyJinja2Reads: the gateway loads these and gonja cannot
// parse them, so the error says mcptls is the one that cannot, and how to
// write the same thing another way; it never claims the gateway refuses.
func TestConstructsOnlyJinja2Reads(t *testing.T) {
	t.Parallel()
	cases := []yamlCase{
		{"unpacking set", "plugins: []\n{% set a, b = 1, 2 %}\n", 2, 9, "`{% set a, b = ... %}` (unpacking): mcptls does not render it"},
		{"filtered block set", "plugins: []\n{% set x | upper %}abc{% endset %}\n", 2, 10, "write `{% set x %}...{% endset %}{% set x = x | filter %}`"},
		{"call with arguments", "plugins: []\n{% macro m() %}{{ caller(1) }}{% endmacro %}{% call(v) m() %}{{ v }}{% endcall %}\n", 2, 56, "a call block with arguments"},
		{"integer literal past 64 bits", "plugins: []\nx: {{ 99999999999999999999 }}\n", 2, 7, "a number beyond 64 bits"},
		{"a method that changes env", "plugins: []\nx: {{ env.pop('A') }}\n", 2, 10, "env.pop is a method of the gateway's os.environ, not a variable"},
	}
	checkCases(t, cases, DefaultOptions())
	for _, c := range cases {
		if _, err := Read([]byte(c.yaml), DefaultOptions()); err != nil && strings.Contains(err.Error(), "refuses") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
