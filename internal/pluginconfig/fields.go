package pluginconfig

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The gateway's models are pydantic v2 models in lax mode: a str field takes
// only a string, an int field also takes "10" or 10.0, a bool field takes
// true/yes/on/1 and their opposites. These readers apply the same coercions to
// one key of a mapping and record a positioned problem when a value would not
// validate, quoting pydantic's message so a reader can match it to the gateway.

// fields reads the keys of one mapping; `at` names it in messages.
type fields struct {
	p  *parser
	m  *node
	at string
}

func (f fields) value(key string) *node {
	if f.m == nil || f.m.kind != mappingNode {
		return nil
	}
	return f.m.get(key)
}

// fail records that key's value does not validate.
func (f fields) fail(v *node, key, gateway, fix string) {
	msg := fmt.Sprintf("%s%s is %s; the gateway refuses it (%q)", f.at, key, v.describe(), gateway)
	if fix != "" {
		msg += ": " + fix
	}
	f.p.errorAt(v, "%s", msg)
}

// missing records a required key that is absent.
func (f fields) missing(key, fix string) {
	f.p.errorAt(f.m, "%s%s is missing (the gateway: \"Field required\"): %s", f.at, key, fix)
}

// str reads an optional string; null counts as absent.
func (f fields) str(key string) (string, *node) {
	v := f.value(key)
	if v == nil || v.isNull() {
		return "", nil
	}
	if v.kind != scalarNode || v.tag != tagStr {
		f.fail(v, key, "Input should be a valid string", "quote it")
		return "", nil
	}
	return v.value, v
}

// requiredStr reads a string that must be present and not null.
func (f fields) requiredStr(key, fix string) (string, *node) {
	v := f.value(key)
	if v == nil {
		f.missing(key, fix)
		return "", nil
	}
	if v.isNull() {
		f.fail(v, key, "Input should be a valid string", fix)
		return "", nil
	}
	return f.str(key)
}

var pydanticIntString = regexp.MustCompile(`^[ \t\n\r]*[-+]?[0-9](?:_?[0-9])*[ \t\n\r]*$`)

// integer reads an int field (not Optional: null is refused); ok is false when
// absent or invalid.
func (f fields) integer(key string) (int64, *node, bool) {
	v := f.value(key)
	if v == nil {
		return 0, nil, false
	}
	bad := func(msg string) (int64, *node, bool) {
		f.fail(v, key, msg, "write a whole number")
		return 0, v, false
	}
	if v.kind != scalarNode {
		return bad("Input should be a valid integer")
	}
	switch v.tag {
	case tagInt:
		n, ok := intValue(v.value)
		if !ok {
			return saturated(v.value), v, true // beyond 64 bits: a Python int still
		}
		return n, v, true
	case tagBool:
		if boolTrue(v.value) {
			return 1, v, true
		}
		return 0, v, true
	case tagFloat:
		text := strings.NewReplacer("_", "", ".inf", "inf", ".nan", "nan").Replace(strings.ToLower(v.value))
		x, err := strconv.ParseFloat(text, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange): // base 60
			return bad("Input should be a valid integer, got a number with a fractional part")
		case math.IsInf(x, 0) || math.IsNaN(x):
			return bad("Input should be a finite number")
		case x != math.Trunc(x):
			return bad("Input should be a valid integer, got a number with a fractional part")
		case x >= math.MaxInt64 || x < math.MinInt64:
			return bad("Unable to parse input string as an integer, exceeded maximum size")
		}
		return int64(x), v, true
	case tagStr:
		if !pydanticIntString.MatchString(v.value) {
			return bad("Input should be a valid integer, unable to parse string as an integer")
		}
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(v.value), "_", ""), 10, 64)
		if err != nil {
			return saturated(v.value), v, true
		}
		return n, v, true
	}
	return bad("Input should be a valid integer")
}

