package yamlrender

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// Existing says what AddTLS does with a tls block a plugin already has that
// is not the one mcptls writes. A tls block replaces the env set as a whole
// object, so neither dropping it nor keeping it is safe to do silently.
type Existing string

const (
	// ExistingError refuses the file, naming each such block (the default).
	// A block equal to the one mcptls writes is never a conflict, so feeding
	// the output back in changes nothing.
	ExistingError Existing = "error"
	// ExistingKeep leaves such blocks as written.
	ExistingKeep Existing = "keep"
	// ExistingReplace writes mcptls's block over them, as a whole.
	ExistingReplace Existing = "replace"
)

// Options of AddTLS.
type Options struct {
	// Verify and CheckHostname go into every mcp.tls block written; grpc.tls
	// always verifies (see grpcClientTLS).
	Verify, CheckHostname bool
	Existing              Existing
	// Config is how the gateway reads the file: SSRF protection and the
	// values of `{{ env.NAME }}`, used to read the file only: the output
	// keeps every template as written.
	Config pluginconfig.Options
}

// DefaultOptions: verify and check host names, refuse conflicting blocks,
// read the file with the gateway's defaults.
func DefaultOptions() Options {
	return Options{Verify: true, CheckHostname: true, Existing: ExistingError, Config: pluginconfig.DefaultOptions()}
}

// AddTLS returns a gateway config.yaml with the client tls block filled in for
// every external plugin the gateway reaches over TLS: `mcp.tls` for MCP at an
// https or wss URL without uds, `grpc.tls` for gRPC at a target. Every other
// byte of content is kept: comments, order, quoting, anchors, templates,
// other plugins. The new blocks point at <certDir>/gateway/ as client_env
// does.
//
// A file the gateway would refuse, and every conflicting tls block under
// ExistingError, is pluginconfig.Problems positioned in content; a bad
// certDir or option is an *envmap.FieldError naming it (cert_dir,
// options.existing_tls). The output is read again before it is
// returned: if the document it loads differs from the input's anywhere but
// in the added blocks, AddTLS refuses rather than return it.
func AddTLS(content, certDir string, opts Options) (string, error) {
	if err := validate(envmap.GRPCClient{CertDir: certDir}, map[string]string{"cert_dir": certDir}); err != nil {
		return "", err
	}
	switch opts.Existing {
	case ExistingError, ExistingKeep, ExistingReplace:
	default:
		return "", &envmap.FieldError{Field: "options.existing_tls", Err: fmt.Errorf("options.existing_tls is %q: use %q (the default), %q or %q", opts.Existing, ExistingError, ExistingKeep, ExistingReplace)}
	}
	before, err := pluginconfig.Read([]byte(content), opts.Config)
	if err != nil {
		return "", err
	}
	t := newTree(before.Syntax())
	e := &editor{
		t: t, reading: before, content: content, text: newText(before.Text()), nl: lineEnd(content),
		opts: opts, certDir: certDir, written: map[ast.Node]bool{}, expect: map[string]bool{},
	}
	e.plan(before.File)
	if len(e.problems) > 0 {
		return "", e.problems
	}
	out, err := e.apply()
	if err == nil && len(out) > pluginconfig.MaxConfigBytes {
		err = pluginconfig.Problems{{Line: 1, Column: 1, Msg: fmt.Sprintf(
			"with the tls blocks the file would be %d bytes, more than the %d (4 MiB) mcptls reads: add the blocks by hand with mcp_client_tls_yaml and grpc_client_tls_yaml, or split the file",
			len(out), pluginconfig.MaxConfigBytes)}}
	}
	if err == nil {
		err = e.verify(out)
	}
	if err != nil {
		return "", err
	}
	return out, nil
}

// edit replaces [from, to) of the file as written (byte offsets) with text.
type edit struct {
	from, to int
	text     string
	at       position // the plugin's entry in the file as written, for messages
}

// loopEdit is a place in a `{% for %}`'s body where a block would go, and
// a plugin the same place belongs to that gets no block.
type loopEdit struct {
	offset int
	plugin string
}

