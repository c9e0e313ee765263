package pluginconfig

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/nikolalohinski/gonja/v2/builtins"
	"github.com/nikolalohinski/gonja/v2/exec"
	gparser "github.com/nikolalohinski/gonja/v2/parser"
)

// Python's meaning where gonja's differs, for what a config can hold.
// gonja's nil is Jinja2's Undefined; Python's None is pyNone.

// pyNone is None: false, printed "None".
type pyNone bool

func (pyNone) String() string { return "None" }

func isNone(v *exec.Value) bool {
	_, ok := v.Interface().(pyNone)
	return ok
}

type pyKind int

const (
	kindUndefined pyKind = iota
	kindNone
	kindBool
	kindInt
	kindFloat
	kindStr
	kindList
	kindDict
	kindOther
)

func kindOf(v *exec.Value) pyKind {
	switch {
	case v == nil || v.IsNil():
		return kindUndefined
	case isNone(v):
		return kindNone
	case v.IsBool():
		return kindBool
	case v.IsInteger():
		return kindInt
	case v.IsFloat():
		return kindFloat
	case v.IsString():
		return kindStr
	case v.IsList():
		return kindList
	case v.IsDict():
		return kindDict
	}
	return kindOther
}

func pyTypeName(v *exec.Value) string {
	return [...]string{"Undefined", "NoneType", "bool", "int", "float", "str", "list", "dict", "object"}[kindOf(v)]
}

// pyStr is Python's str().
func pyStr(v *exec.Value) string {
	switch kindOf(v) {
	case kindUndefined:
		return ""
	case kindNone:
		return "None"
	case kindList, kindDict:
		return pyRepr(v)
	case kindFloat:
		return pyFloat(v.Float())
	}
	return v.String()
}

// pyFloat is Python's repr() of a float where gonja prints it otherwise.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	return exec.AsValue(f).String()
}

