package pluginconfig

import (
	"errors"
	"fmt"
	"strings"
)

// What an editor of a config (yamlrender) needs from its one reading: the
// text the YAML loader reads, where its positions are in the bytes as
// written, and the document to compare a result against.

// Text is what the gateway's YAML loader reads: the file after rendering,
// without a leading byte-order mark.
func (r *Reading) Text() string { return r.text.text }

// Original maps a 1-based line and rune column of Text to the file as
// written: exact in literal text; inside a value a template wrote, its
// `{{`; text a loop wrote again maps to its one source.
func (r *Reading) Original(line, column int) (int, int) { return r.text.original(line, column) }

// ErrGenerated is returned for a place in Text that the template wrote (or
// wrote more than once), so an edit there has no one place in the file.
var ErrGenerated = errors.New("it is written by a template construct, or more than once (a loop)")

// literal maps a byte offset of the rendered output to the source, when
// it lies in literal text rendered exactly once.
func (r *Reading) literal(off int) (int, error) {
	s, exact := r.text.sourceOffset(off)
	if !exact {
		return 0, ErrGenerated
	}
	if len(r.text.segs) > 0 {
		if c := r.text.segs[r.text.segmentAt(off)].construct; c >= 0 && r.text.renders[c] != 1 {
			return 0, ErrGenerated
		}
	}
	return s, nil
}

// AfterLine is the byte offset in the file as written just after the line
// break that ends line of Text (the end of the file after its last line):
// where whole lines can be inserted after that line.
func (r *Reading) AfterLine(line int) (int, error) {
	s, err := r.afterLine(line)
	if err != nil {
		return 0, err
	}
	return r.text.src.written(s), nil
}

// afterLine is AfterLine as an offset of the source (Jinja2's text).
func (r *Reading) afterLine(line int) (int, error) {
	t := r.text
	if line < 1 || line > len(t.lineStarts) {
		return 0, fmt.Errorf("line %d is outside the file", line)
	}
	shift := 0
	if t.bomSkipped {
		shift = len(bom)
	}
	if line < len(t.lineStarts) {
		s, err := r.literal(t.lineStarts[line] - 1 + shift) // its line break
		if err != nil {
			return 0, err
		}
		return s + 1, nil
	}
	// The last line, without a line break (Jinja2 drops the file's last
	// one): the end of the file, after whatever wrote that line. Text there
	// is rendered once, after all the rest.
	return len(t.src.text), nil
}

// LineEnd is the byte offset in the file as written just after the last
// character of line of Text, when that character is literal text; repeated
// is true when a loop renders it more than once (a plugin a `{% for %}`
// writes): text put there follows the line in every run of the loop, where
// AfterLine has no one place. An empty line has no last character.
//
// Like InsertAfterLine, it refuses (wrapping ErrConditional) a place inside
// a control structure the entry whose key is at keyLine:keyColumn of Text
// does not start in: the loop body must hold the key too.
func (r *Reading) LineEnd(line, keyLine, keyColumn int) (offset int, repeated bool, err error) {
	t := r.text
	if line < 1 || line > len(t.lineStarts) {
		return 0, false, fmt.Errorf("line %d is outside the file", line)
	}
	start, end := t.lineStarts[line-1], len(t.text)
	if line < len(t.lineStarts) {
		end = t.lineStarts[line] - 1
	}
	if end <= start {
		return 0, false, ErrGenerated
	}
	shift := 0
	if t.bomSkipped {
		shift = len(bom)
	}
	last := end - 1 + shift
	s, exact := t.sourceOffset(last)
	if !exact {
		return 0, false, ErrGenerated
	}
	if len(t.segs) > 0 {
		if c := t.segs[t.segmentAt(last)].construct; c >= 0 {
			repeated = t.renders[c] > 1
		}
	}
	if tags, _ := r.constructs(); len(tags) > 0 {
		// The key may be loop text too: its one source, not literal's.
		key, exact := t.sourceOffset(t.renderedOffset(keyLine, keyColumn))
		if !exact {
			key = -1
		}
		if err := r.decided(s+1, key, s+1); err != nil {
			return 0, false, err
		}
	}
	return t.src.written(s + 1), repeated, nil
}

// At is the byte offset in the file as written of a line and column of
// Text, when the character there is literal text rendered once.
func (r *Reading) At(line, column int) (int, error) {
	s, err := r.literal(r.text.renderedOffset(line, column))
	if err != nil {
		return 0, err
	}
	return r.text.src.written(s), nil
}

