package pluginconfig

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Jinja2 3.1.6 checks filter and test names when it compiles a template:
// an unknown name anywhere, even in a branch or macro that never runs, is a
// TemplateAssertionError and the gateway refuses the file. gonja looks a
// name up only when it runs, so the rewrite checks every name first.

// jinja2Filters and jinja2Tests are Jinja2 3.1.6's builtin names.
var (
	jinja2Filters = setOf("abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape",
		"filesizeformat", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last",
		"length", "list", "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr", "replace", "reverse",
		"round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim",
		"truncate", "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr")
	jinja2Tests = setOf("boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false",
		"filter", "float", "ge", "gt", "greaterthan", "in", "integer", "iterable", "le", "lower", "lt", "lessthan",
		"mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper",
		"==", "!=", "<", "<=", ">", ">=")
)

func setOf(names ...string) map[string]bool {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		out[n] = true
	}
	return out
}

// checkName is the error for a filter or test name Jinja2 or mcptls does
// not know, nil when both know it.
func (w *rewriter) checkName(n any) *Error {
	var kind, name string
	var at int
	switch n := n.(type) {
	case *nodes.FilterCall:
		if n.Name == "" || n.Name == "__mcptls_render" || jinjaEnvironment().Filters.Exists(n.Name) {
			return nil
		}
		kind, name, at = "filter", n.Name, jinjaTokenPos(n.Token)
		if !jinja2Filters[name] {
			return w.errorAt(at, fmt.Sprintf("TemplateAssertionError: No filter named '%s': the gateway's Jinja2 refuses the file; use one of Jinja2's filters", name))
		}
	case *nodes.TestCall:
		if n.Name == "" || jinjaEnvironment().Tests.Exists(n.Name) {
			return nil
		}
		kind, name, at = "test", n.Name, jinjaTokenPos(n.Token)
		if !jinja2Tests[name] {
			return w.errorAt(at, fmt.Sprintf("TemplateAssertionError: No test named '%s': the gateway's Jinja2 refuses the file; use one of Jinja2's tests", name))
		}
	default:
		return nil
	}
	return w.errorAt(at, fmt.Sprintf("the %s %s: mcptls does not render it (the gateway's Jinja2 does); write it another way", name, kind))
}

func jinjaTokenPos(t *tokens.Token) int {
	if t == nil {
		return 0
	}
	return t.Pos
}

func (w *rewriter) errorAt(off int, msg string) *Error {
	line, col := w.st.src.position(off)
	return &Error{Line: line, Column: col, Msg: msg}
}