// pyRepr is Python's repr() of a value printed inside a list or dict.
func pyRepr(v *exec.Value) string {
	switch kindOf(v) {
	case kindUndefined:
		return "Undefined"
	case kindStr:
		return pyQuote(v.String())
	case kindList:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = pyRepr(v.Index(i))
		}
		if _, ok := v.Interface().(pyTuple); ok {
			if len(parts) == 1 {
				return "(" + parts[0] + ",)"
			}
			return "(" + strings.Join(parts, ", ") + ")"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case kindDict:
		var parts []string
		if d, ok := v.Interface().(*exec.Dict); ok {
			for _, p := range d.Pairs {
				parts = append(parts, pyRepr(p.Key)+": "+pyRepr(p.Value))
			}
		} else {
			for _, k := range v.Keys() {
				item, _ := v.GetItem(k.Interface())
				parts = append(parts, pyRepr(k)+": "+pyRepr(item))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return pyStr(v)
}

// pyQuote is Python's repr() of a str.
func pyQuote(s string) string {
	q := byte('\'')
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsPrint(r) || r == ' ':
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func pyErr(format string, args ...any) *exec.Value {
	return exec.AsValue(fmt.Errorf(format, args...))
}

// binop is a Python binary operator on two values (`~` is Jinja2's concat).
func (st *renderState) binop(va *exec.VarArgs) *exec.Value {
	if len(va.Args) != 3 {
		return pyErr("internal: binop takes 3 arguments")
	}
	op, a, b := va.Args[0].String(), va.Args[1], va.Args[2]
	what := "`" + op + "`"
	if err := st.admit(what, a, b); err != nil {
		return err
	}
	if op == "~" || op == "+" && kindOf(a) == kindStr && kindOf(b) == kindStr {
		return st.concat(what, a, b, op == "~")
	}
	switch op {
	case "==":
		return exec.AsValue(pyEqual(a, b))
	case "!=":
		return exec.AsValue(!pyEqual(a, b))
	}
	ka, kb := kindOf(a), kindOf(b)
	if ka == kindUndefined || kb == kindUndefined {
		return pyErr("UndefinedError: %s is undefined, and `%s` cannot use it", st.lastMissing(), op)
	}
	switch op {
	case "<", "<=", ">", ">=":
		return compare(op, a, b)
	}
	if isNumber(ka) && isNumber(kb) {
		return arithmetic(op, a, b)
	}
	switch {
	case op == "+" && ka == kindList && kb == kindList:
		if err := st.reserve(what, itemCost*(a.Len()+b.Len())); err != nil {
			return err
		}
		out := make([]any, 0, a.Len()+b.Len())
		for i := 0; i < a.Len(); i++ {
			out = append(out, a.Index(i).Interface())
		}
		for i := 0; i < b.Len(); i++ {
			out = append(out, b.Index(i).Interface())
		}
		return st.made(what, exec.AsValue(out))
	case op == "*" && (ka == kindStr || ka == kindList) && (kb == kindInt || kb == kindBool):
		return st.repeat(a, b.Integer())
	case op == "*" && (kb == kindStr || kb == kindList) && (ka == kindInt || ka == kindBool):
		return st.repeat(b, a.Integer())
	case op == "%" && ka == kindStr:
		return st.made(what, st.pyFormat(a.String(), b))
	}
	return pyErr("TypeError: unsupported operand type(s) for %s: '%s' and '%s'", op, pyTypeName(a), pyTypeName(b))
}

func isNumber(k pyKind) bool { return k == kindBool || k == kindInt || k == kindFloat }

func (st *renderState) repeat(v *exec.Value, n int) *exec.Value {
	if n <= 0 {
		if v.IsString() {
			return exec.AsValue("")
		}
		return exec.AsValue([]any{})
	}
	what := fmt.Sprintf("`*` by %d", n)
	if v.IsString() {
		if size := len(v.String()); size > 0 && n > maxValueSize/size {
			return st.tooLarge(what + " would build a value")
		}
		return st.made(what, exec.AsValue(strings.Repeat(v.String(), n)))
	}
	items := v.Len()
	if items > 0 && n > maxValueSize/(itemCost*items) {
		return st.tooLarge(what + " would build a value")
	}
	out := make([]any, 0, items*n)
	for range n {
		for i := 0; i < items; i++ {
			out = append(out, v.Index(i).Interface())
		}
	}
	return st.made(what, exec.AsValue(out))
}

func numberOf(v *exec.Value) (int64, float64, bool) {
	if v.IsFloat() {
		return 0, v.Float(), true
	}
	if v.IsBool() {
		if v.Bool() {
			return 1, 1, false
		}
		return 0, 0, false
	}
	return int64(v.Integer()), float64(v.Integer()), false
}

var errOverflow = errors.New(overflowMessage)

// overflowMessage is mcptls's limit, not the gateway's: Python's ints have
// no bound, so the file is refused as beyond what mcptls renders.
const overflowMessage = "a number beyond 64 bits: mcptls renders integers from -9223372036854775808 to 9223372036854775807 (the gateway's Python has no limit); keep the numbers in the template within them"

func arithmetic(op string, a, b *exec.Value) *exec.Value {
	ia, fa, aFloat := numberOf(a)
	ib, fb, bFloat := numberOf(b)
	if aFloat || bFloat || op == "/" {
		switch op {
		case "+":
			return exec.AsValue(fa + fb)
		case "-":
			return exec.AsValue(fa - fb)
		case "*":
			return exec.AsValue(fa * fb)
		case "/":
			if fb == 0 {
				return pyErr("ZeroDivisionError: division by zero")
			}
			return exec.AsValue(fa / fb)
		case "//":
			if fb == 0 {
				return pyErr("ZeroDivisionError: float floor division by zero")
			}
			return exec.AsValue(math.Floor(fa / fb))
		case "%":
			if fb == 0 {
				return pyErr("ZeroDivisionError: float modulo")
			}
			m := math.Mod(fa, fb)
			if m != 0 && (m < 0) != (fb < 0) {
				m += fb
			}
			return exec.AsValue(m)
		case "**":
			if fa == 0 && fb < 0 {
				return pyErr("ZeroDivisionError: 0.0 cannot be raised to a negative power")
			}
			return exec.AsValue(math.Pow(fa, fb))
		}
	}
	switch op {
	case "+":
		if s := ia + ib; (s > ia) == (ib > 0) {
			return exec.AsValue(int(s))
		}
	case "-":
		if s := ia - ib; (s < ia) == (ib > 0) {
			return exec.AsValue(int(s))
		}
	case "*":
		if p := new(big.Int).Mul(big.NewInt(ia), big.NewInt(ib)); p.IsInt64() {
			return exec.AsValue(int(p.Int64()))
		}
	case "//", "%":
		if ib == 0 {
			return pyErr("ZeroDivisionError: integer division or modulo by zero")
		}
		if ia == math.MinInt64 && ib == -1 {
			return exec.AsValue(errOverflow)
		}
		q, r := ia/ib, ia%ib
		if r != 0 && (r < 0) != (ib < 0) {
			q, r = q-1, r+ib
		}
		if op == "//" {
			return exec.AsValue(int(q))
		}
		return exec.AsValue(int(r))
	case "**":
		if ib < 0 {
			if ia == 0 {
				return pyErr("ZeroDivisionError: 0.0 cannot be raised to a negative power")
			}
			return exec.AsValue(math.Pow(fa, fb))
		}
		result := int64(1)
		for range ib {
			next := result * ia
			if ia != 0 && next/ia != result {
				return exec.AsValue(errOverflow)
			}
			result = next
			if result == 0 || result == 1 {
				break
			}
		}
		return exec.AsValue(int(result))
	}
	return exec.AsValue(errOverflow)
}

func compare(op string, a, b *exec.Value) *exec.Value {
	ka, kb := kindOf(a), kindOf(b)
	var c int
	switch {
	case isNumber(ka) && isNumber(kb):
		_, fa, _ := numberOf(a)
		_, fb, _ := numberOf(b)
		ia, _, aFloat := numberOf(a)
		ib, _, bFloat := numberOf(b)
		switch {
		case !aFloat && !bFloat:
			c = cmpInt(ia, ib)
		case fa < fb:
			c = -1
		case fa > fb:
			c = 1
		}
	case ka == kindStr && kb == kindStr:
		c = strings.Compare(a.String(), b.String())
	case ka == kindList && kb == kindList:
		return compareLists(op, a, b)
	default:
		return pyErr("TypeError: '%s' not supported between instances of '%s' and '%s'", op, pyTypeName(a), pyTypeName(b))
	}
	switch op {
	case "<":
		return exec.AsValue(c < 0)
	case "<=":
		return exec.AsValue(c <= 0)
	case ">":
		return exec.AsValue(c > 0)
	}
	return exec.AsValue(c >= 0)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pyFormat is Python's printf-style `format % args` for the conversions a
// config might use: s r d i f e g x o c and %%.
func (st *renderState) pyFormat(format string, args *exec.Value) *exec.Value {
	var list []*exec.Value
	named := kindOf(args) == kindDict
	if _, tuple := args.Interface().(pyTuple); tuple {
		for i := 0; i < args.Len(); i++ {
			list = append(list, args.Index(i))
		}
	} else if !named {
		list = []*exec.Value{args}
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b.WriteByte(format[i])
			continue
		}
		j := i + 1
		var arg *exec.Value
		if j < len(format) && format[j] == '(' && named {
			end := strings.IndexByte(format[j:], ')')
			if end < 0 {
				return pyErr("ValueError: incomplete format key")
			}
			item, ok := args.GetItem(format[j+1 : j+end])
			if !ok {
				return pyErr("KeyError: %s", pyQuote(format[j+1:j+end]))
			}
			arg, j = item, j+end+1
		}
		start := j
		for j < len(format) && strings.IndexByte("#0- +123456789.", format[j]) >= 0 {
			j++
		}
		if j >= len(format) {
			return pyErr("ValueError: incomplete format")
		}
		spec, conv := format[start:j], format[j]
		i = j
		if w := specWidth(spec); w > maxValueSize {
			return st.tooLarge(fmt.Sprintf("the format %%%s%c would build a value", spec, conv))
		}
		if conv == '%' {
			b.WriteByte('%')
			continue
		}
		if arg == nil {
			if named {
				arg = args
			} else {
				if next >= len(list) {
					return pyErr("TypeError: not enough arguments for format string")
				}
				arg, next = list[next], next+1
			}
		}
		s, err := formatOne(spec, conv, arg)
		if err != nil {
			return exec.AsValue(err)
		}
		b.WriteString(s)
	}
	if !named && next < len(list) {
		return pyErr("TypeError: not all arguments converted during string formatting")
	}
	return exec.AsValue(b.String())
}

// specWidth is the largest number in a printf-style spec (its width or
// precision).
func specWidth(spec string) int {
	largest, n := 0, 0
	for i := 0; i < len(spec); i++ {
		if c := spec[i]; c >= '0' && c <= '9' {
			if n > maxValueSize {
				continue
			}
			n = n*10 + int(c-'0')
		} else {
			n = 0
		}
		largest = max(largest, n)
	}
	return largest
}

func formatOne(spec string, conv byte, arg *exec.Value) (string, error) {
	goSpec := "%" + spec
	switch conv {
	case 's':
		return fmt.Sprintf(goSpec+"s", pyStr(arg)), nil
	case 'r', 'a':
		return fmt.Sprintf(goSpec+"s", pyRepr(arg)), nil
	case 'd', 'i', 'x', 'X', 'o', 'c':
		if !isNumber(kindOf(arg)) {
			return "", fmt.Errorf("TypeError: %%%c format: a real number is required, not %s", conv, pyTypeName(arg))
		}
		i, f, isFloat := numberOf(arg)
		if isFloat && conv != 'd' && conv != 'i' {
			return "", fmt.Errorf("TypeError: %%%c format: an integer is required, not float", conv)
		}
		if isFloat {
			if math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) >= 1<<63 {
				return "", errOverflow
			}
			i = int64(f)
		}
		if conv == 'o' && strings.Contains(spec, "#") { // Python's alternate octal is 0o
			return fmt.Sprintf(strings.Replace(goSpec, "#", "", 1)+"s", pyOctal(i)), nil
		}
		verb := map[byte]string{'d': "d", 'i': "d", 'x': "x", 'X': "X", 'o': "o", 'c': "c"}[conv]
		return fmt.Sprintf(goSpec+verb, i), nil
	case 'f', 'F', 'e', 'E', 'g', 'G':
		if !isNumber(kindOf(arg)) {
			return "", fmt.Errorf("TypeError: must be real number, not %s", pyTypeName(arg))
		}
		_, f, _ := numberOf(arg)
		if (conv == 'g' || conv == 'G') && !strings.Contains(spec, ".") {
			goSpec += ".6" // Python's default precision; Go's is the shortest repr
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			out := pyFloat(f)
			if conv >= 'A' && conv <= 'Z' {
				out = strings.ToUpper(out)
			}
			return fmt.Sprintf(strings.Split(goSpec, ".")[0]+"s", out), nil
		}
		return fmt.Sprintf(goSpec+string(conv), f), nil
	}
	return "", fmt.Errorf("ValueError: unsupported format character '%c'", conv)
}

// renderFilter prints an output's value as Jinja2 does: str() of it, and
// records an undefined value written out.
func renderFilter(e *exec.Evaluator, in *exec.Value, _ *exec.VarArgs) *exec.Value {
	switch kindOf(in) {
	case kindUndefined:
		if st := stateOf(e); st != nil {
			st.trace.undefined = true
		}
		return exec.AsValue("")
	case kindNone, kindList, kindDict, kindFloat:
		return exec.AsValue(pyStr(in))
	case kindStr:
		if st := stateOf(e); st != nil && strings.ContainsRune(in.String(), 0) {
			// also keeps a value from posing as mcptls's own markers
			return exec.AsValue(st.limit("this value contains a NUL character (U+0000), which the gateway's YAML loader (PyYAML) refuses anywhere in the file; remove it from the value or from template_env"))
		}
		if isMarkup(in) {
			return exec.AsSafeValue(in.String())
		}
		if st := stateOf(e); st != nil {
			if s := in.String(); htmlEscape(s) != s {
				st.trace.escapes = append(st.trace.escapes, escape{construct: st.trace.current, rStart: st.trace.out.Len(), value: s})
			}
		}
	}
	return in
}

// htmlEscape is markupsafe.escape, which Jinja2's autoescape applies to output.
func htmlEscape(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;", `"`, "&#34;")

func stateOf(e *exec.Evaluator) *renderState {
	v, ok := e.Environment.Context.Get("__mcptls_state")
	if !ok {
		return nil
	}
	st, _ := v.(*renderState)
	return st
}

// defaultFilter is Jinja2's default(value, default_value=”, boolean=False):
// only Undefined (not None) is replaced, and errors are not swallowed.
func defaultFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	def := exec.AsValue("")
	if len(params.Args) > 0 {
		def = params.Args[0]
	} else if v, ok := params.KwArgs["default_value"]; ok {
		def = v
	}
	boolean := false
	if len(params.Args) > 1 {
		boolean = params.Args[1].IsTrue()
	} else if v, ok := params.KwArgs["boolean"]; ok {
		boolean = v.IsTrue()
	}
	if in.IsNil() || (boolean && !in.IsTrue()) {
		return def
	}
	return in
}

// Filters that raise UndefinedError on an undefined value in Jinja2 (they
// convert it to a number or read it as a mapping).
var undefinedRaising = []string{"abs", "attr", "dictsort", "filesizeformat", "float", "indent", "int", "round", "tojson", "wordwrap", "xmlattr"}

// Control structures of Jinja2 without extensions: do, break, continue and
// trans need one, and are unknown tags for the gateway.
var jinjaTags = []string{"autoescape", "block", "call", "extends", "filter", "for", "from", "if", "import", "include", "macro", "raw", "set", "with"}

var (
	environmentOnce sync.Once
	environment     *exec.Environment
)

// environment is the shared environment with this render's methods.
func (st *renderState) environment() *exec.Environment {
	shared := jinjaEnvironment()
	return &exec.Environment{
		Context:           exec.EmptyContext(),
		Filters:           shared.Filters,
		Tests:             shared.Tests,
		ControlStructures: shared.ControlStructures,
		Methods:           st.methods(),
	}
}

// jinjaEnvironment is gonja's environment with Jinja2's filters, tests and
// tags, corrected where they differ.
func jinjaEnvironment() *exec.Environment {
	environmentOnce.Do(func() {
		filters := exec.NewFilterSet(map[string]exec.FilterFunction{}).Update(builtins.Filters)
		for _, name := range []string{"default", "d"} {
			_ = filters.Replace(name, defaultFilter)
		}
		length, _ := filters.Get("length")
		for name, fn := range map[string]exec.FilterFunction{
			"items": itemsFilter, "dictsort": dictsortFilter, "urlencode": urlencodeFilter,
			"format": formatFilter, "join": joinFilter, "wordwrap": wordwrapFilter, "reverse": reverseFilter, "center": centerFilter,
			"title": titleFilter, "wordcount": wordcountFilter, "pprint": pprintFilter, "length": lengthFilter(length), "count": lengthFilter(length),
		} {
			_ = filters.Replace(name, fn)
		}
		for _, name := range undefinedRaising {
			orig, ok := filters.Get(name)
			if !ok {
				continue
			}
			_ = filters.Replace(name, func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
				if in.IsNil() {
					missing := "the value"
					if st := stateOf(e); st != nil {
						missing = st.lastMissing()
					}
					return pyErr("UndefinedError: %s is undefined, and the %s filter cannot use it", missing, name)
				}
				return orig(e, in, params)
			})
		}
		_ = filters.Replace("round", roundFilter)
		toInt, _ := filters.Get("int")
		_ = filters.Replace("int", func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			switch {
			case in.IsBool(): // int(True) is 1
				return exec.AsValue(map[bool]int{true: 1}[in.Bool()])
			case in.IsFloat() && (math.IsInf(in.Float(), 0) || math.IsNaN(in.Float()) || math.Abs(in.Float()) >= 1<<63):
				return exec.AsValue(errOverflow)
			}
			return toInt(e, in, params)
		})
		_ = filters.Replace("tojson", toJSONFilter)
		for _, name := range []string{"trim", "urlencode", "striptags"} {
			orig, _ := filters.Get(name)
			_ = filters.Replace(name, func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
				if in.IsNil() {
					in = exec.AsValue("") // str(Undefined)
				}
				return orig(e, in, params)
			})
		}
		list, _ := filters.Get("list")
		_ = filters.Replace("list", func(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
			if in.IsNil() {
				return exec.AsValue([]any{})
			}
			return list(e, in, params)
		})
		_ = filters.Register("__mcptls_render", renderFilter)
		for _, name := range unexportedKeys(filters, "filters") {
			fn, _ := filters.Get(name)
			_ = filters.Replace(name, guardFilter(name, fn))
		}
		tests := exec.NewTestSet(map[string]exec.TestFunction{}).Update(builtins.Tests)
		_ = tests.Replace("none", func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) { return isNone(in), nil })
		_ = tests.Replace("defined", func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) { return !in.IsNil(), nil })
		_ = tests.Replace("undefined", func(_ *exec.Context, in *exec.Value, _ *exec.VarArgs) (bool, error) { return in.IsNil(), nil })
		for name, fn := range typeTests {
			if tests.Replace(name, fn) != nil {
				_ = tests.Register(name, fn)
			}
		}
		for name, fn := range comparisonTests {
			if tests.Replace(name, fn) != nil {
				_ = tests.Register(name, fn)
			}
		}
		for _, name := range unexportedKeys(tests, "tests") {
			fn, _ := tests.Get(name)
			_ = tests.Replace(name, guardTest(name, fn))
		}
		tags := map[string]gparser.ControlStructureParser{}
		for _, name := range jinjaTags {
			if p, ok := builtins.ControlStructures.Get(name); ok {
				tags[name] = p
			}
		}
		tags["raw"] = rawParser
		environment = &exec.Environment{
			Context:           exec.EmptyContext(),
			Filters:           filters,
			Tests:             tests,
			ControlStructures: exec.NewControlStructureSet(tags),
		}
	})
	return environment
}

// roundFilter is Jinja2's round(value, precision=0, method='common'):
// Python's round() (half to even) for common; always a float.
func roundFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if !isNumber(kindOf(in)) {
		return pyErr("TypeError: type %s doesn't define __round__ method", pyTypeName(in))
	}
	precision, method := 0, "common"
	if len(params.Args) > 0 {
		precision = params.Args[0].Integer()
	} else if v, ok := params.KwArgs["precision"]; ok {
		precision = v.Integer()
	}
	if len(params.Args) > 1 {
		method = params.Args[1].String()
	} else if v, ok := params.KwArgs["method"]; ok {
		method = v.String()
	}
	op := map[string]func(float64) float64{"common": math.RoundToEven, "floor": math.Floor, "ceil": math.Ceil}[method]
	if op == nil {
		return pyErr("FilterArgumentError: method must be common, ceil or floor")
	}
	i, f, isFloat := numberOf(in)
	if method == "common" {
		if !isFloat && precision >= 0 {
			return exec.AsValue(int(i)) // round(int, n) is the int
		}
		return exec.AsValue(pyRound(f, precision))
	}
	factor := math.Pow(10, float64(precision))
	return exec.AsValue(op(f*factor) / factor)
}

// toJSONFilter is Jinja2's tojson: json.dumps(sort_keys=True), HTML-safe.
func toJSONFilter(_ *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	indent := -1
	if v, ok := params.KwArgs["indent"]; ok && isNumber(kindOf(v)) {
		indent = v.Integer()
	} else if len(params.Args) > 0 && isNumber(kindOf(params.Args[0])) {
		indent = params.Args[0].Integer()
	}
	var b strings.Builder
	if err := pyJSON(&b, in, indent, 0); err != nil {
		return exec.AsValue(err)
	}
	s := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "'", `\u0027`).Replace(b.String())
	return exec.AsSafeValue(s)
}

func pyJSON(b *strings.Builder, v *exec.Value, indent, depth int) error {
	if depth > maxTemplateNesting {
		return errors.New("ValueError: Circular reference detected")
	}
	newline := func(d int) {
		if indent >= 0 {
			b.WriteString("\n" + strings.Repeat(" ", indent*d))
		}
	}
	sep := ", "
	if indent >= 0 {
		sep = ","
	}
	switch kindOf(v) {
	case kindNone:
		b.WriteString("null")
	case kindBool:
		b.WriteString(strings.ToLower(v.String()))
	case kindInt, kindFloat:
		b.WriteString(v.String())
	case kindStr:
		b.WriteByte('"')
		for _, r := range v.String() {
			switch {
			case r == '"' || r == '\\':
				b.WriteString(`\` + string(r))
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r < 0x20 || r > 0x7e:
				if r > 0xffff {
					r -= 0x10000
					fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
				} else {
					fmt.Fprintf(b, `\u%04x`, r)
				}
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	case kindList:
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(sep)
			}
			newline(depth + 1)
			if err := pyJSON(b, v.Index(i), indent, depth+1); err != nil {
				return err
			}
		}
		if v.Len() > 0 {
			newline(depth)
		}
		b.WriteByte(']')
	case kindDict:
		keys := v.Keys()
		names := make([]string, 0, len(keys))
		items := map[string]*exec.Value{}
		for _, k := range keys {
			item, _ := v.GetItem(k.Interface())
			names = append(names, k.String())
			items[k.String()] = item
		}
		sortStrings(names)
		b.WriteByte('{')
		for i, k := range names {
			if i > 0 {
				b.WriteString(sep)
			}
			newline(depth + 1)
			if err := pyJSON(b, exec.AsValue(k), indent, depth+1); err != nil {
				return err
			}
			b.WriteString(": ")
			if err := pyJSON(b, items[k], indent, depth+1); err != nil {
				return err
			}
		}
		if len(names) > 0 {
			newline(depth)
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("TypeError: Object of type %s is not JSON serializable", pyTypeName(v))
	}
	return nil
}

func sortStrings(s []string) { sort.Strings(s) }

func pyOctal(i int64) string {
	if i < 0 {
		return "-0o" + strconv.FormatInt(-i, 8)
	}
	return "0o" + strconv.FormatInt(i, 8)
}

// pyRound is Python's round(f, n) for a float: the exact binary value
// rounded half to even at n decimals (round(2.675, 2) is 2.67, since 2.675
// is stored as 2.67499...). strconv rounds the exact value the same way.
func pyRound(f float64, n int) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) || n > 300 {
		return f
	}
	if n < 0 {
		factor := math.Pow(10, float64(-n))
		return math.RoundToEven(f/factor) * factor
	}
	out, err := strconv.ParseFloat(strconv.FormatFloat(f, 'f', n, 64), 64)
	if err != nil {
		return f
	}
	return out
}
