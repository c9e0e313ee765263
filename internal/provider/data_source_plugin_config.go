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
	"transport": types.StringType, "host": types.StringType, "port": types.Int64Type, "tls_enabled": types.BoolType,
	"proto": types.StringType, "url": types.StringType, "url_scheme": types.StringType, "url_host": types.StringType,
	"url_port": types.Int64Type, "script": types.StringType, "uds": types.StringType, "grpc_target": types.StringType,
}}

type pluginConfigModel struct {
	Path            types.String `tfsdk:"path"`
	Content         types.String `tfsdk:"content"`
	SSRFProtection  types.Bool   `tfsdk:"ssrf_protection"`
	TemplateEnv     types.Map    `tfsdk:"template_env"`
	Plugins         types.List   `tfsdk:"plugins"`
	ExternalPlugins types.Map    `tfsdk:"external_plugins"`
	TLSPlugins      types.Map    `tfsdk:"tls_plugins"`
}

type pluginConfigDataSource struct{}

var _ datasource.DataSourceWithConfigValidators = (*pluginConfigDataSource)(nil)

// NewPluginConfigDataSource is data.mcptls_plugin_config.
func NewPluginConfigDataSource() datasource.DataSource { return &pluginConfigDataSource{} }

func (d *pluginConfigDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plugin_config"
}

const pluginObjectDoc = "Each plugin: `name`, `kind`, `mode` (after the gateway's migration of legacy names; default `sequential`), `priority` (default 100), `hooks`, `tags`; " +
	"`transport` (`mcp`, `grpc`, `unix_socket`, or null for a native plugin); `host` and `port` where the gateway connects over TCP (from the MCP URL or the gRPC target; an internationalized host in the IDNA form the gateway's client connects to); " +
	"`tls_enabled` (an https/wss MCP URL or a gRPC target); from `mcp`: `proto`, `url`, `url_scheme`, `url_host`, `url_port` (explicit, else the scheme's default), `script`; " +
	"`grpc_target`; `uds` (the Unix socket of `mcp.uds`, `grpc.uds` or `unix_socket.path`). Absent values are null."

