package pluginconfig

import (
	"fmt"
	"io"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/nodes"
	gparser "github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"
)

// rawBlock is `{% raw %}...{% endraw %}` as Jinja2 renders it: the text
// between as written, nothing for an empty block (gonja's parser fails on
// one), and the whitespace control of the two tags applied to the text
// inside (`{%- raw -%}  x  {%- endraw %}` is "x"; gonja ignores it).
type rawBlock struct {
	at   *tokens.Token
	data *nodes.Data // nil when empty
	text string      // what it writes, set by the rewrite
}

func (b *rawBlock) Position() *tokens.Token { return b.at }

func (b *rawBlock) String() string {
	return fmt.Sprintf("RawBlock(Line=%d Col=%d)", b.at.Line, b.at.Col)
}

func (b *rawBlock) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	_, err := io.WriteString(r.Output, b.text)
	return err
}

func rawParser(p *gparser.Parser, args *gparser.Parser) (nodes.ControlStructure, error) {
	b := &rawBlock{at: p.Current()}
	wrapper, _, err := p.WrapUntil("endraw")
	if err != nil {
		return nil, err
	}
	if !args.End() {
		return nil, args.Error("raw controlStructure doesn't accept parameters.", args.Current())
	}
	switch len(wrapper.Nodes) {
	case 0:
	case 1:
		data, ok := wrapper.Nodes[0].(*nodes.Data)
		if !ok {
			return nil, p.Error("raw controlStructure can only contains a single data node", wrapper.Nodes[0].Position())
		}
		b.data, b.at, b.text = data, data.Position(), data.Data.Val
	default:
		return nil, p.Error("raw controlStructure can only contains a single data node", wrapper.Nodes[1].Position())
	}
	return b, nil
}

// trimRaw applies the tags' whitespace control to a raw block's text: a
// `-%}` closing `{% raw` strips the whitespace after it, a `{%-` opening
// `endraw` the whitespace before it.
func trimRaw(b *rawBlock, text string) {
	if b.data == nil {
		return
	}
	start := b.data.Data.Pos
	end := start + len(b.data.Data.Val)
	if start >= 3 && start <= len(text) && text[start-3:start] == "-%}" {
		b.text = strings.TrimLeft(b.text, " \t\r\n")
	}
	if end+3 <= len(text) && text[end:end+3] == "{%-" {
		b.text = strings.TrimRight(b.text, " \t\r\n")
	}
}
