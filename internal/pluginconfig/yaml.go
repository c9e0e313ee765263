package pluginconfig

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	goparser "github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// The gateway loads its config with PyYAML's yaml.safe_load (cpex
// loader/config.py). This file turns goccy/go-yaml's syntax tree into values
// with safe_load's meaning: one document, YAML 1.1 plain scalars, merge keys
// (`<<`) and aliases, duplicate keys resolved to the last value. Positions are
// kept on every value so any rule can name a line and column.

// Limits that keep hostile input cheap: a config.yaml is a few kilobytes.
const (
	MaxConfigBytes = 4 << 20 // bigger input is refused before parsing
	maxFlowDepth   = 256     // nested [ and { before the parser sees them
	maxValues      = 4 << 20 // values, merged entries included (a 4 MiB file holds fewer)
)

type nodeKind int

const (
	scalarNode nodeKind = iota
	mappingNode
	sequenceNode
)

// Scalar tags, as PyYAML resolves them.
const (
	tagStr       = "str"
	tagInt       = "int"
	tagFloat     = "float"
	tagBool      = "bool"
	tagNull      = "null"
	tagTimestamp = "timestamp"
	tagBinary    = "binary"
	tagValue     = "value" // a plain `=`: no constructor in safe_load
	tagMerge     = "merge" // a plain `<<` that is not a mapping key
)

// node is one YAML value. Aliases share the anchored node.
type node struct {
	kind         nodeKind
	tag          string // scalars only
	value        string // scalars only: the text
	line, column int
	pairs        []pair // mappings: the effective entries, merged keys first
	items        []*node
}

type pair struct{ key, value *node }

// get returns the value of a string key of a mapping.
func (n *node) get(key string) *node {
	for _, p := range n.pairs {
		if p.key.kind == scalarNode && p.key.tag == tagStr && p.key.value == key {
			return p.value
		}
	}
	return nil
}

// keyOf returns the key node of a string key, for messages about the key itself.
func (n *node) keyOf(key string) *node {
	for _, p := range n.pairs {
		if p.key.kind == scalarNode && p.key.tag == tagStr && p.key.value == key {
			return p.key
		}
	}
	return n
}

func (n *node) isNull() bool { return n.kind == scalarNode && n.tag == tagNull }

// describe names a value's type as pydantic's messages do.
func (n *node) describe() string {
	switch n.kind {
	case mappingNode:
		return "a mapping"
	case sequenceNode:
		return "a list"
	}
	switch n.tag {
	case tagStr:
		return "a string"
	case tagInt:
		return "an integer"
	case tagFloat:
		return "a number"
	case tagBool:
		return "a boolean"
	case tagNull:
		return "empty (null)"
	}
	return "a " + n.tag
}

type position struct{ line, column int }

// yamlDoc is a loaded document and what safe_load tolerates but a reader may not mean.
type yamlDoc struct {
	root     *node // nil for an empty document
	syntax   ast.Node
	warnings []*Error
}

// loadYAML parses data as safe_load would.
func loadYAML(data []byte) (*yamlDoc, error) {
	if len(data) > MaxConfigBytes {
		return nil, &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("the file is %d bytes; a plugin config is at most %d", len(data), MaxConfigBytes)}
	}
	if p, ok := flowTooDeep(data); ok {
		return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: more than %d nested [ or { here", maxFlowDepth)}
	}
	if p, ok := tooManyKeys(string(data)); ok {
		return nil, tooManyKeysError(p)
	}
	file, err := parseSafely(data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, e
		}
		return nil, syntaxError(err)
	}
	docs, err := skipYAMLDirective(file.Docs)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		second := docs[1]
		p := position{1, 1}
		if second.Start != nil {
			p = tokenPos(second.Start)
		} else if second.Body != nil {
			p = tokenPos(second.Body.GetToken())
		}
		return nil, &Error{Line: p.line, Column: p.column, Msg: "a second YAML document starts here; the gateway loads exactly one (\"expected a single document in the stream\"): remove the `---` and what follows, or merge the documents"}
	}
	c := &converter{anchors: map[string]*node{}, anchorAt: map[string]position{}}
	doc := &yamlDoc{}
	if len(docs) == 1 && docs[0].Body != nil {
		root, err := c.convert(docs[0].Body, 0)
		if err != nil {
			return nil, err
		}
		doc.root, doc.syntax = root, docs[0].Body
	}
	doc.warnings = c.warnings
	return doc, nil
}

