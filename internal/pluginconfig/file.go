package pluginconfig

import (
	"fmt"
	"strings"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// File is the gateway's Config (models.py `class Config`, extra="ignore":
// keys it does not know are ignored, so they are here too).
type File struct {
	Plugins                  []Plugin
	PluginDirs               []string
	ServerSettings           *ServerSettings
	GRPCServerSettings       *GRPCServerSettings
	UnixSocketServerSettings *UnixSocketServerSettings
}

// file validates the document's root.
func (p *parser) file(root *node) *File {
	f := &File{}
	if root == nil || root.isNull() {
		// safe_load gives None, `or {}` makes it Config(): no plugins.
		p.warnings = append(p.warnings, &Error{Line: 1, Column: 1, Msg: "the file is empty: the gateway loads it with no plugins; is this the right file?"})
		return f
	}
	if root.kind != mappingNode {
		// Config(**config_data) needs a mapping.
		p.errorAt(root, "the top level is %s; the gateway needs a mapping (\"argument after ** must be a mapping\"): start the file with `plugins:`", root.describe())
		return f
	}
	fs := fields{p: p, m: root}
	if v := root.get("plugins"); v == nil || v.isNull() {
		// plugins: Optional[list[PluginConfig]] = []
		p.warnAt(root, "the file has no `plugins` list: the gateway loads it with no plugins; is this the right file?")
	} else if v.kind != sequenceNode {
		fs.fail(v, "plugins", "Input should be a valid list", "write `plugins:` as a YAML list of plugin entries")
	} else {
		f.Plugins = p.plugins(v)
	}
	// plugin_dirs: list[str] = []
	if v := root.get("plugin_dirs"); v != nil {
		f.PluginDirs, _ = fs.strings("plugin_dirs", false)
	}
	f.ServerSettings = p.serverSettings(fs.mapping("server_settings"))
	f.GRPCServerSettings = p.grpcServerSettings(fs.mapping("grpc_server_settings"))
	f.UnixSocketServerSettings = p.unixSocketServerSettings(fs.mapping("unix_socket_server_settings"))
	return f
}

// plugins validates each entry and the names across entries: the gateway's
// registry refuses a second plugin of one name ("Plugin X already registered").
func (p *parser) plugins(list *node) []Plugin {
	var out []Plugin
	first := map[string]*node{}
	folded := map[string]*node{}
	for _, n := range list.items {
		pl, ok := p.plugin(n)
		if !ok {
			continue
		}
		if prev, dup := first[pl.Name]; dup {
			p.errorAt(n, "duplicate plugin name %q (first at line %d); the gateway refuses it (\"Plugin %s already registered\"): rename one of them", pl.Name, prev.line, pl.Name)
			continue
		}
		if prev, near := folded[strings.ToLower(pl.Name)]; near {
			p.warnAt(n, "plugin names %q and %q differ only in case: their certificate directories collide on case-insensitive file systems and their DNS names are the same", pl.Name, p.nameAt(prev))
		}
		first[pl.Name], folded[strings.ToLower(pl.Name)] = n, n
		if pl.NeedsServerCert() {
			// Its name becomes a directory and SANs: the rule mcptls_plugin_cert applies.
			if err := pki.ValidatePluginName(pl.Name); err != nil {
				p.errorAt(n.get("name"), "%v (the plugin needs a server certificate)", err)
				continue
			}
			// mcptls_plugin_cert warns about such a name with the same words.
			if w := pki.PluginNameHostWarning(pl.Name); w != "" {
				p.warnAt(n.get("name"), "%s", w)
			}
		}
		out = append(out, pl)
	}
	return out
}

func (p *parser) nameAt(n *node) string {
	if v := n.get("name"); v != nil {
		return v.value
	}
	return ""
}

// section names a block in messages: "plugin \"a\": grpc".
func section(at string) string { return strings.TrimSuffix(at, ".") }

// describeAt names a plugin in messages.
func describeAt(name string) string { return fmt.Sprintf("plugin %q: ", name) }