type editor struct {
	t        *tree
	reading  *pluginconfig.Reading
	content  string // the file as written
	text     text   // the file as the gateway's YAML loader reads it
	nl       string
	opts     Options
	certDir  string
	edits    []edit
	problems pluginconfig.Problems
	tokens   token.Tokens
	written  map[ast.Node]bool // mappings that get a tls block
	expect   map[string]bool   // plugins whose tls block becomes mcptls's
	noTLS    []loopEdit        // loop-body places of plugins that get no block
}

// original maps a position of the rendered text to the file as written.
func (e *editor) original(p position) position {
	l, c := e.reading.Original(p.line, p.column)
	return position{l, c}
}

func (e *editor) fail(p position, format string, args ...any) {
	o := e.original(p)
	e.problems = append(e.problems, &pluginconfig.Error{Line: o.line, Column: o.column, Msg: fmt.Sprintf(format, args...)})
}

func (e *editor) plan(file *pluginconfig.File) {
	byName := map[string]pluginconfig.Plugin{}
	for _, p := range file.Plugins {
		byName[p.Name] = p
	}
	root := e.t.resolve(e.t.root)
	if root == nil || !isMapping(root) {
		return
	}
	list, _ := e.t.lookup(root, "plugins")
	if list == nil {
		return
	}
	seq, ok := e.t.resolve(list.Value).(*ast.SequenceNode)
	if !ok {
		return
	}
	for _, item := range seq.Values {
		m := e.t.resolve(item)
		nameEntry, _ := e.t.lookup(m, "name")
		if nameEntry == nil {
			continue
		}
		p, ok := byName[scalar(e.t.resolve(nameEntry.Value))]
		if ok && !p.NeedsServerCert() {
			e.noTLSAt(p, m)
		}
		if !ok || !p.NeedsServerCert() {
			continue
		}
		e.plugin(p, m, position{p.Line, p.Column})
	}
	e.checkLoops()
	sort.SliceStable(e.problems, func(i, j int) bool {
		a, b := e.problems[i], e.problems[j]
		return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
	})
}

// plugin plans the tls block of one plugin whose entry is mapping m; at is
// the entry in the file as written.
func (e *editor) plugin(p pluginconfig.Plugin, m ast.Node, at position) {
	key, want, differs := "mcp", mcpClientTLS(envmap.Client{CertDir: e.certDir, Verify: e.opts.Verify, CheckHostname: e.opts.CheckHostname}), ""
	has := p.MCP != nil && p.MCP.TLS != nil
	if p.GRPC != nil {
		key, want = "grpc", grpcClientTLS(envmap.GRPCClient{CertDir: e.certDir})
		has = p.GRPC.TLS != nil
		if has {
			differs = diffGRPC(p.GRPC.TLS, want)
		}
	} else if has {
		differs = diffMCP(p.MCP.TLS, want)
	}
	envSet := map[string]string{"mcp": "PLUGINS_CLIENT_MTLS_*", "grpc": "PLUGINS_GRPC_CLIENT_MTLS_*"}[key]
	blockEntry, _ := e.t.lookup(m, key)
	if blockEntry == nil {
		e.problems = append(e.problems, &pluginconfig.Error{Line: at.line, Column: at.column,
			Msg: fmt.Sprintf("plugin %q: mcptls cannot find its %s block in the file: write its tls block by hand", p.Name, key)})
		return
	}
	block := e.t.resolve(blockEntry.Value)
	tlsEntry, ownTLS := e.t.lookup(block, "tls")
	if has && tlsEntry == nil {
		e.fail(keyStart(blockEntry), "plugin %q: mcptls cannot find its %s.tls block in the file: write it by hand", p.Name, key)
		return
	}
	if e.written[block] {
		// Another plugin shares this block through an anchor: one edit serves both.
		e.expect[p.Name] = true
		return
	}
	if has && differs == "" {
		return // already mcptls's block
	}
	if has {
		switch e.opts.Existing {
		case ExistingKeep:
			return
		case ExistingError:
			e.fail(keyStart(tlsEntry), "plugin %q: %s.tls is not the block mcptls writes (%s), and it replaces %s as a whole: set existing_tls = \"replace\" to write mcptls's block over it, or \"keep\" to leave it as written",
				p.Name, key, differs, envSet)
			return
		}
	}
	e.written[block] = true
	e.expect[p.Name] = true
	var err error
	step := blockStep(blockEntry, block)
	if tlsEntry != nil && ownTLS {
		err = e.replace(block, tlsEntry, want, step, at)
	} else {
		err = e.insert(block, want, step, at)
	}
	if err != nil {
		where := keyStart(blockEntry)
		if tlsEntry != nil && ownTLS {
			where = keyStart(tlsEntry)
		}
		e.fail(where, "plugin %q: mcptls cannot add %s.tls here: %v; write the block by hand (%s_client_tls_yaml renders it)", p.Name, key, err, key)
	}
}

