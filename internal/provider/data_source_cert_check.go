package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/certcheck"
)

// certCheckDefaultWarningDays matches the resources' default early_renewal_days.
const certCheckDefaultWarningDays = 30

// certResultAttrTypes is one checked certificate as the data source exposes it.
var certResultAttrTypes = map[string]attr.Type{
	"role": types.StringType, "file": types.StringType,
	"subject": types.StringType, "issuer": types.StringType, "serial_number": types.StringType,
	"not_before": types.StringType, "not_after": types.StringType, "days_left": types.Int64Type,
	"chain_valid": types.BoolType, "purpose_valid": types.BoolType,
	"notes": types.ListType{ElemType: types.StringType}, "problems": types.ListType{ElemType: types.StringType},
}

type certCheckModel struct {
	Directory    types.String     `tfsdk:"directory"`
	PEMs         types.Map        `tfsdk:"pems"`
	WarningDays  WholeNumberValue `tfsdk:"warning_days"`
	Certificates types.Map        `tfsdk:"certificates"`
	MinDaysLeft  types.Int64      `tfsdk:"min_days_left"`
	Expiring     types.List       `tfsdk:"expiring"`
}

type certCheckPEM struct {
	Role    types.String `tfsdk:"role"`
	CertPEM types.String `tfsdk:"cert_pem"`
	CAPEM   types.String `tfsdk:"ca_pem"`
}

type certCheckDataSource struct {
	clocked
}

var (
	_ datasource.DataSourceWithConfigure        = (*certCheckDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*certCheckDataSource)(nil)
)

// NewCertCheckDataSource is data.mcptls_cert_check.
func NewCertCheckDataSource() datasource.DataSource { return &certCheckDataSource{} }

func (d *certCheckDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cert_check"
}

func (d *certCheckDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	d.configureClock(req.ProviderData)
}