// saturated stands for an integer beyond 64 bits, which Python and pydantic
// read whole: the nearest int64, so range checks still refuse it.
func saturated(text string) int64 {
	if strings.HasPrefix(strings.TrimSpace(text), "-") {
		return math.MinInt64
	}
	return math.MaxInt64
}

// number checks a float field (mcptls reads none of their values).
func (f fields) number(key string) {
	v := f.value(key)
	if v == nil {
		return
	}
	if v.kind == scalarNode {
		switch v.tag {
		case tagInt, tagBool: // any YAML int, 64 bits or more, is a Python int
			return
		case tagFloat, tagStr:
			text := strings.ReplaceAll(strings.TrimSpace(v.value), "_", "")
			text = strings.Replace(strings.ToLower(text), ".inf", "inf", 1)
			if _, err := strconv.ParseFloat(text, 64); err == nil {
				return
			}
		}
	}
	f.fail(v, key, "Input should be a valid number", "write a number")
}

func boolTrue(s string) bool {
	switch strings.ToLower(s) {
	case "yes", "true", "on":
		return true
	}
	return false
}

// boolean reads a bool field (not Optional); ok is false when absent or invalid.
func (f fields) boolean(key string) (value, ok bool) {
	v := f.value(key)
	if v == nil {
		return false, false
	}
	if v.kind == scalarNode {
		switch v.tag {
		case tagBool:
			return boolTrue(v.value), true
		case tagInt:
			if n, ok := intValue(v.value); ok && (n == 0 || n == 1) {
				return n == 1, true
			}
		case tagFloat:
			if x, err := strconv.ParseFloat(v.value, 64); err == nil && (x == 0 || x == 1) {
				return x == 1, true
			}
		case tagStr:
			switch strings.ToLower(v.value) {
			case "1", "on", "t", "true", "y", "yes":
				return true, true
			case "0", "off", "f", "false", "n", "no":
				return false, true
			}
		}
	}
	f.fail(v, key, "Input should be a valid boolean, unable to interpret input", "write true or false")
	return false, false
}

// strings reads a list of strings; optional lists accept null.
func (f fields) strings(key string, optional bool) ([]string, *node) {
	v := f.value(key)
	if v == nil || (optional && v.isNull()) {
		return nil, nil
	}
	if v.kind != sequenceNode {
		f.fail(v, key, "Input should be a valid list", "write a YAML list")
		return nil, nil
	}
	out := make([]string, 0, len(v.items))
	for i, item := range v.items {
		if item.kind != scalarNode || item.tag != tagStr {
			f.fail(item, fmt.Sprintf("%s[%d]", key, i), "Input should be a valid string", "quote it")
			return nil, nil
		}
		out = append(out, item.value)
	}
	return out, v
}

// mapping reads an optional sub-model or dict: nil when absent or null.
func (f fields) mapping(key string) *node {
	v := f.value(key)
	if v == nil || v.isNull() {
		return nil
	}
	if v.kind != mappingNode {
		f.fail(v, key, "Input should be a valid dictionary or instance of the model", "write a mapping")
		return nil
	}
	return v
}

// stringKeys checks a dict[str, ...] has string keys only.
func (f fields) stringKeys(key string, m *node) {
	for _, p := range m.pairs {
		if p.key.tag != tagStr {
			f.fail(p.key, "a key of "+key, "Input should be a valid string", "quote the key")
			return
		}
	}
}

// enum reads a string that must be one of values.
func (f fields) enum(key string, values ...string) (string, *node) {
	s, v := f.str(key)
	if v == nil {
		return "", nil
	}
	for _, ok := range values {
		if s == ok {
			return s, v
		}
	}
	f.p.errorAt(v, "%s%s is %q (the gateway: \"Input should be %s\"): the values are case-sensitive", f.at, key, s, oneOf(values))
	return "", nil
}

// oneOf lists enum values as pydantic does: 'a', 'b' or 'c'.
func oneOf(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
