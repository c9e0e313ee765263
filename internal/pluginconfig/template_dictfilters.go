package pluginconfig

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Filters over a mapping, written again: gonja's read only Go maps, so a
// dict written in the template (`{'a': 1}`, `dict(a=1)`) sorted or listed
// as empty; and urlencode, where gonja leaves `&` and `=` unquoted.

// entries is a mapping's (key, value) pairs in Python's order.
func entries(v *exec.Value) ([][2]*exec.Value, *exec.Value) {
	if kindOf(v) != kindDict {
		return nil, pyErr("TypeError: %s object is not a mapping", pyTypeName(v))
	}
	if d, ok := v.Interface().(*exec.Dict); ok {
		out := make([][2]*exec.Value, len(d.Pairs))
		for i, p := range d.Pairs {
			out[i] = [2]*exec.Value{p.Key, p.Value}
		}
		return out, nil
	}
	var out [][2]*exec.Value
	for _, k := range v.Keys() {
		item, _ := v.GetItem(k.Interface())
		out = append(out, [2]*exec.Value{k, item})
	}
	return out, nil
}

func tuples(pairs [][2]*exec.Value) []any {
	out := make([]any, len(pairs))
	for i, p := range pairs {
		out[i] = pyTuple{p[0], p[1]}
	}
	return out
}

// itemsFilter is do_items: the (key, value) pairs; Undefined gives none.
func itemsFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if kindOf(in) == kindUndefined {
		return exec.AsValue([]any{})
	}
	pairs, err := entries(in)
	if err != nil {
		return pyErr("FilterArgumentError: Can only get item pairs from a mapping.")
	}
	return exec.AsValue(tuples(pairs))
}

// dictsortFilter is do_dictsort(case_sensitive=False, by='key', reverse=False).
func dictsortFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	pairs, err := entries(in)
	if err != nil {
		return err
	}
	caseSensitive := false
	if v := param(params, 0, "case_sensitive"); v != nil {
		caseSensitive = v.IsTrue()
	}
	pos := 0
	if v := param(params, 1, "by"); v != nil {
		switch v.String() {
		case "key":
		case "value":
			pos = 1
		default:
			return pyErr("FilterArgumentError: You can only sort by either \"key\" or \"value\"")
		}
	}
	reverse := false
	if v := param(params, 2, "reverse"); v != nil {
		reverse = v.IsTrue()
	}
	sortKey := func(v *exec.Value) *exec.Value {
		if !caseSensitive && kindOf(v) == kindStr {
			return exec.AsValue(strings.ToLower(v.String()))
		}
		return v
	}
	var failed *exec.Value
	sort.SliceStable(pairs, func(i, j int) bool {
		a, b := sortKey(pairs[i][pos]), sortKey(pairs[j][pos])
		if reverse {
			a, b = b, a
		}
		less := compare("<", a, b)
		if less.IsError() {
			failed = less
			return false
		}
		return less.Bool()
	})
	if failed != nil {
		return failed
	}
	return exec.AsValue(tuples(pairs))
}

// urlencodeFilter is do_urlencode: a string quoted as urllib's quote with
// "/" safe; a mapping or a list of pairs as a query string.
func urlencodeFilter(_ *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	var pairs [][2]*exec.Value
	switch kindOf(in) {
	case kindStr, kindUndefined, kindNone, kindBool, kindInt, kindFloat:
		return exec.AsValue(urlQuote(pyStr(in), "/"))
	case kindDict:
		pairs, _ = entries(in)
	case kindList:
		for i := 0; i < in.Len(); i++ {
			item := in.Index(i)
			if kindOf(item) != kindList || item.Len() != 2 {
				return pyErr("ValueError: too many values to unpack (expected 2)")
			}
			pairs = append(pairs, [2]*exec.Value{item.Index(0), item.Index(1)})
		}
	default:
		return pyErr("TypeError: urlencode cannot quote a %s", pyTypeName(in))
	}
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = queryQuote(pyStr(p[0])) + "=" + queryQuote(pyStr(p[1]))
	}
	return exec.AsValue(strings.Join(parts, "&"))
}

// urlQuote is urllib.parse.quote(s, safe): letters, digits and "_.-~" are
// kept, with the characters in safe; every other byte of the UTF-8 becomes
// %XX.
func urlQuote(s, safe string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("_.-~", c) >= 0,
			c < 0x80 && strings.IndexByte(safe, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// queryQuote is Jinja2's url_quote(for_qs=True): nothing safe, a space is "+".
func queryQuote(s string) string { return strings.ReplaceAll(urlQuote(s, ""), "%20", "+") }
