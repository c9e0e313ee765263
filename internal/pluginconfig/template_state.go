package pluginconfig

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
)

// renderState is one render of one file: what the rewrite found in the
// template and what the render met.
type renderState struct {
	src        *source
	env        map[string]string
	constructs []construct
	sites      []site
	trace      *tracer
	rangeItems int
	limitHit   string
	built      int          // what the render built, against maxBuiltSize
	receivers  []receiverAt // values methods are being called on
	envValue   map[string]any
}

func newRenderState(src *source, env map[string]string) *renderState {
	st := &renderState{src: src, env: env}
	st.trace = newTracer(st)
	return st
}

func (st *renderState) addSite(s site) int {
	st.sites = append(st.sites, s)
	return len(st.sites) - 1
}

// addConstruct registers a node that writes output; comments write nothing.
func (st *renderState) addConstruct(n nodes.Node) (int, bool) {
	var c construct
	switch n := n.(type) {
	case *nodes.Data:
		c = construct{kind: dataConstruct, start: n.Data.Pos, end: n.Data.Pos + len(n.Data.Val), text: n.Data.Val}
	case *nodes.Output:
		c = construct{kind: outputConstruct, start: n.Start.Pos}
		if n.End != nil {
			c.end = n.End.Pos + len(n.End.Val)
		}
	case *nodes.Comment:
		return 0, false
	default:
		c = construct{kind: statementConstruct}
		if tok := n.Position(); tok != nil {
			c.start = tok.Pos
		}
	}
	st.constructs = append(st.constructs, c)
	return len(st.constructs) - 1, true
}

// limitError stops a render that runs out of bounds.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func (st *renderState) limit(msg string) error {
	if st.limitHit == "" {
		st.limitHit = msg
	}
	return &limitError{msg: msg}
}

// errorAt is an error at the start of a construct (the file's start before any).
func (st *renderState) errorAt(id int, msg string) *Error {
	off := 0
	if id >= 0 && id < len(st.constructs) {
		off = st.constructs[id].start
	}
	line, col := st.src.position(off)
	return &Error{Line: line, Column: col, Msg: msg}
}

func (st *renderState) result() *renderedText {
	return newRenderedText(st.src, st.trace.out.String(), st.trace, st)
}

// context is what the template sees: env (os.environ for the gateway), the
// globals of Jinja2's sandbox, and the calls the rewrite put in.
func (st *renderState) context() map[string]any {
	env := make(map[string]any, len(st.env))
	for k, v := range st.env {
		env[k] = v
	}
	st.envValue = env
	ctx := map[string]any{
		"env":                 env,
		"__mcptls_receiver":   st.receiver,
		"__mcptls_tuple":      newTuple,
		"range":               st.pyRange,
		"__mcptls_state":      st,
		"__mcptls_none":       pyNone(false),
		"__mcptls_env":        st.envAttribute,
		"__mcptls_env_item":   st.envItem,
		"__mcptls_undefined":  st.undefinedName,
		"__mcptls_binop":      st.binop,
		"__mcptls_tick":       st.tick,
		"__mcptls_counted":    st.counted,
		"__mcptls_deep":       st.deep,
		"__mcptls_keep":       keep,
		"__mcptls_index":      st.index,
		"__mcptls_markup_var": asMarkupVariable,
	}
	for _, name := range []string{"dict", "lipsum", "cycler", "joiner", "namespace"} {
		if fn, ok := builtins.GlobalFunctions.Get(name); ok {
			ctx[name] = st.guardGlobal(name, fn)
		}
	}
	return ctx
}

func argInt(va *exec.VarArgs, i int) int {
	if i < len(va.Args) {
		return va.Args[i].Integer()
	}
	return -1
}

func (st *renderState) site(va *exec.VarArgs) (int, bool) {
	id := argInt(va, 0)
	return id, id >= 0 && id < len(st.sites)
}

// envAttribute is env.NAME.
func (st *renderState) envAttribute(va *exec.VarArgs) *exec.Value {
	id, ok := st.site(va)
	if !ok {
		return exec.AsValue(nil)
	}
	name := strings.TrimPrefix(st.sites[id].name, "env.")
	if v, ok := st.env[name]; ok {
		return exec.AsValue(v)
	}
	st.trace.miss(id, st.sites[id].name)
	return exec.AsValue(nil)
}

