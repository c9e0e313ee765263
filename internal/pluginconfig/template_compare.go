package pluginconfig

import (
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Comparisons as Python makes them. gonja compares by Go type (`0 == false`
// is false, `1 in [true]` is false) and reads `10 > n > 1` as
// `(10 > n) > 1`; Python compares bool, int and float as numbers and chains
// comparisons: `a < b < c` is `a < b and b < c`. Both sides have been
// admitted (template_bounds.go), so the walks below are bounded.

// compareOperators chain in Python.
var compareOperators = map[string]bool{"<": true, "<=": true, ">": true, ">=": true, "==": true, "!=": true}

// pyEqual is Python's ==.
func pyEqual(a, b *exec.Value) bool {
	ka, kb := kindOf(a), kindOf(b)
	switch {
	case ka == kindUndefined || kb == kindUndefined: // Undefined.__eq__
		return ka == kb
	case isNumber(ka) && isNumber(kb):
		ia, fa, aFloat := numberOf(a)
		ib, fb, bFloat := numberOf(b)
		if !aFloat && !bFloat {
			return ia == ib
		}
		return fa == fb
	case ka != kb:
		return false
	}
	switch ka {
	case kindNone:
		return true
	case kindStr:
		return a.String() == b.String()
	case kindList:
		_, ta := a.Interface().(pyTuple)
		_, tb := b.Interface().(pyTuple)
		if ta != tb || a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !pyEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case kindDict:
		ka, kb := a.Keys(), b.Keys()
		if len(ka) != len(kb) {
			return false
		}
		for _, k := range ka {
			other, ok := dictItem(b, k)
			if !ok {
				return false
			}
			mine, _ := a.GetItem(k.Interface())
			if !pyEqual(mine, other) {
				return false
			}
		}
		return true
	}
	return a.Interface() == b.Interface()
}

// dictItem is d[k] found as Python finds it (1 and True are the same key).
func dictItem(d, k *exec.Value) (*exec.Value, bool) {
	for _, key := range d.Keys() {
		if pyEqual(key, k) {
			item, _ := d.GetItem(key.Interface())
			return item, true
		}
	}
	return nil, false
}

// pyIn is Python's `x in seq`, as Jinja2 evaluates it.
func pyIn(x, seq *exec.Value) *exec.Value {
	switch kindOf(seq) {
	case kindUndefined: // Undefined iterates as empty
		return exec.AsValue(false)
	case kindStr:
		if kindOf(x) != kindStr {
			return pyErr("TypeError: 'in <string>' requires string as left operand, not %s", pyTypeName(x))
		}
		return exec.AsValue(strings.Contains(seq.String(), x.String()))
	case kindList:
		for i := 0; i < seq.Len(); i++ {
			if pyEqual(x, seq.Index(i)) {
				return exec.AsValue(true)
			}
		}
		return exec.AsValue(false)
	case kindDict:
		_, ok := dictItem(seq, x)
		return exec.AsValue(ok)
	}
	return pyErr("TypeError: argument of type '%s' is not iterable", pyTypeName(seq))
}

// Tests with Python's comparison (Jinja2's tests call the operators).
func inTest(_ *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
	if len(params.Args) != 1 {
		return false, errorOf(pyErr("TypeError: the in test takes 1 argument"))
	}
	out := pyIn(in, params.Args[0])
	if out.IsError() {
		return false, errorOf(out)
	}
	return out.Bool(), nil
}

func equalTest(_ *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
	if len(params.Args) != 1 {
		return false, errorOf(pyErr("TypeError: the eq test takes 1 argument"))
	}
	return pyEqual(in, params.Args[0]), nil
}

func notEqualTest(ctx *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
	eq, err := equalTest(ctx, in, params)
	return !eq, err
}

// orderTest is Jinja2's lt, le, gt, ge tests: Python's operators.
func orderTest(op string) exec.TestFunction {
	return func(_ *exec.Context, in *exec.Value, params *exec.VarArgs) (bool, error) {
		if len(params.Args) != 1 {
			return false, errorOf(pyErr("TypeError: the comparison test takes 1 argument"))
		}
		out := compare(op, in, params.Args[0])
		if out.IsError() {
			return false, errorOf(out)
		}
		return out.Bool(), nil
	}
}

// comparisonTests replace gonja's.
var comparisonTests = map[string]exec.TestFunction{
	"in": inTest, "eq": equalTest, "equalto": equalTest, "==": equalTest, "ne": notEqualTest, "!=": notEqualTest,
	"lt": orderTest("<"), "lessthan": orderTest("<"), "<": orderTest("<"), "le": orderTest("<="), "<=": orderTest("<="),
	"gt": orderTest(">"), "greaterthan": orderTest(">"), ">": orderTest(">"), "ge": orderTest(">="), ">=": orderTest(">="),
}

func errorOf(v *exec.Value) error {
	if err, ok := v.Interface().(error); ok {
		return err
	}
	return nil
}

// chainedComparison rewrites `a < b` whose left side is itself a comparison
// written without parentheses into `(a < b) and (b < c)` (b is evaluated
// twice; Jinja2 expressions have no side effects but errors, which the
// first evaluation raises). compared maps each comparison the rewrite made
// to its right operand and where its operator is.
func (w *rewriter) chainedComparison(left nodes.Expression, op *tokens.Token, right nodes.Expression, cmp nodes.Expression) nodes.Expression {
	prev, ok := w.compared[left]
	if !ok || w.parenthesized(prev.opAt, op.Pos) {
		w.compared[cmp] = comparison{right: right, opAt: op.Pos}
		return cmp
	}
	second := call(op, "__mcptls_binop", &nodes.String{Location: op, Val: pythonOperators[op.Type]}, prev.right, right)
	and := &nodes.BinaryExpression{Left: left, Operator: &nodes.BinOperator{Token: synthetic(op, "and")}, Right: second}
	and.Operator.Token.Type = tokens.And
	w.compared[and] = comparison{right: right, opAt: op.Pos}
	return and
}

// comparison is what chaining needs of a comparison already rewritten.
type comparison struct {
	right nodes.Expression
	opAt  int
}

// parenthesized reports whether a `)` between the two operators closes a
// bracket opened before the first: `(a < b) < c` compares a bool with c.
func (w *rewriter) parenthesized(from, to int) bool {
	text := w.st.src.text
	if from < 0 || to > len(text) || from >= to {
		return true
	}
	depth := 0
	var quote byte
	for i := from; i < to; i++ {
		c := text[i]
		switch {
		case quote != 0:
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				return true
			}
			depth--
		}
	}
	return false
}

// index is `obj[i]` for a whole-number literal i, as Jinja2's getitem makes
// it: a string is indexed by characters (gonja's by bytes cuts a UTF-8
// character), a negative i counts from the end, and a missing item is
// Undefined; only an undefined obj raises.
func (st *renderState) index(va *exec.VarArgs) *exec.Value {
	if len(va.Args) != 2 {
		return pyErr("internal: index takes 2 arguments")
	}
	obj, i := va.Args[0], va.Args[1].Integer()
	undefined := exec.AsValue(nil)
	switch kindOf(obj) {
	case kindUndefined:
		return pyErr("UndefinedError: %s is undefined, so it has no attribute or item to read", st.lastMissing())
	case kindStr:
		r := []rune(obj.String())
		if i < 0 {
			i += len(r)
		}
		if i < 0 || i >= len(r) {
			return undefined
		}
		return markupLike(obj, string(r[i]))
	case kindList:
		if i < 0 {
			i += obj.Len()
		}
		if i < 0 || i >= obj.Len() {
			return undefined
		}
		return obj.Index(i)
	case kindDict:
		if item, ok := dictItem(obj, exec.AsValue(i)); ok {
			return item
		}
	}
	return undefined
}