// noTLSAt remembers where the block of an external plugin that gets none
// would go when a loop writes it: a tls block put there for another plugin
// of the loop would reach this one too.
func (e *editor) noTLSAt(p pluginconfig.Plugin, m ast.Node) {
	for _, key := range []string{"mcp", "grpc"} {
		entry, _ := e.t.lookup(m, key)
		if entry == nil || !p.External() {
			continue
		}
		block := e.t.resolve(entry.Value)
		if entries := own(block); len(entries) > 0 {
			k := keyStart(entries[0])
			if off, repeated, err := e.reading.LineEnd(e.lastLine(block), k.line, k.column); err == nil && repeated {
				e.noTLS = append(e.noTLS, loopEdit{off, p.Name})
			}
		}
	}
}

// checkLoops refuses a block in a loop's body that would reach a plugin of
// the loop the gateway does not reach over TLS.
func (e *editor) checkLoops() {
	for _, ed := range e.edits {
		for _, n := range e.noTLS {
			if ed.from == n.offset && ed.to == n.offset {
				e.problems = append(e.problems, &pluginconfig.Error{Line: ed.at.line, Column: ed.at.column, Msg: fmt.Sprintf(
					"mcptls cannot add a tls block here: the `{%% for %%}` that writes this plugin also writes plugin %q, which the gateway reaches without TLS, and a block in the loop's body would reach both; "+
						"write the block by hand under a condition (mcp_client_tls_yaml and grpc_client_tls_yaml render it)", n.plugin)})
				break
			}
		}
	}
}

// blockStep is how much deeper the file nests block under its key entry: 2
// when that cannot be seen (block is anchored elsewhere, or flow).
func blockStep(entry *ast.MappingValueNode, block ast.Node) int {
	entries := own(block)
	if len(entries) == 0 || !direct(entry.Value, block) {
		return 2
	}
	first, key := keyStart(entries[0]), keyStart(entry)
	if d := first.column - key.column; d > 0 && d <= 8 && first.line > key.line {
		return d
	}
	return 2
}

// insert adds `tls:` as the last key of block, a mapping the gateway reads as
// the plugin's mcp or grpc; step is how deep the file nests.
func (e *editor) insert(block ast.Node, want mapping, step int, at position) error {
	if fm, ok := block.(*ast.MappingNode); ok && fm.IsFlowStyle {
		return e.insertFlow(fm, want, at)
	}
	entries := own(block)
	if len(entries) == 0 {
		return errors.New("the block has no keys to line the new one up with")
	}
	first := keyStart(entries[0])
	var b strings.Builder
	mapping{{"tls", want}}.block(&b, strings.Repeat(" ", first.column-1), strings.Repeat(" ", step), e.nl)
	last := e.lastLine(block)
	if off, repeated, err := e.reading.LineEnd(last, first.line, first.column); err == nil && repeated {
		// A `{% for %}` writes the block: the tls block goes at the end of
		// its last line in the loop's body, once for every plugin the loop
		// writes (verify checks each of them reads it, and nothing else changed).
		text := e.nl + strings.TrimSuffix(b.String(), e.nl)
		for _, ed := range e.edits {
			if ed.from == off && ed.to == off && ed.text == text {
				return nil
			}
		}
		e.edits = append(e.edits, edit{from: off, to: off, text: text, at: at})
		return nil
	}
	off, err := e.reading.InsertAfterLine(last, first.line, first.column)
	if err != nil {
		return fmt.Errorf("the end of the block: %w", err)
	}
	e.edits = append(e.edits, edit{from: off, to: off, text: b.String(), at: at})
	return nil
}

