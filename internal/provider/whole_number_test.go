package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestEveryIntegerInputIsWhole walks every schema the provider serves: each
// integer a user gives (resources, ephemeral resources, data sources) has
// the whole-number type, so 8000.5 gets "must be a whole number" on the
// attribute instead of the framework's "Value Conversion Error"; each number
// parameter of a function answers 1.5 the same way, on its argument.
func TestEveryIntegerInputIsWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, ok := New("test")().(*mcptlsProvider)
	if !ok {
		t.Fatal("New does not make an *mcptlsProvider")
	}
	inputs := 0
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &s)
		inputs += checkWhole(t, meta.TypeName, s.Schema.Attributes)
	}
	for _, newEphemeral := range p.EphemeralResources(ctx) {
		e := newEphemeral()
		var meta ephemeral.MetadataResponse
		e.Metadata(ctx, ephemeral.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s ephemeral.SchemaResponse
		e.Schema(ctx, ephemeral.SchemaRequest{}, &s)
		inputs += checkWhole(t, "ephemeral."+meta.TypeName, s.Schema.Attributes)
	}
	for _, newDataSource := range p.DataSources(ctx) {
		d := newDataSource()
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "mcptls"}, &meta)
		var s datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &s)
		inputs += checkWhole(t, "data."+meta.TypeName, s.Schema.Attributes)
	}
	numbers := 0
	for _, f := range providerFunctions(t) {
		for i, param := range f.Definition.Parameters {
			switch param.(type) {
			case function.NumberParameter:
			case function.Int64Parameter, function.Float64Parameter:
				t.Errorf("%s: parameter %d takes a number as %T: use a NumberParameter read by the whole-number check", f.Name, i+1, param)
				continue
			default:
				continue
			}
			numbers++
			args := make([]attr.Value, len(f.Definition.Parameters))
			for j, other := range f.Definition.Parameters {
				args[j] = validArgument(other)
			}
			args[i] = types.NumberValue(big.NewFloat(1.5))
			name := param.GetName()
			if err := f.call(args); err == nil || err.FunctionArgument == nil || *err.FunctionArgument != int64(i) ||
				!strings.Contains(err.Text, name+" must be a whole number, got 1.5") {
				t.Errorf("%s(%s = 1.5): %v", f.Name, name, err)
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

// schemaAttribute is what every schema's attributes (resource, ephemeral,
// data source) tell about themselves.
type schemaAttribute interface {
	GetType() attr.Type
	IsRequired() bool
	IsOptional() bool
}

// checkWhole fails each number a user gives that is not of WholeNumberType,
// and counts the numbers given.
func checkWhole[A schemaAttribute](t *testing.T, owner string, attributes map[string]A) int {
	t.Helper()
	n := 0
	for name, a := range attributes {
		if input := a.IsRequired() || a.IsOptional(); !input || !a.GetType().TerraformType(context.Background()).Is(tftypes.Number) {
			continue
		}
		n++
		if _, ok := a.GetType().(WholeNumberType); !ok {
			t.Errorf("%s.%s is a number input without WholeNumberType (%T)", owner, name, a.GetType())
		}
	}
	return n
}
