package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protoResource drives one resource through the provider server the way
// Terraform does (plan, apply, plan again), so a test can read the warnings a
// plan gives, which the acceptance harness does not expose.
type protoResource struct {
	t        *testing.T
	server   tfprotov6.ProviderServer
	typeName string
	objType  tftypes.Object
	computed map[string]bool
	config   tftypes.Value
	state    tftypes.Value
}

func newProtoResource(t *testing.T, clock Clock, newResource func() resource.Resource, typeName string, set map[string]tftypes.Value) *protoResource {
	t.Helper()
	ctx := context.Background()
	var s resource.SchemaResponse
	newResource().Schema(ctx, resource.SchemaRequest{}, &s)
	objType := as[tftypes.Object](t, s.Schema.Type().TerraformType(ctx))
	values, computed := map[string]tftypes.Value{}, map[string]bool{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
		if v, ok := set[name]; ok {
			values[name] = v
		}
		computed[name] = s.Schema.Attributes[name].IsComputed()
	}
	server, err := factories(clock)["mcptls"]()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	return &protoResource{t: t, server: server, typeName: typeName, objType: objType, computed: computed,
		config: tftypes.NewValue(objType, values), state: tftypes.NewValue(objType, nil)}
}

// with returns the configuration with one attribute set to v.
func (r *protoResource) with(name string, v tftypes.Value) tftypes.Value {
	var values map[string]tftypes.Value
	if err := r.config.As(&values); err != nil {
		r.t.Fatal(err)
	}
	values[name] = v
	return tftypes.NewValue(r.objType, values)
}

func (r *protoResource) dynamic(v tftypes.Value) *tfprotov6.DynamicValue {
	d, err := tfprotov6.NewDynamicValue(r.objType, v)
	if err != nil {
		r.t.Fatal(err)
	}
	return &d
}

// proposed is Terraform's proposed new state for flat attributes: the
// configuration, with computed attributes it leaves null taken from the prior
// state (unknown when there is none).
func (r *protoResource) proposed() tftypes.Value {
	var config, prior map[string]tftypes.Value
	_ = r.config.As(&config)
	if !r.state.IsNull() {
		_ = r.state.As(&prior)
	}
	out := map[string]tftypes.Value{}
	for name, v := range config {
		switch {
		case !v.IsNull() || !r.computed[name]:
			out[name] = v
		case prior != nil:
			out[name] = prior[name]
		default:
			out[name] = tftypes.NewValue(r.objType.AttributeTypes[name], tftypes.UnknownValue)
		}
	}
	return tftypes.NewValue(r.objType, out)
}

// plan plans against the current state and returns the response.
func (r *protoResource) plan() *tfprotov6.PlanResourceChangeResponse {
	r.t.Helper()
	resp, err := r.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: r.typeName, PriorState: r.dynamic(r.state), ProposedNewState: r.dynamic(r.proposed()), Config: r.dynamic(r.config),
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return resp
}

// apply plans and applies; it fails the test on an error diagnostic.
func (r *protoResource) apply() *tfprotov6.PlanResourceChangeResponse {
	r.t.Helper()
	planned := r.plan()
	failOnError(r.t, "plan", planned.Diagnostics)
	resp, err := r.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: r.typeName, PriorState: r.dynamic(r.state), PlannedState: planned.PlannedState, Config: r.dynamic(r.config),
		PlannedPrivate: planned.PlannedPrivate,
	})
	if err != nil {
		r.t.Fatal(err)
	}
	failOnError(r.t, "apply", resp.Diagnostics)
	state, err := resp.NewState.Unmarshal(r.objType)
	if err != nil {
		r.t.Fatal(err)
	}
	r.state = state
	return planned
}

func failOnError(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// findWarning finds a warning whose summary and detail contain the given texts.
func findWarning(diags []*tfprotov6.Diagnostic, texts ...string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		all := d.Summary + "\n" + d.Detail
		found := d.Severity == tfprotov6.DiagnosticSeverityWarning
		for _, text := range texts {
			found = found && strings.Contains(all, text)
		}
		if found {
			return d
		}
	}
	return nil
}
