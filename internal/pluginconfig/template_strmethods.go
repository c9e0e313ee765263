package pluginconfig

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Python's str methods where gonja's differ: gonja's split needs a
// separator and ignores maxsplit, replace needs a count, strip needs
// characters, count and find work on bytes. Positions and widths count
// characters, as Python's do. The bounds (template_methods.go) run around
// each of them.
var pyStrMethods = map[string]exec.Method[string]{
	"split":      func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) { return pySplit(s, a, false) },
	"rsplit":     func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) { return pySplit(s, a, true) },
	"replace":    pyReplace,
	"strip":      stripper(strings.TrimFunc, strings.Trim),
	"lstrip":     stripper(strings.TrimLeftFunc, strings.TrimLeft),
	"rstrip":     stripper(strings.TrimRightFunc, strings.TrimRight),
	"count":      pyCount,
	"find":       finder(false, false),
	"rfind":      finder(true, false),
	"index":      finder(false, true),
	"rindex":     finder(true, true),
	"partition":  partitioner(false),
	"rpartition": partitioner(true),
	"ljust":      padder(justify(func(s, pad string) string { return s + pad })),
	"rjust":      padder(justify(func(s, pad string) string { return pad + s })),
	"center":     padder(pyCenter),
	"startswith": affix(strings.HasPrefix),
	"endswith":   affix(strings.HasSuffix),
}

// strArg is argument i (or the keyword) as a str; ok is false when it is
// absent or None.
func strArg(a *exec.VarArgs, i int, name string) (string, bool, error) {
	v := param(a, i, name)
	if v == nil || isNone(v) {
		return "", false, nil
	}
	if kindOf(v) != kindStr {
		return "", false, pyTypeError("must be str or None, not " + pyTypeName(v))
	}
	return v.String(), true, nil
}

// intArg is argument i (or the keyword) as an int, def when absent.
func intArg(a *exec.VarArgs, i int, name string, def int) (int, error) {
	v := param(a, i, name)
	if v == nil || isNone(v) {
		return def, nil
	}
	if k := kindOf(v); k != kindInt && k != kindBool {
		return 0, pyTypeError("'" + pyTypeName(v) + "' object cannot be interpreted as an integer")
	}
	return v.Integer(), nil
}

func pyTypeError(msg string) error { return errors.New("TypeError: " + msg) }

func pySplit(s string, a *exec.VarArgs, fromRight bool) (any, error) {
	sep, hasSep, err := strArg(a, 0, "sep")
	if err != nil {
		return nil, err
	}
	maxsplit, err := intArg(a, 1, "maxsplit", -1)
	if err != nil {
		return nil, err
	}
	var parts []string
	switch {
	case hasSep && sep == "":
		return nil, errors.New("ValueError: empty separator")
	case hasSep:
		parts = splitOn(s, sep, maxsplit, fromRight)
	default:
		parts = splitWhitespace(s, maxsplit, fromRight)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func splitOn(s, sep string, maxsplit int, fromRight bool) []string {
	if maxsplit < 0 || !fromRight {
		n := -1
		if maxsplit >= 0 {
			n = maxsplit + 1
		}
		return strings.SplitN(s, sep, n)
	}
	var tail []string
	for ; maxsplit > 0; maxsplit-- {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		tail = append(tail, s[i+len(sep):])
		s = s[:i]
	}
	out := []string{s}
	for i := len(tail) - 1; i >= 0; i-- {
		out = append(out, tail[i])
	}
	return out
}

// splitWhitespace is str.split() with no separator: runs of whitespace
// split, none at either end makes an empty item, and once maxsplit is used
// up the rest is one item, whitespace at its far end kept.
func splitWhitespace(s string, maxsplit int, fromRight bool) []string {
	fields := strings.FieldsFunc(s, unicode.IsSpace)
	if maxsplit < 0 || len(fields) <= maxsplit {
		return fields
	}
	if !fromRight {
		rest := strings.TrimLeftFunc(s, unicode.IsSpace)
		for range maxsplit {
			i := strings.IndexFunc(rest, unicode.IsSpace)
			rest = strings.TrimLeftFunc(rest[i:], unicode.IsSpace)
		}
		return append(fields[:maxsplit:maxsplit], rest)
	}
	rest := strings.TrimRightFunc(s, unicode.IsSpace)
	for range maxsplit {
		i := strings.LastIndexFunc(rest, unicode.IsSpace)
		rest = strings.TrimRightFunc(rest[:i+1], unicode.IsSpace)
	}
	return append([]string{rest}, fields[len(fields)-maxsplit:]...)
}

func pyReplace(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
	old, ok, err := strArg(a, 0, "old")
	if err != nil || !ok {
		return nil, errOr(err, "replace() takes at least 2 arguments")
	}
	repl, ok, err := strArg(a, 1, "new")
	if err != nil || !ok {
		return nil, errOr(err, "replace() takes at least 2 arguments")
	}
	count, err := intArg(a, 2, "count", -1)
	if err != nil {
		return nil, err
	}
	return strings.Replace(s, old, repl, count), nil
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return pyTypeError(msg)
}

func stripper(byFunc func(string, func(rune) bool) string, byChars func(string, string) string) exec.Method[string] {
	return func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		chars, ok, err := strArg(a, 0, "chars")
		switch {
		case err != nil:
			return nil, err
		case ok:
			return byChars(s, chars), nil
		}
		return byFunc(s, unicode.IsSpace), nil
	}
}

// window is s[start:end] as Python slices it by characters, and the
// character offset of its start.
func window(s string, a *exec.VarArgs, from int) (string, int, error) {
	n := utf8.RuneCountInString(s)
	start, err := intArg(a, from, "start", 0)
	if err != nil {
		return "", 0, err
	}
	end, err := intArg(a, from+1, "end", n)
	if err != nil {
		return "", 0, err
	}
	start, end = clampIndex(start, n), clampIndex(end, n)
	if end < start {
		return "", start, nil
	}
	lo, hi := runeOffset(s, start), runeOffset(s, end)
	return s[lo:hi], start, nil
}

func clampIndex(i, n int) int {
	if i < 0 {
		i += n
	}
	return min(max(i, 0), n)
}

// subAndWindow are the arguments of count, find and index: sub, then
// start and end, as the window of s they search and its first character.
func subAndWindow(s string, a *exec.VarArgs, method string) (sub, w string, start int, err error) {
	sub, ok, err := strArg(a, 0, "sub")
	if err != nil || !ok {
		return "", "", 0, errOr(err, method+"() takes at least 1 argument")
	}
	w, start, err = window(s, a, 1)
	return sub, w, start, err
}

func pyCount(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
	sub, w, _, err := subAndWindow(s, a, "count")
	if err != nil {
		return nil, err
	}
	if sub == "" {
		return utf8.RuneCountInString(w) + 1, nil
	}
	return strings.Count(w, sub), nil
}

func finder(fromRight, raise bool) exec.Method[string] {
	return func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		sub, w, start, err := subAndWindow(s, a, "find")
		if err != nil {
			return nil, err
		}
		i := strings.Index(w, sub)
		if fromRight {
			i = strings.LastIndex(w, sub)
		}
		if i < 0 {
			if raise {
				return nil, errors.New("ValueError: substring not found")
			}
			return -1, nil
		}
		return start + utf8.RuneCountInString(w[:i]), nil
	}
}

