package pluginconfig

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// Bounds on what a render builds. A hostile template can ask a filter for a
// billion-character string (`'x' | center(1000000000)`), or double a value in
// a loop; Go cannot recover from running out of memory, so every filter, test,
// method, operator and global function is checked before it runs (its
// numbers, and the size of what it is given) and after (the size of what it
// made), and everything a render builds counts against one budget.
const (
	// maxValueSize bounds one value: a string of that many bytes, or a list or
	// dict whose items and their contents add up to it (itemCost per item).
	// Nothing larger can end up in a config file of MaxConfigBytes.
	maxValueSize = MaxConfigBytes
	// maxBuiltSize bounds what one render builds in all.
	maxBuiltSize = 16 * MaxConfigBytes
	// maxValueDepth bounds lists in lists: Python's repr and json stop at
	// their recursion limit (1,000) well past any config's needs.
	maxValueDepth = 500
	itemCost      = 8
)

// sizeOf is the cost of v counted through nested lists and dicts as often
// as each is reached (what printing or flattening it costs), stopping once
// it passes maxValueSize; deep is true when v nests deeper than maxValueDepth.
func sizeOf(v *exec.Value) (size int, deep bool) {
	if v == nil {
		return 0, false
	}
	s := sizer{limit: maxValueSize}
	s.walk(v.Val, 0)
	return s.n, s.deep
}

type sizer struct {
	n, limit int
	deep     bool
}

func (s *sizer) walk(v reflect.Value, depth int) {
	if s.n > s.limit || s.deep {
		return
	}
	if depth > maxValueDepth {
		s.deep = true
		return
	}
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		if v.IsNil() {
			s.n += itemCost
			return
		}
		if ev, ok := v.Interface().(*exec.Value); ok {
			v = ev.Val
			continue
		}
		if v.Kind() == reflect.Pointer && v.Elem().Kind() != reflect.Struct {
			v = v.Elem()
			continue
		}
		if v.Kind() == reflect.Interface {
			v = v.Elem()
			continue
		}
		break
	}
	if !v.IsValid() {
		s.n += itemCost
		return
	}
	switch v.Kind() {
	case reflect.String:
		s.n += v.Len()
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			s.n += v.Len()
			return
		}
		s.n += itemCost
		for i := 0; i < v.Len() && s.n <= s.limit && !s.deep; i++ {
			s.n += itemCost
			s.walk(v.Index(i), depth+1)
		}
	case reflect.Map:
		s.n += itemCost
		iter := v.MapRange()
		for iter.Next() && s.n <= s.limit && !s.deep {
			s.n += itemCost
			s.walk(iter.Key(), depth+1)
			s.walk(iter.Value(), depth+1)
		}
	case reflect.Pointer:
		if d, ok := v.Interface().(*exec.Dict); ok {
			s.n += itemCost
			for _, p := range d.Pairs {
				if s.n > s.limit || s.deep {
					return
				}
				s.n += itemCost
				s.walk(reflect.ValueOf(p.Key), depth+1)
				s.walk(reflect.ValueOf(p.Value), depth+1)
			}
			return
		}
		s.n += itemCost
	case reflect.Struct:
		if d, ok := v.Interface().(exec.Dict); ok {
			s.walk(reflect.ValueOf(&d), depth)
			return
		}
		s.n += itemCost
	default:
		s.n += itemCost
	}
}

// charge counts n against the render's budget.
func (st *renderState) charge(n int) *exec.Value {
	if st.built += n; st.built > maxBuiltSize {
		return exec.AsValue(st.limit(fmt.Sprintf("the template builds more than %d MiB of strings and lists in all (a loop that grows a value?), the most mcptls allows a render; mcptls stops here", maxBuiltSize>>20)))
	}
	return nil
}

// admit checks what a construct is given: each value at most maxValueSize
// and maxValueDepth deep, its cost charged.
func (st *renderState) admit(what string, values ...*exec.Value) *exec.Value {
	for _, v := range values {
		n, deep := sizeOf(v)
		if deep {
			return exec.AsValue(st.limit(fmt.Sprintf("%s is given lists nested more than %d deep; mcptls stops here (the gateway's Jinja2 stops at Python's recursion limit)", what, maxValueDepth)))
		}
		if n > maxValueSize {
			return st.tooLarge(what + " is given a value")
		}
		if err := st.charge(n); err != nil {
			return err
		}
	}
	return nil
}