// skipYAMLDirective drops a `%YAML 1.x` directive, which goccy/go-yaml
// reads as a document of its own; PyYAML reads it as the header of the
// document its `---` starts, and refuses a major version other than 1.
func skipYAMLDirective(docs []*ast.DocumentNode) ([]*ast.DocumentNode, error) {
	if len(docs) == 0 || docs[0].Start != nil {
		return docs, nil
	}
	d, ok := docs[0].Body.(*ast.DirectiveNode)
	if !ok || d.Name == nil || d.Name.String() != "YAML" || len(d.Values) != 1 {
		return docs, nil
	}
	p := tokenPos(d.Start)
	if v := d.Values[0].String(); !strings.HasPrefix(v, "1.") {
		return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: %%YAML %s: the gateway's YAML loader reads YAML 1 only (\"found incompatible YAML document\"): write %%YAML 1.1, or remove the line", v)}
	}
	if len(docs) < 2 || docs[1].Start == nil {
		return nil, &Error{Line: p.line, Column: p.column, Msg: "invalid YAML: a %YAML directive must be followed by `---` (\"expected '<document start>'\"): add a `---` line after it"}
	}
	return docs[1:], nil
}

// parseSafely turns a panic of the YAML library into an error: hostile input
// must never crash the provider.
func parseSafely(data []byte) (file *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			file, err = nil, &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("invalid YAML: the parser cannot read this file (%v)", r)}
		}
	}()
	return goparser.ParseBytes(data, 0, goparser.AllowDuplicateMapKey())
}

func tokenPos(t *token.Token) position {
	if t == nil || t.Position == nil {
		return position{1, 1}
	}
	return position{t.Position.Line, t.Position.Column}
}

func syntaxError(err error) error {
	var se *goyaml.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return &Error{Line: 1, Column: 1, Msg: "invalid YAML: " + err.Error()}
	}
	return &Error{Line: se.Token.Position.Line, Column: se.Token.Position.Column, Msg: "invalid YAML: " + se.Message}
}

// flowTooDeep finds where [ and { nest deeper than maxFlowDepth, outside quotes
// and comments, so a hostile file cannot exhaust the parser's stack.
func flowTooDeep(data []byte) (position, bool) {
	depth := 0
	return scanFlow(string(data), func(b byte) bool {
		switch b {
		case '[', '{':
			depth++
			return depth > maxFlowDepth
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
		return false
	})
}

// scanFlow calls stop with each of [ ] { } , outside quotes and comments,
// and returns where it first says stop.
func scanFlow(text string, stop func(b byte) bool) (position, bool) {
	line, col := 1, 0
	var quote byte
	comment := false
	for i := 0; i < len(text); i++ {
		b := text[i]
		col++
		switch {
		case b == '\n':
			line, col, comment = line+1, 0, false
		case comment:
		case quote != 0:
			if b == '\\' && quote == '"' {
				i++
				col++
			} else if b == quote {
				quote = 0
			}
		case b == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t'):
			comment = true
		case b == '\'' || b == '"':
			quote = b
		case strings.IndexByte("[]{},", b) >= 0:
			if stop(b) {
				return position{line, col}, true
			}
		}
	}
	return position{}, false
}

// converter builds nodes, sharing anchored values and counting what aliases and
// merges make reachable.
type converter struct {
	anchors  map[string]*node
	anchorAt map[string]position
	values   int
	warnings []*Error
}

func (c *converter) count(n int, p position) error {
	c.values += n
	if c.values > maxValues {
		return &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("the file holds or expands to more than %d values (merge keys included)", maxValues)}
	}
	return nil
}

const maxDepth = 512

