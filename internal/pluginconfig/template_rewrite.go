package pluginconfig

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// The rewrite runs on gonja's syntax tree before rendering. It changes only
// what gonja would evaluate differently from Python's Jinja2, and adds what
// tracing needs:
//   - `env.NAME`, `env['NAME']` and a name the template never defines become
//     calls that record the name when it is not defined (undefined.go);
//   - arithmetic and ordering operators become a call with Python's meaning
//     (template_python.go): Jinja2 raises on an undefined operand, 'a' + 1,
//     a division by zero;
//   - `none` is Python's None, not gonja's nil (which is Jinja2's Undefined);
//   - each `{{ }}` renders through Python's str() (a list prints as Python
//     prints it, and is escaped);
//   - markers before each node that writes to the output, and a step count
//     at the top of every loop and macro body.
//
// Control structures keep some of their parts in unexported fields, so the
// walk reads and sets fields through reflection; it descends only into
// gonja's node and control-structure types.

var (
	nodeType  = reflect.TypeFor[nodes.Node]()
	tokenType = reflect.TypeFor[tokens.Token]()
)

const gonjaModule = "github.com/nikolalohinski/gonja/v2/"

// site is where a name that may be undefined is written.
type site struct {
	name    string // env.NAME, or a bare name; "" for env[...] (named when evaluated)
	offset  int
	covered bool // under `default`, `is defined`, a condition: not a hole when undefined
}

// walkContext is what a node's place in the tree means for it.
type walkContext struct {
	covered   bool // an undefined value here is a choice (default, is defined, a condition)
	target    bool // assigned to, not read
	capturing bool // output goes into a value (set block, macro, filter block), not the file
	soft      bool // inside an if: Jinja2 checks filter and test names only when they run
}

// Names a template can use without defining them: the render's globals,
// and what loops, macros and blocks provide while they run.
var templateGlobals = map[string]bool{
	"env": true, "range": true, "dict": true, "lipsum": true, "cycler": true, "joiner": true, "namespace": true,
	"loop": true, "caller": true, "varargs": true, "kwargs": true, "super": true, "self": true,
}

// Fields whose nodes are read with a meaning of their own, by struct and field name.
var (
	coveredFields = map[string]bool{
		"IfControlStructure.Conditions": true, "ForControlStructure.IfCondition": true, "Output.Condition": true,
		"Negation.Term": true,
	}
	capturingFields = map[string]bool{
		"SetControlStructure.body": true, "FilterControlStructure.bodyWrapper": true, "Macro.Wrapper": true,
		"CallControlStructure.Body": true, "BlockControlStructure.wrapper": true, "TransControlStructure.body": true,
	}
	targetFields = map[string]bool{"SetControlStructure.target": true}
	// Bodies that run again and again: each run counts a step.
	loopBodies  = map[string]bool{"ForControlStructure.BodyWrapper": true}
	macroBodies = map[string]bool{"Macro.Wrapper": true, "CallControlStructure.Body": true}
)

// rewriter walks one template.
type rewriter struct {
	st    *renderState
	bound map[string]bool
	seen  map[unsafe.Pointer]bool
	// collecting is the first pass: only names the template binds are gathered.
	collecting bool
	err        *Error
	compared   map[nodes.Expression]comparison // comparisons made, for chains
}

func (st *renderState) rewrite(root *nodes.Template) *Error {
	w := &rewriter{st: st, bound: map[string]bool{}, seen: map[unsafe.Pointer]bool{}, collecting: true}
	w.walk(reflect.ValueOf(root), walkContext{}, "")
	if w.err != nil {
		return w.err
	}
	w.seen, w.collecting = map[unsafe.Pointer]bool{}, false
	w.compared = map[nodes.Expression]comparison{}
	w.walk(reflect.ValueOf(root), walkContext{}, "")
	return w.err
}

