package provider

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
	"github.com/mcptls/terraform-provider-mcptls/internal/yamlrender"
)

// plugin_config_tls_yaml(content, cert_dir, options...): the gateway's
// config.yaml with the client tls blocks filled in (yamlrender.AddTLS).
// options is variadic so the common call needs none; it is one object whose
// attributes are all optional, hence dynamic (an object parameter would make
// every attribute required).

func newPluginConfigTLSYAMLFunction() function.Function {
	return adapter{
		name:    "plugin_config_tls_yaml",
		summary: "The gateway's config.yaml with mcp.tls and grpc.tls filled in for every plugin reached over TLS.",
		description: "Returns content with a `tls:` block added to every external plugin the gateway reaches over TLS: `mcp.tls` for MCP at an https or wss URL without uds, " +
			"`grpc.tls` for gRPC at a target. The blocks point at <cert_dir>/gateway/ as client_env and grpc_client_env do. Everything else is kept byte for byte: " +
			"comments, order, quoting, anchors, Jinja2 templates, other plugins and settings. A file the gateway would refuse is an error naming its line and column. " +
			"The file is read as the data source mcptls_plugin_config reads it: every error is the data source's, word for word. " +
			"Terraform functions cannot show warnings, so only the data source shows a file's warnings (a name missing from template_env, a plugin left out of tls_plugins and why): read the file with it too.",
		params: []function.Parameter{
			function.StringParameter{Name: "content", Description: "The gateway's plugin config.yaml, e.g. file(\"plugins/config.yaml\")."},
			yamlCertDirParam,
		},
		variadic: function.DynamicParameter{Name: "options", AllowNullValue: true, Description: "At most one object (or null), every attribute optional: " +
			"verify (bool, default true) and check_hostname (bool, default true) for the mcp.tls blocks; " +
			"existing_tls (\"error\" (default), \"keep\" or \"replace\"): what to do with a tls block a plugin already has that differs from mcptls's (a block equal to it is left alone); " +
			"ssrf_protection (bool, default true) and template_env (map of strings) read the file as the data source mcptls_plugin_config does, and convert as its attributes do " +
			"(template_env = { PORT = 8000 } is \"8000\", ssrf_protection = \"false\" is false). " +
			"Templates stay in the output as written; template_env only lets mcptls read the file. " +
			"On OpenTofu (1.12.6) omit options or pass {}: it does not call a function with a literal null here and plans the result as unknown on every plan."},
		ret: function.StringReturn{},
		run: func(_ context.Context, a arguments) (any, error) {
			opts, known, err := readTLSOptions(a.variadicValues())
			if err != nil {
				return nil, err
			}
			if !known {
				return types.StringUnknown(), nil
			}
			out, err := yamlrender.AddTLS(a.str("content"), a.str("cert_dir"), opts)
			if err != nil && envmap.FieldOf(err) == "" {
				return nil, &envmap.FieldError{Field: "content", Err: contentError(err)}
			}
			return out, err
		},
	}
}

// contentError words the problems of a config text, one per line.
func contentError(err error) error {
	problems, ok := pluginconfig.AsProblems(err)
	if !ok {
		return fmt.Errorf("content: %w", err)
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = "content: " + p.Error()
	}
	return errors.New(strings.Join(lines, "\n"))
}

var tlsOptionNames = []string{"check_hostname", "existing_tls", "ssrf_protection", "template_env", "verify"}

