package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// OpenTofu 1.12.6 sends no DynamicValue for a null argument (an empty one
// once it has crossed gRPC); the call must behave as if null had been sent,
// as it does under Terraform.
func TestOpenTofuNullArgument(t *testing.T) {
	t.Parallel()
	str := func(s string) *tfprotov6.DynamicValue {
		v, err := tfprotov6.NewDynamicValue(tftypes.String, tftypes.NewValue(tftypes.String, s))
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	call := func(server tfprotov6.ProviderServer, options *tfprotov6.DynamicValue) *tfprotov6.CallFunctionResponse {
		resp, err := server.CallFunction(context.Background(), &tfprotov6.CallFunctionRequest{
			Name:      "plugin_config_tls_yaml",
			Arguments: []*tfprotov6.DynamicValue{str("plugins: []\n"), str("/app/certs"), options},
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	bare := providerserver.NewProtocol6(New("test")())()
	if resp := call(bare, &tfprotov6.DynamicValue{}); resp.Error == nil || !strings.Contains(resp.Error.Text, "no JSON or msgpack data") {
		t.Fatalf("the framework alone accepted a missing argument (%v): this shim may no longer be needed", resp.Error)
	}
	for name, options := range map[string]*tfprotov6.DynamicValue{"nil": nil, "empty": {}} {
		resp := call(NewServer(New("test")()), options)
		if resp.Error != nil {
			t.Fatalf("%s options: %s", name, resp.Error.Text)
		}
		if resp.Result == nil {
			t.Fatalf("%s options: no result", name)
		}
	}
}
