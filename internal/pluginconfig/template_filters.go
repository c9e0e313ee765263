package pluginconfig

import (
	"strings"
	"unicode/utf8"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Filters written again where gonja's differ from Jinja2 3.1.6 in what they
// make, or cost more than linear time.

// formatFilter is do_format: `value % args` (or % kwargs), Python's printf.
func formatFilter(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	st := stateOf(e)
	if len(params.Args) > 0 && len(params.KwArgs) > 0 {
		return pyErr("FilterArgumentError: can't handle positional and keyword arguments at the same time")
	}
	var args *exec.Value
	if len(params.KwArgs) > 0 {
		d := exec.NewDict()
		for k, v := range params.KwArgs {
			d.Pairs = append(d.Pairs, &exec.Pair{Key: exec.AsValue(k), Value: v})
		}
		args = exec.AsValue(d)
	} else {
		items := make(pyTuple, len(params.Args))
		for i, a := range params.Args {
			items[i] = a
		}
		args = exec.AsValue(items)
	}
	return st.pyFormat(pyStr(in), args)
}

// pyTuple is a Python tuple: `%` formatting takes its items as its
// arguments, where a list is one argument.
type pyTuple []any

// joinFilter is do_join with autoescape: a plain separator and plain items
// join to a plain string; if the separator or any item is Markup, the rest
// are escaped and the result is Markup.
func joinFilter(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	st := stateOf(e)
	d := exec.AsValue("")
	if v := param(params, 0, "d"); v != nil {
		d = v
	}
	attribute := param(params, 1, "attribute")
	items, err := iterate(in)
	if err != nil {
		return err
	}
	anyMarkup := isMarkup(d)
	for i, item := range items {
		if attribute != nil && !attribute.IsNil() {
			items[i] = attributeOf(item, attribute)
		}
		anyMarkup = anyMarkup || isMarkup(items[i])
	}
	sep := pyStr(d)
	if anyMarkup {
		sep = escapeValue(d)
	}
	var b strings.Builder
	for i, item := range items {
		if i > 0 {
			b.WriteString(sep)
		}
		if anyMarkup {
			b.WriteString(escapeValue(item))
		} else {
			b.WriteString(pyStr(item))
		}
		if b.Len() > maxValueSize {
			return st.tooLarge("the join filter builds a value")
		}
	}
	if anyMarkup {
		return asMarkup(b.String())
	}
	return exec.AsValue(b.String())
}

// iterate is Python's iteration of v: a string's characters, a list's
// items, a dict's keys; Undefined is empty.
func iterate(v *exec.Value) ([]*exec.Value, *exec.Value) {
	switch kindOf(v) {
	case kindUndefined:
		return nil, nil
	case kindStr:
		var out []*exec.Value
		for _, r := range v.String() {
			out = append(out, exec.AsValue(string(r)))
		}
		return out, nil
	case kindList:
		out := make([]*exec.Value, v.Len())
		for i := range out {
			out[i] = v.Index(i)
		}
		return out, nil
	case kindDict:
		keys := v.Keys()
		if d, ok := v.Interface().(*exec.Dict); ok {
			keys = d.Keys()
		}
		return keys, nil
	}
	return nil, pyErr("TypeError: '%s' object is not iterable", pyTypeName(v))
}

// attributeOf is make_attrgetter: an item or attribute by a dotted path.
func attributeOf(v *exec.Value, attribute *exec.Value) *exec.Value {
	parts := []string{attribute.String()}
	if attribute.IsString() {
		parts = strings.Split(attribute.String(), ".")
	}
	for _, p := range parts {
		var key any = p
		if attribute.IsInteger() {
			key = attribute.Integer()
		}
		item, ok := v.GetItem(key)
		if !ok {
			if item, ok = v.GetAttribute(p); !ok {
				return exec.AsValue(nil)
			}
		}
		v = item
	}
	return v
}

// wordwrapFilter wraps each line at width on spaces, words longer than
// width cut when break_long_words, lines joined by wrapstring; in linear
// time. (Jinja2 uses textwrap, which also breaks on hyphens.)
func wordwrapFilter(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	st := stateOf(e)
	width := intParam(params, 0, "width", 79)
	if width <= 0 {
		return pyErr("ValueError: invalid width %d (must be > 0)", width)
	}
	breakLong := true
	if v := param(params, 1, "break_long_words"); v != nil {
		breakLong = v.IsTrue()
	}
	wrap := "\n"
	if v := param(params, 2, "wrapstring"); v != nil && !v.IsNil() {
		wrap = pyStr(v)
	}
	var b strings.Builder
	for li, line := range strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(pyStr(in)), "\n") {
		if li > 0 {
			b.WriteString(wrap)
		}
		col := 0
		for _, word := range strings.Fields(line) {
			n := utf8.RuneCountInString(word)
			if col > 0 && col+1+n <= width {
				b.WriteByte(' ')
				b.WriteString(word)
				col += 1 + n
			} else {
				if col > 0 {
					b.WriteString(wrap)
				}
				for breakLong && n > width {
					cut := runeOffset(word, width)
					b.WriteString(word[:cut])
					b.WriteString(wrap)
					word, n = word[cut:], n-width
				}
				b.WriteString(word)
				col = n
			}
			if b.Len() > maxValueSize {
				return st.tooLarge("the wordwrap filter builds a value")
			}
		}
	}
	return exec.AsValue(b.String())
}

func runeOffset(s string, n int) int {
	off := 0
	for i := 0; i < n && off < len(s); i++ {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	return off
}

// reverseFilter is do_reverse: a string's characters (not bytes) or a
// list's items in reverse order.
func reverseFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if in.IsString() {
		r := []rune(in.String())
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return exec.AsValue(string(r))
	}
	items, err := iterate(in)
	if err != nil {
		return pyErr("FilterArgumentError: argument must be iterable")
	}
	out := make([]any, len(items))
	for i, item := range items {
		out[len(items)-1-i] = item.Interface()
	}
	return exec.AsValue(out)
}

// centerFilter is str.center(width) on characters, as Python pads.
func centerFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	return exec.AsValue(pyCenter(pyStr(in), intParam(params, 0, "width", 80), " "))
}

// pyCenter is Python's str.center.
func pyCenter(s string, width int, fill string) string {
	n := utf8.RuneCountInString(s)
	marg := width - n
	if marg <= 0 {
		return s
	}
	left := marg/2 + (marg & width & 1)
	return strings.Repeat(fill, left) + s + strings.Repeat(fill, marg-left)
}
