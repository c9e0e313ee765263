package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestEveryArgumentErrorNamesItsArgument calls every function of the provider
// with one bad argument at a time, the others valid, and checks that the
// error names that argument (its index, as Terraform and OpenTofu show it):
// the mapping from a pure input's field error to the argument, through the
// one adapter every function is. A parameter with no bad value (a bool, any
// map of strings, an object the function only copies) is listed as such, so a
// new parameter cannot be left out silently.
func TestEveryArgumentErrorNamesItsArgument(t *testing.T) {
	t.Parallel()
	num := func(f float64) attr.Value { return types.NumberValue(big.NewFloat(f)) }
	str := types.StringValue
	plugin := func(name string) attr.Value {
		return types.ObjectValueMust(pluginFilesType, map[string]attr.Value{"name": str(name), "cert_pem": types.StringNull(), "private_key_pem": types.StringNull(), "trust_bundle_pem": types.StringNull()})
	}
	pluginMap := func(entries map[string]attr.Value) attr.Value {
		return types.MapValueMust(types.ObjectType{AttrTypes: pluginFilesType}, entries)
	}
	valid := map[string]attr.Value{
		"name": str("p"), "cert_dir": str("certs/mcp"), "host": str("127.0.0.1"), "port": num(8000), "ssl_cert_reqs": num(2),
		"verify": types.BoolValue(true), "check_hostname": types.BoolValue(true),
		"env": types.MapValueMust(types.StringType, map[string]attr.Value{}), "mount_dir": str("/etc/mcp/tls"),
		"content": str("plugins: []\n"),
		"ca":      types.ObjectValueMust(caFilesType, map[string]attr.Value{"cert_pem": types.StringNull(), "private_key_pem": types.StringNull()}),
		"gateway": types.ObjectNull(gatewayFilesType), "plugins": pluginMap(map[string]attr.Value{"a": plugin("A")}),
	}
	bad := map[string]attr.Value{
		"name": str("a/b"), "cert_dir": str(""), "host": str(""), "port": num(0), "ssl_cert_reqs": num(3),
		"mount_dir": str("a/../b"), "content": str("plugins: [\n"),
		"plugins": pluginMap(map[string]attr.Value{"a": plugin("A"), "b": plugin("A")}),
	}
	noBadValue := map[string]bool{"verify": true, "check_hostname": true, "env": true, "ca": true, "gateway": true}
	calls := 0
	for _, f := range providerFunctions(t) {
		def := f.Definition
		params := def.Parameters
		call := func(args []attr.Value) *function.FuncError {
			calls++
			return f.call(args)
		}
		args := func(at int, v attr.Value, extra ...attr.Value) []attr.Value {
			out := make([]attr.Value, 0, len(params)+len(extra))
			for i, p := range params {
				if i == at {
					out = append(out, v)
				} else {
					out = append(out, valid[p.GetName()])
				}
			}
			if def.VariadicParameter != nil {
				out = append(out, types.TupleValueMust(elemTypes(extra), extra))
			}
			return out
		}
		if err := call(args(-1, nil)); err != nil {
			t.Errorf("%s with valid arguments: %v", f.Name, err)
		}
		for i, param := range params {
			name := param.GetName()
			if valid[name] == nil {
				t.Errorf("%s: no valid value for %q in this test: add one", f.Name, name)
				continue
			}
			if noBadValue[name] {
				continue
			}
			v, ok := bad[name]
			if !ok {
				t.Errorf("%s: no bad value for %q in this test: add one, or list it as having none", f.Name, name)
				continue
			}
			if err := call(args(i, v)); err == nil || err.FunctionArgument == nil || *err.FunctionArgument != int64(i) {
				t.Errorf("%s(%s = bad): want an error on argument %d, got %v", f.Name, name, i, err)
			}
		}
		if v := def.VariadicParameter; v != nil {
			options := types.DynamicValue(types.StringValue("verify"))
			if err := call(args(-1, nil, options)); err == nil || err.FunctionArgument == nil || *err.FunctionArgument != int64(len(params)) {
				t.Errorf("%s(%s = a string): want an error on argument %d, got %v", f.Name, v.GetName(), len(params), err)
			}
			empty := types.DynamicValue(types.ObjectValueMust(map[string]attr.Type{}, map[string]attr.Value{}))
			if err := call(args(-1, nil, empty, empty)); err == nil || err.FunctionArgument == nil || *err.FunctionArgument != int64(len(params)+1) {
				t.Errorf("%s(two %s): want an error on argument %d, got %v", f.Name, v.GetName(), len(params)+1, err)
			}
		}
	}
	if calls < 40 {
		t.Errorf("only %d calls: fewer functions or arguments than the provider has", calls)
	}
}

func elemTypes(values []attr.Value) []attr.Type {
	out := make([]attr.Type, len(values))
	for i, v := range values {
		out[i] = v.Type(context.Background())
	}
	return out
}