// admitArgs admits a call's arguments and refuses a number (a width, count,
// repetition) that would build more than a config may hold.
func (st *renderState) admitArgs(what string, params *exec.VarArgs) *exec.Value {
	if params == nil {
		return nil
	}
	check := func(v *exec.Value) *exec.Value {
		if v == nil {
			return nil
		}
		if v.IsInteger() || v.IsFloat() {
			if f := v.Float(); f > maxValueSize || f < -maxValueSize {
				return exec.AsValue(st.limit(fmt.Sprintf("%s is given %s: mcptls refuses a width, count or size above %d (4 MiB, the most a plugin config may be); use a smaller number", what, v.String(), maxValueSize)))
			}
		}
		return st.admit(what, v)
	}
	for _, a := range params.Args {
		if err := check(a); err != nil {
			return err
		}
	}
	for _, a := range params.KwArgs {
		if err := check(a); err != nil {
			return err
		}
	}
	return nil
}

// reserve refuses a construct whose result would pass maxValueSize, known
// before it runs.
func (st *renderState) reserve(what string, estimate int) *exec.Value {
	if estimate > maxValueSize || estimate < 0 {
		return st.tooLarge(what + " would build a value")
	}
	return nil
}

// made checks what a construct built: at most maxValueSize, charged.
func (st *renderState) made(what string, out *exec.Value) *exec.Value {
	if out == nil || out.IsError() {
		return out
	}
	n, deep := sizeOf(out)
	if deep {
		return exec.AsValue(st.limit(fmt.Sprintf("%s builds lists nested more than %d deep; mcptls stops here", what, maxValueDepth)))
	}
	if n > maxValueSize {
		return st.tooLarge(what + " builds a value")
	}
	if err := st.charge(n); err != nil {
		return err
	}
	return out
}

func (st *renderState) tooLarge(what string) *exec.Value {
	return exec.AsValue(st.limit(fmt.Sprintf("%s larger than %d bytes (4 MiB, the most a plugin config may be); mcptls stops here", what, maxValueSize)))
}

// guardFilter is fn within the bounds: its input and arguments admitted,
// what it would build estimated where a filter multiplies its input, and
// what it built checked.
func guardFilter(name string, fn exec.FilterFunction) exec.FilterFunction {
	what := "the " + name + " filter"
	if name == "__mcptls_render" {
		what = "the value written here"
	}
	estimate := filterEstimates[name]
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
		st := stateOf(e)
		if st == nil || in.IsError() {
			return fn(e, in, params)
		}
		if err := st.admit(what, in); err != nil {
			return err
		}
		if err := st.admitArgs(what, params); err != nil {
			return err
		}
		if estimate != nil {
			if err := st.reserve(what, estimate(in, params)); err != nil {
				return err
			}
		}
		if (name == "e" || name == "escape") && isMarkup(in) {
			return asMarkup(in.String()) // escape(Markup) leaves it
		}
		return st.made(what, markupResult(name, in, fn(e, in, params)))
	}
}

// guardTest is a test within the bounds (equalto and in compare deep values).
func guardTest(name string, fn exec.TestFunction) exec.TestFunction {
	what := "the " + name + " test"
	f := reflect.ValueOf(fn)
	byContext := f.Type().In(0) == reflect.TypeFor[*exec.Context]()
	return func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) (bool, error) {
		if st := stateOf(e); st != nil {
			if err := st.admit(what, in); err != nil {
				return false, valueError(err)
			}
			if err := st.admitArgs(what, params); err != nil {
				return false, valueError(err)
			}
		}
		first := reflect.ValueOf(e)
		if byContext {
			first = reflect.ValueOf(e.Environment.Context)
		}
		out := f.Call([]reflect.Value{first, reflect.ValueOf(in), reflect.ValueOf(params)})
		err, _ := out[1].Interface().(error)
		return out[0].Bool(), err
	}
}

// param is a filter's argument by position or keyword.
func param(params *exec.VarArgs, i int, name string) *exec.Value {
	if params == nil {
		return nil
	}
	if i >= 0 && i < len(params.Args) {
		return params.Args[i]
	}
	if v, ok := params.KwArgs[name]; ok {
		return v
	}
	return nil
}

func strLen(v *exec.Value) int {
	if v == nil || v.IsNil() {
		return 0
	}
	return len(pyStr(v))
}