func (c *converter) convert(n ast.Node, depth int) (*node, error) {
	p := tokenPos(n.GetToken())
	if depth > maxDepth {
		return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: nested deeper than %d levels", maxDepth)}
	}
	if err := c.count(1, p); err != nil {
		return nil, err
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		name := anchorName(v.Name)
		if first, dup := c.anchorAt[name]; dup {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: a second anchor &%s (the first is at line %d, column %d): the gateway's YAML loader refuses it (\"found duplicate anchor\"): rename one, and the aliases that mean it", name, first.line, first.column)}
		}
		c.anchorAt[name] = p
		out, err := c.convert(v.Value, depth+1)
		if err != nil {
			return nil, err
		}
		c.anchors[name] = out
		return out, nil
	case *ast.AliasNode:
		name := anchorName(v.Value)
		target, ok := c.anchors[name]
		if !ok {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: alias *%s refers to no anchor defined before it", name)}
		}
		return target, nil
	case *ast.TagNode:
		return c.tagged(v, depth)
	case *ast.MappingNode:
		return c.mapping(v.Values, mappingStart(v), depth)
	case *ast.MappingValueNode:
		return c.mapping([]*ast.MappingValueNode{v}, tokenPos(v.Key.GetToken()), depth)
	case *ast.SequenceNode:
		out := &node{kind: sequenceNode, line: p.line, column: p.column}
		for _, item := range v.Values {
			child, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, child)
		}
		return out, nil
	case *ast.LiteralNode:
		return &node{kind: scalarNode, tag: tagStr, value: v.Value.Value, line: p.line, column: p.column}, nil
	case *ast.MappingKeyNode:
		return c.convert(v.Value, depth+1)
	case *ast.NullNode:
		return &node{kind: scalarNode, tag: tagNull, line: p.line, column: p.column}, nil
	case ast.ScalarNode:
		out := plainOrQuoted(n.GetToken(), p)
		return out, constructible(out)
	}
	return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: unexpected %s", n.Type())}
}

func anchorName(n ast.Node) string {
	if n == nil {
		return ""
	}
	return n.GetToken().Value
}

func mappingStart(m *ast.MappingNode) position {
	if !m.IsFlowStyle && len(m.Values) > 0 {
		return tokenPos(m.Values[0].Key.GetToken())
	}
	return tokenPos(m.Start)
}

// plainOrQuoted resolves a scalar: quoted and block scalars are strings, plain
// ones follow YAML 1.1 as PyYAML's resolver does (yes/no/on/off are booleans).
func plainOrQuoted(t *token.Token, p position) *node {
	out := &node{kind: scalarNode, tag: tagStr, value: t.Value, line: p.line, column: p.column}
	switch t.Type {
	case token.SingleQuoteType, token.DoubleQuoteType, token.LiteralType, token.FoldedType:
		return out
	}
	out.tag = resolvePlain(t.Value)
	return out
}

// PyYAML's implicit resolvers (yaml/resolver.py), for plain scalars.
var (
	yaml11Bool      = regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`)
	yaml11Float     = regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`)
	yaml11Int       = regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`)
	yaml11Null      = regexp.MustCompile(`^(?:~|null|Null|NULL|)$`)
	yaml11Value     = regexp.MustCompile(`^(?:=)$`)
	yaml11Merge     = regexp.MustCompile(`^(?:<<)$`)
	yaml11Timestamp = regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`)
)

func resolvePlain(s string) string {
	switch {
	case yaml11Null.MatchString(s):
		return tagNull
	case yaml11Bool.MatchString(s):
		return tagBool
	case yaml11Int.MatchString(s):
		return tagInt
	case yaml11Float.MatchString(s):
		return tagFloat
	case yaml11Timestamp.MatchString(s):
		return tagTimestamp
	case yaml11Value.MatchString(s):
		return tagValue
	case yaml11Merge.MatchString(s):
		return tagMerge
	}
	return tagStr
}

