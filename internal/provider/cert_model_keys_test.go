package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestCheckCAKeyInputsUnknown: a module that picks the CA key input with a
// conditional (`var.write_only ? key : null` for both) gives two unknown
// values while Terraform validates; that is not "two CA keys" until both are
// known and set.
func TestCheckCAKeyInputsUnknown(t *testing.T) {
	t.Parallel()
	key := types.StringValue("-----BEGIN PRIVATE KEY-----")
	for _, c := range []struct {
		name      string
		plain, wo types.String
		wantError string
	}{
		{"both unknown", types.StringUnknown(), types.StringUnknown(), ""},
		{"plain unknown, write-only set", types.StringUnknown(), key, ""},
		{"plain set, write-only unknown", key, types.StringUnknown(), ""},
		{"both set", key, key, "Two CA keys given"},
		{"neither", types.StringNull(), types.StringNull(), "No CA key given"},
		{"write-only alone", types.StringNull(), key, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := LeafFields{CAPrivateKeyPEM: c.plain, CAPrivateKeyPEMWO: c.wo, PrivateKeyPassphraseWO: types.StringNull()}
			diags := l.checkCAKeyInputs()
			got := ""
			if diags.HasError() {
				got = diags.Errors()[0].Summary()
			}
			if got != c.wantError {
				t.Errorf("error %q, want %q", got, c.wantError)
			}
		})
	}
}
