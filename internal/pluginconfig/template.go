package pluginconfig

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
	gparser "github.com/nikolalohinski/gonja/v2/parser"
)

// The gateway renders config.yaml as a Jinja2 template before it parses it
// (cpex 0.1.3 loader/config.py):
//
//	SandboxedEnvironment(loader=BaseLoader(), autoescape=True).from_string(text).render(env=os.environ)
//
// mcptls renders it the same way with gonja (github.com/nikolalohinski/gonja/v2),
// a maintained Jinja2 port, configured and corrected to Python's meaning where
// gonja differs (template_python.go): `env` is template_env, every filter,
// test, conditional, loop, comment, raw block and whitespace control works,
// output is HTML-escaped, and a name that is not defined renders as an empty
// string, as Jinja2's Undefined does. Such a name gets a warning at its line
// and column, or an error where the value it empties decides something
// (see undefined.go). Rendering also records where each piece of the output
// came from (template_trace.go), so positions found later in the YAML point
// at the file as written.

// jinjaConfig is Jinja2's default syntax; trailing newline stripped as Jinja2
// does (keep_trailing_newline=False).
func jinjaConfig() *config.Config {
	cfg := config.New()
	cfg.AutoEscape = true
	return cfg
}

// templateName is the one template a render reads.
const templateName = "/config.yaml"

// onlyRoot serves the file being rendered once; every other template (an
// include, import or extends) is missing, as with the gateway's BaseLoader.
type onlyRoot struct {
	text   string
	served bool
}

func (l *onlyRoot) Read(path string) (io.Reader, error) {
	if path == templateName && !l.served {
		l.served = true
		return strings.NewReader(l.text), nil
	}
	return nil, fmt.Errorf("TemplateNotFound: %s", strings.TrimPrefix(path, "/"))
}

func (l *onlyRoot) Resolve(path string) (string, error) { return path, nil }

func (l *onlyRoot) Inherit(string) (loaders.Loader, error) { return l, nil }

// renderTemplate renders src as the gateway does, with env as os.environ.
func renderTemplate(src *source, env map[string]string) (*renderedText, []*Error) {
	if !strings.Contains(src.text, "{{") && !strings.Contains(src.text, "{%") && !strings.Contains(src.text, "{#") {
		return plainText(src), nil
	}
	if e := checkTemplateLimits(src); e != nil {
		return nil, []*Error{e}
	}
	st := newRenderState(src, env)
	tpl, err := parseTemplate(src, st.environment())
	if err != nil {
		return nil, []*Error{err}
	}
	if err := st.rewrite(tpl.Root()); err != nil {
		return nil, []*Error{err}
	}
	if err := st.execute(tpl); err != nil {
		return nil, []*Error{err}
	}
	return st.result(), nil
}

// plainText is what Jinja2 renders from a file without a template construct:
// the file, without its last line break (keep_trailing_newline=False).
func plainText(src *source) *renderedText {
	st := newRenderState(src, nil)
	st.constructs = []construct{{kind: dataConstruct, end: len(src.text), text: src.text}}
	st.trace.boundary(0)
	_, _ = st.trace.WriteString(strings.TrimSuffix(src.text, "\n"))
	st.trace.finish()
	return st.result()
}

// parseTemplate parses src; a panic inside gonja's parser becomes an error.
func parseTemplate(src *source, env *exec.Environment) (tpl *exec.Template, out *Error) {
	defer func() {
		if r := recover(); r != nil {
			tpl, out = nil, &Error{Line: 1, Column: 1, Msg: fmt.Sprintf(
				"mcptls cannot parse this template (%v): the gateway's Jinja2 may read it (an empty {%% raw %%} block is one such case); write the construct another way", r)}
		}
	}()
	tpl, err := exec.NewTemplate(templateName, jinjaConfig(), &onlyRoot{text: src.text}, env)
	if err != nil {
		return nil, templateSyntaxError(src, err)
	}
	return tpl, nil
}

