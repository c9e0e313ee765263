package pluginconfig

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Where the template as written decides whether text is read. Text an
// editor inserts is rendered under the gateway's environment, which may not
// be template_env: inside `{% if %}…{% endif %}` the gateway reads it only
// when that branch renders, inside a loop as often as the loop runs. The
// reading says where the template leaves that choice open.

// ErrConditional is returned for a place where the template as written
// decides whether, or how often, the gateway reads what is written there.
var ErrConditional = errors.New("the template decides whether the gateway reads text there")

// templateTag is one `{% … %}` of the source.
type templateTag struct {
	name       string
	start, end int  // source offsets of its `{%` and after its `%}`
	assign     bool // an `=` outside brackets: `{% set x = … %}`, not a set block
}

// controlBlock is a statement with a body: if, for, macro, call, filter,
// with, autoescape, block, trans and the block form of set.
type controlBlock struct {
	tag templateTag // its opening tag
	// branches are the bodies between its tags ({% else %}, {% elif %} and
	// {% pluralize %} start new ones): [start, end] source offsets.
	branches [][2]int
}

// blockOpeners are the statements whose body ends at `end<name>`.
var blockOpeners = map[string]bool{"if": true, "for": true, "macro": true, "call": true, "filter": true, "with": true, "autoescape": true, "block": true, "trans": true, "set": true}

// templateTags lexes the statements of the source (the template parsed, so
// it lexes); {% raw %} and {% endraw %} are left out: a raw body is text.
func templateTags(src string) []templateTag {
	var tags []templateTag
	cur, depth := -1, 0
	s := tokens.LexAll(src, jinjaConfig())
	for !s.End() {
		tok := s.Next()
		switch tok.Type {
		case tokens.BlockBegin:
			tags = append(tags, templateTag{start: tok.Pos})
			cur, depth = len(tags)-1, 0
		case tokens.Name:
			if cur >= 0 && tags[cur].name == "" {
				tags[cur].name = tok.Val
			}
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			depth++
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			depth--
		case tokens.Assign:
			if cur >= 0 && depth == 0 {
				tags[cur].assign = true
			}
		case tokens.BlockEnd:
			if cur >= 0 {
				tags[cur].end = tok.Pos + len(tok.Val)
			}
			cur = -1
		}
	}
	out := tags[:0]
	for _, t := range tags {
		if t.name != "raw" && t.name != "endraw" {
			out = append(out, t)
		}
	}
	return out
}

// controlBlocks pairs the tags into blocks.
func controlBlocks(tags []templateTag) []controlBlock {
	var done []controlBlock
	var stack []controlBlock
	for _, t := range tags {
		switch {
		case blockOpeners[t.name] && (t.name != "set" || !t.assign):
			stack = append(stack, controlBlock{tag: t, branches: [][2]int{{t.end, -1}}})
		case len(stack) == 0:
		case t.name == "elif" || t.name == "else" || t.name == "pluralize":
			top := &stack[len(stack)-1]
			top.branches[len(top.branches)-1][1] = t.start
			top.branches = append(top.branches, [2]int{t.end, -1})
		case t.name == "end"+stack[len(stack)-1].tag.name:
			top := stack[len(stack)-1]
			top.branches[len(top.branches)-1][1] = t.start
			done = append(done, top)
			stack = stack[:len(stack)-1]
		}
	}
	return done
}

// constructs lexes the source once.
func (r *Reading) constructs() ([]templateTag, []controlBlock) {
	if r.tags == nil {
		r.tags = []templateTag{}
		if strings.Contains(r.text.src.text, "{%") {
			r.tags = templateTags(r.text.src.text)
		}
		r.blocks = controlBlocks(r.tags)
	}
	return r.tags, r.blocks
}

// InsertAfterLine is AfterLine for lines that belong to the entry whose key
// is at keyLine:keyColumn of Text (lines that end a mapping). It refuses,
// wrapping ErrConditional, a place the template as written may leave out or
// repeat under another environment: inside a control structure ({% if %},
// {% for %}, {% macro %}, a {% set %} or {% filter %} block, …) that does
// not hold the key in the same branch, or after a statement that stands
// between the line's text and the line break the new lines follow (`url: …`
// then `{%- if … %}`, whose `-` ate the line break after the url).
func (r *Reading) InsertAfterLine(line, keyLine, keyColumn int) (int, error) {
	at, err := r.afterLine(line)
	if err != nil {
		return 0, err
	}
	if tags, _ := r.constructs(); len(tags) > 0 {
		t := r.text
		end := len(t.text) // the line's end in Text
		if line < len(t.lineStarts) {
			end = t.lineStarts[line] - 1
		}
		if err := r.decided(at, r.keyOffset(keyLine, keyColumn), r.writtenBefore(end)); err != nil {
			return 0, err
		}
	}
	return r.text.src.written(at), nil
}

// InsertAt is At for text inserted before the character at line:column of
// Text that belongs to the entry whose key is at keyLine:keyColumn; it
// refuses a place inside a control structure as InsertAfterLine does.
func (r *Reading) InsertAt(line, column, keyLine, keyColumn int) (int, error) {
	at, err := r.literal(r.text.renderedOffset(line, column))
	if err != nil {
		return 0, err
	}
	if tags, _ := r.constructs(); len(tags) > 0 {
		if err := r.decided(at, r.keyOffset(keyLine, keyColumn), at); err != nil {
			return 0, err
		}
	}
	return r.text.src.written(at), nil
}

// keyOffset is the source offset of a key of Text, or -1 if a template
// construct writes it.
func (r *Reading) keyOffset(line, column int) int {
	off, err := r.literal(r.text.renderedOffset(line, column))
	if err != nil {
		return -1
	}
	return off
}

// writtenBefore is the source offset just after what wrote the text of
// Text before offset end: the end of the literal text or of the `{{ }}`
// that wrote it.
func (r *Reading) writtenBefore(end int) int {
	t := r.text
	if t.bomSkipped {
		end += len(bom)
	}
	if end <= 0 || len(t.segs) == 0 {
		return 0
	}
	seg := t.segs[t.segmentAt(end-1)]
	switch {
	case seg.exact:
		return seg.sStart + (end - 1 - seg.rStart) + 1
	case seg.construct >= 0 && t.constructs[seg.construct].kind == outputConstruct && t.constructs[seg.construct].end > 0:
		return t.constructs[seg.construct].end
	}
	return seg.sStart
}

// decided refuses at (a source offset) when the template may leave out or
// repeat text there while keeping key, or when a statement stands in
// [from, at).
func (r *Reading) decided(at, key, from int) error {
	tags, blocks := r.constructs()
	for _, b := range blocks {
		for _, br := range b.branches {
			if at < br[0] || at > br[1] {
				continue
			}
			if key < br[0] || key > br[1] {
				line, col := r.text.src.position(b.tag.start)
				return fmt.Errorf("%w (inside the {%% %s %%} at line %d, column %d, a branch the mapping does not start in)",
					ErrConditional, b.tag.name, line, col)
			}
		}
	}
	for _, t := range tags {
		if t.start >= from && t.start < at {
			line, col := r.text.src.position(t.start)
			return fmt.Errorf("%w (after the {%% %s %%} at line %d, column %d, which stands between the last line's text and its line break)",
				ErrConditional, t.name, line, col)
		}
	}
	return nil
}