// settable makes an unexported struct field writable.
func settable(f reflect.Value) reflect.Value {
	if f.CanSet() {
		return f
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

func gonjaType(t reflect.Type) bool {
	return strings.HasPrefix(t.PkgPath(), gonjaModule) && t != tokenType
}

// walk visits v, a value held in a settable place; field names the field
// that holds it ("Type.field"), for the meaning of its place.
func (w *rewriter) walk(v reflect.Value, ctx walkContext, field string) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		inner := v.Elem()
		w.walk(inner, ctx, field)
		if !w.collecting && v.CanSet() && v.Type().Implements(nodeType) {
			if n, ok := inner.Interface().(nodes.Node); ok {
				if repl := w.replace(n, ctx); repl != nil {
					v.Set(reflect.ValueOf(repl))
				}
			}
		}
	case reflect.Pointer:
		if v.IsNil() || !gonjaType(v.Type().Elem()) {
			return
		}
		p := v.UnsafePointer()
		if w.seen[p] {
			return
		}
		w.seen[p] = true
		w.walk(v.Elem(), ctx, field)
	case reflect.Struct:
		if !gonjaType(v.Type()) {
			return
		}
		w.structFields(v, ctx, field)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i), ctx, field)
		}
	case reflect.Map:
		iter := v.MapRange()
		type kv struct{ k, v reflect.Value }
		var entries []kv
		for iter.Next() {
			entries = append(entries, kv{iter.Key(), iter.Value()})
		}
		for _, e := range entries {
			tmp := reflect.New(e.v.Type()).Elem()
			tmp.Set(e.v)
			w.walk(tmp, ctx, field)
			v.SetMapIndex(e.k, tmp)
		}
	}
}

func (w *rewriter) structFields(v reflect.Value, ctx walkContext, holder string) {
	t := v.Type()
	owner := t.Name()
	if w.collecting {
		w.gatherBindings(v)
		if b, ok := v.Addr().Interface().(*nodes.ControlStructureBlock); ok {
			if raw, ok := b.ControlStructure.(*rawBlock); ok {
				trimRaw(raw, w.st.src.text)
			}
		}
		if err := w.checkName(v.Addr().Interface()); err != nil && w.err == nil && !ctx.soft {
			w.err = err
		}
		if b, ok := v.Addr().Interface().(*nodes.ControlStructureBlock); ok && b.Name == "for" && w.err == nil {
			if f := reflect.ValueOf(b.ControlStructure); f.Kind() == reflect.Pointer && f.Elem().Kind() == reflect.Struct {
				if r := f.Elem().FieldByName("Recursive"); r.IsValid() && r.Kind() == reflect.Bool && r.Bool() {
					// loop() recurses without a bound mcptls could check cheaply.
					line, col := w.st.src.position(b.Location.Pos)
					w.err = &Error{Line: line, Column: col, Msg: "a `recursive` for loop: mcptls does not render recursive loops (no plugin config needs one); unroll it"}
				}
			}
		}
	}
	for i := 0; i < t.NumField(); i++ {
		name := owner + "." + t.Field(i).Name
		f := settable(v.Field(i))
		c := ctx
		c.target = false
		c.soft = c.soft || owner == "IfControlStructure" || conditional(v)
		switch {
		case coveredFields[name]:
			c.covered = true
		case capturingFields[name]:
			c.capturing = true
		case targetFields[name]:
			c.target = true
		}
		switch owner {
		case "FilteredExpression":
			if t.Field(i).Name == "Expression" {
				c.covered = c.covered || firstFilterIsDefault(v)
			}
		case "TestExpression":
			if t.Field(i).Name == "Expression" {
				c.covered = c.covered || testsDefinition(v)
			}
		case "BinaryExpression":
			if t.Field(i).Name == "Left" {
				c.covered = c.covered || logicalOperator(v)
			}
		case "Macro":
			if t.Field(i).Name == "Kwargs" {
				w.macroParameters(f, c)
				continue
			}
		}
		w.walk(f, c, name)
		if !w.collecting && (name == "SetControlStructure.expression" || name == "SetControlStructure.alternative") {
			if expr, ok := f.Interface().(nodes.Expression); ok && expr != nil {
				f.Set(reflect.ValueOf(nodes.Expression(call(expr.Position(), "__mcptls_keep", expr))))
			}
		}
		if !w.collecting && name == "ForControlStructure.IfCondition" {
			if cond, ok := f.Interface().(nodes.Expression); ok && cond != nil {
				f.Set(reflect.ValueOf(nodes.Expression(call(cond.Position(), "__mcptls_counted", cond))))
			}
		}
		if !w.collecting && (owner == "Wrapper" || owner == "Template") && t.Field(i).Name == "Nodes" {
			list, _ := f.Interface().([]nodes.Node)
			list = markBlockSets(w.traced(list, ctx))
			switch {
			case macroBodies[holder]:
				list = append([]nodes.Node{tick("__mcptls_deep")}, list...)
			case loopBodies[holder]:
				list = append([]nodes.Node{tick("__mcptls_tick")}, list...)
			}
			f.Set(reflect.ValueOf(list))
		}
	}
}

