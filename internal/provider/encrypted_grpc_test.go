package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestEncryptedKeysAndGRPC: cpex 0.1.3's gRPC code ignores keyfile_password
// on both sides. A gRPC plugin's encrypted key is an error (its server would
// not start); an encrypted gateway key warns that it serves MCP plugins only;
// and no PLUGINS_GRPC_*_KEYFILE_PASSWORD is ever emitted (nothing reads it).
func TestEncryptedKeysAndGRPC(t *testing.T) {
	t.Parallel()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	find := func(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string) *tfprotov6.Diagnostic {
		for _, d := range diags {
			if d.Severity == severity && d.Summary == summary {
				return d
			}
		}
		return nil
	}
	grpc := validateConfig(t, NewPluginCertResource, "mcptls_plugin_cert", map[string]tftypes.Value{
		"name": str("g"), "grpc_target": str("g.example.com:50051"), "private_key_passphrase_wo": str("pw"), "private_key_passphrase_wo_version": number(1),
	})
	if d := find(grpc, tfprotov6.DiagnosticSeverityError, "gRPC cannot load an encrypted key"); d == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName("private_key_passphrase_wo").String() ||
		!strings.Contains(d.Detail, "Leave private_key_passphrase_wo out") {
		t.Errorf("gRPC plugin with a passphrase: %s", describeDiags(grpc))
	}
	mcp := validateConfig(t, NewPluginCertResource, "mcptls_plugin_cert", map[string]tftypes.Value{
		"name": str("m"), "url": str("https://m.example.com/mcp"), "private_key_passphrase_wo": str("pw"), "private_key_passphrase_wo_version": number(1),
	})
	if d := find(mcp, tfprotov6.DiagnosticSeverityError, "gRPC cannot load an encrypted key"); d != nil {
		t.Errorf("MCP plugin refused: %s", describeDiags(mcp))
	}
	gw := validateConfig(t, NewGatewayCertResource, "mcptls_gateway_cert", map[string]tftypes.Value{
		"private_key_passphrase_wo": str("pw"), "private_key_passphrase_wo_version": number(1),
	})
	if d := find(gw, tfprotov6.DiagnosticSeverityWarning, "An encrypted gateway key serves MCP plugins only"); d == nil || !strings.Contains(d.Detail, "PLUGINS_GRPC_CLIENT_MTLS_KEYFILE_PASSWORD") {
		t.Errorf("gateway with a passphrase: %s", describeDiags(gw))
	}
	plain := validateConfig(t, NewGatewayCertResource, "mcptls_gateway_cert", nil)
	if d := find(plain, tfprotov6.DiagnosticSeverityWarning, "An encrypted gateway key serves MCP plugins only"); d != nil {
		t.Error("a gateway without a passphrase warned")
	}
	for _, m := range []map[string]string{(&gatewayModel{}).secretEnv("pw"), (&pluginModel{}).secretEnv("pw")} {
		for name := range m {
			if strings.HasPrefix(name, "PLUGINS_GRPC_") {
				t.Errorf("%s emitted: nothing reads it", name)
			}
		}
	}
}

// TestNoWarningForTheRuntimeDefect: the MCP runtime defect (cpex 0.1.0-0.1.3
// cannot start TLS) is said in the transports guide and on the plugin
// certificate page, not on every plan: an MCP plugin at an https URL plans
// without a warning.
func TestNoWarningForTheRuntimeDefect(t *testing.T) {
	t.Parallel()
	diags := validateConfig(t, NewPluginCertResource, "mcptls_plugin_cert", map[string]tftypes.Value{
		"name": tftypes.NewValue(tftypes.String, "p"), "url": tftypes.NewValue(tftypes.String, "https://p.example.com:8443/mcp"),
	})
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			t.Errorf("warning: %s: %s", d.Summary, d.Detail)
		}
	}
}
