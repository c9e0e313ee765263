package pluginconfig

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Tests and filters of Jinja2 3.1.6 whose meaning gonja's differ from.

// typeTests are Jinja2's tests of a value's type, identity or markup.
var typeTests = map[string]exec.TestFunction{
	"boolean": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		return kindOf(in) == kindBool, nil
	},
	"true": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		return kindOf(in) == kindBool && in.Bool(), nil
	},
	"false": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		return kindOf(in) == kindBool && !in.Bool(), nil
	},
	"escaped": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) { return isMarkup(in), nil },
	// a str, list, tuple or dict has a length and items
	"sequence": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		k := kindOf(in)
		return k == kindStr || k == kindList || k == kindDict, nil
	},
	"filter": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		return kindOf(in) == kindStr && jinja2Filters[in.String()], nil
	},
	"test": func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) {
		return kindOf(in) == kindStr && jinja2Tests[in.String()], nil
	},
}

// titleFilter is do_title: each word begins upper case and goes on lower
// case, a word beginning after a space, "-", "(", "{", "[" or "<".
func titleFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	s := pyStr(in)
	var b strings.Builder
	start := true
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune("-({[<", r):
			start = true
			b.WriteRune(r)
		case start:
			b.WriteRune(unicode.ToTitle(r))
			start = false
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return markupLike(in, b.String())
}

var wordRun = regexp.MustCompile(`[\p{L}\p{N}_]+`)

// wordcountFilter is do_wordcount: runs of word characters (`\w+`).
func wordcountFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	return exec.AsValue(len(wordRun.FindAllStringIndex(pyStr(in), -1)))
}

// pprintFilter is do_pprint: pprint.pformat, Python's repr for a value
// that fits a line (a config prints nothing longer).
func pprintFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	return exec.AsValue(pyRepr(in))
}

// lengthFilter is len(): None and numbers have none.
func lengthFilter(length exec.FilterFunction) exec.FilterFunction {
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		switch kindOf(in) {
		case kindNone, kindBool, kindInt, kindFloat:
			return pyErr("TypeError: object of type '%s' has no len()", pyTypeName(in))
		case kindStr:
			return exec.AsValue(len([]rune(in.String())))
		}
		return length(e, in, params)
	}
}

// compareLists is Python's ordering of two lists: item by item, then by length.
func compareLists(op string, a, b *exec.Value) *exec.Value {
	for i := 0; i < a.Len() && i < b.Len(); i++ {
		x, y := a.Index(i), b.Index(i)
		if pyEqual(x, y) {
			continue
		}
		return compare(op, x, y)
	}
	return compare(op, exec.AsValue(a.Len()), exec.AsValue(b.Len()))
}
