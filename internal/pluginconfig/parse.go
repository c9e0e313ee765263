package pluginconfig

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ReadFile parses the file at path.
func ReadFile(path string) (*File, []*Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read plugin config: %w", err)
	}
	return Parse(data)
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// Parse reads a plugin config. The error, if any, is an *Error with a position.
func Parse(data []byte) (*File, []*Warning, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, syntaxError(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil, &Error{Line: 1, Column: 1, Msg: "the file is empty: it needs a top-level `plugins` list"}
	}
	p := &parser{}
	f, err := p.file(doc.Content[0])
	if err != nil {
		return nil, nil, err
	}
	return f, p.warnings, nil
}

func syntaxError(err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{Line: 1, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
}

type parser struct{ warnings []*Warning }

func (p *parser) warn(n *yaml.Node, format string, args ...any) {
	p.warnings = append(p.warnings, errorAt(n, format, args...))
}

// each calls fn for every key/value pair of a mapping node.
func each(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return errorAt(n, "%s must be a mapping", what)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if err := fn(n.Content[i].Value, n.Content[i], n.Content[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) file(root *yaml.Node) (*File, error) {
	f := &File{Extra: map[string]any{}}
	var plugins *yaml.Node
	err := each(root, "the top level", func(key string, _, v *yaml.Node) error {
		switch key {
		case "plugins":
			plugins = v
		case "plugin_dirs":
			return decode(v, &f.PluginDirs, "plugin_dirs", "a list of strings")
		case "plugin_settings":
			return decode(v, &f.PluginSettings, "plugin_settings", "a mapping")
		case "server_settings":
			s, err := serverSettings(v)
			f.ServerSettings = s
			return err
		default:
			keep(f.Extra, key, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if plugins == nil {
		return nil, errorAt(root, "no `plugins` list: the file needs a top-level `plugins:` key")
	}
	if plugins.Kind != yaml.SequenceNode {
		return nil, errorAt(plugins, "`plugins` must be a list")
	}
	seen := map[string]*yaml.Node{}
	for _, n := range plugins.Content {
		pl, err := p.plugin(n)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[pl.Name]; dup {
			return nil, errorAt(n, "duplicate plugin name %q (first at line %d)", pl.Name, first.Line)
		}
		seen[pl.Name] = n
		f.Plugins = append(f.Plugins, *pl)
	}
	return f, nil
}

// keep stores a key this package does not model, so nothing in the file is lost.
func keep(extra map[string]any, key string, v *yaml.Node) {
	var value any
	_ = v.Decode(&value) // a node that decodes to nothing is kept as nil
	extra[key] = value
}

// decode reads a value of a modelled key, naming the key and its position on a type mismatch.
func decode(v *yaml.Node, dst any, key, want string) error {
	if err := v.Decode(dst); err != nil {
		return errorAt(v, "`%s` must be %s", key, want)
	}
	return nil
}

// str reads a scalar string; YAML null counts as absent.
func str(v *yaml.Node, key string, dst *string) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		return errorAt(v, "`%s` must be a string", key)
	}
	*dst = v.Value
	return nil
}

func (p *parser) plugin(n *yaml.Node) (*Plugin, error) {
	pl := &Plugin{Line: n.Line, Column: n.Column, Extra: map[string]any{}}
	var mcpNode, configNode *yaml.Node
	err := each(n, "a plugin entry", func(key string, _, v *yaml.Node) error {
		switch key {
		case "name":
			return str(v, key, &pl.Name)
		case "kind":
			return str(v, key, &pl.Kind)
		case "description", "version", "author", "mode":
			target := map[string]*string{"description": &pl.Description, "version": &pl.Version, "author": &pl.Author, "mode": &pl.Mode}[key]
			return decode(v, target, key, "a string")
		case "hooks":
			return decode(v, &pl.Hooks, key, "a list of strings")
		case "tags":
			return decode(v, &pl.Tags, key, "a list of strings")
		case "priority":
			return decode(v, &pl.Priority, key, "an integer")
		case "conditions":
			return decode(v, &pl.Conditions, key, "a list")
		case "config":
			configNode = v
			return decode(v, &pl.Config, key, "a mapping")
		case "mcp":
			mcpNode = v
		default:
			keep(pl.Extra, key, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pl.Name == "" {
		return nil, errorAt(n, "a plugin needs a `name`")
	}
	if pl.Kind == "" {
		return nil, errorAt(n, "plugin %q needs a `kind`", pl.Name)
	}
	if mcpNode != nil {
		if pl.MCP, err = mcp(mcpNode, pl.Name); err != nil {
			return nil, err
		}
	}
	if !pl.External() {
		return pl, nil
	}
	if pl.MCP == nil {
		return nil, errorAt(n, "external plugin %q needs an `mcp` block", pl.Name)
	}
	if configNode != nil {
		p.warn(configNode, "external plugin %q carries `config`, which the gateway rejects for external plugins: move it to the plugin server's own config", pl.Name)
	}
	if u := pl.MCP.URLInfo; u != nil && IsLoopbackOrPrivate(u.Host) {
		p.warn(mcpNode, "plugin %q: url host %q is loopback or private; newer gateways refuse it unless PLUGINS_SSRF_PROTECTION_ENABLED=false", pl.Name, u.Host)
	}
	return pl, nil
}

func mcp(n *yaml.Node, plugin string) (*MCP, error) {
	m := &MCP{Extra: map[string]any{}}
	var urlNode, protoNode, tlsNode *yaml.Node
	err := each(n, "`mcp`", func(key string, k, v *yaml.Node) error {
		switch key {
		case "proto":
			protoNode = v
			return str(v, key, &m.Proto)
		case "url":
			urlNode = v
			return str(v, key, &m.URL)
		case "script":
			return str(v, key, &m.Script)
		case "uds":
			return str(v, key, &m.UDS)
		case "cmd":
			return decode(v, &m.Cmd, key, "a list of strings")
		case "tls":
			tlsNode = k // a misplaced block is reported at its key
			t, err := clientTLS(v)
			m.TLS = t
			return err
		default:
			keep(m.Extra, key, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if protoNode == nil {
		return nil, errorAt(n, "plugin %q: `mcp` needs a `proto` (one of %s)", plugin, strings.Join(Protocols, ", "))
	}
	if !slices.Contains(Protocols, m.Proto) {
		return nil, errorAt(protoNode, "plugin %q: proto %q is not one of %s (case-sensitive)", plugin, m.Proto, strings.Join(Protocols, ", "))
	}
	httpLike := m.Proto == "SSE" || m.Proto == "STREAMABLEHTTP"
	switch {
	case httpLike && m.URL == "":
		return nil, errorAt(n, "plugin %q: proto %s needs a `url`", plugin, m.Proto)
	case m.Proto == "STDIO" && m.Script == "" && len(m.Cmd) == 0:
		return nil, errorAt(n, "plugin %q: proto STDIO needs a `script` or `cmd`", plugin)
	case tlsNode != nil && !httpLike:
		return nil, errorAt(tlsNode, "plugin %q: `tls` applies only to SSE and STREAMABLEHTTP", plugin)
	case tlsNode != nil && m.UDS != "":
		return nil, errorAt(tlsNode, "plugin %q: `tls` cannot be used with `uds` (a Unix socket runs without TLS)", plugin)
	}
	if urlNode != nil && m.URL != "" {
		info, err := ParseURL(m.URL)
		if err != nil {
			return nil, errorAt(urlNode, "plugin %q: %v", plugin, err)
		}
		m.URLInfo = &info
	}
	return m, nil
}

func clientTLS(n *yaml.Node) (*ClientTLS, error) {
	t := &ClientTLS{}
	return t, each(n, "`tls`", func(key string, _, v *yaml.Node) error {
		if dst := t.field(key); dst != nil {
			return str(v, key, dst)
		}
		switch key {
		case "verify":
			return decode(v, &t.Verify, key, "true or false")
		case "check_hostname":
			return decode(v, &t.CheckHostname, key, "true or false")
		}
		return nil
	})
}

func serverSettings(n *yaml.Node) (*ServerSettings, error) {
	s := &ServerSettings{}
	return s, each(n, "`server_settings`", func(key string, _, v *yaml.Node) error {
		switch key {
		case "host":
			return str(v, key, &s.Host)
		case "port":
			return decode(v, &s.Port, key, "an integer")
		case "uds":
			return str(v, key, &s.UDS)
		case "tls":
			s.TLS = &ServerTLS{}
			return each(v, "`server_settings.tls`", func(key string, _, v *yaml.Node) error {
				if dst := s.TLS.field(key); dst != nil {
					return str(v, key, dst)
				}
				switch key {
				case "ssl_cert_reqs":
					if err := decode(v, &s.TLS.SSLCertReqs, key, "an integer 0-2"); err != nil {
						return err
					}
					// YAML null decodes to nil: unset, like every other null here.
					if r := s.TLS.SSLCertReqs; r != nil && (*r < 0 || *r > 2) {
						return errorAt(v, "`ssl_cert_reqs` must be 0, 1 or 2, got %d", *r)
					}
				}
				return nil
			})
		}
		return nil
	})
}

// AsError extracts the positioned error, if err is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