// lastLine is the last line of block's value, including the blank lines a
// keep-chomping block scalar (|+ or >+) at its end reads as its own.
func (e *editor) lastLine(block ast.Node) int {
	last := lastLine(block)
	entries := own(block)
	if len(entries) == 0 {
		return last
	}
	if lit, ok := entries[len(entries)-1].Value.(*ast.LiteralNode); ok && lit.Start != nil && strings.Contains(lit.Start.Value, "+") {
		for last < e.text.lines() && strings.TrimSpace(e.text.line(last+1)) == "" {
			last++
		}
	}
	return last
}

// direct is true when n is block itself, not an alias of it.
func direct(n, block ast.Node) bool {
	for n != nil {
		if n == block {
			return true
		}
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return false
		}
	}
	return false
}

func (e *editor) insertFlow(m *ast.MappingNode, want mapping, at position) error {
	if m.Start == nil || m.Start.Position == nil || m.End == nil || m.End.Position == nil {
		return errors.New("the flow mapping has no closing brace")
	}
	end := position{m.End.Position.Line, m.End.Position.Column}
	sep := ", "
	switch e.tokenBefore(end) {
	case token.MappingStartType:
		sep = ""
	case token.CollectEntryType:
		sep = " "
	}
	brace := position{m.Start.Position.Line, m.Start.Position.Column}
	off, err := e.reading.InsertAt(end.line, end.column, brace.line, brace.column)
	if errors.Is(err, pluginconfig.ErrConditional) {
		return fmt.Errorf("its closing brace: %w", err)
	}
	if err != nil || off >= len(e.content) || e.content[off] != '}' {
		return errors.New("its closing brace comes out of a template")
	}
	e.edits = append(e.edits, edit{from: off, to: off, text: sep + "tls: " + want.flow(), at: at})
	return nil
}

// tokenBefore is the type of the token of the rendered text before p,
// comments skipped.
func (e *editor) tokenBefore(p position) token.Type {
	if e.tokens == nil {
		for _, tk := range lexer.Tokenize(e.text.s) {
			if tk.Position != nil && tk.Type != token.CommentType {
				e.tokens = append(e.tokens, tk)
			}
		}
	}
	i := sort.Search(len(e.tokens), func(i int) bool {
		tk := e.tokens[i].Position
		return tk.Line > p.line || (tk.Line == p.line && tk.Column >= p.column)
	})
	if i == 0 {
		return token.UnknownType
	}
	return e.tokens[i-1].Type
}

// replace writes want over the tls entry written in block.
func (e *editor) replace(block ast.Node, tlsEntry *ast.MappingValueNode, want mapping, step int, at position) error {
	if names := e.t.anchorsIn(tlsEntry); len(names) > 0 {
		return fmt.Errorf("the old block defines %s, which an alias elsewhere uses", strings.Join(names, ", "))
	}
	if fm, ok := block.(*ast.MappingNode); ok && fm.IsFlowStyle {
		v, ok := tlsEntry.Value.(*ast.MappingNode)
		if !ok || !v.IsFlowStyle || v.Start == nil || v.End == nil {
			return errors.New("in a flow mapping mcptls replaces only a `tls: {...}` value")
		}
		return e.replaceSpan(position{v.Start.Position.Line, v.Start.Position.Column}, position{v.End.Position.Line, v.End.Position.Column + 1}, want.flow(), at)
	}
	k := keyStart(tlsEntry)
	line := []rune(e.text.line(k.line))
	if k.column-1 > len(line) || strings.TrimSpace(string(line[:k.column-1])) != "" {
		return errors.New("the `tls` key does not start its line")
	}
	if _, null := tlsEntry.Value.(*ast.NullNode); null && emptyAfterKey(string(line[k.column-1:])) {
		// `tls:` with nothing after it (a comment at most): the block goes
		// under the key, which stays as written.
		var b strings.Builder
		want.block(&b, strings.Repeat(" ", k.column-1+step), strings.Repeat(" ", step), e.nl)
		off, err := e.reading.InsertAfterLine(k.line, k.line, k.column)
		if err != nil {
			return fmt.Errorf("the `tls` key: %w", err)
		}
		e.edits = append(e.edits, edit{from: off, to: off, text: b.String(), at: at})
		return nil
	}
	var b strings.Builder
	mapping{{"tls", want}}.block(&b, strings.Repeat(" ", k.column-1), strings.Repeat(" ", step), e.nl)
	return e.replaceSpan(position{k.line, 1}, position{lastLine(tlsEntry) + 1, 1}, b.String(), at)
}

