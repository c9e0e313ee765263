package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// pluginObjectType is one plugin as the data source exposes it.
var pluginObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"name": types.StringType, "kind": types.StringType, "mode": types.StringType, "priority": types.Int64Type,
	"hooks": types.ListType{ElemType: types.StringType}, "tags": types.ListType{ElemType: types.StringType},
	"proto": types.StringType, "url": types.StringType, "url_scheme": types.StringType, "url_host": types.StringType,
	"url_port": types.Int64Type, "script": types.StringType, "uds": types.StringType, "tls_enabled": types.BoolType,
}}

type pluginConfigModel struct {
	Path            types.String `tfsdk:"path"`
	Content         types.String `tfsdk:"content"`
	Plugins         types.List   `tfsdk:"plugins"`
	ExternalPlugins types.Map    `tfsdk:"external_plugins"`
}

type pluginConfigDataSource struct{}

var _ datasource.DataSourceWithConfigValidators = (*pluginConfigDataSource)(nil)

// NewPluginConfigDataSource is data.mcptls_plugin_config.
func NewPluginConfigDataSource() datasource.DataSource { return &pluginConfigDataSource{} }

func (d *pluginConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plugin_config"
}

func (d *pluginConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	objectDoc := "Each plugin: `name`, `kind`, `mode`, `priority`, `hooks`, `tags`, and from `mcp`: `proto`, `url`, `url_scheme`, `url_host`, `url_port` (explicit, else the scheme's default), `script`, `uds`, `tls_enabled` (https/wss URL or an `mcp.tls` block). Absent values are null."
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the gateway's plugin `config.yaml` (`plugins/external/config.yaml`). Errors name the YAML line and column.",
		Attributes: map[string]schema.Attribute{
			"path":    schema.StringAttribute{Optional: true, MarkdownDescription: "Path of the file, relative to Terraform's working directory (use `${path.module}/…` in modules). Exactly one of `path` and `content`."},
			"content": schema.StringAttribute{Optional: true, MarkdownDescription: "The file's text. Exactly one of `path` and `content`."},
			"plugins": schema.ListAttribute{Computed: true, ElementType: pluginObjectType, MarkdownDescription: "Every plugin, in file order. " + objectDoc},
			"external_plugins": schema.MapAttribute{Computed: true, ElementType: pluginObjectType,
				MarkdownDescription: "The `kind: external` plugins by name, ready for `for_each`. " + objectDoc},
		},
	}
}

func (d *pluginConfigDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("path"), path.MatchRoot("content"))}
}

func (d *pluginConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m pluginConfigModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	source, where := path.Root("content"), "content"
	var (
		file     *pluginconfig.File
		warnings []*pluginconfig.Warning
		err      error
	)
	if !m.Path.IsNull() {
		source, where = path.Root("path"), m.Path.ValueString()
		file, warnings, err = pluginconfig.ReadFile(m.Path.ValueString())
	} else {
		file, warnings, err = pluginconfig.Parse([]byte(m.Content.ValueString()))
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(source, "Invalid plugin config", fmt.Sprintf("%s: %v", where, err))
		return
	}
	for _, w := range warnings {
		resp.Diagnostics.AddAttributeWarning(source, "Plugin config warning", fmt.Sprintf("%s: %v", where, w))
	}
	all := make([]attr.Value, 0, len(file.Plugins))
	external := map[string]attr.Value{}
	for _, p := range file.Plugins {
		obj := pluginObject(p)
		all = append(all, obj)
		if p.External() {
			external[p.Name] = obj
		}
	}
	m.Plugins = types.ListValueMust(pluginObjectType, all)
	m.ExternalPlugins = types.MapValueMust(pluginObjectType, external)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func pluginObject(p pluginconfig.Plugin) attr.Value {
	optional := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	strings := func(v []string) types.List {
		if v == nil {
			return types.ListNull(types.StringType)
		}
		elems := make([]attr.Value, len(v))
		for i, s := range v {
			elems[i] = types.StringValue(s)
		}
		return types.ListValueMust(types.StringType, elems)
	}
	values := map[string]attr.Value{
		"name": types.StringValue(p.Name), "kind": types.StringValue(p.Kind), "mode": optional(p.Mode),
		"priority": types.Int64Null(), "hooks": strings(p.Hooks), "tags": strings(p.Tags),
		"proto": types.StringNull(), "url": types.StringNull(), "url_scheme": types.StringNull(), "url_host": types.StringNull(),
		"url_port": types.Int64Null(), "script": types.StringNull(), "uds": types.StringNull(), "tls_enabled": types.BoolValue(false),
	}
	if p.Priority != nil {
		values["priority"] = types.Int64Value(int64(*p.Priority))
	}
	if m := p.MCP; m != nil {
		values["proto"], values["url"], values["script"], values["uds"] = optional(m.Proto), optional(m.URL), optional(m.Script), optional(m.UDS)
		values["tls_enabled"] = types.BoolValue(m.TLSEnabled())
		if u := m.URLInfo; u != nil {
			values["url_scheme"], values["url_host"], values["url_port"] = types.StringValue(u.Scheme), types.StringValue(u.Host), types.Int64Value(int64(u.Port))
		}
	}
	return types.ObjectValueMust(pluginObjectType.AttrTypes, values)
}