// Literal reports whether the text between two offsets of the file as
// written is what the YAML loader reads between two positions of Text: no
// template construct in between, so replacing it changes only that text.
func (r *Reading) Literal(fromLine, fromColumn, toLine, toColumn int, from, to int) bool {
	rf, rt := r.text.renderedOffset(fromLine, fromColumn), r.text.renderedOffset(toLine, toColumn)
	if r.text.bomSkipped {
		rf, rt = rf-len(bom), rt-len(bom)
	}
	written := r.written
	if rf < 0 || rt > len(r.text.text) || rf > rt || from < 0 || to > len(written) || from > to {
		return false
	}
	src, rendered := normalizeNewlines(written[from:to]), r.text.text[rf:rt]
	// At the end of the file: Jinja2 dropped its last line break.
	return src == rendered || (to == len(written) && rt == len(r.text.text) && src == rendered+"\n")
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// segmentAt is the index of the segment holding off.
func (r *renderedText) segmentAt(off int) int {
	lo, hi := 0, len(r.segs)
	for lo < hi {
		m := (lo + hi) / 2
		if r.segs[m].rEnd <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(r.segs) {
		lo--
	}
	return lo
}

// DocumentDiff compares the documents two readings load: every key, value
// and item as safe_load builds them, not only what the model reads. skip
// names paths whose values are not compared (a key, or "[i]" for an item,
// from the root). It returns "" when they are the same, else where the
// first difference is.
func (r *Reading) DocumentDiff(o *Reading, skip func(path []string) bool) string {
	c := &comparer{skip: skip, same: map[[2]*node]bool{}}
	d, _ := c.diff(r.root, o.root, nil)
	return d
}

// comparer walks two documents. An alias shares its anchor's node, so a
// document of a few hundred bytes can reach a billion values through
// aliases of aliases: a pair of nodes found equal with nothing skipped
// below it is remembered and not walked again (equal in full, they are
// equal under any skip too, which drops the same keys from both).
type comparer struct {
	skip   func([]string) bool
	same   map[[2]*node]bool
	visits int
}

// diff returns where a and b first differ ("" if nowhere) and whether a
// skip left something out below them.
func (c *comparer) diff(a, b *node, path []string) (string, bool) {
	where := func(what string) string {
		if len(path) == 0 {
			return "the document " + what
		}
		return strings.Join(path, ".") + " " + what
	}
	switch {
	case a == nil && b == nil:
		return "", false
	case a == nil || b == nil:
		return where("appears or disappears"), false
	}
	if c.same[[2]*node{a, b}] {
		return "", false
	}
	if c.visits++; c.visits > maxValues {
		return fmt.Sprintf("the document reaches more than %d values through its aliases", maxValues), false
	}
	if a.kind != b.kind {
		return where("changes type"), false
	}
	skipped := false
	switch a.kind {
	case scalarNode:
		if a.tag != b.tag || a.value != b.value {
			return where(fmt.Sprintf("changes from %q to %q", a.value, b.value)), false
		}
	case sequenceNode:
		if len(a.items) != len(b.items) {
			return where("changes length"), false
		}
		for i := range a.items {
			d, s := c.diff(a.items[i], b.items[i], append(path[:len(path):len(path)], fmt.Sprintf("[%d]", i)))
			if d != "" {
				return d, false
			}
			skipped = skipped || s
		}
	case mappingNode:
		pa, sa := c.pairs(a, path)
		pb, sb := c.pairs(b, path)
		skipped = sa || sb
		if len(pa) != len(pb) {
			return where("gains or loses keys"), false
		}
		for i := range pa {
			if pa[i].key.tag != pb[i].key.tag || pa[i].key.value != pb[i].key.value {
				return where(fmt.Sprintf("has key %q where it had %q", pb[i].key.value, pa[i].key.value)), false
			}
			d, s := c.diff(pa[i].value, pb[i].value, append(path[:len(path):len(path)], pa[i].key.value))
			if d != "" {
				return d, false
			}
			skipped = skipped || s
		}
	}
	if !skipped {
		c.same[[2]*node{a, b}] = true
	}
	return "", skipped
}

// pairs is m's entries without those skip names; true if it dropped any.
func (c *comparer) pairs(m *node, path []string) ([]pair, bool) {
	if c.skip == nil {
		return m.pairs, false
	}
	out := make([]pair, 0, len(m.pairs))
	for _, p := range m.pairs {
		if !c.skip(append(path[:len(path):len(path)], p.key.value)) {
			out = append(out, p)
		}
	}
	return out, len(out) != len(m.pairs)
}
