// Command floorprovider is the smallest terraform-plugin-framework provider
// that can carry the benchmark's dependency graph: one resource, an input and a
// computed output. Its cost per resource is what the plugin protocol and the
// framework take before any provider logic runs; bench/process measures it
// beside mcptls and terraform_data. Not part of the product.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	mcptls "github.com/mcptls/terraform-provider-mcptls/internal/provider"
)

func main() {
	// Same log setting as the product, so only the resources differ.
	mcptls.QuietDiscardedLogs()
	err := providerserver.Serve(context.Background(), func() provider.Provider { return floorProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/mcptls/floor", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}
func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return thing{} }, func() resource.Resource { return wideThing{} }}
}
func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// thing copies its input to its output, like terraform_data.
type thing struct{}

type thingModel struct {
	Input  types.String `tfsdk:"input"`
	Output types.String `tfsdk:"output"`
}

func (thing) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "floor_thing"
}

func (thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"input":  schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		"output": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
	}}
}

func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.Output = m.Input
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// wideThing is thing with as many attributes as mcptls_plugin_cert (27):
// 12 optional with defaults, 13 computed, plus input and output. It shows what
// the width of a schema costs in the framework, with no provider logic.
type wideThing struct{ thing }

func (wideThing) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "floor_wide"
}

func (wideThing) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	thing{}.Schema(ctx, req, resp)
	for i := range 25 {
		name := fmt.Sprintf("attr_%02d", i)
		if i < 12 {
			resp.Schema.Attributes[name] = schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("default")}
		} else {
			resp.Schema.Attributes[name] = schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
		}
	}
}

// Create sets every computed attribute: the wide state is written whole.
func (wideThing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw.Copy()
	var input types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("input"), &input)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("output"), input)...)
	for i := 12; i < 25; i++ {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(fmt.Sprintf("attr_%02d", i)), "computed")...)
	}
}

// Read keeps the prior state, which the framework has already put in the response.
func (wideThing) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