// providerFunction is one function of the provider, to call directly.
type providerFunction struct {
	Name       string
	Definition function.Definition
	f          function.Function
}

func providerFunctions(t *testing.T) []providerFunction {
	t.Helper()
	ctx := context.Background()
	p, ok := New("test")().(*mcptlsProvider)
	if !ok {
		t.Fatal("New does not make an *mcptlsProvider")
	}
	var out []providerFunction
	for _, newFunction := range p.Functions(ctx) {
		f := newFunction()
		var meta function.MetadataResponse
		f.Metadata(ctx, function.MetadataRequest{}, &meta)
		var def function.DefinitionResponse
		f.Definition(ctx, function.DefinitionRequest{}, &def)
		out = append(out, providerFunction{Name: meta.Name, Definition: def.Definition, f: f})
	}
	return out
}

// call runs the function and returns its error.
func (pf providerFunction) call(args []attr.Value) *function.FuncError {
	result := attr.Value(types.StringUnknown())
	if m, ok := pf.Definition.Return.GetType().(types.MapType); ok {
		result = types.MapUnknown(m.ElemType)
	}
	resp := function.RunResponse{Result: function.NewResultData(result)}
	pf.f.Run(context.Background(), function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
	return resp.Error
}

// TestTLSOptionsConvertAsTheDataSourceAttributes: plugin_config_tls_yaml's
// options convert as Terraform converts the data source's template_env
// (map of strings) and ssrf_protection (bool), so one configuration reads a
// file alike in both; what Terraform cannot convert is an error in both.
func TestTLSOptionsConvertAsTheDataSourceAttributes(t *testing.T) {
	t.Parallel()
	// Terraform passes an object literal as a dynamic value of object type.
	plain := func(attrs map[string]attr.Value) attr.Value { return types.ObjectValueMust(elemTypesOf(attrs), attrs) }
	object := func(attrs map[string]attr.Value) attr.Value { return types.DynamicValue(plain(attrs)) }
	port, _ := new(big.Float).SetString("8000")
	half, _ := new(big.Float).SetString("0.5")
	env := object(map[string]attr.Value{"template_env": plain(map[string]attr.Value{
		"PORT": types.NumberValue(port), "HALF": types.NumberValue(half), "ON": types.BoolValue(true), "S": types.StringValue("x"),
	})})
	opts, known, err := readTLSOptions([]attr.Value{env})
	if err != nil || !known || fmt.Sprint(opts.Config.TemplateEnv) != "map[HALF:0.5 ON:true PORT:8000 S:x]" {
		t.Errorf("%v %v %v", opts.Config.TemplateEnv, known, err)
	}
	for text, want := range map[string]bool{"false": false, "0": false, "true": true, "1": true} {
		opts, _, err := readTLSOptions([]attr.Value{object(map[string]attr.Value{"ssrf_protection": types.StringValue(text), "verify": types.StringValue(text)})})
		if err != nil || opts.Config.SSRFProtection != want || opts.Verify != want {
			t.Errorf("%q: %v %v %v", text, opts.Config.SSRFProtection, opts.Verify, err)
		}
	}
	// Terraform refuses these for the data source's attributes too.
	for _, bad := range []attr.Value{
		object(map[string]attr.Value{"ssrf_protection": types.StringValue("False")}),
		object(map[string]attr.Value{"template_env": plain(map[string]attr.Value{"L": types.ListValueMust(types.StringType, nil)})}),
	} {
		if _, _, err := readTLSOptions([]attr.Value{bad}); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func elemTypesOf(attrs map[string]attr.Value) map[string]attr.Type {
	out := map[string]attr.Type{}
	for k, v := range attrs {
		out[k] = v.Type(context.Background())
	}
	return out
}

// TestWholeNumberArgumentsSayTheNumberGiven: a number that is not whole is
// printed as given, every digit (8000.00000000001 printed to ten digits
// read "got 8000"), as the attributes' message prints it.
func TestWholeNumberArgumentsSayTheNumberGiven(t *testing.T) {
	t.Parallel()
	for _, f := range providerFunctions(t) {
		if f.Name != "server_env" {
			continue
		}
		for _, given := range []string{"8000.00000000001", "-0.000000000001", "65535.5"} {
			v, _, _ := big.ParseFloat(given, 10, 512, big.ToNearestEven)
			err := f.call([]attr.Value{types.StringValue("p"), types.StringValue("/c"), types.StringValue("0.0.0.0"), types.NumberValue(v), types.NumberValue(big.NewFloat(2))})
			if err == nil || !strings.Contains(err.Text, "port must be a whole number, got "+given) {
				t.Errorf("%s: %v", given, err)
			}
		}
		return
	}
	t.Fatal("no server_env function")
}
