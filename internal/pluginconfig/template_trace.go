package pluginconfig

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Tracing where the rendered text comes from. Before each node of the
// template that writes to the output, the rewrite (template_rewrite.go)
// inserts a marker: a data node whose text names the node. The tracer is the
// writer the template renders into; a marker is not output but a boundary:
// what is written after it, up to the next marker, comes from that node.
// Literal text maps back byte for byte; the value of a `{{ }}` maps to its
// `{{`, what a statement writes (a filter block, a raw block) to its `{%`.
// Text a loop writes more than once maps back to its one source each time.

// markerPrefix starts a marker. It holds a NUL, which a config cannot hold
// where it reaches the YAML loader, so no literal text of a file that loads
// is ever taken for a marker.
const markerPrefix = "\x00mcptls:"

func marker(id int) string { return markerPrefix + strconv.Itoa(id) }

type constructKind int

const (
	dataConstruct      constructKind = iota // literal text
	outputConstruct                         // {{ ... }}
	statementConstruct                      // {% ... %}
)

// construct is a node of the template that writes output.
type construct struct {
	kind  constructKind
	start int    // byte offset in the source of its first character
	end   int    // byte offset after its last character, for data and output
	text  string // literal text, for data
}

// segment is a run of the rendered text and where it came from.
type segment struct {
	rStart, rEnd int
	sStart       int  // the source offset of rStart, or the construct's start
	exact        bool // every byte maps to sStart + (r - rStart)
	construct    int
}

// missing is a name that was not defined where it was evaluated.
type missing struct {
	site int    // where it is written (renderState.sites)
	name string // as the template names it: env.NAME, env['NAME'] or a bare name
}

// hole is one run of a construct that evaluated names that are not defined.
type hole struct {
	construct    int
	rStart, rEnd int // what it wrote
	missing      []missing
	// undefined is true when the construct wrote an undefined value: the
	// gateway writes an empty string there.
	undefined bool
}

// tracer is the writer a render writes into.
type tracer struct {
	st        *renderState
	out       strings.Builder
	segs      []segment
	current   int // construct being rendered, -1 before the first
	runStart  int
	pending   []missing
	undefined bool
	holes     []hole
	escapes   []escape
	renders   map[int]int // construct -> how many times it rendered
	steps     int         // loop iterations and macro calls
	pieces    int         // markers passed
}

// escape is a value autoescape changed where it was written.
type escape struct {
	construct int
	rStart    int
	value     string
}

func newTracer(st *renderState) *tracer {
	return &tracer{st: st, current: -1, renders: map[int]int{}}
}

func (t *tracer) Write(p []byte) (int, error) { return t.WriteString(string(p)) }

func (t *tracer) WriteString(s string) (int, error) {
	if strings.HasPrefix(s, markerPrefix) {
		if id, err := strconv.Atoi(s[len(markerPrefix):]); err == nil && id >= 0 && id < len(t.st.constructs) {
			t.boundary(id)
			if t.pieces++; t.pieces > maxRenderPieces {
				return 0, t.st.limit("the template writes more than 4,000,000 pieces (a loop too long?); mcptls stops here")
			}
			return len(s), nil
		}
	}
	if t.out.Len()+len(s) > MaxConfigBytes {
		return 0, t.st.limit("the rendered file would be larger than the 4 MiB a plugin config may be; mcptls stops here")
	}
	if s == "" {
		return 0, nil
	}
	seg := segment{rStart: t.out.Len(), rEnd: t.out.Len() + len(s), construct: t.current}
	if t.current >= 0 {
		c := t.st.constructs[t.current]
		seg.sStart = c.start
		if c.kind == dataConstruct {
			if k := strings.Index(c.text, s); k >= 0 && c.start+k+len(s) <= len(t.st.src.text) && t.st.src.text[c.start+k:c.start+k+len(s)] == s {
				seg.sStart, seg.exact = c.start+k, true
			}
		}
	}
	t.out.WriteString(s)
	t.segs = append(t.segs, seg)
	return len(s), nil
}

// boundary closes the run of the current construct and opens next's.
func (t *tracer) boundary(next int) {
	t.flush()
	t.current, t.runStart = next, t.out.Len()
	t.renders[next]++
}

func (t *tracer) flush() {
	if len(t.pending) > 0 || t.undefined {
		t.holes = append(t.holes, hole{construct: t.current, rStart: t.runStart, rEnd: t.out.Len(), missing: t.pending, undefined: t.undefined})
	}
	t.pending, t.undefined = nil, false
}

func (t *tracer) finish() { t.flush() }

func (t *tracer) miss(site int, name string) {
	t.pending = append(t.pending, missing{site: site, name: name})
}

// renderedText is the file after rendering, with where each piece came from.
type renderedText struct {
	src  *source
	text string // what the YAML loader reads: the rendered file without a leading byte-order mark
	// bomSkipped is true when the rendered file started with a byte-order
	// mark, which PyYAML skips: it is not in text.
	bomSkipped bool
	lineStarts []int
	segs       []segment
	holes      []hole
	escapes    []escape
	renders    map[int]int
	constructs []construct
	sites      []site
}

func newRenderedText(src *source, out string, t *tracer, st *renderState) *renderedText {
	rt := &renderedText{src: src, segs: t.segs, holes: t.holes, escapes: t.escapes, renders: t.renders}
	if st != nil {
		rt.constructs, rt.sites = st.constructs, st.sites
	}
	if strings.HasPrefix(out, bom) {
		out, rt.bomSkipped = out[len(bom):], true
	}
	rt.text = out
	rt.lineStarts = lineStarts(out)
	return rt
}

func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// renderedOffset is the byte offset in the output (with its byte-order
// mark) of a line and rune column of text.
func (r *renderedText) renderedOffset(line, column int) int {
	if line < 1 {
		line, column = 1, 1
	}
	if line > len(r.lineStarts) {
		line, column = len(r.lineStarts), 1<<30
	}
	off := r.lineStarts[line-1]
	for c := 1; c < column && off < len(r.text) && r.text[off] != '\n'; c++ {
		_, size := utf8.DecodeRuneInString(r.text[off:])
		off += size
	}
	if r.bomSkipped {
		off += len(bom)
	}
	return off
}

// sourceOffset maps an offset of the output to the source; exact is false
// when it lies in generated text (mapped to its construct's start).
func (r *renderedText) sourceOffset(off int) (int, bool) {
	if len(r.segs) == 0 {
		return min(off, len(r.src.text)), len(r.constructs) == 0
	}
	i := sort.Search(len(r.segs), func(i int) bool { return r.segs[i].rEnd > off })
	if i == len(r.segs) {
		last := r.segs[len(r.segs)-1]
		if last.exact {
			return last.sStart + (last.rEnd - last.rStart), true
		}
		return last.sStart, false
	}
	s := r.segs[i]
	if off < s.rStart || !s.exact {
		return s.sStart, false
	}
	return s.sStart + (off - s.rStart), true
}

// original maps a line and column of text to the file as written.
func (r *renderedText) original(line, column int) (int, int) {
	off, _ := r.sourceOffset(r.renderedOffset(line, column))
	return r.src.position(off)
}
