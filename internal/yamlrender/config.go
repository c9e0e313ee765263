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

// ArgError is a problem with an input other than the config text.
type ArgError struct {
	Arg string
	Err error
}

func (e *ArgError) Error() string { return e.Err.Error() }
func (e *ArgError) Unwrap() error { return e.Err }

// AddTLS returns a gateway config.yaml with the client tls block filled in for
// every external plugin the gateway reaches over TLS: `mcp.tls` for MCP at an
// https or wss URL without uds, `grpc.tls` for gRPC at a target. Every other
// byte of content is kept: comments, order, quoting, anchors, templates,
// other plugins. The new blocks point at <certDir>/gateway/ as client_env
// does.
//
// A file the gateway would refuse, and every conflicting tls block under
// ExistingError, is pluginconfig.Problems positioned in content; a bad
// certDir or option is an *ArgError. The output is parsed again before it is
// returned: if anything but the added blocks would read differently, AddTLS
// refuses rather than return it.
func AddTLS(content, certDir string, opts Options) (string, error) {
	if err := ValidateCertDir(certDir); err != nil {
		return "", &ArgError{Arg: "cert_dir", Err: err}
	}
	switch opts.Existing {
	case ExistingError, ExistingKeep, ExistingReplace:
	default:
		return "", &ArgError{Arg: "existing_tls", Err: fmt.Errorf("existing_tls is %q: use %q (the default), %q or %q", opts.Existing, ExistingError, ExistingKeep, ExistingReplace)}
	}
	file, warnings, err := pluginconfig.Parse([]byte(content), opts.Config)
	if err != nil {
		return "", err
	}
	rendered, err := pluginconfig.Render(content, opts.Config.TemplateEnv)
	if err != nil {
		return "", err
	}
	t, err := parseTree(rendered.Text)
	if err != nil {
		return "", pluginconfig.Problems{{Line: 1, Column: 1, Msg: "invalid YAML: " + err.Error()}}
	}
	e := &editor{
		t: t, rendered: rendered, orig: newText(content), text: newText(rendered.Text), nl: lineEnd(content),
		opts: opts, certDir: certDir, written: map[ast.Node]bool{}, expect: map[string]bool{},
	}
	e.plan(file)
	if len(e.problems) > 0 {
		return "", e.problems
	}
	out, err := e.apply()
	if err == nil {
		err = e.verify(out, file, warnings)
	}
	if err != nil {
		return "", err
	}
	return out, nil
}

// edit replaces [from, to) of the file as written with text.
type edit struct {
	from, to position
	text     string
	at       position // the plugin's entry in the file as written, for messages
}

type editor struct {
	t        *tree
	rendered pluginconfig.Rendered
	orig     text // the file as written
	text     text // the file as the gateway's YAML loader reads it
	nl       string
	opts     Options
	certDir  string
	edits    []edit
	problems pluginconfig.Problems
	tokens   token.Tokens
	written  map[ast.Node]bool // mappings that get a tls block
	expect   map[string]bool   // plugins whose tls block becomes mcptls's
}

// original maps a rendered position to the file as written.
func (e *editor) original(p position) position {
	l, c := e.rendered.Original(p.line, p.column)
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
		if !ok || !p.NeedsServerCert() {
			continue
		}
		e.plugin(p, m, position{p.Line, p.Column})
	}
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
	after := lastLine(block) + 1
	e.edits = append(e.edits, edit{from: position{after, 1}, to: position{after, 1}, text: b.String(), at: at})
	return nil
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
	if m.End == nil || m.End.Position == nil {
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
	o := e.original(end)
	if off, ok := e.orig.offset(o); !ok || off >= len(e.orig.s) || e.orig.s[off] != '}' {
		return errors.New("its closing brace comes out of a template")
	}
	e.edits = append(e.edits, edit{from: o, to: o, text: sep + "tls: " + want.flow(), at: at})
	return nil
}

