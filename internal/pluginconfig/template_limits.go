package pluginconfig

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/tokens"
)

// Limits that keep a hostile template cheap to read: a config.yaml holds a
// few short expressions. The parser and the renderer recurse on nesting, so
// nesting is bounded before either runs; Python's own recursion limit stops
// the gateway's Jinja2 well before these.
const (
	maxTemplateNesting  = 64        // brackets, or unary operators in a row, in one tag
	maxBlockNesting     = 100       // {% if %}, {% for %}, ... inside each other
	maxTagTokens        = 10_000    // tokens in one {{ }} or {% %}
	maxRenderSteps      = 100_000   // loop iterations (filtered out too) and macro calls
	maxRenderPieces     = 4_000_000 // nodes written
	maxRangeItems       = 100_000   // Jinja2's sandbox: MAX_RANGE
	maxRangeItemsTotal  = 1_000_000
	maxMacroStackFrames = 4_000
)

var blockTags = map[string]string{
	"if": "endif", "for": "endfor", "macro": "endmacro", "call": "endcall", "filter": "endfilter",
	"with": "endwith", "block": "endblock", "autoescape": "endautoescape",
}

var blockEnds = func() map[string]bool {
	m := map[string]bool{}
	for _, end := range blockTags {
		m[end] = true
	}
	return m
}()

// checkTemplateLimits lexes src and refuses nesting mcptls will not parse.
func checkTemplateLimits(src *source) *Error {
	stream := tokens.LexAll(src.text, jinjaConfig())
	blocks := 0
	inTag, tagTokens, depth, unary := false, 0, 0, 0
	atTagName := false
	for !stream.End() {
		t := stream.Next()
		at := func(msg string) *Error {
			line, col := src.position(t.Pos)
			return &Error{Line: line, Column: col, Msg: msg}
		}
		switch t.Type {
		case tokens.VariableBegin, tokens.BlockBegin:
			inTag, tagTokens, depth, unary = true, 0, 0, 0
			atTagName = t.Type == tokens.BlockBegin
			continue
		case tokens.VariableEnd, tokens.BlockEnd:
			inTag = false
			continue
		}
		if !inTag {
			continue
		}
		if atTagName && t.Type == tokens.Name {
			atTagName = false
			switch {
			case blockTags[t.Val] != "":
				if blocks++; blocks > maxBlockNesting {
					return at(fmt.Sprintf("template blocks nest deeper than %d here; mcptls does not render such a template: flatten it", maxBlockNesting))
				}
			case blockEnds[t.Val] && blocks > 0:
				blocks--
			}
		}
		if tagTokens++; tagTokens > maxTagTokens {
			return at(fmt.Sprintf("this template tag holds more than %d tokens; mcptls does not render such a template: shorten it", maxTagTokens))
		}
		switch t.Type {
		case tokens.LeftParenthesis, tokens.LeftBracket, tokens.LeftBrace:
			depth++
		case tokens.RightParenthesis, tokens.RightBracket, tokens.RightBrace:
			if depth > 0 {
				depth--
			}
		}
		switch t.Type {
		case tokens.Addition, tokens.Subtraction, tokens.Not:
			unary++
		default:
			unary = 0
		}
		if depth > maxTemplateNesting || unary > maxTemplateNesting {
			return at(fmt.Sprintf("this template expression nests deeper than %d levels; mcptls does not render such a template (the gateway's Jinja2 stops at its recursion limit): simplify it", maxTemplateNesting))
		}
	}
	return nil
}