// replaceSpan replaces the text between two positions of the rendered text
// (to is excluded; line n+1 column 1 is the end of line n), which must be
// literal in the file: no template construct in it.
func (e *editor) replaceSpan(from, to position, text string, at position) error {
	start, err := e.reading.At(from.line, from.column)
	if err != nil {
		return fmt.Errorf("the old block: %w", err)
	}
	var end int
	if to.column == 1 {
		end, err = e.reading.AfterLine(to.line - 1)
	} else {
		end, err = e.reading.At(to.line, to.column-1)
		end++
	}
	if err != nil || end < start || !e.reading.Literal(from.line, from.column, to.line, to.column, start, end) {
		return errors.New("the old block is written with template constructs in it")
	}
	e.edits = append(e.edits, edit{from: start, to: end, text: text, at: at})
	return nil
}

// emptyAfterKey is true when a key's line holds no value: `tls:` and
// blanks, or a comment.
func emptyAfterKey(rest string) bool {
	i := strings.Index(rest, ":")
	if i < 0 {
		return false
	}
	after := strings.TrimSpace(rest[i+1:])
	return after == "" || strings.HasPrefix(after, "#")
}

// apply splices the edits into the file as written, in one pass.
func (e *editor) apply() (string, error) {
	edits := append([]edit(nil), e.edits...)
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from < edits[j].from })
	var b strings.Builder
	b.Grow(len(e.content) + 256*len(edits))
	prev := 0
	for _, ed := range edits {
		if ed.from < prev || ed.to < ed.from || ed.to > len(e.content) {
			return "", pluginconfig.Problems{{Line: ed.at.line, Column: ed.at.column, Msg: "mcptls would edit this plugin's entry twice: write its tls block by hand"}}
		}
		b.WriteString(e.content[prev:ed.from])
		text := ed.text
		if ed.from == len(e.content) && ed.from == ed.to && e.content != "" && !strings.HasSuffix(e.content, "\n") && strings.HasSuffix(text, e.nl) {
			text = e.nl + strings.TrimSuffix(text, e.nl) // a block after a last line without a line break
		}
		b.WriteString(text)
		prev = ed.to
	}
	b.WriteString(e.content[prev:])
	return b.String(), nil
}

// verify reads the output as the gateway would and checks that the document
// it loads is the input's, but for the tls blocks written, which must read
// as mcptls's.
func (e *editor) verify(out string) error {
	at := position{1, 1}
	if len(e.edits) > 0 {
		at = e.edits[0].at
	}
	refuse := func(format string, args ...any) error {
		return pluginconfig.Problems{{Line: at.line, Column: at.column, Msg: "mcptls cannot add the tls blocks without changing something else in this file (" + fmt.Sprintf(format, args...) + "): add them by hand with mcp_client_tls_yaml and grpc_client_tls_yaml"}}
	}
	before := e.reading
	after, err := pluginconfig.Read([]byte(out), e.opts.Config)
	if err != nil {
		return refuse("the result does not load: %v", err)
	}
	if len(after.Warnings) != len(before.Warnings) {
		return refuse("the result has %d warnings, the input %d", len(after.Warnings), len(before.Warnings))
	}
	if len(after.File.Plugins) != len(before.File.Plugins) {
		return refuse("%d plugins, not %d", len(after.File.Plugins), len(before.File.Plugins))
	}
	changed := map[string]string{} // "[i]" of an edited plugin -> its block key
	for i, p := range before.File.Plugins {
		if e.expect[p.Name] {
			changed[fmt.Sprintf("[%d]", i)] = map[bool]string{true: "grpc", false: "mcp"}[p.GRPC != nil]
		}
	}
	skip := func(path []string) bool {
		return len(path) == 4 && path[0] == "plugins" && path[3] == "tls" && changed[path[1]] == path[2]
	}
	if d := before.DocumentDiff(after, skip); d != "" {
		if len(d) > 2 && strings.HasPrefix(d, "plugins.[") {
			var i int
			if _, err := fmt.Sscanf(d, "plugins.[%d]", &i); err == nil && i < len(before.File.Plugins) {
				p := before.File.Plugins[i]
				at = position{p.Line, p.Column}
				return refuse("plugin %q would read differently: %s", p.Name, d)
			}
		}
		return refuse("%s", d)
	}
	want := e.expected(before.File)
	for i := range want.Plugins {
		got := after.File.Plugins[i]
		if !e.expect[got.Name] {
			continue
		}
		if (got.GRPC != nil && !reflect.DeepEqual(got.GRPC.TLS, want.Plugins[i].GRPC.TLS)) || (got.MCP != nil && !reflect.DeepEqual(got.MCP.TLS, want.Plugins[i].MCP.TLS)) {
			at = position{before.File.Plugins[i].Line, before.File.Plugins[i].Column}
			return refuse("plugin %q's tls block does not read as mcptls's", got.Name)
		}
	}
	return nil
}