// tokenBefore is the type of the token of the rendered text before p,
// comments skipped.
func (e *editor) tokenBefore(p position) token.Type {
	if e.tokens == nil {
		e.tokens = lexer.Tokenize(e.text.s)
	}
	var prev token.Type
	for _, tk := range e.tokens {
		if tk.Position == nil || tk.Type == token.CommentType {
			continue
		}
		if tk.Position.Line > p.line || (tk.Position.Line == p.line && tk.Position.Column >= p.column) {
			break
		}
		prev = tk.Type
	}
	return prev
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
		from := e.original(position{v.Start.Position.Line, v.Start.Position.Column})
		to := e.original(position{v.End.Position.Line, v.End.Position.Column})
		to.column++
		e.edits = append(e.edits, edit{from: from, to: to, text: want.flow(), at: at})
		return nil
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
		e.edits = append(e.edits, edit{from: position{k.line + 1, 1}, to: position{k.line + 1, 1}, text: b.String(), at: at})
		return nil
	}
	var b strings.Builder
	mapping{{"tls", want}}.block(&b, strings.Repeat(" ", k.column-1), strings.Repeat(" ", step), e.nl)
	e.edits = append(e.edits, edit{from: position{k.line, 1}, to: position{lastLine(tlsEntry) + 1, 1}, text: b.String(), at: at})
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

// apply splices the edits into the file as written, last first.
func (e *editor) apply() (string, error) {
	type span struct {
		from, to int
		edit
	}
	spans := make([]span, 0, len(e.edits))
	for _, ed := range e.edits {
		from, ok1 := e.offset(ed.from)
		to, ok2 := e.offset(ed.to)
		if !ok1 || !ok2 || to < from {
			return "", pluginconfig.Problems{{Line: ed.at.line, Column: ed.at.column, Msg: "mcptls cannot place the tls block of this plugin in the file: write it by hand"}}
		}
		spans = append(spans, span{from, to, ed})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from > spans[j].from })
	out := e.orig.s
	limit := len(out)
	for _, s := range spans {
		if s.to > limit {
			return "", pluginconfig.Problems{{Line: s.at.line, Column: s.at.column, Msg: "mcptls would edit this plugin's entry twice: write its tls block by hand"}}
		}
		text := s.text
		if s.from == len(out) && out != "" && !strings.HasSuffix(out, "\n") && s.from == s.to && strings.HasSuffix(text, e.nl) {
			text = e.nl + strings.TrimSuffix(text, e.nl) // a block after a last line without a line break
		}
		out = out[:s.from] + text + out[s.to:]
		limit = s.from
	}
	return out, nil
}

// offset is a position's byte offset in the file as written; the start of
// the line after the last is the end of the file.
func (e *editor) offset(p position) (int, bool) {
	if p.column == 1 && p.line == e.orig.lines()+1 {
		return len(e.orig.s), true
	}
	return e.orig.offset(p)
}

// verify reads the output as the gateway would and checks that it says what
// the input said, but for the tls blocks written.
func (e *editor) verify(out string, before *pluginconfig.File, warnings []*pluginconfig.Warning) error {
	at := position{1, 1}
	if len(e.edits) > 0 {
		at = e.edits[0].at
	}
	refuse := func(format string, args ...any) error {
		return pluginconfig.Problems{{Line: at.line, Column: at.column, Msg: "mcptls cannot add the tls blocks without changing something else in this file (" + fmt.Sprintf(format, args...) + "): add them by hand with mcp_client_tls_yaml and grpc_client_tls_yaml"}}
	}
	after, afterWarnings, err := pluginconfig.Parse([]byte(out), e.opts.Config)
	if err != nil {
		return refuse("the result does not load: %v", err)
	}
	if len(afterWarnings) != len(warnings) {
		return refuse("the result has %d warnings, the input %d", len(afterWarnings), len(warnings))
	}
	want := e.expected(before)
	got := normalize(after)
	if len(got.Plugins) != len(want.Plugins) {
		return refuse("%d plugins, not %d", len(got.Plugins), len(want.Plugins))
	}
	for i := range want.Plugins {
		if !reflect.DeepEqual(got.Plugins[i], want.Plugins[i]) {
			at = position{before.Plugins[i].Line, before.Plugins[i].Column}
			return refuse("plugin %q would read differently", want.Plugins[i].Name)
		}
	}
	if !reflect.DeepEqual(got, want) {
		return refuse("the top-level settings would read differently")
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
		w := get(want, f.key).(string)
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
	if w := get(want, key).(bool); w != have {
		d = append(d, fmt.Sprintf("%s is %v, mcptls writes %v", key, have, w))
	}
	return d
}