func intParam(params *exec.VarArgs, i int, name string, def int) int {
	if v := param(params, i, name); v != nil && (v.IsInteger() || v.IsFloat() || v.IsBool()) {
		return v.Integer()
	}
	return def
}

// filterEstimates are upper bounds of what a filter that multiplies its
// input builds, known before it runs.
var filterEstimates = map[string]func(in *exec.Value, params *exec.VarArgs) int{
	"indent": func(in *exec.Value, params *exec.VarArgs) int {
		width := 4
		if w := param(params, 0, "width"); w != nil {
			if w.IsString() {
				width = len(w.String())
			} else {
				width = max(0, w.Integer())
			}
		}
		s := pyStr(in)
		return len(s) + width*(countByte(s, '\n')+1)
	},
	"replace": func(in *exec.Value, params *exec.VarArgs) int {
		return replaceEstimate(pyStr(in), strLen(param(params, 0, "old")), pyStr(orEmpty(param(params, 0, "old"))), strLen(param(params, 1, "new")))
	},
	"join": func(in *exec.Value, params *exec.VarArgs) int {
		n, _ := sizeOf(in)
		items := 0
		if in.IsList() || in.IsDict() {
			items = in.Len()
		} else if in.IsString() {
			items = len(in.String())
		}
		return 6*n + items*strLen(param(params, 0, "d"))
	},
	"urlize": func(in *exec.Value, params *exec.VarArgs) int {
		s := pyStr(in)
		extra := 64
		for _, name := range []string{"trim_url_limit", "nofollow", "target", "rel", "extra_schemes"} {
			if v := param(params, -1, name); v != nil {
				extra += strLen(v)
			}
		}
		return 6*len(s) + (countByte(s, ' ')+1)*extra
	},
	"batch": func(in *exec.Value, params *exec.VarArgs) int {
		n, _ := sizeOf(in)
		return n + 2*itemCost*max(0, intParam(params, 0, "linecount", 1))
	},
	"slice": func(in *exec.Value, params *exec.VarArgs) int {
		n, _ := sizeOf(in)
		return n + 2*itemCost*max(0, intParam(params, 0, "slices", 1))
	},
	"list": func(in *exec.Value, _ *exec.VarArgs) int {
		if in.IsString() {
			return (itemCost + 4) * len(in.String())
		}
		return 0
	},
	"wordwrap": func(in *exec.Value, params *exec.VarArgs) int {
		s := pyStr(in)
		width := max(1, intParam(params, 0, "width", 79))
		wrap := 1
		if v := param(params, 2, "wrapstring"); v != nil && !v.IsNil() {
			wrap = strLen(v)
		}
		// a break replaces a space, or cuts a long word
		return len(s) + (len(s)/width+1)*wrap + countByte(s, ' ')*max(0, wrap-1)
	},
	"center": func(in *exec.Value, params *exec.VarArgs) int {
		return len(pyStr(in)) + max(0, intParam(params, 0, "width", 80))
	},
	"truncate": func(in *exec.Value, params *exec.VarArgs) int {
		return len(pyStr(in)) + strLen(param(params, 2, "end"))
	},
}

func orEmpty(v *exec.Value) *exec.Value {
	if v == nil {
		return exec.AsValue("")
	}
	return v
}

func countByte(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return n
}

// replaceEstimate bounds s.replace(old, new): each match grows by new.
func replaceEstimate(s string, oldLen int, old string, newLen int) int {
	if oldLen == 0 {
		return len(s) + (len(s)+1)*newLen
	}
	return len(s) + strings.Count(s, old)*newLen
}

// guardGlobal is one of Jinja2's global functions within the bounds.
func (st *renderState) guardGlobal(name string, fn any) func(*exec.Evaluator, *exec.VarArgs) *exec.Value {
	what := name + "()"
	f := reflect.ValueOf(fn)
	return func(e *exec.Evaluator, va *exec.VarArgs) *exec.Value {
		if err := st.admitArgs(what, va); err != nil {
			return err
		}
		if name == "lipsum" { // n paragraphs of at most max words
			n, most := intParam(va, 0, "n", 5), intParam(va, 3, "max", 100)
			if err := st.reserve(what, 16*max(0, n)*max(1, most)); err != nil {
				return err
			}
		}
		out := f.Call([]reflect.Value{reflect.ValueOf(e), reflect.ValueOf(va)})[0].Interface()
		return st.made(what, exec.ToValue(out))
	}
}