// tick is an output node that prints nothing and counts a step, so a loop
// or a macro that runs too long (or too deep) stops the render.
func tick(fn string) nodes.Node {
	at := &tokens.Token{Type: tokens.Name}
	return &nodes.Output{Start: at, End: at, Expression: call(at, fn)}
}

// macroParameters walks a macro's parameters: the names are bound, the
// defaults are read.
func (w *rewriter) macroParameters(f reflect.Value, ctx walkContext) {
	for i := 0; i < f.Len(); i++ {
		p, ok := f.Index(i).Interface().(*nodes.Pair)
		if !ok || p == nil {
			continue
		}
		switch key := p.Key.(type) {
		case *nodes.Name:
			w.bound[key.Name.Val] = true
		case *nodes.String:
			w.bound[key.Val] = true
		}
		if p.Value != nil {
			pv := reflect.ValueOf(p).Elem().FieldByName("Value")
			w.walk(pv, ctx, "Pair.Value")
		}
	}
}

// gatherBindings records the names a node binds: loop variables, set
// targets, macro names and parameters, with-names, imports.
func (w *rewriter) gatherBindings(v reflect.Value) {
	t := v.Type()
	switch t.Name() {
	case "ForControlStructure", "Macro", "WithControlStructure", "ImportControlStructure", "FromImportControlStructure", "FromControlStructure", "CallControlStructure":
		w.stringsIn(v, 0)
	case "SetControlStructure":
		if f := v.FieldByName("target"); f.IsValid() {
			if n, ok := settable(f).Interface().(*nodes.Name); ok && n != nil {
				w.bound[n.Name.Val] = true
			}
		}
	}
}

// stringsIn binds every string held directly in a control structure's
// fields (loop variables, macro and parameter names, with-names): more names
// than needed at worst, which only spares a warning.
func (w *rewriter) stringsIn(v reflect.Value, depth int) {
	if depth > 3 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			w.bound[s] = true
		}
	case reflect.Struct:
		if !gonjaType(v.Type()) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			w.stringsIn(settable(v.Field(i)), depth+1)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.stringsIn(v.Index(i), depth+1)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if k.Kind() == reflect.String {
				w.bound[k.String()] = true
			}
		}
	case reflect.Pointer:
		if !v.IsNil() && v.Type().Elem().Kind() == reflect.Struct && gonjaType(v.Type().Elem()) && v.Type().Elem() != reflect.TypeFor[nodes.Wrapper]() {
			w.stringsIn(v.Elem(), depth+1)
		}
	}
}

func firstFilterIsDefault(v reflect.Value) bool {
	fe, ok := v.Addr().Interface().(*nodes.FilteredExpression)
	return ok && len(fe.Filters) > 0 && (fe.Filters[0].Name == "default" || fe.Filters[0].Name == "d")
}

func testsDefinition(v reflect.Value) bool {
	te, ok := v.Addr().Interface().(*nodes.TestExpression)
	if !ok || te.Test == nil {
		return false
	}
	switch te.Test.Name {
	case "defined", "undefined", "none":
		return true
	}
	return false
}

func logicalOperator(v reflect.Value) bool {
	be, ok := v.Addr().Interface().(*nodes.BinaryExpression)
	if !ok || be.Operator == nil || be.Operator.Token == nil {
		return false
	}
	switch be.Operator.Token.Type {
	case tokens.And, tokens.Or:
		return true
	}
	return false
}

// Operators whose meaning gonja gets wrong for Jinja2, by token.
var pythonOperators = map[tokens.Type]string{
	tokens.Addition: "+", tokens.Subtraction: "-", tokens.Multiply: "*", tokens.Division: "/", tokens.FloorDivision: "//",
	tokens.Modulo: "%", tokens.Power: "**", tokens.Tilde: "~",
	tokens.LowerThan: "<", tokens.LowerThanOrEqual: "<=", tokens.GreaterThan: ">", tokens.GreaterThanOrEqual: ">=",
	tokens.Equals: "==", tokens.Ne: "!=",
}

