package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestEveryIntegerInputIsWhole walks every schema the provider serves: each
// integer a user gives (resources, ephemeral resources, data sources) has
// the whole-number type, so 8000.5 gets "must be a whole number" on the
// attribute instead of the framework's "Value Conversion Error"; each number
// parameter of a function answers 1.5 the same way, on its argument.
func TestEveryIntegerInputIsWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := New("test")().(*mcptlsProvider)
	inputs := 0
	check := func(owner, name string, input bool, custom attr.Type, number bool) {
		if !input {
			return
		}
		inputs++
		if number {
			t.Errorf("%s.%s is a number attribute: give it Int64 with WholeNumberType", owner, name)
		}
		if _, ok := custom.(WholeNumberType); !ok {
			t.Errorf("%s.%s is an integer input without WholeNumberType", owner, name)
		}
	}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		for name, a := range s.Schema.Attributes {
			switch a := a.(type) {
			case rschema.Int64Attribute:
				check(meta.TypeName, name, a.Required || a.Optional, a.CustomType, false)
			case rschema.NumberAttribute:
				check(meta.TypeName, name, a.Required || a.Optional, nil, true)
			}
		}
	}
	for _, newEphemeral := range p.EphemeralResources(ctx) {
		e := newEphemeral()
		var meta ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &s)
		for name, a := range s.Schema.Attributes {
			switch a := a.(type) {
			case eschema.Int64Attribute:
				check("ephemeral."+meta.TypeName, name, a.Required || a.Optional, a.CustomType, false)
			case eschema.NumberAttribute:
				check("ephemeral."+meta.TypeName, name, a.Required || a.Optional, nil, true)
			}
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		for name, a := range s.Schema.Attributes {
			switch a := a.(type) {
			case dschema.Int64Attribute:
				check("data."+meta.TypeName, name, a.Required || a.Optional, a.CustomType, false)
			case dschema.NumberAttribute:
				check("data."+meta.TypeName, name, a.Required || a.Optional, nil, true)
			}
		}
	}
	numbers := 0
	for _, newFunction := range p.Functions(ctx) {
		f := newFunction()
		var meta function.MetadataResponse
		f.Metadata(ctx, function.MetadataRequest{}, &meta)
		var def function.DefinitionResponse
		f.Definition(ctx, function.DefinitionRequest{}, &def)
		for i, param := range def.Definition.Parameters {
			switch param.(type) {
			case function.NumberParameter:
			case function.Int64Parameter, function.Float64Parameter:
				t.Errorf("%s: parameter %d takes a number as %T: use a NumberParameter read by the whole-number check", meta.Name, i+1, param)
				continue
			default:
				continue
			}
			numbers++
			args := make([]attr.Value, len(def.Definition.Parameters))
			for j, other := range def.Definition.Parameters {
				args[j] = validArgument(other)
			}
			args[i] = types.NumberValue(big.NewFloat(1.5))
			resp := function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
			f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData(args)}, &resp)
			name := param.GetName()
			if resp.Error == nil || resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != int64(i) ||
				!strings.Contains(resp.Error.Text, name+" must be a whole number, got 1.5") {
				t.Errorf("%s(%s = 1.5): %v", meta.Name, name, resp.Error)
			}
		}
	}
	if inputs < 10 || numbers < 8 {
		t.Errorf("walked %d integer inputs and %d number parameters: fewer than the provider has", inputs, numbers)
	}
}

// validArgument is a value each parameter of the env and YAML functions takes.
func validArgument(p function.Parameter) attr.Value {
	switch p.(type) {
	case function.BoolParameter:
		return types.BoolValue(true)
	case function.NumberParameter:
		return types.NumberValue(big.NewFloat(2))
	case function.MapParameter:
		return types.MapValueMust(types.StringType, map[string]attr.Value{})
	case function.DynamicParameter:
		return types.DynamicNull()
	}
	return types.StringValue("p")
}