func (d *certCheckDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computedString := func(doc string) schema.Attribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: doc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Checks certificates as the gateway Makefile's `make certs-mcp-check` does, and more: for each one the subject, serial, " +
			"validity and whole days left, whether it chains to the CA bundle it ships with, and whether it fits its role. " +
			"It reads a `certs/mcp` tree on disk (`directory`), PEM text such as the outputs of the mcptls resources (`pems`), or both. " +
			"Expired, invalid or soon-expiring certificates are warnings, never errors, so a plan still runs: " +
			"use a `postcondition` on this data source to fail the plan instead.",
		Attributes: map[string]schema.Attribute{
			"directory": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}, MarkdownDescription: "A `certs/mcp` tree as the gateway's Makefile lays it out, " +
				"relative to Terraform's working directory (`${path.module}/…` in modules): each certificate is checked against the `ca.crt` beside it, and private keys are never read. " +
				"At least one of `directory` and `pems`; see What it reads below."},
			"pems": schema.MapNestedAttribute{Optional: true, MarkdownDescription: "Certificates as PEM text, by a name of your choice. " +
				"At least one of `directory` and `pems`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"role": schema.StringAttribute{Required: true, MarkdownDescription: "`ca`, `client` (the gateway's certificate) or `server` (a plugin's).",
						Validators: []validator.String{stringvalidator.OneOf(certcheck.Roles...)}},
					"cert_pem": schema.StringAttribute{Required: true, MarkdownDescription: "The certificate. Only its first PEM block is checked."},
					"ca_pem": schema.StringAttribute{Optional: true, MarkdownDescription: "The CA certificates it should chain to (a `ca.crt` or a trust bundle). " +
						"Required for `client` and `server`; a `ca` defaults to itself."},
				}}},
			"warning_days": schema.Int64Attribute{CustomType: WholeNumberType{Unit: "days"}, Optional: true, Computed: true, MarkdownDescription: fmt.Sprintf(
				"A certificate with fewer whole days left than this is listed in `expiring` and warned about (default %d, as `early_renewal_days`).", certCheckDefaultWarningDays),
				Validators: []validator.Int64{int64validator.Between(0, 36500)}},
			"certificates": schema.MapNestedAttribute{Computed: true, MarkdownDescription: "Every certificate checked, by name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"role": computedString("`ca`, `client` or `server`."),
					"file": computedString("Where it was read, relative to `directory` (`gateway/client.crt`); null for `pems`."),
					"subject": computedString("The subject as an RFC 4514 string (`CN=mcp-gateway-client,OU=Gateway,O=MCPGateway`). " +
						"Null when the certificate is unreadable, as are `issuer`, `serial_number`, `not_before`, `not_after` and `days_left`."),
					"issuer":        computedString("The issuer as an RFC 4514 string."),
					"serial_number": computedString("The serial number in decimal."),
					"not_before":    computedString("Start of validity, RFC 3339."),
					"not_after":     computedString("End of validity, RFC 3339."),
					"days_left": schema.Int64Attribute{Computed: true, MarkdownDescription: "Days until `not_after`, a day begun counting as a whole one: " +
						"`validity_days` right after the certificate is issued, `1` on its last day, `0` at `not_after` itself, negative once expired."},
					"chain_valid": schema.BoolAttribute{Computed: true, MarkdownDescription: "It verifies against its CA bundle now: signed by a CA of the bundle, " +
						"and it and that CA within their validity. False too when the certificate or the bundle is unreadable."},
					"purpose_valid": schema.BoolAttribute{Computed: true, MarkdownDescription: "It fits its role. `ca`: basicConstraints CA:TRUE, and keyCertSign when it has a key usage. " +
						"`client`: extended key usage clientAuth, or none; `server`: serverAuth, or none; and a key usage, when present, that allows TLS. " +
						"The gateway's Makefile issues certificates without extended key usage (its gateway certificate is X.509 v1): they are valid here, with a note."},
					"notes": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "What is legal but not what mcptls issues, " +
						"such as the Makefile's certificates without extended key usage, or a server certificate without subjectAltName."},
					"problems": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Short sentences, empty when all is well: " +
						"expired, not yet valid, does not chain to the CA, its CA expired, wrong purpose, unreadable or missing file or PEM."},
				}}},
			"min_days_left": schema.Int64Attribute{Computed: true, MarkdownDescription: "The fewest `days_left` among the readable certificates; null when none is readable."},
			"expiring": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Names of the certificates with `days_left < warning_days`, " +
				"expired ones included, sorted."},
		},
	}
}

func (d *certCheckDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.AtLeastOneOf(path.MatchRoot("directory"), path.MatchRoot("pems"))}
}

