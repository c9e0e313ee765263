package yamlrender

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// tree is a parsed config text with its aliases resolved as PyYAML resolves
// them (an alias names the latest anchor of that name before it) and merge
// keys flattened as in pluginconfig: it finds which mapping of the text holds
// a value the gateway reads, so an edit lands where that value is written.
type tree struct {
	root    ast.Node
	targets map[*ast.AliasNode]ast.Node // alias -> the anchored value
	aliased map[ast.Node]bool           // anchored values some alias refers to
	pairs   map[ast.Node][]*ast.MappingValueNode
}

// newTree indexes the syntax tree of a config's one reading.
func newTree(root ast.Node) *tree {
	t := &tree{targets: map[*ast.AliasNode]ast.Node{}, aliased: map[ast.Node]bool{}, pairs: map[ast.Node][]*ast.MappingValueNode{}}
	if root != nil {
		t.root = root
		t.index(t.root, map[string]ast.Node{}, 0)
	}
	return t
}

// maxDepth bounds recursion as pluginconfig does; a file that parsed there
// never comes near it.
const maxDepth = 512

// index records alias targets in document order.
func (t *tree) index(n ast.Node, anchors map[string]ast.Node, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		t.index(v.Value, anchors, depth+1)
		anchors[tokenValue(v.Name)] = v.Value
	case *ast.AliasNode:
		if target := anchors[tokenValue(v.Value)]; target != nil {
			t.targets[v] = target
			t.aliased[target] = true
		}
	case *ast.TagNode:
		t.index(v.Value, anchors, depth+1)
	case *ast.MappingNode:
		for _, e := range v.Values {
			t.index(e, anchors, depth+1)
		}
	case *ast.MappingValueNode:
		t.index(v.Key, anchors, depth+1)
		t.index(v.Value, anchors, depth+1)
	case *ast.MappingKeyNode:
		t.index(v.Value, anchors, depth+1)
	case *ast.SequenceNode:
		for _, item := range v.Values {
			t.index(item, anchors, depth+1)
		}
	}
}

func tokenValue(n ast.Node) string {
	if n == nil || n.GetToken() == nil {
		return ""
	}
	return n.GetToken().Value
}

// resolve strips anchors and tags and follows aliases to the value written.
func (t *tree) resolve(n ast.Node) ast.Node {
	for i := 0; n != nil && i < maxDepth; i++ {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.MappingKeyNode:
			n = v.Value
		case *ast.AliasNode:
			n = t.targets[v]
		default:
			return n
		}
	}
	return n
}

// own lists the entries written in a mapping node.
func own(m ast.Node) []*ast.MappingValueNode {
	switch v := m.(type) {
	case *ast.MappingNode:
		return v.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}
	}
	return nil
}

func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

// effective lists a mapping's entries as PyYAML flattens them: merged
// entries first (of several `<<` sources, the first wins), its own last. The
// last entry of a key is the one that counts.
func (t *tree) effective(m ast.Node, depth int) []*ast.MappingValueNode {
	if got, ok := t.pairs[m]; ok {
		return got
	}
	var merged, mine []*ast.MappingValueNode
	for _, e := range own(m) {
		if _, isMerge := e.Key.(*ast.MergeKeyNode); !isMerge {
			mine = append(mine, e)
			continue
		}
		if depth > maxDepth {
			continue
		}
		switch src := t.resolve(e.Value).(type) {
		case *ast.SequenceNode:
			for i := len(src.Values) - 1; i >= 0; i-- {
				if item := t.resolve(src.Values[i]); isMapping(item) {
					merged = append(merged, t.effective(item, depth+1)...)
				}
			}
		default:
			if isMapping(src) {
				merged = append(merged, t.effective(src, depth+1)...)
			}
		}
	}
	out := append(merged, mine...)
	t.pairs[m] = out
	return out
}

// lookup finds the entry of key that counts in mapping m, and whether it is
// written in m itself (not merged into it).
func (t *tree) lookup(m ast.Node, key string) (*ast.MappingValueNode, bool) {
	entries := t.effective(m, 0)
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if k := t.resolve(e.Key); k != nil && isScalar(k) && scalar(k) == key {
			for _, o := range own(m) {
				if o == e {
					return e, true
				}
			}
			return e, false
		}
	}
	return nil, false
}

func isScalar(n ast.Node) bool {
	switch n.(type) {
	case ast.ScalarNode, *ast.LiteralNode:
		return true
	}
	return false
}

// scalar is a scalar's text.
func scalar(n ast.Node) string {
	if l, ok := n.(*ast.LiteralNode); ok && l.Value != nil {
		return l.Value.Value
	}
	return tokenValue(n)
}

// position is a 1-based line and rune column of the rendered text.
type position struct{ line, column int }

func start(n ast.Node) position {
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return position{}
	}
	return position{tk.Position.Line, tk.Position.Column}
}

// keyStart is where an entry's key is written.
func keyStart(e *ast.MappingValueNode) position { return start(e.Key) }

// lastLine is the last line any token of n's subtree is written on (aliases
// are not followed: their target is written elsewhere).
func lastLine(n ast.Node) int {
	last := 0
	ast.Walk(lineVisitor{&last}, n)
	return last
}

type lineVisitor struct{ last *int }

func (v lineVisitor) Visit(n ast.Node) ast.Visitor {
	v.token(n.GetToken())
	// Walk does not visit the closing bracket of a flow collection.
	switch c := n.(type) {
	case *ast.MappingNode:
		v.token(c.End)
	case *ast.SequenceNode:
		v.token(c.End)
	}
	return v
}

func (v lineVisitor) token(tk *token.Token) {
	if tk == nil || tk.Position == nil {
		return
	}
	// A token's Origin carries the blanks around it; a quoted or block
	// scalar's line breaks inside it count.
	if end := tk.Position.Line + strings.Count(strings.TrimSpace(tk.Origin), "\n"); end > *v.last {
		*v.last = end
	}
}

// anchorsIn lists the anchors defined in n's subtree that an alias refers to.
func (t *tree) anchorsIn(n ast.Node) []string {
	var names []string
	ast.Walk(anchorVisitor{t, &names}, n)
	return names
}

type anchorVisitor struct {
	t     *tree
	names *[]string
}

func (v anchorVisitor) Visit(n ast.Node) ast.Visitor {
	if a, ok := n.(*ast.AnchorNode); ok && v.t.aliased[a.Value] {
		*v.names = append(*v.names, "&"+tokenValue(a.Name))
	}
	return v
}
