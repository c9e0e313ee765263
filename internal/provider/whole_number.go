package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/attr/xattr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// WholeNumberType is the type of an Int64 attribute that must hold a whole
// number. Terraform's type stays number, so schema and state keep their shape;
// what changes is decoding: a number with a fraction (validity_days = 1.5) is
// kept, not refused, so that attribute validation can name the attribute and
// say what is wrong instead of the framework's "Value Conversion Error". Use it
// through wholeNumberAttribute, with WholeNumberValue model fields.
type WholeNumberType struct {
	basetypes.Int64Type
	// Unit words the error ("days", "bits"); it does not make another type.
	Unit string
}

var (
	_ basetypes.Int64Typable      = WholeNumberType{}
	_ basetypes.Int64Valuable     = WholeNumberValue{}
	_ xattr.ValidateableAttribute = WholeNumberValue{}
)

func (t WholeNumberType) Equal(o attr.Type) bool {
	_, ok := o.(WholeNumberType)
	return ok
}

func (t WholeNumberType) String() string { return "provider.WholeNumberType" }

func (t WholeNumberType) ValueType(context.Context) attr.Value {
	return WholeNumberValue{unit: t.Unit}
}

func (t WholeNumberType) ValueFromInt64(_ context.Context, v basetypes.Int64Value) (basetypes.Int64Valuable, diag.Diagnostics) {
	return WholeNumberValue{Int64Value: v, unit: t.Unit}, nil
}

// ValueFromTerraform keeps a number that is no int64 as an unknown value that
// remembers what was written: validators skip unknown values, and
// ValidateAttribute reports it.
func (t WholeNumberType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if in.IsKnown() && !in.IsNull() && in.Type().Is(tftypes.Number) {
		f := new(big.Float)
		if err := in.As(&f); err != nil {
			return nil, err
		}
		if !f.IsInt() || f.Cmp(big.NewFloat(math.MaxInt64)) > 0 || f.Cmp(big.NewFloat(math.MinInt64)) < 0 {
			return WholeNumberValue{Int64Value: basetypes.NewInt64Unknown(), unit: t.Unit, invalid: f}, nil
		}
	}
	v, err := t.Int64Type.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	i, ok := v.(basetypes.Int64Value)
	if !ok {
		return nil, fmt.Errorf("whole number: %T is no Int64Value", v)
	}
	return WholeNumberValue{Int64Value: i, unit: t.Unit}, nil
}

// WholeNumberValue is a WholeNumberType value: an Int64 (ValueInt64 and the
// rest work as usual) that also carries a configured number that was not whole.
type WholeNumberValue struct {
	basetypes.Int64Value
	unit    string
	invalid *big.Float
}

// newWholeNumberValue is a known value, for code that fills a model.
func newWholeNumberValue(v int64) WholeNumberValue {
	return WholeNumberValue{Int64Value: basetypes.NewInt64Value(v)}
}

func (v WholeNumberValue) Type(context.Context) attr.Type { return WholeNumberType{Unit: v.unit} }

func (v WholeNumberValue) Equal(o attr.Value) bool {
	other, ok := o.(WholeNumberValue)
	if !ok || (v.invalid == nil) != (other.invalid == nil) || (v.invalid != nil && v.invalid.Cmp(other.invalid) != 0) {
		return false
	}
	return v.Int64Value.Equal(other.Int64Value)
}

// ValidateAttribute reports a number that is not a whole one, or too large for
// any attribute, on the attribute.
func (v WholeNumberValue) ValidateAttribute(_ context.Context, req xattr.ValidateAttributeRequest, resp *xattr.ValidateAttributeResponse) {
	if v.invalid == nil {
		return
	}
	what := "a whole number"
	if v.unit != "" {
		what += " of " + v.unit
	}
	got := numberText(v.invalid)
	if v.invalid.IsInt() {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid whole number", fmt.Sprintf("%s is far too large, got %s: give %s.", req.Path, got, what))
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid whole number", fmt.Sprintf("%s must be %s, got %s.", req.Path, what, got))
}

// numberText prints a number as a user writes it: every digit, in decimal
// (8000.00000000001, -0.000000000001), and with an exponent where decimal
// would need more than 21 significant digits (1e+30).
func numberText(f *big.Float) string {
	if s := f.Text('f', -1); len(strings.TrimLeft(s, "-0.")) <= 21 {
		return s
	}
	return f.Text('g', -1)
}
