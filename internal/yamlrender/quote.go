// Package yamlrender writes the YAML forms of what the env maps say: the
// gateway's `mcp.tls` and `grpc.tls` client blocks, the plugin servers'
// `server_settings` and `grpc_server_settings`, and a gateway config.yaml with
// those client blocks filled in. Paths come from envmap.Layout, so YAML and
// env always point at the same files. Output is read by the gateway's loader
// (Jinja2, then PyYAML safe_load): every scalar means in YAML 1.1 what it says.
package yamlrender

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// plainSafe is what may stay unquoted in block and flow context alike: no
// indicator, no space, no `:` or `#`, not starting with a digit or sign (so
// never an int, float or timestamp in YAML 1.1 or 1.2).
var plainSafe = regexp.MustCompile(`^[A-Za-z_/.][A-Za-z0-9_./-]*$`)

// special are plain words YAML 1.1 (PyYAML) or 1.2 reads as booleans or null,
// and `.inf`/`.nan` style floats.
var special = regexp.MustCompile(`(?i)^(?:y|n|yes|no|on|off|true|false|null|\.(?:[0-9].*|inf|nan))$`)

// Scalar renders s as a YAML string scalar: plain when that reads back as the
// same string, double-quoted otherwise.
func Scalar(s string) string {
	if plainSafe.MatchString(s) && !special.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsPrint(r): // letters, marks, numbers, punctuation, symbols, ASCII space
			b.WriteRune(r)
		case r <= 0xFF:
			fmt.Fprintf(&b, `\x%02X`, r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			fmt.Fprintf(&b, `\U%08X`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// templateOpeners start a construct in the gateway's Jinja2 rendering, which
// runs on the whole file before YAML: quoting does not protect a value from it.
var templateOpeners = []string{"{{", "{%", "{#"}

func noTemplate(what, value string) error {
	for _, o := range templateOpeners {
		if strings.Contains(value, o) {
			return fmt.Errorf("%s %q contains %q, which the gateway's Jinja2 rendering of its config would read as a template: write the value out", what, value, o)
		}
	}
	return nil
}

// entry is one key of a mapping this package writes; value is a string, a
// bool, an int or a mapping.
type entry struct {
	key   string
	value any
}

type mapping []entry

func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return Scalar(v)
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	}
	panic(fmt.Sprintf("yamlrender: no scalar form for %T", v))
}

// block writes m in block style, each key at indent, nested mappings step deeper.
func (m mapping) block(b *strings.Builder, indent, step, nl string) {
	for _, e := range m {
		b.WriteString(indent + e.key + ":")
		if sub, ok := e.value.(mapping); ok {
			b.WriteString(nl)
			sub.block(b, indent+step, step, nl)
			continue
		}
		b.WriteString(" " + scalarText(e.value) + nl)
	}
}

// flow writes m in flow style, for a flow mapping in the input.
func (m mapping) flow() string {
	parts := make([]string, len(m))
	for i, e := range m {
		if sub, ok := e.value.(mapping); ok {
			parts[i] = e.key + ": " + sub.flow()
		} else {
			parts[i] = e.key + ": " + scalarText(e.value)
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// document renders m as a YAML document with two-space indentation.
func (m mapping) document() string {
	var b strings.Builder
	m.block(&b, "", "  ", "\n")
	return b.String()
}
