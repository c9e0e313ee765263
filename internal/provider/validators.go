package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// sanValidator checks one SAN string; used through setvalidator.ValueStringsAre
// so a diagnostic names the set element at fault.
type sanValidator struct {
	what  string
	check func(string) error
}

var (
	dnsNameValidator   = sanValidator{"DNS name", pki.ValidateDNSName}
	ipAddressValidator = sanValidator{"IP address", pki.ValidateIPAddress}
)

func (v sanValidator) Description(context.Context) string { return "must be a valid " + v.what }

func (v sanValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v sanValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what, err.Error())
	}
}
