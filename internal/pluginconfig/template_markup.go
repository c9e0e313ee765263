package pluginconfig

import (
	"github.com/nikolalohinski/gonja/v2/exec"
)

// markup is markupsafe's Markup: a string autoescape leaves alone (`| safe`,
// `| e`, a `{% set %}` block, tojson). gonja marks such a value on the
// *exec.Value only, and the mark is lost once the value is stored in a
// variable or passed through a filter; a string of this type keeps it, as
// Markup keeps it in Python: through variables, through the filters and
// methods that return Markup for Markup, through `~` and `+`.
type markup string

// isMarkup reports whether autoescape leaves v alone.
func isMarkup(v *exec.Value) bool {
	if v == nil || !v.IsString() {
		return false
	}
	if v.Safe {
		return true
	}
	_, ok := v.Interface().(markup)
	return ok
}

// asMarkup is s as Markup.
func asMarkup(s string) *exec.Value { return exec.AsSafeValue(markup(s)) }

// markupValue normalises a safe string to the markup type, so the mark
// survives being stored.
func markupValue(v *exec.Value) *exec.Value {
	if v != nil && v.Safe && v.IsString() {
		if _, ok := v.Interface().(markup); !ok {
			return asMarkup(v.String())
		}
	}
	if v != nil && !v.Safe && v.IsString() {
		if _, ok := v.Interface().(markup); ok {
			return exec.AsSafeValue(v.Interface())
		}
	}
	return v
}

// escapeValue is markupsafe.escape: Markup stays, anything else is str()'d
// and escaped.
func escapeValue(v *exec.Value) string {
	if isMarkup(v) {
		return v.String()
	}
	return htmlEscape(pyStr(v))
}

// Filters that return Markup when given Markup in Jinja2 3.1.6 (they call a
// Markup method or soft_str): the rest return str.
var markupKeepingFilters = map[string]bool{
	"capitalize": true, "center": true, "default": true, "d": true, "format": true, "indent": true, "lower": true,
	"replace": true, "reverse": true, "string": true, "trim": true, "truncate": true, "upper": true, "urlize": true,
	"random": true,
}

// Filters that always return Markup.
var markupFilters = map[string]bool{"e": true, "escape": true, "forceescape": true, "safe": true, "tojson": true, "xmlattr": true}

// markupResult is what filter name gives for in, as Markup where Jinja2's
// gives Markup: always for the escaping filters, for Markup input for the
// filters that keep it, and the value itself (marked or not) for default.
func markupResult(name string, in, out *exec.Value) *exec.Value {
	if out == nil || out.IsError() || !out.IsString() {
		return out
	}
	switch {
	case markupFilters[name], markupKeepingFilters[name] && isMarkup(in):
		return asMarkup(out.String())
	case name == "default" || name == "d":
		return markupValue(out)
	}
	return out
}

// concat is `a ~ b` (str() of each) or `a + b` on two strings: Markup when
// either is, with the other escaped, as markupsafe's __add__ and Jinja2's
// markup_join make it.
func (st *renderState) concat(what string, a, b *exec.Value, stringify bool) *exec.Value {
	sa, sb := a.String(), b.String()
	if stringify {
		sa, sb = pyStr(a), pyStr(b)
	}
	if err := st.reserve(what, len(sa)+len(sb)); err != nil {
		return err
	}
	if isMarkup(a) || isMarkup(b) {
		return st.made(what, asMarkup(escapeValue(a)+escapeValue(b)))
	}
	return st.made(what, exec.AsValue(sa+sb))
}

// keep is a value as it is stored in a variable: Markup stays Markup.
func keep(va *exec.VarArgs) *exec.Value {
	if len(va.Args) != 1 {
		return pyErr("internal: keep takes 1 argument")
	}
	return markupValue(va.Args[0])
}

// asMarkupVariable marks a variable a `{% set x %}` block assigned: the
// block's text is Markup in Jinja2.
func asMarkupVariable(e *exec.Evaluator, va *exec.VarArgs) *exec.Value {
	if len(va.Args) != 1 {
		return pyErr("internal: markup takes 1 argument")
	}
	name := va.Args[0].String()
	if v, ok := e.Environment.Context.Get(name); ok {
		if s, ok := v.(string); ok {
			e.Environment.Context.Set(name, markup(s))
		}
	}
	return exec.AsValue("")
}

// markupLike is s as Markup when of is Markup (Markup's methods keep it).
func markupLike(of *exec.Value, s string) *exec.Value {
	if isMarkup(of) {
		return asMarkup(s)
	}
	return exec.AsValue(s)
}
