package pluginconfig

import "fmt"

// When and to what a plugin applies (models.py PluginCondition, AppliedTo and
// the templates in it, and the capabilities validator). mcptls reads none of
// it, but the gateway refuses a file where these do not validate.

// conditionLists are PluginCondition's fields: Optional[set[str]] or Optional[list[str]].
var conditionLists = []string{"server_ids", "tenant_ids", "tools", "prompts", "resources", "agents", "user_patterns", "content_types"}

// capabilities are extensions/tiers.py Capability values.
var capabilities = map[string]bool{
	"read_subject": true, "read_roles": true, "read_teams": true, "read_claims": true, "read_permissions": true,
	"read_agent": true, "read_headers": true, "write_headers": true, "read_labels": true, "append_labels": true,
	"read_delegation": true, "append_delegation": true,
}

// conditions: list[PluginCondition] = [] (null is refused).
func (p *parser) conditions(fs fields) {
	v := fs.value("conditions")
	if v == nil {
		return
	}
	if v.kind != sequenceNode {
		fs.fail(v, "conditions", "Input should be a valid list", "write a list of conditions")
		return
	}
	for i, c := range v.items {
		at := fmt.Sprintf("%sconditions[%d].", fs.at, i)
		if c.kind != mappingNode {
			p.errorAt(c, "%s is %s; the gateway needs a mapping", at[:len(at)-1], c.describe())
			continue
		}
		cf := fields{p: p, m: c, at: at}
		for _, key := range conditionLists {
			cf.strings(key, true)
		}
	}
}

// templateNames are AppliedTo's lists and the required name of each template.
var templateNames = map[string]string{"tools": "tool_name", "prompts": "prompt_name", "resources": "resource_uri"}

// appliedTo: Optional[AppliedTo].
func (p *parser) appliedTo(fs fields) {
	a := fs.mapping("applied_to")
	if a == nil {
		return
	}
	af := fields{p: p, m: a, at: fs.at + "applied_to."}
	for _, list := range []string{"tools", "prompts", "resources"} {
		v := af.value(list)
		if v == nil || v.isNull() {
			continue
		}
		if v.kind != sequenceNode {
			af.fail(v, list, "Input should be a valid list", "write a list")
			continue
		}
		for i, t := range v.items {
			at := fmt.Sprintf("%s%s[%d].", af.at, list, i)
			if t.kind != mappingNode {
				p.errorAt(t, "%s is %s; the gateway needs a mapping", at[:len(at)-1], t.describe())
				continue
			}
			tf := fields{p: p, m: t, at: at}
			tf.requiredStr(templateNames[list], "name the "+list[:len(list)-1])
			tf.strings("fields", true)
			tf.strings("context", true)
			tf.boolean("result")
			if e := tf.mapping("extensions"); e != nil {
				tf.stringKeys("extensions", e)
			}
		}
	}
}

// capabilities: a list of known Capability values; any other type is read as
// no capabilities (the validator returns frozenset()).
func (p *parser) capabilities(fs fields) {
	v := fs.value("capabilities")
	if v == nil || v.kind != sequenceNode {
		return
	}
	for _, c := range v.items {
		if c.kind != scalarNode || !capabilities[c.value] {
			p.errorAt(c, "%scapability %q is unknown (the gateway: \"Unknown capability\"): use one of read_subject, read_roles, read_teams, read_claims, read_permissions, read_agent, read_headers, write_headers, read_labels, append_labels, read_delegation, append_delegation", fs.at, c.value)
		}
	}
}
