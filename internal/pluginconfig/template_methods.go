package pluginconfig

import (
	"errors"
	"reflect"
	"sort"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// Method calls (`value.name(args)`). gonja evaluates the value, turns a
// list or dict into a Go copy (deeply: a list holding itself twice, twenty
// times over, is a million items) and calls the method from its method set.
// The rewrite puts a call to receiver() around the value, which admits it
// before gonja copies it and remembers where it came from; the methods are
// gonja's, or Python's where gonja's differ, each within the bounds.

// receiverAt is the value a method is called on and the variable holding it.
type receiverAt struct {
	ctx  *exec.Context
	name string
}

// receiver admits the value a method is called on: args are the value and
// the name of the variable it was read from ("" when it is no variable).
func (st *renderState) receiver(e *exec.Evaluator, va *exec.VarArgs) *exec.Value {
	if len(va.Args) != 2 {
		return pyErr("internal: receiver takes 2 arguments")
	}
	v := va.Args[0]
	if v.IsError() {
		return v
	}
	if st.isEnv(v) { // os.environ: read by key, never copied deep
		if err := st.charge(itemCost * v.Len()); err != nil {
			return err
		}
	} else if err := st.admit("a method call", v); err != nil {
		return err
	}
	st.receivers = append(st.receivers, receiverAt{ctx: e.Environment.Context, name: va.Args[1].String()})
	return v
}

// isEnv reports whether v is the template's env.
func (st *renderState) isEnv(v *exec.Value) bool {
	m, ok := v.Interface().(map[string]any)
	return ok && st.envValue != nil && reflect.ValueOf(m).UnsafePointer() == reflect.ValueOf(st.envValue).UnsafePointer()
}

// popReceiver is the receiver of the method being called.
func (st *renderState) popReceiver() receiverAt {
	if len(st.receivers) == 0 {
		return receiverAt{}
	}
	r := st.receivers[len(st.receivers)-1]
	st.receivers = st.receivers[:len(st.receivers)-1]
	return r
}

// methodCall rewrites `value.name(args)` so the value passes receiver().
func methodCall(n *nodes.Call) {
	attr, ok := n.Func.(*nodes.GetAttribute)
	if !ok || attr.Attribute == "" {
		return
	}
	if n.Parent == nil { // `(x).upper()`: gonja's parser leaves the value out
		n.Parent = attr.Node
	}
	name := ""
	if v, ok := n.Parent.(*nodes.Name); ok {
		name = v.Name.Val
	}
	at := n.Location
	if p := n.Parent.Position(); p != nil {
		at = p
	}
	recv, ok := n.Parent.(nodes.Expression)
	if !ok {
		return
	}
	n.Parent = call(at, "__mcptls_receiver", recv, &nodes.String{Location: synthetic(at, ""), Val: name})
}

// methods is the method sets of one render.
func (st *renderState) methods() exec.Methods {
	all := builtins.Methods
	return exec.Methods{
		Bool:  guardMethods(st, "bool", all.Bool, nil),
		Int:   guardMethods(st, "int", all.Int, nil),
		Float: guardMethods(st, "float", all.Float, nil),
		Str:   guardMethods(st, "str", all.Str, pyStrMethods),
		Dict:  guardMethods(st, "dict", all.Dict, pyDictMethods(all.Dict)),
		List:  guardMethods(st, "list", all.List, nil),
	}
}

// guardMethods is gonja's set with own in place of its methods of the same
// name, each within the bounds; a list method that changes the list stores
// it back in the variable it came from, as gonja does.
func guardMethods[I any](st *renderState, typ string, set *exec.MethodSet[I], own map[string]exec.Method[I]) *exec.MethodSet[I] {
	methods := map[string]exec.Method[I]{}
	for _, name := range methodNames(set) {
		if m, ok := set.Get(name); ok {
			methods[name] = m
		}
	}
	for name, m := range own {
		methods[name] = m
	}
	for name, m := range methods {
		what := typ + "." + name + "()"
		methods[name] = func(self I, selfValue *exec.Value, args *exec.VarArgs) (any, error) {
			recv := st.popReceiver()
			if err := st.admitArgs(what, args); err != nil {
				return nil, valueError(err)
			}
			if estimate := methodEstimates[typ+"."+name]; estimate != nil {
				if err := st.reserve(what, estimate(selfValue, args)); err != nil {
					return nil, valueError(err)
				}
			}
			out, err := m(self, selfValue, args)
			if err != nil {
				return nil, err
			}
			if rv := reflect.ValueOf(out); rv.Kind() == reflect.String && rv.Type() != reflect.TypeFor[string]() && rv.Type() != reflect.TypeFor[markup]() {
				out = rv.String() // gonja's pystring.PyString: a str to the rest of the render
			}
			if typ == "list" && recv.name != "" && recv.ctx != nil && recv.ctx.Has(recv.name) {
				recv.ctx.Set(recv.name, selfValue.Interface())
			}
			if checked := st.made(what, exec.AsValue(out)); checked.IsError() {
				return nil, valueError(checked)
			}
			return out, nil
		}
	}
	return exec.NewMethodSet(methods)
}

func valueError(v *exec.Value) error {
	if err, ok := v.Interface().(error); ok {
		return err
	}
	return errors.New(v.String())
}

// methodNames lists a gonja method set (its map is unexported).
func methodNames[I any](set *exec.MethodSet[I]) []string { return unexportedKeys(set, "methods") }

// unexportedKeys lists the keys of the unexported map field of a gonja set.
func unexportedKeys(set any, field string) []string {
	f := reflect.ValueOf(set).Elem().FieldByName(field)
	if !f.IsValid() || f.Kind() != reflect.Map {
		return nil
	}
	var names []string
	for _, k := range f.MapKeys() {
		names = append(names, k.String())
	}
	sort.Strings(names)
	return names
}

// methodEstimates bound what a method that multiplies its value builds.
var methodEstimates = map[string]func(self *exec.Value, args *exec.VarArgs) int{
	"str.center": padEstimate,
	"str.ljust":  padEstimate,
	"str.rjust":  padEstimate,
	"str.zfill":  padEstimate,
	"str.expandtabs": func(self *exec.Value, args *exec.VarArgs) int {
		return len(self.String()) * max(1, intParam(args, 0, "tabsize", 8))
	},
	"str.replace": func(self *exec.Value, args *exec.VarArgs) int {
		old := orEmpty(param(args, 0, "old"))
		return replaceEstimate(self.String(), strLen(old), pyStr(old), strLen(param(args, 1, "new")))
	},
	"str.join": func(self *exec.Value, args *exec.VarArgs) int {
		it := param(args, 0, "iterable")
		if it == nil {
			return 0
		}
		n, _ := sizeOf(it)
		items := 0
		if it.IsList() || it.IsDict() {
			items = it.Len()
		} else if it.IsString() {
			items = len(it.String())
		}
		return n + items*len(self.String())
	},
	"str.format": func(self *exec.Value, _ *exec.VarArgs) int {
		return len(self.String()) + fieldWidth(self.String())
	},
}

func padEstimate(self *exec.Value, args *exec.VarArgs) int {
	fill := 1
	if f := param(args, 1, "fillchar"); f != nil {
		fill = max(1, strLen(f))
	}
	return len(self.String()) + fill*max(0, intParam(args, 0, "width", 0))
}

// fieldWidth is the largest number inside the replacement fields of a
// str.format string (`{:>20}`).
func fieldWidth(s string) int {
	largest, depth, start := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if depth == 0 {
				start = i
			}
			depth++
		case '}':
			if depth > 0 {
				if depth--; depth == 0 {
					largest = max(largest, specWidth(s[start:i]))
				}
			}
		}
	}
	return largest
}

// pyDictMethods are gonja's dict methods corrected where Python's differ:
// get() of a missing key with no default is None (gonja's is Undefined,
// which prints nothing; the gateway prints "None").
func pyDictMethods(set *exec.MethodSet[map[string]any]) map[string]exec.Method[map[string]any] {
	get, ok := set.Get("get")
	if !ok {
		return nil
	}
	return map[string]exec.Method[map[string]any]{
		"get": func(self map[string]any, v *exec.Value, a *exec.VarArgs) (any, error) {
			out, err := get(self, v, a)
			if err == nil && out == nil && len(a.Args) == 1 {
				if _, found := self[a.Args[0].String()]; !found {
					return pyNone(false), nil
				}
			}
			return out, err
		},
	}
}