// expected is before with mcptls's tls block on every plugin that gets one.
func (e *editor) expected(before *pluginconfig.File) *pluginconfig.File {
	f := normalize(before)
	for i, p := range f.Plugins {
		if !e.expect[p.Name] {
			continue
		}
		if p.GRPC != nil {
			g := *p.GRPC
			g.TLS = &pluginconfig.GRPCClientTLS{TLSFiles: files(envmap.Layout{Dir: e.certDir}), Verify: true}
			f.Plugins[i].GRPC = &g
			continue
		}
		m := *p.MCP
		m.TLS = &pluginconfig.ClientTLS{TLSFiles: files(envmap.Layout{Dir: e.certDir}), Verify: e.opts.Verify, CheckHostname: e.opts.CheckHostname}
		f.Plugins[i].MCP = &m
	}
	return f
}

func files(l envmap.Layout) pluginconfig.TLSFiles {
	return pluginconfig.TLSFiles{CertFile: l.GatewayCert(), KeyFile: l.GatewayKey(), CABundle: l.GatewayCA()}
}

// normalize drops positions, which move when lines are added.
func normalize(f *pluginconfig.File) *pluginconfig.File {
	out := *f
	out.Plugins = append([]pluginconfig.Plugin(nil), f.Plugins...)
	for i := range out.Plugins {
		out.Plugins[i].Line, out.Plugins[i].Column = 0, 0
	}
	return &out
}

// diffMCP says how an mcp.tls block differs from want; "" if it does not.
func diffMCP(have *pluginconfig.ClientTLS, want mapping) string {
	var d []string
	d = diffFiles(d, have.TLSFiles, want)
	d = diffBool(d, "verify", have.Verify, want)
	d = diffBool(d, "check_hostname", have.CheckHostname, want)
	return strings.Join(d, "; ")
}

func diffGRPC(have *pluginconfig.GRPCClientTLS, want mapping) string {
	d := diffFiles(nil, have.TLSFiles, want)
	d = diffBool(d, "verify", have.Verify, want)
	return strings.Join(d, "; ")
}

func get(m mapping, key string) any {
	for _, e := range m {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

func diffFiles(d []string, have pluginconfig.TLSFiles, want mapping) []string {
	for _, f := range []struct{ key, have string }{{"certfile", have.CertFile}, {"keyfile", have.KeyFile}, {"ca_bundle", have.CABundle}} {
		w, _ := get(want, f.key).(string)
		switch {
		case f.have == "":
			d = append(d, fmt.Sprintf("no %s, mcptls writes %s", f.key, w))
		case f.have != w:
			d = append(d, fmt.Sprintf("%s is %s, mcptls writes %s", f.key, f.have, w))
		}
	}
	if have.KeyfilePassword != "" {
		d = append(d, "it has a keyfile_password, mcptls writes none")
	}
	return d
}

func diffBool(d []string, key string, have bool, want mapping) []string {
	if w, _ := get(want, key).(bool); w != have {
		d = append(d, fmt.Sprintf("%s is %v, mcptls writes %v", key, have, w))
	}
	return d
}
