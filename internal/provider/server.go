package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer serves p over protocol 6, with nullArguments and
// unknownWriteOnly in front.
func NewServer(p provider.Provider) tfprotov6.ProviderServer {
	return nullArguments{&unknownWriteOnly{ProviderServer: providerserver.NewProtocol6(p)()}}
}

// msgpackNull is msgpack's nil, which decodes to null of any type.
var msgpackNull = []byte{0xc0}

// nullArguments fills the function arguments OpenTofu leaves out. OpenTofu
// (1.12.6 and earlier) sends no DynamicValue at all for a null argument to a
// parameter that allows null, and the framework rejects the call before the
// function runs ("DynamicValue had no JSON or msgpack data set"), so
// files(ca, null, plugins) failed on OpenTofu alone. Terraform sends null.
type nullArguments struct{ tfprotov6.ProviderServer }

func (s nullArguments) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	for i, arg := range req.Arguments {
		if arg == nil || (arg.MsgPack == nil && arg.JSON == nil) {
			req.Arguments[i] = &tfprotov6.DynamicValue{MsgPack: msgpackNull}
		}
	}
	return s.ProviderServer.CallFunction(ctx, req)
}