func (d *pluginConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the gateway's plugin `config.yaml` and validates it as the gateway's plugin framework does (cpex 0.1.x): " +
			"what the gateway refuses is an error at its line and column, what it accepts is accepted, with a warning where a legal file is likely wrong.",
		Attributes: map[string]schema.Attribute{
			"path":    schema.StringAttribute{Optional: true, MarkdownDescription: "Path of the file, relative to Terraform's working directory (use `${path.module}/…` in modules). Exactly one of `path` and `content`."},
			"content": schema.StringAttribute{Optional: true, MarkdownDescription: "The file's text. Exactly one of `path` and `content`."},
			"ssrf_protection": schema.BoolAttribute{Optional: true, MarkdownDescription: "The gateway's `" + pluginconfig.SSRFSetting + "` (default `true`, as the gateway's): " +
				"an MCP URL whose host is a private, loopback or link-local IP address is an error. Set `false` only when the gateway runs with `" + pluginconfig.SSRFSetting + "=false`."},
			"template_env": schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "The gateway's environment as its config template sees it (`env`): the gateway renders the file as a Jinja2 template before parsing it, and so does the data source. " +
				"A name missing here renders empty, as on the gateway, with a warning; it is an error where it empties a URL, target, transport or port."},
			"plugins": schema.ListAttribute{Computed: true, ElementType: pluginObjectType, MarkdownDescription: "Every plugin, in file order. " + pluginObjectDoc},
			"external_plugins": schema.MapAttribute{Computed: true, ElementType: pluginObjectType,
				MarkdownDescription: "The `kind: external` plugins by name, whatever their transport; each is a plugin object as in `plugins`."},
			"tls_plugins": schema.MapAttribute{Computed: true, ElementType: pluginObjectType,
				MarkdownDescription: "The external plugins that need a server certificate (MCP at an https/wss URL, gRPC at a TCP target), by name, ready for `for_each` over `mcptls_plugin_cert`, which accepts each of them " +
					"(a plugin whose host no certificate can name, such as an `ipv4:` list of several addresses, is left out with a warning); " +
					"each is a plugin object as in `plugins`."},
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
	opts := pluginconfig.DefaultOptions()
	if !m.SSRFProtection.IsNull() {
		opts.SSRFProtection = m.SSRFProtection.ValueBool()
	}
	if !m.TemplateEnv.IsNull() {
		if resp.Diagnostics.Append(m.TemplateEnv.ElementsAs(ctx, &opts.TemplateEnv, false)...); resp.Diagnostics.HasError() {
			return
		}
	}
	source, where := path.Root("content"), "content"
	var (
		file     *pluginconfig.File
		warnings []*pluginconfig.Warning
		err      error
	)
	if !m.Path.IsNull() {
		source, where = path.Root("path"), m.Path.ValueString()
		file, warnings, err = pluginconfig.ReadFile(m.Path.ValueString(), opts)
	} else {
		file, warnings, err = pluginconfig.Parse([]byte(m.Content.ValueString()), opts)
	}
	if err != nil {
		problems, positioned := pluginconfig.AsProblems(err)
		if !positioned {
			resp.Diagnostics.AddAttributeError(source, "Invalid plugin config", fmt.Sprintf("%s: %v", where, err))
			return
		}
		for _, p := range problems {
			resp.Diagnostics.AddAttributeError(source, "Invalid plugin config", fmt.Sprintf("%s: %v", where, p))
		}
		return
	}
	for _, w := range warnings {
		resp.Diagnostics.AddAttributeWarning(source, "Plugin config warning", fmt.Sprintf("%s: %v", where, w))
	}
	all := make([]attr.Value, 0, len(file.Plugins))
	external, tls := map[string]attr.Value{}, map[string]attr.Value{}
	for _, p := range file.Plugins {
		obj := pluginObject(p)
		all = append(all, obj)
		if p.External() {
			external[p.Name] = obj
		}
		if p.NeedsServerCert() {
			tls[p.Name] = obj
		}
	}
	m.Plugins = types.ListValueMust(pluginObjectType, all)
	m.ExternalPlugins = types.MapValueMust(pluginObjectType, external)
	m.TLSPlugins = types.MapValueMust(pluginObjectType, tls)
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
		elems := make([]attr.Value, len(v))
		for i, s := range v {
			elems[i] = types.StringValue(s)
		}
		return types.ListValueMust(types.StringType, elems)
	}
	values := map[string]attr.Value{
		"name": types.StringValue(p.Name), "kind": types.StringValue(p.Kind), "mode": types.StringValue(p.Mode),
		"priority": types.Int64Value(int64(p.Priority)), "hooks": strings(p.Hooks), "tags": strings(p.Tags),
		"transport": optional(p.Transport()), "host": types.StringNull(), "port": types.Int64Null(), "tls_enabled": types.BoolValue(p.TLSEnabled()),
		"proto": types.StringNull(), "url": types.StringNull(), "url_scheme": types.StringNull(), "url_host": types.StringNull(),
		"url_port": types.Int64Null(), "script": types.StringNull(), "uds": optional(p.SocketPath()), "grpc_target": types.StringNull(),
	}
	if e, ok := p.Endpoint(); ok && e.Host() != "" {
		values["host"], values["port"] = types.StringValue(e.Host()), types.Int64Value(int64(e.Port))
	}
	if m := p.MCP; m != nil {
		values["proto"], values["url"], values["script"] = optional(m.Proto), optional(m.URL), optional(m.Script)
		if u := m.URLInfo; u != nil {
			values["url_scheme"], values["url_host"], values["url_port"] = types.StringValue(u.Scheme), optional(u.Host), types.Int64Value(int64(u.Port))
		}
	}
	if g := p.GRPC; g != nil {
		values["grpc_target"] = optional(g.Target)
	}
	return types.ObjectValueMust(pluginObjectType.AttrTypes, values)
}