func (d *certCheckDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m certCheckModel
	if resp.Diagnostics.Append(req.Config.Get(ctx, &m)...); resp.Diagnostics.HasError() {
		return
	}
	now := d.now()
	warningDays := int64(certCheckDefaultWarningDays)
	if !m.WarningDays.IsNull() {
		warningDays = m.WarningDays.ValueInt64()
	}

	// Where each name's diagnostics point.
	var inputs []certcheck.Input
	origin := map[string]path.Path{}
	if !m.Directory.IsNull() {
		tree, err := certcheck.ReadTree(m.Directory.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("directory"), "Cannot read the certificate directory", err.Error())
			return
		}
		for _, in := range tree {
			origin[in.Name] = path.Root("directory")
		}
		inputs = tree
	}
	if !m.PEMs.IsNull() {
		var pems map[string]certCheckPEM
		if resp.Diagnostics.Append(m.PEMs.ElementsAs(ctx, &pems, false)...); resp.Diagnostics.HasError() {
			return
		}
		names := make([]string, 0, len(pems))
		for name := range pems {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			p, at := pems[name], path.Root("pems").AtMapKey(name)
			if _, taken := origin[name]; taken {
				resp.Diagnostics.AddAttributeError(at, "Duplicate certificate name",
					fmt.Sprintf("%q is also a certificate of directory: use another name in pems.", name))
				continue
			}
			role := certcheck.Role(p.Role.ValueString())
			in := certcheck.Input{Name: name, Role: role, CertPEM: []byte(p.CertPEM.ValueString())}
			if !p.CAPEM.IsNull() {
				in.BundlePEM = []byte(p.CAPEM.ValueString())
			} else if role != certcheck.RoleCA {
				resp.Diagnostics.AddAttributeError(at.AtName("ca_pem"), "Missing CA bundle",
					fmt.Sprintf("pems[%q] is a %s certificate, checked against the CA it should chain to: set its ca_pem (for example the certificate resource's ca_cert_pem).", name, role))
				continue
			}
			origin[name] = at
			inputs = append(inputs, in)
		}
		if resp.Diagnostics.HasError() {
			return
		}
	}

	results := make([]certcheck.Result, 0, len(inputs))
	values := make(map[string]attr.Value, len(inputs))
	for _, in := range inputs {
		r := certcheck.Check(in, now)
		results = append(results, r)
		values[r.Name] = certResultObject(r)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	for _, r := range results {
		certCheckWarning(&resp.Diagnostics, origin[r.Name], r, warningDays)
	}

	summary := certcheck.Summarize(results, warningDays)
	m.WarningDays = newWholeNumberValue(warningDays)
	m.Certificates = types.MapValueMust(types.ObjectType{AttrTypes: certResultAttrTypes}, values)
	m.MinDaysLeft = types.Int64PointerValue(summary.MinDaysLeft)
	m.Expiring = certCheckStrings(summary.Expiring)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// certCheckWarning reports a certificate with problems, or else one that
// expires within warning_days; one warning per certificate.
func certCheckWarning(diags *diag.Diagnostics, at path.Path, r certcheck.Result, warningDays int64) {
	what := fmt.Sprintf("%q", r.Name)
	if r.File != "" {
		what += " (" + certcheck.QuoteIfNeeded(r.File) + ")"
	}
	expiry := fmt.Sprintf("expires on %s: %d days left, fewer than warning_days (%d)", r.NotAfter.Format(time.RFC3339), r.DaysLeft, warningDays)
	switch {
	case len(r.Problems) > 0:
		lines := r.Problems
		if r.Expiring(warningDays) && r.DaysLeft >= 0 {
			lines = append(lines[:len(lines):len(lines)], expiry)
		}
		diags.AddAttributeWarning(at, fmt.Sprintf("Certificate %q has problems", r.Name),
			fmt.Sprintf("Certificate %s:\n- %s\n\n%s", what, strings.Join(lines, "\n- "), certCheckHint))
	case r.Expiring(warningDays):
		diags.AddAttributeWarning(at, fmt.Sprintf("Certificate %q expires within %d days", r.Name, warningDays),
			fmt.Sprintf("Certificate %s %s. Renew it before then.\n\n%s", what, expiry, certCheckHint))
	}
}

const certCheckHint = "This is a warning, so the plan goes on. To stop it, add a lifecycle postcondition on this data source."

func certResultObject(r certcheck.Result) attr.Value {
	str := func(s string, ok bool) types.String {
		if !ok {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	v := map[string]attr.Value{
		"role": types.StringValue(string(r.Role)), "file": str(r.File, r.File != ""),
		"subject": str(r.Subject, r.Parsed), "issuer": str(r.Issuer, r.Parsed), "serial_number": str(r.SerialNumber, r.Parsed),
		"not_before": str(r.NotBefore.Format(time.RFC3339), r.Parsed), "not_after": str(r.NotAfter.Format(time.RFC3339), r.Parsed),
		"days_left":   types.Int64Null(),
		"chain_valid": types.BoolValue(r.ChainValid), "purpose_valid": types.BoolValue(r.PurposeValid),
		"notes": certCheckStrings(r.Notes), "problems": certCheckStrings(r.Problems),
	}
	if r.Parsed {
		v["days_left"] = types.Int64Value(r.DaysLeft)
	}
	return types.ObjectValueMust(certResultAttrTypes, v)
}

// certCheckStrings is a list value that is empty, never null, for no strings.
func certCheckStrings(s []string) types.List {
	elems := make([]attr.Value, len(s))
	for i, v := range s {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
