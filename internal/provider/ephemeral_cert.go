package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The ephemeral mcptls_gateway_cert and mcptls_plugin_cert issue a certificate
// and key on every run and never put them in state or plan: for write-only
// sinks (a Kubernetes secret's data_wo, a secret manager's secret_string_wo).
// They share the managed resources' schema (converted), model and issuance.

type ephemeralCert struct {
	kind     certKind
	schema   eschema.Schema
	defaults map[string]attr.Value
	clock    Clock
}

var (
	_ ephemeral.EphemeralResourceWithConfigure      = (*ephemeralCert)(nil)
	_ ephemeral.EphemeralResourceWithValidateConfig = (*ephemeralCert)(nil)
)

// newEphemeralCert makes the ephemeral twin of a managed certificate resource.
func newEphemeralCert(newResource func() resource.Resource, description string) func() ephemeral.EphemeralResource {
	return func() ephemeral.EphemeralResource {
		r, ok := newResource().(*certResource)
		if !ok {
			panic("newEphemeralCert takes a certificate resource") // a programming error, at provider start
		}
		s := r.kind.schema()
		e := &ephemeralCert{kind: r.kind, defaults: map[string]attr.Value{}}
		e.schema = eschema.Schema{MarkdownDescription: description, Attributes: map[string]eschema.Attribute{}}
		for name, a := range s.Attributes {
			e.schema.Attributes[name], e.defaults[name] = ephemeralAttribute(a)
			if e.defaults[name] == nil {
				delete(e.defaults, name)
			}
		}
		return e
	}
}

// ephemeralAttribute converts a managed resource attribute: same type,
// validators and description; write-only becomes optional and sensitive (an
// ephemeral resource stores nothing); its default is returned to be applied
// in Open (ephemeral schemas have no defaults).
func ephemeralAttribute(a schema.Attribute) (eschema.Attribute, attr.Value) {
	ctx := context.Background()
	switch a := a.(type) {
	case schema.StringAttribute:
		var def attr.Value
		if a.Default != nil {
			var resp defaults.StringResponse
			a.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
			def = resp.PlanValue
		}
		return eschema.StringAttribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional || a.WriteOnly, Computed: a.Computed,
			Sensitive: a.Sensitive || a.WriteOnly, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}, def
	case schema.Int64Attribute:
		var def attr.Value
		if a.Default != nil {
			var resp defaults.Int64Response
			a.Default.DefaultInt64(ctx, defaults.Int64Request{}, &resp)
			def = resp.PlanValue
		}
		return eschema.Int64Attribute{CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}, def
	case schema.BoolAttribute:
		var def attr.Value
		if a.Default != nil {
			var resp defaults.BoolResponse
			a.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
			def = resp.PlanValue
		}
		return eschema.BoolAttribute{Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}, def
	case schema.SetAttribute:
		return eschema.SetAttribute{ElementType: a.ElementType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}, nil
	case schema.MapAttribute:
		return eschema.MapAttribute{ElementType: a.ElementType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, MarkdownDescription: a.MarkdownDescription, Validators: a.Validators}, nil
	}
	panic("no ephemeral form for attribute type " + a.GetType().String())
}

func (e *ephemeralCert) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + e.kind.typeSuffix
}

func (e *ephemeralCert) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = e.schema
}

func (e *ephemeralCert) Configure(_ context.Context, req ephemeral.ConfigureRequest, _ *ephemeral.ConfigureResponse) {
	if data, ok := req.ProviderData.(*providerData); ok {
		e.clock = data.clock
	}
}

func (e *ephemeralCert) now() time.Time {
	if e.clock == nil {
		return time.Now()
	}
	return e.clock.Now()
}

// config reads the configuration with the managed resource's defaults applied.
func (e *ephemeralCert) config(ctx context.Context, config tfsdk.Config) (certModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	raw := config.Raw
	if !raw.IsNull() && raw.IsKnown() {
		var values map[string]tftypes.Value
		if err := raw.As(&values); err != nil {
			diags.AddError("Cannot read the configuration", err.Error())
			return nil, diags
		}
		for name, def := range e.defaults {
			if v, ok := values[name]; ok && v.IsNull() {
				tv, err := def.ToTerraformValue(ctx)
				if err != nil {
					diags.AddError("Cannot apply a default", err.Error())
					return nil, diags
				}
				values[name] = tv
			}
		}
		raw = tftypes.NewValue(raw.Type(), values)
	}
	m := e.kind.newModel()
	diags.Append(tfsdk.Config{Schema: config.Schema, Raw: raw}.Get(ctx, m)...)
	return m, diags
}

// ValidateConfig runs the managed resource's own checks. Terraform runs it
// again when values become known at apply and then shows its diagnostics
// without the block or attribute, so each one names them in its text.
func (e *ephemeralCert) ValidateConfig(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	cfg, diags := e.config(ctx, req.Config)
	if !diags.HasError() {
		diags.Append(validateCert(cfg)...)
	}
	resp.Diagnostics.Append(located(diags, e.block())...)
}

func (e *ephemeralCert) block() string { return "ephemeral \"mcptls_" + e.kind.typeSuffix + "\"" }

// Open issues the certificate: every run gets a new one. Terraform shows
// Open's diagnostics without the block or attribute they point at, so each
// one names them in its text.
func (e *ephemeralCert) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var diags diag.Diagnostics
	defer func() { resp.Diagnostics.Append(located(diags, e.block())...) }()
	m, d := e.config(ctx, req.Config)
	if diags.Append(d...); d.HasError() {
		return
	}
	cfg, _ := e.config(ctx, req.Config)
	if diags.Append(validateCert(cfg)...); diags.HasError() {
		return
	}
	if leaf := m.leafFields(); leaf != nil {
		leaf.planTrustBundle(cfg.leafFields())
	}
	diags.Append(m.derive(cfg)...)
	if diags.Append(issue(ctx, "ephemeral "+e.kind.typeSuffix, m, cfg, e.now())...); diags.HasError() {
		return
	}
	diags.Append(resp.Result.Set(ctx, m)...)
}

// located puts where a diagnostic points into its text: the block, and the
// attribute when it has one ("ephemeral \"mcptls_plugin_cert\", argument
// ca_private_key_pem: no PEM block found").
func located(diags diag.Diagnostics, block string) diag.Diagnostics {
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		wp, ok := d.(diag.DiagnosticWithPath)
		if !ok || wp.Path().Equal(path.Empty()) {
			detail := block + ": " + d.Detail()
			if d.Severity() == diag.SeverityError {
				out.AddError(d.Summary(), detail)
			} else {
				out.AddWarning(d.Summary(), detail)
			}
			continue
		}
		// The path stays too: where Terraform does show it, it is shown.
		detail := block + ", argument " + wp.Path().String() + ": " + d.Detail()
		if d.Severity() == diag.SeverityError {
			out.AddAttributeError(wp.Path(), d.Summary(), detail)
		} else {
			out.AddAttributeWarning(wp.Path(), d.Summary(), detail)
		}
	}
	return out
}
