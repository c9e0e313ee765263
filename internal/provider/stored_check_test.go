package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestKindProfileMatchesRequest keeps certKind.profile, which Read uses to check
// state without decoding a model, in step with what each kind issues.
func TestKindProfileMatchesRequest(t *testing.T) {
	t.Parallel()
	for _, newResource := range []func() resource.Resource{NewCAResource, NewGatewayCertResource, NewPluginCertResource} {
		r := as[*certResource](t, newResource())
		m := r.kind.newModel()
		if p, ok := m.(*pluginModel); ok {
			p.Name, p.URL = types.StringValue("p"), types.StringNull()
			p.DNSNames, p.IPAddresses = types.SetNull(types.StringType), types.SetNull(types.StringType)
		}
		req, diags := m.request()
		if diags.HasError() {
			t.Fatal(diags)
		}
		if got := r.kind.profile; got != req.Profile {
			t.Errorf("%s: profile() = %v, request() issues %v", r.kind.typeSuffix, got, req.Profile)
		}
	}
}