// execute runs the template; a panic inside gonja becomes an error at the
// construct being rendered.
func (st *renderState) execute(tpl *exec.Template) (out *Error) {
	defer func() {
		if r := recover(); r != nil {
			out = st.errorAt(st.trace.current, fmt.Sprintf("mcptls cannot render this template construct (%v); the gateway's Jinja2 may read it, so check the file with it", r))
		}
	}()
	err := tpl.Execute(st.trace, exec.NewContext(st.context()))
	if st.limitHit != "" { // even where the template swallowed the error
		return st.errorAt(st.trace.current, st.limitHit)
	}
	if err == nil {
		st.trace.finish()
		return nil
	}
	if strings.Contains(err.Error(), overflowMessage) {
		return st.errorAt(st.trace.current, overflowMessage)
	}
	return st.errorAt(st.trace.current, "template error: "+st.runtimeMessage(err)+"; the gateway's Jinja2 raises it while rendering the file and refuses the file")
}

// pythonError finds an error message in Python's words (ours: TypeError: …).
var pythonError = regexp.MustCompile(`\b[A-Z][A-Za-z]*(Error|NotFound): [^\n]*$`)

// runtimeMessage is the root message of a render error without gonja's
// "unable to evaluate ..." wrapping, which repeats at every level.
func (st *renderState) runtimeMessage(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "Can't use getattr on None") || strings.Contains(msg, "Can't use Getitem on None") {
		return "UndefinedError: " + st.lastMissing() + " is undefined, so it has no attribute or item to read"
	}
	if m := pythonError.FindString(msg); m != "" {
		msg = m
	} else if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

var syntaxLine = regexp.MustCompile(`^(.*) \(Line: \d+ Col: \d+, near "(?s:.*)"\)$`)

// templateSyntaxError positions a parse error as Jinja2 reports
// TemplateSyntaxError: the gateway refuses the whole file.
func templateSyntaxError(src *source, err error) *Error {
	var se *gparser.SyntaxError
	msg := err.Error()
	line, col := 1, 1
	if errors.As(err, &se) {
		msg = se.Message
		if se.Line > 0 {
			line, col = se.Line, se.Column
		}
		if col < 1 {
			col = 1
		}
	} else if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		msg = m[1]
	}
	if i := strings.LastIndex(msg, "TemplateNotFound: "); i >= 0 {
		msg = msg[i:]
	}
	if line == 1 && src.bom && col > 1 {
		col--
	}
	if strings.Contains(msg, "value out of range") {
		return &Error{Line: line, Column: col, Msg: overflowMessage}
	}
	if what := jinjaOnlySyntax(src.text, line, col); what != "" {
		return &Error{Line: line, Column: col, Msg: what}
	}
	return &Error{Line: line, Column: col, Msg: "template syntax error: " + strings.TrimSuffix(msg, ".") +
		"; the gateway's Jinja2 refuses the file (TemplateSyntaxError): fix the template, or wrap literal braces in {% raw %}…{% endraw %}"}
}

// Constructs Jinja2 3.1.6 reads and gonja's parser does not: the gateway
// loads such a file, so the error says mcptls is the one that cannot, and
// how to write the same thing another way.
var jinjaOnlyConstructs = []struct {
	tag  *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`^\{%-?\s*set\s+[A-Za-z_]\w*\s*,`), "`{% set a, b = ... %}` (unpacking): mcptls does not render it (the gateway's Jinja2 does); set each name on its own, `{% set t = ... %}{% set a = t[0] %}{% set b = t[1] %}`"},
	{regexp.MustCompile(`^\{%-?\s*set\s+[A-Za-z_]\w*\s*\|`), "`{% set x | filter %}...{% endset %}` (a filtered block set): mcptls does not render it (the gateway's Jinja2 does); write `{% set x %}...{% endset %}{% set x = x | filter %}`"},
	{regexp.MustCompile(`^\{%-?\s*call\s*\(`), "`{% call(args) macro() %}` (a call block with arguments): mcptls does not render it (the gateway's Jinja2 does); pass the values to the macro as arguments instead"},
}

// jinjaOnlySyntax is the message for a construct in jinjaOnlyConstructs
// whose tag holds the error position, else "".
func jinjaOnlySyntax(text string, line, col int) string {
	off := 0
	for l := 1; l < line && off < len(text); l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return ""
		}
		off += i + 1
	}
	end := min(off+col+1, len(text))
	start := strings.LastIndex(text[:end], "{%")
	if start < 0 {
		return ""
	}
	for _, c := range jinjaOnlyConstructs {
		if c.tag.MatchString(text[start:]) {
			return c.what
		}
	}
	return ""
}
