package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// BenchmarkNoopPlan is the provider's share of a no-op plan of one plugin
// certificate, the per-plugin cost bench/README.md records: the refresh
// (ReadResource) and the plan (PlanResourceChange with the prior state as the
// proposed one), through the provider server as Terraform calls them, with
// the private state each returns handed to the next as Terraform does. Compare
// runs with benchstat (go test -run '^$' -bench NoopPlan -count 10).
func BenchmarkNoopPlan(b *testing.B) {
	ctx := context.Background()
	var s resource.SchemaResponse
	NewPluginCertResource().Schema(ctx, resource.SchemaRequest{}, &s)
	objType, ok := s.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		b.Fatal("the schema is not an object")
	}
	server, err := factories(newFakeClock(t0))["mcptls"]()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{}); err != nil {
		b.Fatal(err)
	}
	caPEM, caKeyPEM := benchCA(b)
	set := map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "DenyListPlugin"), "url": tftypes.NewValue(tftypes.String, "https://localhost:8443/mcp"),
		"ca_cert_pem": tftypes.NewValue(tftypes.String, caPEM), "ca_private_key_pem": tftypes.NewValue(tftypes.String, caKeyPEM),
		"trust_bundle_pem": tftypes.NewValue(tftypes.String, caPEM), "key_algorithm": tftypes.NewValue(tftypes.String, "ECDSA"),
	}
	config, proposed := map[string]tftypes.Value{}, map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		config[name], proposed[name] = tftypes.NewValue(typ, nil), tftypes.NewValue(typ, nil)
		if v, ok := set[name]; ok {
			config[name], proposed[name] = v, v
		} else if s.Schema.Attributes[name].IsComputed() {
			proposed[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
		}
	}
	dyn := func(v tftypes.Value) *tfprotov6.DynamicValue {
		d, err := tfprotov6.NewDynamicValue(objType, v)
		if err != nil {
			b.Fatal(err)
		}
		return &d
	}
	cfg, null := dyn(tftypes.NewValue(objType, config)), dyn(tftypes.NewValue(objType, nil))
	planned, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "mcptls_plugin_cert", PriorState: null,
		ProposedNewState: dyn(tftypes.NewValue(objType, proposed)), Config: cfg})
	if err != nil || benchFailed(planned.Diagnostics) {
		b.Fatalf("plan: %v %v", err, planned.Diagnostics)
	}
	applied, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: "mcptls_plugin_cert", PriorState: null,
		PlannedState: planned.PlannedState, Config: cfg, PlannedPrivate: planned.PlannedPrivate})
	if err != nil || benchFailed(applied.Diagnostics) {
		b.Fatalf("apply: %v %v", err, applied.Diagnostics)
	}
	state, private := applied.NewState, applied.Private
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		read, err := server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: "mcptls_plugin_cert", CurrentState: state, Private: private})
		if err != nil || benchFailed(read.Diagnostics) {
			b.Fatalf("read: %v %v", err, read.Diagnostics)
		}
		plan, err := server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "mcptls_plugin_cert", PriorState: read.NewState,
			ProposedNewState: read.NewState, Config: cfg, PriorPrivate: read.Private})
		if err != nil || benchFailed(plan.Diagnostics) || len(plan.RequiresReplace) != 0 {
			b.Fatalf("plan: %v %v", err, plan.Diagnostics)
		}
		state, private = read.NewState, read.Private
	}
}

func benchFailed(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// benchCA is an ECDSA CA issued at t0, as PEM.
func benchCA(b *testing.B) (certPEM, keyPEM string) {
	key, err := pki.GenerateKey(pki.KeySpec{Algorithm: pki.AlgorithmECDSA, Curve: pki.CurveP256}, nil)
	if err != nil {
		b.Fatal(err)
	}
	issued, err := pki.Issue(pki.Request{Profile: pki.ProfileCA, Subject: pki.DefaultCASubject, ValidityDays: 825, Now: t0}, key, nil)
	if err != nil {
		b.Fatal(err)
	}
	if keyPEM, err = pki.EncodePrivateKey(key); err != nil {
		b.Fatal(err)
	}
	return issued.CertPEM, keyPEM
}