// envItem is env[key].
func (st *renderState) envItem(va *exec.VarArgs) *exec.Value {
	id, ok := st.site(va)
	if !ok || len(va.Args) < 2 {
		return exec.AsValue(nil)
	}
	key := va.Args[1]
	if key.IsString() {
		if v, ok := st.env[key.String()]; ok {
			return exec.AsValue(v)
		}
		st.trace.miss(id, "env["+pyQuote(key.String())+"]")
		return exec.AsValue(nil)
	}
	st.trace.miss(id, "env["+pyRepr(key)+"]")
	return exec.AsValue(nil)
}

// undefinedName is a name the template never defines.
func (st *renderState) undefinedName(va *exec.VarArgs) *exec.Value {
	if id, ok := st.site(va); ok {
		st.trace.miss(id, st.sites[id].name)
	}
	return exec.AsValue(nil)
}

// lastMissing names the undefined value an operation just met, for its message.
func (st *renderState) lastMissing() string {
	if p := st.trace.pending; len(p) > 0 {
		return p[len(p)-1].name
	}
	return "a value"
}

func (st *renderState) tick(*exec.VarArgs) *exec.Value {
	if st.trace.steps++; st.trace.steps > maxRenderSteps {
		return exec.AsValue(st.limit("the template runs more than 100,000 loop steps; mcptls stops here"))
	}
	return exec.AsValue("")
}

// counted is a loop's `if` condition: an item it filters out is a step too.
func (st *renderState) counted(va *exec.VarArgs) *exec.Value {
	if err := st.tick(va); err.IsError() {
		return err
	}
	if len(va.Args) == 0 {
		return exec.AsValue(nil)
	}
	return va.Args[0]
}

// deep runs at the top of every macro body: a macro that calls itself
// without end would exhaust the stack, which no recover can catch.
func (st *renderState) deep(va *exec.VarArgs) *exec.Value {
	pcs := make([]uintptr, maxMacroStackFrames+1)
	if runtime.Callers(0, pcs) > maxMacroStackFrames {
		return exec.AsValue(st.limit("macros call each other too deeply here (the gateway's Jinja2 stops at Python's recursion limit); mcptls stops here"))
	}
	return st.tick(va)
}

// pyRange is the sandbox's safe_range: Python's range, at most MAX_RANGE items.
func (st *renderState) pyRange(va *exec.VarArgs) *exec.Value {
	args := make([]int, len(va.Args))
	for i, a := range va.Args {
		if !a.IsInteger() && !a.IsBool() {
			return exec.AsValue(fmt.Errorf("TypeError: range() takes integers, got %s", pyTypeName(a)))
		}
		args[i] = a.Integer()
	}
	start, stop, step := 0, 0, 1
	switch len(args) {
	case 1:
		stop = args[0]
	case 2:
		start, stop = args[0], args[1]
	case 3:
		start, stop, step = args[0], args[1], args[2]
	default:
		return exec.AsValue(fmt.Errorf("TypeError: range expected 1 to 3 arguments, got %d", len(args)))
	}
	if step == 0 {
		return exec.AsValue(fmt.Errorf("ValueError: range() arg 3 must not be zero"))
	}
	n := 0
	if step > 0 && start < stop {
		n = (stop - start + step - 1) / step
	} else if step < 0 && start > stop {
		n = (start - stop - step - 1) / -step
	}
	if n > maxRangeItems {
		return exec.AsValue(fmt.Errorf("OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (%d)", maxRangeItems))
	}
	if st.rangeItems += n; st.rangeItems > maxRangeItemsTotal {
		return exec.AsValue(st.limit("the template builds ranges of more than a million items in all; mcptls stops here"))
	}
	out := make([]int, n)
	for i := range out {
		out[i] = start + i*step
	}
	return exec.AsValue(out)
}

// newTuple is a tuple display, `(a, b)`.
func newTuple(va *exec.VarArgs) *exec.Value {
	items := make(pyTuple, len(va.Args))
	for i, a := range va.Args {
		items[i] = a
	}
	return exec.AsValue(items)
}