// tagged applies an explicit tag the way safe_load's constructors do; any tag
// safe_load has no constructor for is an error there too.
func (c *converter) tagged(t *ast.TagNode, depth int) (*node, error) {
	p := tokenPos(t.Start)
	tag := t.Start.Value
	var inner *node
	if t.Value == nil {
		inner = &node{kind: scalarNode, tag: tagNull, line: p.line, column: p.column}
	} else {
		n, err := c.convert(t.Value, depth+1)
		if err != nil && (n == nil || n.kind != scalarNode) {
			return nil, err // a scalar's own error is its tag's to decide: `!!str =` is "="
		}
		inner = n
	}
	name := strings.TrimPrefix(strings.TrimPrefix(tag, "tag:yaml.org,2002:"), "!!")
	if strings.HasPrefix(tag, "!<tag:yaml.org,2002:") {
		name = strings.TrimSuffix(strings.TrimPrefix(tag, "!<tag:yaml.org,2002:"), ">")
	}
	switch name {
	case "!":
		// The non-specific tag: PyYAML's parser resolves a scalar as if it
		// were plain, even a quoted one (`! '12'` is an int).
		if inner.kind == scalarNode {
			out := *inner
			out.tag = resolvePlain(strings.TrimSuffix(inner.value, "\n")) // Python's $ matches before a last line break
			return &out, constructible(&out)
		}
		return inner, nil
	case "map", "omap", "pairs", "set":
		if inner.kind != mappingNode && (name == "map" || inner.kind != sequenceNode) {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: %s needs a mapping", tag)}
		}
		return inner, nil
	case "seq":
		if inner.kind != sequenceNode {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: %s needs a sequence", tag)}
		}
		return inner, nil
	case tagStr, tagInt, tagFloat, tagBool, tagNull, tagTimestamp, tagBinary:
		if inner.kind != scalarNode {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: %s needs a scalar", tag)}
		}
		if name == tagNull { // construct_yaml_null reads any scalar as None
			out := *inner
			out.tag = tagNull
			return &out, nil
		}
		resolved := resolvePlain(inner.value)
		intAsFloat := name == tagFloat && resolved == tagInt
		if name != tagStr && name != tagBinary && name != tagTimestamp && resolved != name && !intAsFloat {
			return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: %q is not a valid %s", inner.value, tag)}
		}
		out := *inner
		out.tag = name
		return &out, constructible(&out)
	}
	return nil, &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("invalid YAML: could not determine a constructor for the tag %q (the gateway loads with yaml.safe_load, which knows only standard tags)", tag)}
}

// mapping flattens merge keys as PyYAML does (merged entries first, the first
// of several merged mappings winning, explicit keys last) and keeps the last
// value of a repeated key, warning about repeats written out explicitly.
func (c *converter) mapping(entries []*ast.MappingValueNode, p position, depth int) (*node, error) {
	out := &node{kind: mappingNode, line: p.line, column: p.column}
	var merged, own []pair
	for _, e := range entries {
		if err := simpleKeyTooLong(e); err != nil {
			return nil, err
		}
		if _, isMerge := e.Key.(*ast.MergeKeyNode); isMerge {
			m, err := c.mergeSource(e.Value, depth)
			if err != nil {
				return nil, err
			}
			merged = append(merged, m...)
			continue
		}
		k, err := c.convert(e.Key, depth+1)
		if k != nil && k.kind == scalarNode && k.tag == tagValue {
			k.tag, err = tagStr, nil // SafeConstructor.flatten_mapping: a `=` key is the string
		}
		if err != nil {
			return nil, err
		}
		if k.kind != scalarNode {
			return nil, &Error{Line: k.line, Column: k.column, Msg: "invalid YAML: a mapping key must be a scalar (the gateway's loader cannot hash a list or mapping key)"}
		}
		var v *node
		if e.Value == nil {
			v = &node{kind: scalarNode, tag: tagNull, line: k.line, column: k.column}
		} else if v, err = c.convert(e.Value, depth+1); err != nil {
			return nil, err
		}
		own = append(own, pair{k, v})
	}
	if err := c.count(len(merged), p); err != nil {
		return nil, err
	}
	index := map[string]int{}
	explicit := map[int]bool{} // entries written in this mapping, not merged into it
	for i, e := range append(merged, own...) {
		id := e.key.tag + ":" + e.key.value
		j, seen := index[id]
		if !seen {
			j = len(out.pairs)
			index[id] = j
			out.pairs = append(out.pairs, e)
		} else {
			if i >= len(merged) && explicit[j] {
				c.warnings = append(c.warnings, &Error{Line: e.key.line, Column: e.key.column,
					Msg: fmt.Sprintf("duplicate key `%s` (first at line %d): the gateway's YAML loader silently keeps this last value", e.key.value, out.pairs[j].key.line)})
			}
			out.pairs[j] = e
		}
		explicit[j] = explicit[j] || i >= len(merged)
	}
	return out, nil
}

