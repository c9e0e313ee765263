package provider

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// writeOnlyNotAllowed is the framework's refusal of a write-only value from a
// Terraform without write-only arguments.
const writeOnlyNotAllowed = "WriteOnly Attribute Not Allowed"

// unknownWriteOnly lets a Terraform without write-only arguments (before
// 1.11) validate a configuration whose write-only argument is not known yet.
// The framework refuses any write-only value that is not null from such a
// client, unknown included, and Terraform validates a module with every input
// variable unknown: so `private_key_pem_wo = var.ca_private_key_pem_wo`, null by
// default, failed `terraform validate` and `plan` on Terraform 1.8 before any
// value was known. That refusal is dropped for a value that is unknown;
// Terraform validates again once it knows the value, and a value that is
// really set is refused then, and a value still unknown when Terraform plans
// (a key from a resource not yet created) is refused by PlanResourceChange
// with the framework's message, instead of Terraform's "Provider produced
// invalid plan" for a write-only value it does not know to leave out.
type unknownWriteOnly struct {
	tfprotov6.ProviderServer

	// oldClient: a ValidateResourceConfig came without write-only support
	// (only that request carries the capability).
	oldClient atomic.Bool

	once      sync.Once
	types     map[string]tftypes.Type
	writeOnly map[string][]string // resource type to its write-only attributes
}

func (s *unknownWriteOnly) load(ctx context.Context) {
	s.once.Do(func() {
		s.types, s.writeOnly = map[string]tftypes.Type{}, map[string][]string{}
		resp, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil || resp == nil {
			return
		}
		for name, schema := range resp.ResourceSchemas {
			for _, a := range schema.Block.Attributes {
				if a.WriteOnly {
					s.writeOnly[name] = append(s.writeOnly[name], a.Name)
				}
			}
			s.types[name] = schema.ValueType()
		}
	})
}

func (s *unknownWriteOnly) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.ProviderServer.ValidateResourceConfig(ctx, req)
	if req.ClientCapabilities != nil && req.ClientCapabilities.WriteOnlyAttributesAllowed {
		return resp, err
	}
	s.oldClient.Store(true)
	if err != nil || resp == nil || req.Config == nil {
		return resp, err
	}
	s.load(ctx)
	unknown := unknownAttributes(req.Config, s.types[req.TypeName], s.writeOnly[req.TypeName])
	if len(unknown) == 0 {
		return resp, err
	}
	kept := resp.Diagnostics[:0]
	for _, d := range resp.Diagnostics {
		drop := false
		for _, name := range unknown {
			drop = drop || (d.Summary == writeOnlyNotAllowed && d.Attribute != nil && d.Attribute.Equal(tftypes.NewAttributePath().WithAttributeName(name)))
		}
		if !drop {
			kept = append(kept, d)
		}
	}
	resp.Diagnostics = kept
	return resp, err
}

func (s *unknownWriteOnly) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.oldClient.Load() && req.Config != nil {
		s.load(ctx)
		if unknown := unknownAttributes(req.Config, s.types[req.TypeName], s.writeOnly[req.TypeName]); len(unknown) > 0 {
			resp := &tfprotov6.PlanResourceChangeResponse{}
			for _, name := range unknown {
				resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
					Severity: tfprotov6.DiagnosticSeverityError, Summary: writeOnlyNotAllowed, Attribute: tftypes.NewAttributePath().WithAttributeName(name),
					Detail: "The resource contains a non-null value for WriteOnly attribute " + name + ". Write-only attributes are only supported in Terraform 1.11 and later.",
				})
			}
			return resp, nil
		}
	}
	return s.ProviderServer.PlanResourceChange(ctx, req)
}

// unknownAttributes gives those attributes of attrs whose value in config is
// unknown.
func unknownAttributes(config *tfprotov6.DynamicValue, typ tftypes.Type, attrs []string) []string {
	if len(attrs) == 0 || typ == nil {
		return nil
	}
	value, err := config.Unmarshal(typ)
	if err != nil || !value.IsKnown() || value.IsNull() {
		return nil
	}
	var fields map[string]tftypes.Value
	if err := value.As(&fields); err != nil {
		return nil
	}
	var out []string
	for _, name := range attrs {
		if v, ok := fields[name]; ok && !v.IsKnown() {
			out = append(out, name)
		}
	}
	return out
}
