package pluginconfig

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The gateway renders config.yaml as a Jinja2 template before parsing it
// (cpex loader/config.py: SandboxedEnvironment(autoescape=True).render(env=os.environ)).
// Its configs use one construct, `{{ env.NAME }}`; this file renders exactly
// that from the values given and refuses every other construct at its
// position, so nothing reaches the YAML parser as a silent literal.

// envLookup is `{{ env.NAME }}`, `{{env.NAME}}` or `{{ env['NAME'] }}`, with
// Jinja2's whitespace control (`{{-`, `-}}`) that strips blanks beside it.
var envLookup = regexp.MustCompile(`^\{\{(-?)[ \t]*env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[[ \t]*(?:'([^'\n]*)'|"([^"\n]*)")[ \t]*\])[ \t]*(-?)\}\}`)

// templateOpeners are where Jinja2's default lexer starts a construct.
var templateOpeners = []string{"{{", "{%", "{#"}

// substitution is one rendered lookup on a line, in 1-based rune columns.
type substitution struct{ renderedStart, renderedLen, origStart, origLen int }

// renderedText is the file after rendering, with what maps its positions back.
type renderedText struct {
	text     string
	lines    map[int][]substitution
	warnings []*Error
}

// original maps a column of the rendered text to the file as written; a
// position inside a rendered value points at its `{{`. Values never hold line
// breaks, so lines do not move.
func (r *renderedText) original(line, column int) (int, int) {
	delta := 0
	for _, s := range r.lines[line] {
		if column < s.renderedStart {
			break
		}
		if column < s.renderedStart+s.renderedLen {
			return line, s.origStart
		}
		delta += s.origLen - s.renderedLen
	}
	return line, column + delta
}

// render applies env to the template text.
func render(src string, env map[string]string) (*renderedText, []*Error) {
	out := &renderedText{lines: map[int][]substitution{}}
	var b strings.Builder
	var errs []*Error
	line, col, renderedCol := 1, 1, 1
	for i := 0; i < len(src); {
		rest := src[i:]
		if opener := openerAt(rest); opener != "" {
			m := envLookup.FindStringSubmatch(rest)
			if m == nil {
				errs = append(errs, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
					"template construct %s is not supported: mcptls renders only `{{ env.NAME }}` (the gateway renders the file as a Jinja2 template); write the value out, or use an env lookup",
					quoteConstruct(rest))})
				b.WriteString(opener)
				i, col, renderedCol = i+len(opener), col+len(opener), renderedCol+len(opener)
				continue
			}
			name := m[2] + m[3] + m[4]
			value, ok := env[name]
			switch {
			case !ok:
				errs = append(errs, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
					"env.%s is not in template_env: add it there with the value the gateway's environment gives it", name)})
			case strings.IndexFunc(value, unicode.IsControl) >= 0:
				errs = append(errs, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
					"template_env %q holds a line break or control character, which would change the YAML around it", name)})
				value = ""
			}
			escaped := htmlEscape(value)
			if escaped != value {
				out.warnings = append(out.warnings, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
					"env.%s holds characters the gateway's Jinja2 autoescape rewrites (& < > ' \"): the gateway reads %q", name, escaped)})
			}
			// `{{-` and `-}}` strip the blanks beside the construct; across a
			// line break the line numbers would move, so that is refused.
			left, right := 0, 0
			if m[1] == "-" {
				written := b.String()
				kept := strings.TrimRight(written, " \t")
				left = len(written) - len(kept)
				if strings.HasSuffix(kept, "\n") {
					errs = append(errs, &Error{Line: line, Column: col, Msg: "whitespace control `{{-` after a line break would join two YAML lines: remove the `-`"})
				}
			}
			after := rest[len(m[0]):]
			if m[5] == "-" {
				right = len(after) - len(strings.TrimLeft(after, " \t"))
				if strings.HasPrefix(after[right:], "\n") {
					errs = append(errs, &Error{Line: line, Column: col, Msg: "whitespace control `-}}` before a line break would join two YAML lines: remove the `-`"})
				}
			}
			truncated := b.String()[:b.Len()-left]
			b.Reset()
			b.WriteString(truncated)
			s := substitution{renderedStart: renderedCol - left, renderedLen: utf8.RuneCountInString(escaped), origStart: col - left,
				origLen: left + utf8.RuneCountInString(m[0]) + right}
			out.lines[line] = append(out.lines[line], s)
			b.WriteString(escaped)
			i, col, renderedCol = i+len(m[0])+right, s.origStart+s.origLen, s.renderedStart+s.renderedLen
			continue
		}
		r, size := utf8.DecodeRuneInString(rest)
		b.WriteString(rest[:size])
		i += size
		if r == '\n' {
			line, col, renderedCol = line+1, 1, 1
		} else {
			col, renderedCol = col+1, renderedCol+1
		}
	}
	out.text = b.String()
	return out, errs
}

func openerAt(s string) string {
	for _, o := range templateOpeners {
		if strings.HasPrefix(s, o) {
			return o
		}
	}
	return ""
}

// quoteConstruct shows the construct up to its closing delimiter or the end of the line.
func quoteConstruct(s string) string {
	end := strings.IndexAny(s, "\n")
	if end < 0 {
		end = len(s)
	}
	s = s[:end]
	for _, closer := range []string{"}}", "%}", "#}"} {
		if j := strings.Index(s, closer); j >= 0 {
			s = s[:j+2]
			break
		}
	}
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return "`" + s + "`"
}

// htmlEscape is markupsafe.escape, which Jinja2's autoescape applies to output.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;", `"`, "&#34;").Replace(s)
}
