package pluginconfig

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// What the gateway does with a name its config template does not define:
// Jinja2 renders it as an empty string, wherever it stands. In a YAML
// comment that is harmless; in a plugin's own payload template (a webhook
// body's "{{event}}") the plugin receives it empty; in a URL, a transport or a
// port it changes where or how the gateway connects. So an undefined name is
// an error in a value that decides something, nothing in a comment, and a
// warning elsewhere, saying what the gateway will read. A name under
// `default`, `is defined` or a condition is undefined on purpose: no
// diagnostic.

// undefinedNames turns what the render met into diagnostics, positioned in
// the file as written.
func (p *parser) undefinedNames(t *renderedText) (errs, warnings []*Error) {
	if len(t.holes) == 0 && len(t.escapes) == 0 {
		return nil, nil
	}
	comments := commentStarts(t.text)
	seen := map[string]bool{}
	add := func(list *[]*Error, offset int, msg string) {
		line, col := t.src.position(offset)
		key := fmt.Sprintf("%d:%d:%s", line, col, msg)
		if !seen[key] {
			seen[key] = true
			*list = append(*list, &Error{Line: line, Column: col, Msg: msg})
		}
	}
	for _, h := range t.holes {
		names := uncovered(t, h)
		if h.construct < 0 {
			continue
		}
		c := t.constructs[h.construct]
		if len(names) == 0 {
			// an undefined value from a variable (set from a missing name, a
			// macro parameter not passed): decisive is still an error
			if h.undefined && c.kind == outputConstruct {
				line, col := t.yamlPosition(h.rStart)
				if d := p.decisiveAt(t, line, col); d != "" {
					add(&errs, c.start, fmt.Sprintf("this writes an undefined value (a variable set from a name not in template_env, or a macro parameter not passed), so the gateway renders it as an empty string in %s (the line reads %q), which decides where or how it connects: give the value a default (`| default('…')`) or add the name it comes from to template_env", d, t.lineText(line)))
				}
			}
			continue
		}
		if c.kind != outputConstruct {
			for _, m := range names {
				add(&warnings, t.sites[m.site].offset, fmt.Sprintf("%s: the gateway reads it as undefined here (empty, false); %s", undefinedWhat(m.name), fixFor(m.name)))
			}
			continue
		}
		line, col := t.yamlPosition(h.rStart)
		if comments[line] > 0 && comments[line] <= col {
			continue // an empty string in a YAML comment changes nothing
		}
		reads := t.lineText(line)
		for _, m := range names {
			if d := p.decisiveAt(t, line, col); d != "" {
				add(&errs, t.sites[m.site].offset, fmt.Sprintf("%s, so the gateway renders it as an empty string in %s (the line reads %q), which decides where or how it connects: %s",
					undefinedWhat(m.name), d, reads, fixFor(m.name)))
				continue
			}
			add(&warnings, t.sites[m.site].offset, fmt.Sprintf("%s: the gateway renders it as an empty string here, so it reads %q; %s", undefinedWhat(m.name), reads, fixFor(m.name)))
		}
	}
	for _, e := range t.escapes {
		c := t.constructs[e.construct]
		line, col := t.yamlPosition(e.rStart)
		if comments[line] > 0 && comments[line] <= col {
			continue
		}
		add(&warnings, c.start, fmt.Sprintf("the gateway's Jinja2 autoescape writes %q here, not %q (it turns & < > ' \" into HTML entities): add `| safe` to keep the value as it is", htmlEscape(e.value), e.value))
	}
	return errs, warnings
}

// uncovered lists the names a hole met outside default/defined/conditions,
// each once.
func uncovered(t *renderedText, h hole) []missing {
	var out []missing
	seen := map[string]bool{}
	for _, m := range h.missing {
		if m.site < 0 || m.site >= len(t.sites) || t.sites[m.site].covered || seen[m.name] {
			continue
		}
		seen[m.name] = true
		out = append(out, m)
	}
	return out
}

func undefinedWhat(name string) string {
	if strings.HasPrefix(name, "env") {
		return name + " is not in template_env"
	}
	return fmt.Sprintf("`%s` is not defined (the gateway gives its config template only `env`)", name)
}

func fixFor(name string) string {
	if strings.HasPrefix(name, "env") {
		return "add it to template_env with the value the gateway's environment gives it (\"\" if it is unset), or give it a default: `| default('…')`"
	}
	return fmt.Sprintf("if this is a plugin's own template, keep it from the gateway's rendering: {%% raw %%}{{ %s }}{%% endraw %%}", name)
}