// maxSimpleKey is how far PyYAML's scanner looks back from a `:` for the key
// it ends (Scanner.stale_possible_simple_keys).
const maxSimpleKey = 1024

// simpleKeyTooLong refuses a block mapping key written without `?` whose
// colon comes more than 1024 characters after its start: PyYAML no longer
// takes it for a key ("mapping values are not allowed here").
func simpleKeyTooLong(e *ast.MappingValueNode) error {
	if e.IsFlowStyle || e.Start == nil || e.Start.Position == nil || e.Key == nil {
		return nil
	}
	if _, explicit := e.Key.(*ast.MappingKeyNode); explicit {
		return nil
	}
	k, colon := tokenPos(e.Key.GetToken()), tokenPos(e.Start)
	if k.line != colon.line || colon.column-k.column <= maxSimpleKey {
		return nil
	}
	return &Error{Line: colon.line, Column: colon.column, Msg: fmt.Sprintf(
		"invalid YAML: this key is %d characters long; the gateway's YAML loader reads a key of at most %d characters without `?` (\"mapping values are not allowed here\"): shorten it, or write it as `? key` with `: value` on the next line",
		colon.column-k.column, maxSimpleKey)}
}

// mergeSource is the value of a `<<` key: a mapping or a list of mappings.
func (c *converter) mergeSource(value ast.Node, depth int) ([]pair, error) {
	v, err := c.convert(value, depth+1)
	if err != nil {
		return nil, err
	}
	at := tokenPos(value.GetToken())
	switch v.kind {
	case mappingNode:
		return v.pairs, nil
	case sequenceNode:
		var out []pair
		// PyYAML: the first mapping in the list wins, so later ones come first.
		for i := len(v.items) - 1; i >= 0; i-- {
			m := v.items[i]
			if m.kind != mappingNode {
				return nil, &Error{Line: at.line, Column: at.column, Msg: "invalid YAML: a merge key (`<<`) list may hold only mappings"}
			}
			out = append(out, m.pairs...)
		}
		return out, nil
	}
	return nil, &Error{Line: at.line, Column: at.column, Msg: "invalid YAML: a merge key (`<<`) needs a mapping or a list of mappings"}
}

// intValue reads a YAML 1.1 integer (underscores, 0b, 0x, leading-zero octal,
// base-60) as PyYAML constructs it.
func intValue(s string) (int64, bool) {
	s = strings.ReplaceAll(s, "_", "")
	sign := int64(1)
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	var v int64
	var err error
	switch {
	case s == "0":
		return 0, true
	case strings.HasPrefix(s, "0b"):
		v, err = strconv.ParseInt(s[2:], 2, 64)
	case strings.HasPrefix(s, "0x"):
		v, err = strconv.ParseInt(s[2:], 16, 64)
	case strings.HasPrefix(s, "0"):
		v, err = strconv.ParseInt(s[1:], 8, 64)
	case strings.Contains(s, ":"):
		for _, part := range strings.Split(s, ":") {
			d, perr := strconv.ParseInt(part, 10, 64)
			if perr != nil || v > math.MaxInt64/60 {
				return 0, false
			}
			v = v*60 + d
		}
	default:
		v, err = strconv.ParseInt(s, 10, 64)
	}
	return sign * v, err == nil
}
