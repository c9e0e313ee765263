package pluginconfig

import (
	"runtime"
	"strings"
	"testing"
)

// hostileTemplates are the review's templates that took gigabytes or never
// ended (issue 19's adversarial review, section 1), each with what mcptls
// must say instead.
var hostileTemplates = []struct{ name, template, says string }{
	{"center", "{{ 'x' | center(1000000000) }}", "the center filter is given 1000000000: mcptls refuses a width, count or size above 4194304"},
	{"format method", "{{ '{:>1000000000}'.format(1) | length }}", "str.format() would build a value larger than 4194304 bytes"},
	{"printf width", "{{ '%1000000000d' % 1 }}", "the format %1000000000d would build a value larger than 4194304 bytes"},
	{"format filter", "{{ '%1000000000s' | format('x') | length }}", "the format %1000000000s would build a value"},
	{"lipsum", "{{ lipsum(1000000) | length }}", "lipsum() would build a value larger than 4194304 bytes"},
	{"indent", "{{ 'x\nx' | indent(1000000000) }}", "the indent filter is given 1000000000"},
	{"indent by lines", "{{ ('x\n' * 1000000) | indent(100) | length }}", "the indent filter would build a value"},
	{"zfill", "{{ 'x'.zfill(1000000000) | length }}", "str.zfill() is given 1000000000"},
	{"ljust", "{{ 'x'.ljust(4000000, 'yy') | length }}", "str.ljust() would build a value"},
	{"tilde doubling", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "`~` would build a value larger than 4194304 bytes"},
	{"plus doubling", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "`+` would build a value"},
	{"join method doubling", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ''.join([ns.s, ns.s]) %}{% endfor %}", "str.join()"},
	{"join filter doubling", "{% set ns = namespace(s=['x']) %}{% for i in range(30) %}{% set ns.s = [ns.s | join(','), ns.s | join(',')] %}{% endfor %}", "the join filter"},
	{"list doubling", "{% set ns = namespace(s=[1]) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", "`+` builds a value"},
	{"set block doubling", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set t %}{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = t %}{% endfor %}", "larger than 4194304 bytes"},
	{"printf doubling", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = '%s%s' % (ns.s, ns.s) %}{% endfor %}", "larger than 4194304 bytes"},
	{"replace doubling", "{% set ns = namespace(s='xx') %}{% for i in range(30) %}{% set ns.s = ns.s | replace('x', 'xx') %}{% endfor %}", "the replace filter would build a value"},
	{"list repeat", "{{ ([1] * 4000000) | length }}", "`*` by 4000000 would build a value"},
	{"deep list printed", "{% set ns = namespace(v=[]) %}{% for i in range(100000) %}{% set ns.v = [ns.v] %}{% endfor %}{{ ns.v }}", "the value written here is given lists nested more than 500 deep"},
	{"shared list printed", "{% set ns = namespace(v=[1]) %}{% for i in range(40) %}{% set ns.v = [ns.v, ns.v] %}{% endfor %}{{ ns.v }}", "is given a value larger than 4194304 bytes"},
	{"shared list compared", "{% set ns = namespace(v=[1]) %}{% for i in range(40) %}{% set ns.v = [ns.v, ns.v] %}{% endfor %}{{ ns.v == ns.v }}", "`==` is given a value larger"},
	{"shared list method", "{% set ns = namespace(v=[1]) %}{% for i in range(40) %}{% set ns.v = [ns.v, ns.v] %}{% endfor %}{{ ns.v.copy() }}", "a method call is given a value larger"},
	{"a namespace holding itself", "{% set ns = namespace() %}{% set ns.me = ns %}{{ ns.keys() }}", "nested more than 500 deep"},
	{"wordwrap", "{{ ('x ' * 2000000) | wordwrap(1) | length }}", "the wordwrap filter would build a value"},
	{"wordwrap one long line", "{{ ('x ' * 2000000) | wordwrap(4000000) | length }}", ""},
	{"urlize", "{{ ('http://x.com ' * 300000) | urlize | length }}", "the urlize filter would build a value"},
	{"batch", "{{ range(100000) | batch(1000000000) | list | length }}", "the batch filter is given 1000000000"},
	{"slice", "{{ range(100000) | slice(4000000) | list | length }}", "the slice filter would build a value"},
	{"many loop steps", "{% for i in range(100000) %}{% for j in range(19) %}{{ j }}{% endfor %}{% endfor %}", "more than 100,000 loop steps"},
	{"filtered loop steps", "{% for i in range(100000) if i > 0 %}{% for j in range(100000) if j < 0 %}{% endfor %}{% endfor %}", "more than 100,000 loop steps"},
	{"a filter over a big block", "{% filter upper %}{% for i in range(100000) %}{{ 'x' * 40 }}{% endfor %}{% endfilter %}", ""},
	{"repeated work on a big value", "{% set s = 'x' * 4000000 %}{% for i in range(100) %}{{ s | upper | length }}{% endfor %}", "more than 64 MiB of strings and lists in all"},
}