// decisiveAt names the decisive value that holds line and column of the
// rendered text: one that starts on the line at or before the column and
// reaches it, or a multi-line value (a block scalar, a folded plain or
// quoted one) that starts on a line above and goes on down to it.
func (p *parser) decisiveAt(t *renderedText, line, column int) string {
	best := ""
	bestCol := 0
	for _, d := range p.decisive[line] {
		if d.column <= column && d.column >= bestCol && column <= scalarEnd(t.rawLine(line), d.column) {
			best, bestCol = d.what, d.column
		}
	}
	if best != "" {
		return best
	}
	// a line above, less indented than this one (its key, for YAML), whose
	// decisive value runs to its end and so on down to this line
	indent := indentation(t.rawLine(line))
	for l := line - 1; l >= 1; l-- {
		text := t.rawLine(l)
		if strings.TrimSpace(text) == "" || keyIndentation(text) >= indent {
			continue
		}
		for _, d := range p.decisive[l] {
			if scalarEnd(text, d.column) > utf8.RuneCountInString(text) {
				best = d.what
			}
		}
		return best
	}
	return ""
}

// keyIndentation is where a line's first key starts: past its indentation
// and any "- " of sequence entries.
func keyIndentation(line string) int {
	i := indentation(line)
	for i+1 < len(line) && line[i] == '-' && (line[i+1] == ' ' || line[i+1] == '\t') {
		i += 2
		for i < len(line) && line[i] == ' ' {
			i++
		}
	}
	return i
}

// scalarEnd is the column after a scalar that starts at column of line: a
// quoted one ends at its closing quote, a plain one in a flow collection at
// the next `,`, `]` or `}`, any other at ` #` or the line's end (then past
// the line: it may go on below).
func scalarEnd(line string, column int) int {
	r := []rune(line)
	if column < 1 || column > len(r) {
		return len(r) + 1
	}
	i := column - 1
	switch r[i] {
	case '\'', '"':
		q := r[i]
		for j := i + 1; j < len(r); j++ {
			switch {
			case q == '"' && r[j] == '\\':
				j++
			case r[j] == q && q == '\'' && j+1 < len(r) && r[j+1] == '\'':
				j++
			case r[j] == q:
				return j + 2
			}
		}
		return len(r) + 1
	}
	flow := strings.ContainsAny(string(r[:i]), "{[")
	for j := i; j < len(r); j++ {
		if flow && strings.ContainsRune(",]}", r[j]) || r[j] == '#' && j > 0 && (r[j-1] == ' ' || r[j-1] == '\t') {
			return j + 1
		}
	}
	return len(r) + 1
}

func indentation(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// rawLine is a rendered line as it stands.
func (r *renderedText) rawLine(line int) string {
	if line < 1 || line > len(r.lineStarts) {
		return ""
	}
	end := len(r.text)
	if line < len(r.lineStarts) {
		end = r.lineStarts[line] - 1
	}
	return strings.TrimSuffix(r.text[r.lineStarts[line-1]:end], "\r")
}

// yamlPosition is the line and column in text (what the YAML loader reads)
// of an offset of the rendered output.
func (r *renderedText) yamlPosition(off int) (int, int) {
	if r.bomSkipped {
		off -= len(bom)
	}
	off = max(0, min(off, len(r.text)))
	line := sort.Search(len(r.lineStarts), func(i int) bool { return r.lineStarts[i] > off })
	return line, 1 + utf8.RuneCountInString(r.text[r.lineStarts[line-1]:off])
}

// lineText is a rendered line as a reader would quote it.
func (r *renderedText) lineText(line int) string {
	s := strings.TrimSpace(r.rawLine(line))
	if utf8.RuneCountInString(s) > 100 {
		s = string([]rune(s)[:100]) + "…"
	}
	return s
}

// commentStarts maps each line of text to the column its YAML comment
// starts at (0: none), as the YAML lexer finds comments.
func commentStarts(text string) map[int]int {
	out := map[int]int{}
	defer func() { _ = recover() }() // the lexer never sees a file that did not parse; be safe anyway
	for _, tk := range lexer.Tokenize(text) {
		if tk.Type == token.CommentType && tk.Position != nil {
			if c, ok := out[tk.Position.Line]; !ok || tk.Position.Column < c {
				out[tk.Position.Line] = tk.Position.Column
			}
		}
	}
	return out
}
