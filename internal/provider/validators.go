package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
)

// stringCheck runs one pure check on a string attribute (or, through
// setvalidator.ValueStringsAre, on each set element, so a diagnostic names the
// element at fault).
type stringCheck struct {
	what  string
	check func(string) error
}

var (
	dnsNameValidator    = stringCheck{"DNS name", pki.ValidateDNSName}
	ipAddressValidator  = stringCheck{"IP address", pki.ValidateIPAddress}
	certDirValidator    = stringCheck{"certificate directory", envmap.ValidateCertDir}
	serverHostValidator = stringCheck{"server host", envmap.ValidateHost}
)

func (v stringCheck) Description(context.Context) string { return "must be a valid " + v.what }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what, err.Error())
	}
}