// Methods of the gateway's os.environ a template may call on env.
var envMethods = map[string]bool{"get": true, "items": true, "keys": true, "values": true}

// envMutators are os.environ's other methods: `env.copy` is the method in
// Jinja2, never a variable named copy.
var envMutators = map[string]bool{"copy": true, "pop": true, "popitem": true, "clear": true, "setdefault": true, "update": true, "fromkeys": true}

// replace returns what stands for n, or nil to keep it.
func (w *rewriter) replace(n nodes.Node, ctx walkContext) nodes.Node {
	switch n := n.(type) {
	case *nodes.None:
		if n.Location != nil && n.Location.Val == "nil" { // gonja's alias; a plain name in Jinja2
			return w.name(&nodes.Name{Name: n.Location}, ctx)
		}
		if n.Location != nil && n.Location.Val != "none" && n.Location.Val != "None" {
			return nil // a macro parameter with no default: Undefined when not passed
		}
		return &nodes.Name{Name: synthetic(n.Location, "__mcptls_none")}
	case *nodes.Name:
		if ctx.target {
			return nil
		}
		return w.name(n, ctx)
	case *nodes.GetAttribute:
		if w.isEnv(n.Node) && envMutators[n.Attribute] && w.err == nil {
			w.err = w.errorAt(jinjaTokenPos(n.Location), "env."+n.Attribute+" is a method of the gateway's os.environ, not a variable: mcptls renders env.get, env.items, env.keys and env.values and no method that copies or changes env; read a variable with env['"+n.Attribute+"'] or env.get('NAME')")
			return nil
		}
		if w.isEnv(n.Node) && n.Attribute != "" && !envMethods[n.Attribute] {
			id := w.st.addSite(site{name: "env." + n.Attribute, offset: n.Node.Position().Pos, covered: ctx.covered})
			return call(n.Location, "__mcptls_env", intNode(n.Location, id))
		}
	case *nodes.GetItem:
		if w.isEnv(n.Node) && n.Arg != nil {
			id := w.st.addSite(site{offset: n.Node.Position().Pos, covered: ctx.covered})
			arg, _ := n.Arg.(nodes.Expression)
			return call(n.Location, "__mcptls_env_item", intNode(n.Location, id), arg)
		}
		if i, ok := integerLiteral(n.Arg); ok && !ctx.target {
			if obj, ok := n.Node.(nodes.Expression); ok {
				return call(n.Location, "__mcptls_index", obj, intNode(n.Location, i))
			}
		}
	case *nodes.BinaryExpression:
		if n.Operator == nil || n.Operator.Token == nil {
			return nil
		}
		if op, ok := pythonOperators[n.Operator.Token.Type]; ok {
			c := call(n.Operator.Token, "__mcptls_binop", &nodes.String{Location: n.Operator.Token, Val: op}, n.Left, n.Right)
			if compareOperators[op] {
				return w.chainedComparison(n.Left, n.Operator.Token, n.Right, c)
			}
			return c
		}
	case *nodes.Call:
		methodCall(n)
	case *nodes.Tuple:
		if !ctx.target {
			return call(n.Location, "__mcptls_tuple", n.Val...)
		}
	case *nodes.Output:
		n.Expression = rendered(n.Expression)
		if n.Alternative != nil {
			n.Alternative = rendered(n.Alternative)
		}
	}
	return nil
}

func (w *rewriter) isEnv(n nodes.Node) bool {
	name, ok := n.(*nodes.Name)
	return ok && name.Name.Val == "env" && !w.bound["env"]
}

// name stands for a bare name: kept when defined, else a call that records it.
func (w *rewriter) name(n *nodes.Name, ctx walkContext) nodes.Node {
	val := n.Name.Val
	if (val == "varargs" || val == "kwargs") && !w.bound[val] && w.err == nil {
		w.err = w.errorAt(jinjaTokenPos(n.Name), "a macro that reads `"+val+"`: mcptls does not render macros that take extra arguments (the gateway's Jinja2 does); name the macro's parameters")
	}
	if val == "none" && !w.bound[val] { // Jinja2 reads none as None too
		return &nodes.Name{Name: synthetic(n.Name, "__mcptls_none")}
	}
	if w.bound[val] || (templateGlobals[val] && !strings.HasPrefix(val, "__mcptls_")) {
		return nil
	}
	id := w.st.addSite(site{name: val, offset: n.Name.Pos, covered: ctx.covered})
	return call(n.Name, "__mcptls_undefined", intNode(n.Name, id))
}