// readTLSOptions reads the variadic options; known is false when a value in
// them is not known yet (the result is then unknown too). Terraform does not
// call a function with a value that is not wholly known unless the parameter
// allows it; this does not rely on that.
func readTLSOptions(elems []attr.Value) (yamlrender.Options, bool, error) {
	opts := yamlrender.DefaultOptions()
	if len(elems) > 1 {
		return opts, false, &envmap.FieldError{Field: "options[1]", Err: fmt.Errorf("options: give at most one options object, got %d arguments after cert_dir", len(elems))}
	}
	if len(elems) == 0 {
		return opts, true, nil
	}
	fail := func(format string, args ...any) (yamlrender.Options, bool, error) {
		return opts, false, &envmap.FieldError{Field: "options", Err: fmt.Errorf(format, args...)}
	}
	v := elems[0]
	if d, ok := v.(types.Dynamic); ok {
		if d.IsUnknown() || d.IsUnderlyingValueUnknown() {
			return opts, false, nil
		}
		if d.IsNull() || d.IsUnderlyingValueNull() {
			return opts, true, nil
		}
		v = d.UnderlyingValue()
	}
	attrs, ok := attributes(v)
	if !ok {
		return fail("options must be an object such as { check_hostname = false }, got %s", describe(v))
	}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := attrs[name]
		if a.IsUnknown() {
			return opts, false, nil
		}
		if a.IsNull() {
			continue
		}
		switch name {
		case "verify", "check_hostname", "ssrf_protection":
			b, ok := asBool(a)
			if !ok {
				return fail("options.%s must be true or false, got %s", name, describe(a))
			}
			switch name {
			case "verify":
				opts.Verify = b
			case "check_hostname":
				opts.CheckHostname = b
			default:
				opts.Config.SSRFProtection = b
			}
		case "existing_tls":
			s, ok := a.(basetypes.StringValue)
			if !ok {
				return fail("options.existing_tls must be \"error\", \"keep\" or \"replace\", got %s", describe(a))
			}
			opts.Existing = yamlrender.Existing(s.ValueString())
		case "template_env":
			env, ok := attributes(a)
			if !ok {
				return fail("options.template_env must be a map of strings, got %s", describe(a))
			}
			opts.Config.TemplateEnv = map[string]string{}
			for k, ev := range env {
				if ev.IsUnknown() {
					return opts, false, nil
				}
				s, ok := asString(ev)
				if !ok {
					return fail("options.template_env.%s must be a string, a number or a bool, got %s", k, describe(ev))
				}
				opts.Config.TemplateEnv[k] = s
			}
		default:
			return fail("options has no attribute %q: the options are %s", name, strings.Join(tlsOptionNames, ", "))
		}
	}
	return opts, true, nil
}

// The options convert as Terraform converts the same values for the data
// source mcptls_plugin_config's attributes, so one configuration reads alike
// in both: template_env = { PORT = 8000 } is "8000" (a map(string) there),
// ssrf_protection = "false" is false (a bool there).

// asBool is Terraform's conversion to bool: true, false, or the strings
// "true", "1", "false" and "0".
func asBool(v attr.Value) (bool, bool) {
	switch b := v.(type) {
	case basetypes.BoolValue:
		return b.ValueBool(), !b.IsNull()
	case basetypes.StringValue:
		switch b.ValueString() {
		case "true", "1":
			return true, true
		case "false", "0":
			return false, true
		}
	}
	return false, false
}

// asString is Terraform's conversion to string: a string as is, a number in
// decimal without an exponent (8000, 0.5), a bool as "true" or "false".
func asString(v attr.Value) (string, bool) {
	if v.IsNull() {
		return "", false
	}
	switch s := v.(type) {
	case basetypes.StringValue:
		return s.ValueString(), true
	case basetypes.NumberValue:
		return s.ValueBigFloat().Text('f', -1), true
	case basetypes.BoolValue:
		return strconv.FormatBool(s.ValueBool()), true
	}
	return "", false
}

// attributes reads an object or a map.
func attributes(v attr.Value) (map[string]attr.Value, bool) {
	switch o := v.(type) {
	case basetypes.ObjectValue:
		return o.Attributes(), true
	case basetypes.MapValue:
		return o.Elements(), true
	}
	return nil, false
}

// describe names what a value is, as a user wrote it: "a string", not
// basetypes.StringType.
func describe(v attr.Value) string {
	if d, ok := v.(basetypes.DynamicValue); ok {
		if d.IsNull() || d.IsUnderlyingValueNull() {
			return "null"
		}
		v = d.UnderlyingValue()
	}
	if v.IsNull() {
		return "null"
	}
	switch v.(type) {
	case basetypes.StringValue:
		return "a string"
	case basetypes.NumberValue, basetypes.Int64Value, basetypes.Float64Value:
		return "a number"
	case basetypes.BoolValue:
		return "a bool"
	case basetypes.ListValue, basetypes.TupleValue, basetypes.SetValue:
		return "a list"
	case basetypes.MapValue:
		return "a map"
	case basetypes.ObjectValue:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}
