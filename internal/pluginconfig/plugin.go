package pluginconfig

// Plugin is one entry of `plugins` (models.py PluginConfig; extra keys ignored).
type Plugin struct {
	Name, Kind string
	// Mode is the execution mode after the gateway's legacy migration.
	Mode        string
	Priority    int
	Hooks, Tags []string
	// At most one transport; an external plugin has exactly one.
	MCP        *MCP
	GRPC       *GRPC
	UnixSocket *UnixSocket
	// Line and Column locate the entry in the file.
	Line, Column int
}

// ExternalKind is EXTERNAL_PLUGIN_TYPE: the gateway runs the plugin out of process.
const ExternalKind = "external"

// External reports whether the gateway runs the plugin out of process.
func (p Plugin) External() bool { return p.Kind == ExternalKind }

// PluginMode values, and the legacy names _migrate_legacy_modes rewrites.
var (
	pluginModes = []string{"fire_and_forget", "concurrent", "sequential", "transform", "audit", "disabled"}
	legacyModes = map[string]string{"enforce": "sequential", "enforce_ignore_error": "sequential", "permissive": "transform"}
	onErrors    = []string{"fail", "ignore", "disable"}
)

// Defaults of PluginConfig.
const (
	defaultMode     = "sequential"
	defaultPriority = 100
)

// plugin validates one entry; ok is false when it would not load.
func (p *parser) plugin(n *node) (Plugin, bool) {
	pl := Plugin{Line: n.line, Column: n.column, Mode: defaultMode, Priority: defaultPriority}
	if n.kind != mappingNode {
		p.errorAt(n, "a plugin entry is %s; write a mapping with at least `name` and `kind`", n.describe())
		return pl, false
	}
	mark := len(p.problems)
	fs := fields{p: p, m: n}
	pl.Name, _ = fs.requiredStr("name", "give the plugin a name")
	p.decides(n.get("name"), "a plugin's name")
	if pl.Name != "" {
		fs.at = describeAt(pl.Name)
	}
	pl.Kind, _ = fs.requiredStr("kind", "write `external` for a plugin server, or the plugin's class path")
	p.decides(n.get("kind"), fs.at+"kind")
	for _, key := range []string{"description", "author", "namespace", "version"} {
		fs.str(key)
	}
	pl.Hooks, _ = fs.strings("hooks", false)
	pl.Tags, _ = fs.strings("tags", false)
	if v := n.get("mode"); v != nil && v.kind == scalarNode && legacyModes[v.value] != "" {
		pl.Mode = legacyModes[v.value]
	} else if mode, v := fs.enum("mode", pluginModes...); v != nil {
		pl.Mode = mode
	} else if v := n.get("mode"); v != nil && v.isNull() {
		fs.fail(v, "mode", "Input should be "+oneOf(pluginModes), "write a mode or leave the key out")
	}
	fs.enum("on_error", onErrors...)
	if priority, _, ok := fs.integer("priority"); ok {
		pl.Priority = int(priority)
	}
	fs.integer("max_content_size")
	p.conditions(fs)
	p.appliedTo(fs)
	p.capabilities(fs)
	config := fs.mapping("config")
	if config != nil {
		fs.stringKeys("config", config)
	}
	pl.MCP = p.mcp(fs.mapping("mcp"), fs.at)
	pl.GRPC = p.grpc(fs.mapping("grpc"), fs.at)
	pl.UnixSocket = p.unixSocket(fs.mapping("unix_socket"), fs.at)
	if p.failed(mark) {
		return pl, false
	}
	p.checkStdioOrURL(n, pl, fs.at)
	p.checkExternal(n, pl, config, fs.at)
	return pl, !p.failed(mark)
}

// checkStdioOrURL is PluginConfig.check_url_or_script_filled.
func (p *parser) checkStdioOrURL(n *node, pl Plugin, at string) {
	m := pl.MCP
	if m == nil {
		return
	}
	mcpNode := n.get("mcp")
	switch {
	case m.Proto == ProtoSTDIO && m.Script == "" && len(m.Cmd) == 0:
		p.errorAt(mcpNode, "%sproto STDIO needs `script` or `cmd` (the gateway: \"Plugin %s has transport type set to STDIO but no script/cmd value\")", at, pl.Name)
	case m.Proto == ProtoSTDIO && m.Script != "" && len(m.Cmd) > 0:
		p.errorAt(mcpNode.keyOf("cmd"), "%sset `script` or `cmd`, not both (the gateway: \"Plugin %s must set either script or cmd for STDIO, not both\")", at, pl.Name)
	case (m.Proto == ProtoSSE || m.Proto == ProtoStreamableHTTP) && m.URL == "":
		p.errorAt(mcpNode, "%sproto %s needs a `url` (the gateway: \"Plugin %s has transport type set to StreamableHTTP but no url value\")", at, m.Proto, pl.Name)
	case m.Proto != ProtoSSE && m.Proto != ProtoStreamableHTTP && m.Proto != ProtoSTDIO:
		p.errorAt(mcpNode.get("proto"), "%sproto %s exists in the gateway's enum but it refuses it for a plugin (\"Plugin %s must set transport type to either SSE or STREAMABLEHTTP or STDIO\"): use SSE, STREAMABLEHTTP or STDIO, or a `grpc:` block for gRPC", at, m.Proto, pl.Name)
	}
}

// checkExternal is PluginConfig.check_config_and_external.
func (p *parser) checkExternal(n *node, pl Plugin, config *node, at string) {
	if !pl.External() {
		return
	}
	if config != nil && len(config.pairs) > 0 {
		p.errorAt(n.keyOf("config"), "%san external plugin cannot carry `config` (the gateway: \"Cannot have %s plugin defined as 'external' with 'config' set. 'config' section settings can only be set on the plugin server.\"): move it to the plugin server's own config", at, pl.Name)
	}
	var present []string
	for _, key := range []string{"mcp", "grpc", "unix_socket"} {
		if v := n.get(key); v != nil && !v.isNull() {
			present = append(present, key)
		}
	}
	switch {
	case len(present) == 0:
		p.errorAt(n, "%san external plugin needs a transport (the gateway: \"External plugin %s must have 'mcp', 'grpc', or 'unix_socket' section configured\"): add an `mcp:`, `grpc:` or `unix_socket:` block", at, pl.Name)
	case len(present) > 1:
		p.errorAt(n.keyOf(present[1]), "%san external plugin has one transport, this one has `%s` and `%s` (the gateway: \"External plugin %s can only have one transport configured (mcp, grpc, or unix_socket)\"): keep one", at, present[0], present[1], pl.Name)
	}
}