// rendered makes an output expression print through Python's str().
func rendered(e nodes.Expression) nodes.Expression {
	if e == nil {
		return nil
	}
	fc := &nodes.FilterCall{Token: e.Position(), Name: "__mcptls_render"}
	if fe, ok := e.(*nodes.FilteredExpression); ok {
		fe.Filters = append(fe.Filters, fc)
		return fe
	}
	return &nodes.FilteredExpression{Expression: e, Filters: []*nodes.FilterCall{fc}}
}

func call(at *tokens.Token, fn string, args ...nodes.Expression) *nodes.Call {
	return &nodes.Call{Location: at, Func: &nodes.Name{Name: synthetic(at, fn)}, Args: args, Kwargs: map[string]nodes.Expression{}}
}

func intNode(at *tokens.Token, v int) *nodes.Integer {
	return &nodes.Integer{Location: synthetic(at, ""), Val: v}
}

func synthetic(at *tokens.Token, val string) *tokens.Token {
	t := &tokens.Token{Type: tokens.Name, Val: val}
	if at != nil {
		t.Pos, t.Line, t.Col = at.Pos, at.Line, at.Col
	}
	return t
}

// traced returns a node list with a marker before each node that writes,
// so the tracer knows where its output comes from; in a body that captures
// its output, no markers (they would end up in the captured value).
func (w *rewriter) traced(list []nodes.Node, ctx walkContext) []nodes.Node {
	if ctx.capturing {
		return list
	}
	out := make([]nodes.Node, 0, 2*len(list))
	for _, n := range list {
		if id, ok := w.st.addConstruct(n); ok {
			out = append(out, &nodes.Data{Data: &tokens.Token{Type: tokens.Data, Val: marker(id), Pos: n.Position().Pos}})
		}
		out = append(out, n)
	}
	return out
}

// markBlockSets follows each `{% set x %}...{% endset %}` with a call that
// makes x Markup, as Jinja2's block set does (gonja stores a plain string).
func markBlockSets(list []nodes.Node) []nodes.Node {
	var out []nodes.Node
	for i, n := range list {
		name := blockSetTarget(n)
		if name == "" {
			continue
		}
		if out == nil {
			out = append(make([]nodes.Node, 0, len(list)+1), list[:i]...)
		}
		at := synthetic(n.Position(), "")
		out = append(out, n, &nodes.Output{Start: at, End: at, Expression: call(at, "__mcptls_markup_var", &nodes.String{Location: at, Val: name})})
		list = list[i+1:]
		return append(out, markBlockSets(list)...)
	}
	if out == nil {
		return list
	}
	return out
}

// blockSetTarget is x of `{% set x %}...{% endset %}`, else "".
func blockSetTarget(n nodes.Node) string {
	b, ok := n.(*nodes.ControlStructureBlock)
	if !ok || b.Name != "set" || b.ControlStructure == nil {
		return ""
	}
	v := reflect.ValueOf(b.ControlStructure)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return ""
	}
	body, target := v.Elem().FieldByName("body"), v.Elem().FieldByName("target")
	if !body.IsValid() || body.IsNil() || !target.IsValid() {
		return ""
	}
	if name, ok := settable(target).Interface().(*nodes.Name); ok && name != nil {
		return name.Name.Val
	}
	return ""
}

// conditional reports whether v is an output or a set with `if ... else`:
// Jinja2 checks the filter and test names in it only when they run.
func conditional(v reflect.Value) bool {
	switch n := v.Addr().Interface().(type) {
	case *nodes.Output:
		return n.Condition != nil
	}
	if v.Type().Name() == "SetControlStructure" {
		if f := v.FieldByName("condition"); f.IsValid() && !f.IsNil() {
			return true
		}
	}
	return false
}

// integerLiteral is the value of `3` or `-3`.
func integerLiteral(n nodes.Node) (int, bool) {
	switch n := n.(type) {
	case *nodes.Integer:
		return n.Val, true
	case *nodes.UnaryExpression:
		if i, ok := n.Term.(*nodes.Integer); ok {
			if n.Negative {
				return -i.Val, true
			}
			return i.Val, true
		}
	}
	return 0, false
}