// TestHostileTemplatesAreBounded: each stops with a message that says what
// was refused and the limit, at the construct, having allocated at most
// 512 MiB in all (before the bounds, gigabytes, or Go's unrecoverable
// out-of-memory error). Timing lives in BenchmarkHostileTemplates.
func TestHostileTemplatesAreBounded(t *testing.T) {
	for _, c := range hostileTemplates {
		t.Run(c.name, func(t *testing.T) {
			src, err := decodeSource([]byte("a: " + c.template + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			rt, errs := renderTemplate(src, nil)
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 512<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
			switch {
			case c.says == "" && len(errs) > 0:
				t.Errorf("refused: %v", errs[0])
			case c.says == "" && len(rt.text) > MaxConfigBytes:
				t.Errorf("rendered %d bytes", len(rt.text))
			case c.says != "" && len(errs) == 0:
				t.Errorf("rendered %d bytes, want an error saying %q", len(rt.text), c.says)
			case c.says != "" && !strings.Contains(errs[0].Msg, c.says):
				t.Errorf("%v\nwant %q", errs[0], c.says)
			case c.says != "" && (errs[0].Line != 1 || errs[0].Column < 4):
				t.Errorf("not at the construct: %v", errs[0])
			}
		})
	}
}

// BenchmarkHostileTemplates: what each hostile template costs before it is
// refused (ns/op and B/op per template).
func BenchmarkHostileTemplates(b *testing.B) {
	for _, c := range hostileTemplates {
		b.Run(c.name, func(b *testing.B) {
			src, _ := decodeSource([]byte("a: " + c.template + "\n"))
			b.ReportAllocs()
			for b.Loop() {
				renderTemplate(src, nil)
			}
		})
	}
}

// TestAliasesAreComparedOnce: a document that reaches a billion values
// through aliases of aliases (700 bytes; PyYAML loads it at once) is
// compared in as many steps as it has nodes, not once per path.
func TestAliasesAreComparedOnce(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 10; i++ {
		n, p := itoa(i), itoa(i-1)
		b.WriteString("a" + n + ": &a" + n + " [" + strings.Repeat("*a"+p+", ", 9) + "*a" + p + "]\n")
	}
	b.WriteString("m0: &m0 {k: v}\n")
	for i := 1; i < 30; i++ {
		n, p := itoa(i), itoa(i-1)
		b.WriteString("m" + n + ": &m" + n + " {<<: *m" + p + ", k" + n + ": *m" + p + ", j" + n + ": *m" + p + "}\n")
	}
	b.WriteString("plugins:\n  - name: p\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://p.example.com/mcp\n")
	text := b.String()
	r1, err := Read([]byte(text), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Read([]byte(text+"      tls: {verify: true}\n"), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	c := &comparer{same: map[[2]*node]bool{}, skip: func(path []string) bool { return len(path) == 4 && path[3] == "tls" }}
	if d, _ := c.diff(r1.root, r2.root, nil); d != "" || c.visits > 1000 {
		t.Errorf("%q after %d visits", d, c.visits)
	}
	c = &comparer{same: map[[2]*node]bool{}}
	if d, _ := c.diff(r1.root, r2.root, nil); !strings.Contains(d, "plugins.[0].mcp gains or loses keys") {
		t.Errorf("%q", d)
	}
}