func partitioner(fromRight bool) exec.Method[string] {
	return func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		sep, ok, err := strArg(a, 0, "sep")
		if err != nil || !ok {
			return nil, errOr(err, "partition() takes exactly one argument")
		}
		if sep == "" {
			return nil, errors.New("ValueError: empty separator")
		}
		i := strings.Index(s, sep)
		if fromRight {
			i = strings.LastIndex(s, sep)
		}
		switch {
		case i >= 0:
			return pyTuple{s[:i], sep, s[i+len(sep):]}, nil
		case fromRight:
			return pyTuple{"", "", s}, nil
		}
		return pyTuple{s, "", ""}, nil
	}
}

// fillArg is the fill character of ljust, rjust and center.
func fillArg(a *exec.VarArgs) (string, error) {
	fill, ok, err := strArg(a, 1, "fillchar")
	switch {
	case err != nil:
		return "", err
	case !ok:
		return " ", nil
	case utf8.RuneCountInString(fill) != 1:
		return "", pyTypeError("The fill character must be exactly one character long")
	}
	return fill, nil
}

// padder is ljust, rjust and center: a width and a fill character, then pad.
func padder(pad func(s string, width int, fill string) string) exec.Method[string] {
	return func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		width, err := intArg(a, 0, "width", 0)
		if err != nil {
			return nil, err
		}
		fill, err := fillArg(a)
		if err != nil {
			return nil, err
		}
		return pad(s, width, fill), nil
	}
}

// justify pads s to width characters on the side join puts the padding.
func justify(join func(s, pad string) string) func(s string, width int, fill string) string {
	return func(s string, width int, fill string) string {
		n := utf8.RuneCountInString(s)
		if width <= n {
			return s
		}
		return join(s, strings.Repeat(fill, width-n))
	}
}

func affix(has func(s, affix string) bool) exec.Method[string] {
	return func(s string, _ *exec.Value, a *exec.VarArgs) (any, error) {
		v := param(a, 0, "prefix")
		if v == nil {
			return nil, pyTypeError("startswith() takes at least 1 argument")
		}
		w, _, err := window(s, a, 1)
		if err != nil {
			return nil, err
		}
		var candidates []*exec.Value
		switch kindOf(v) {
		case kindStr:
			candidates = []*exec.Value{v}
		case kindList:
			if _, ok := v.Interface().(pyTuple); !ok {
				return nil, pyTypeError("startswith first arg must be str or a tuple of str, not list")
			}
			for i := 0; i < v.Len(); i++ {
				candidates = append(candidates, v.Index(i))
			}
		default:
			return nil, pyTypeError("startswith first arg must be str or a tuple of str, not " + pyTypeName(v))
		}
		for _, c := range candidates {
			if kindOf(c) != kindStr {
				return nil, pyTypeError("tuple for startswith must only contain str, not " + pyTypeName(c))
			}
			if has(w, c.String()) {
				return true, nil
			}
		}
		return false, nil
	}
}
