package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// badInput is one row of the bad-input table: what a user wrote, where the
// diagnostic points (an attribute, or a YAML line and column) and what it says.
// templates/guides/diagnostics.md.tmpl renders the same table for users.
type badInput struct {
	input   string // for the guide
	where   string // attribute or YAML position named by the diagnostic
	summary string
	says    string // words of the detail; line breaks in Terraform's output are free
	config  string
}

// pem inputs reused by several rows.
const (
	notPEM       = `"not a pem"`
	encryptedKey = `"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"`
)

// caInput is a CA with the given body.
func caInput(body string) string { return "resource \"mcptls_ca\" \"ca\" {\n" + body + "\n}\n" }

// gatewayInput signs a gateway cert with the given CA cert and key expressions.
func gatewayInput(cert, key string) string {
	return caConfig + `
resource "mcptls_ca" "other" { key_algorithm = "ECDSA" }
` + fmt.Sprintf(`
resource "mcptls_gateway_cert" "gw" {
  ca_cert_pem        = %s
  ca_private_key_pem = %s
  key_algorithm      = "ECDSA"
}`, cert, key)
}

// pluginInput is a plugin cert with the given body.
func pluginInput(body string) string {
	return caConfig + leafConfig("mcptls_plugin_cert", "p", "  "+body)
}

// configInput reads YAML through the data source.
func configInput(yaml string) string {
	return fmt.Sprintf("data \"mcptls_plugin_config\" \"c\" {\n  content = %q\n}\n", yaml)
}

func badInputs(missingFile string) []badInput {
	return []badInput{
		// The plugin config (design: missing file, invalid YAML, no plugins list,
		// duplicate names, external plugin without mcp, malformed URL).
		{"`path` to a file that does not exist", "path", "Invalid plugin config", "cannot read plugin config", fmt.Sprintf("data \"mcptls_plugin_config\" \"c\" {\n  path = %q\n}\n", missingFile)},
		{"`path = \"/dev/zero\"` (a device that never ends)", "path", "Invalid plugin config", "is a character device, not a regular file", "data \"mcptls_plugin_config\" \"c\" {\n  path = \"/dev/zero\"\n}\n"},
		{"`path` to a FIFO nobody writes", "path", "Invalid plugin config", "is a named pipe (FIFO), not a regular file", fmt.Sprintf("data \"mcptls_plugin_config\" \"c\" {\n  path = %q\n}\n", filepath.Join(filepath.Dir(missingFile), "fifo.yaml"))},
		{"YAML that does not parse", "line 4, column 11", "Invalid plugin config", "invalid YAML: '@' is a reserved character", configInput("plugins:\n  - name: a\n    kind: native\n    kind: @x\n")},
		{"an unclosed `[`, reported where YAML notices it", "line 4, column 5", "Invalid plugin config", "invalid YAML: ',' or ']' must be specified", configInput("plugins:\n  - name: a\n    hooks: [x, y\n    kind: b\n")},
		{"two YAML documents", "line 2, column 1", "Invalid plugin config", "a second YAML document starts here", configInput("plugins: []\n---\nplugins: []\n")},
		{"a top level that is a list", "line 1, column 1", "Invalid plugin config", "the top level is a list", configInput("- name: a\n")},
		{"`plugins` is not a list", "line 1, column 10", "Invalid plugin config", "plugins is a mapping; the gateway refuses it", configInput("plugins: {}\n")},
		{"a plugin that needs a certificate, named with a leading `.`", "line 2, column 11", "Invalid plugin config", "starts with `.`, which makes plugins/.hidden a hidden directory", configInput("plugins:\n  - name: .hidden\n    kind: external\n    grpc: {target: 'h.example.com:50051'}\n")},
		{"two plugins with one name", "line 4, column 5", "Invalid plugin config", `duplicate plugin name "a" (first at line 2)`, configInput("plugins:\n  - name: a\n    kind: native\n  - name: a\n    kind: native\n")},
		{"external plugin without a transport", "line 2, column 5", "Invalid plugin config", "an external plugin needs a transport", configInput("plugins:\n  - name: a\n    kind: external\n")},
		{"external plugin with two transports", "line 6, column 5", "Invalid plugin config", "an external plugin has one transport, this one has `mcp` and `grpc`", configInput("plugins:\n  - name: a\n    kind: external\n    mcp: {proto: STDIO, script: s.py}\n\n    grpc: {target: 'h:1'}\n")},
		{"a plugin without `name`", "line 2, column 5", "Invalid plugin config", "name is missing", configInput("plugins:\n  - kind: native\n")},
		{"`mcp.url` with an unsupported scheme", "line 6, column 12", "Invalid plugin config", `the url's scheme "ftp" is not supported`, configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: SSE\n      url: ftp://x/mcp\n")},
		{"`mcp.url` at a loopback IP under SSRF protection", "line 6, column 12", "Invalid plugin config", "set ssrf_protection = false here and PLUGINS_SSRF_PROTECTION_ENABLED=false on the gateway", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: http://127.0.0.1:3000/mcp\n")},
		{"`mcp.url` with credentials", "line 6, column 12", "Invalid plugin config", "contains credentials which are not allowed", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://user:pw@h/mcp\n")},
		{"`mcp.url` at an IPv6 address", "line 6, column 12", "Invalid plugin config", "contains IPv6 address which is not supported", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://[fe80::1%25eth0]:8000/mcp\n")},
		{"`mcp.proto` in the wrong case", "line 5, column 14", "Invalid plugin config", `mcp.proto is "sse"`, configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: sse\n      url: http://x/mcp\n")},
		{"`mcp.proto: GRPC` (gRPC has its own block)", "line 5, column 14", "Invalid plugin config", "or a `grpc:` block for gRPC", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: GRPC\n")},
		{"`mcp.tls` on STDIO", "line 7, column 7", "Invalid plugin config", "tls applies only to SSE and STREAMABLEHTTP", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STDIO\n      script: run.py\n      tls:\n        verify: true\n")},
		{"`grpc.target` without a port", "line 5, column 15", "Invalid plugin config", "has no port", configInput("plugins:\n  - name: a\n    kind: external\n    grpc:\n      target: plugin.internal\n")},
		{"`grpc` with both `target` and `uds`", "line 6, column 7", "Invalid plugin config", "has both `target` and `uds`", configInput("plugins:\n  - name: a\n    kind: external\n    grpc:\n      target: h:1\n      uds: /s.sock\n")},
		{"`client_auth: mandatory` in `grpc_server_settings`", "line 4, column 18", "Invalid plugin config", `client_auth is "mandatory"`, configInput("plugins: []\ngrpc_server_settings:\n  tls:\n    client_auth: mandatory\n")},
		{"`{{ env.NAME }}` missing from `template_env` in a value that decides where the gateway connects", "line 6, column 23", "Invalid plugin config", "env.HOST is not in template_env, so the gateway renders it as an empty string in plugin \"a\": mcp.url", configInput("plugins:\n  - name: a\n    kind: external\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://{{ env.HOST }}/mcp\n")},
		{"a Jinja2 template the gateway refuses (`{% if %}` without `{% endif %}`)", "line 2, column 12", "Invalid plugin config", "template syntax error", configInput("{% if x %}\nplugins: []\n")},
		{"a Jinja2 error the gateway raises while rendering", "line 2, column 7", "Invalid plugin config", "UndefinedError: env.PORT is undefined", configInput("plugins: []\nport: {{ env.PORT | int }}\n")},
		{"neither `path` nor `content`", "mcptls_plugin_config", "Missing Attribute Configuration", "Exactly one of these attributes must be configured: [path,content]", "data \"mcptls_plugin_config\" \"c\" {}\n"},
		{"both `path` and `content`", "path", "Invalid Attribute Combination", "", fmt.Sprintf("data \"mcptls_plugin_config\" \"c\" {\n  path    = %q\n  content = \"plugins: []\"\n}\n", missingFile)},

		// The CA inputs of a leaf (design: not a CA, does not match its key).
		{"`ca_cert_pem` that is not PEM", "ca_cert_pem", "Invalid CA certificate", "no PEM block found", gatewayInput(notPEM, "mcptls_ca.ca.private_key_pem")},
		{"`ca_cert_pem` that is a leaf certificate", "ca_cert_pem", "Invalid CA certificate", "is not a CA (basicConstraints CA:TRUE is missing)", caConfig + leafConfig("mcptls_gateway_cert", "gw", "") + `
resource "mcptls_plugin_cert" "p" {
  name               = "p"
  ca_cert_pem        = mcptls_gateway_cert.gw.cert_pem
  ca_private_key_pem = mcptls_gateway_cert.gw.private_key_pem
  key_algorithm      = "ECDSA"
}`},
		{"`ca_cert_pem` holding a key", "ca_cert_pem", "Invalid CA certificate", `PEM block type "PRIVATE KEY" is not a CERTIFICATE`, gatewayInput("mcptls_ca.ca.private_key_pem", "mcptls_ca.ca.private_key_pem")},
		{"`ca_private_key_pem` that is not PEM", "ca_private_key_pem", "Invalid CA private key", "no PEM block found", gatewayInput("mcptls_ca.ca.cert_pem", notPEM)},
		{"`ca_private_key_pem` of another CA", "ca_private_key_pem", "Invalid CA private key", "the private key does not match the CA certificate's public key", gatewayInput("mcptls_ca.ca.cert_pem", "mcptls_ca.other.private_key_pem")},
		{"`ca_private_key_pem` encrypted", "ca_private_key_pem", "Invalid CA private key", "encrypted private keys are not supported", gatewayInput("mcptls_ca.ca.cert_pem", encryptedKey)},

		// Validity and keys (design: validity out of range).
		{"`validity_days = 0`", "validity_days", "Invalid Attribute Value", "must be between 1 and 36500", caInput("validity_days = 0")},
		{"`validity_days = 36501`", "validity_days", "Invalid Attribute Value", "must be between 1 and 36500", caInput("validity_days = 36501")},
		{"`early_renewal_days` not below `validity_days`", "early_renewal_days", "Renewal window covers the whole validity", "must be less than validity_days", caInput("validity_days = 30\nearly_renewal_days = 30")},
		{"`early_renewal_days = 0` on a rotating CA", "early_renewal_days", "A rotating CA needs a renewal window", "Set early_renewal_days to at least 1", caInput("early_renewal_days = 0")},
		{"`key_algorithm = \"DSA\"`", "key_algorithm", "Invalid Attribute Value Match", "value must be one of", caInput(`key_algorithm = "DSA"`)},
		{"`rsa_bits = 1024`", "rsa_bits", "Invalid Attribute Value Match", "value must be one of", caInput("rsa_bits = 1024")},
		{"`ecdsa_curve = \"P521\"`", "ecdsa_curve", "Invalid Attribute Value Match", "value must be one of", caInput(`ecdsa_curve = "P521"`)},

		// Plugin certificate inputs (design: a name that cannot be a DNS name, a malformed URL).
		{"`name` with a slash", "name", "Invalid plugin name", "cannot be a directory of the certs/mcp tree", pluginInput(`name = "a/b"`)},
		{"`name` longer than 53 characters", "name", "Invalid plugin name", "at most 53", pluginInput(`name = "` + strings.Repeat("a", 54) + `"`)},
		{"`name` with a leading `.` (a hidden directory)", "name", "Invalid plugin name", "starts with `.`, which makes plugins/.hidden a hidden directory", pluginInput(`name = ".hidden"`)},
		{"`name` with an empty DNS label", "name", "Invalid plugin name", "has an empty DNS label", pluginInput(`name = "a..b"`)},
		{"`url` with an unsupported scheme", "url", "Invalid plugin URL", `scheme "ftp" is not supported`, pluginInput("name = \"p\"\n  url = \"ftp://x/mcp\"")},
		{"`url` without a host", "url", "Invalid plugin URL", "has no host", pluginInput("name = \"p\"\n  url = \"http://:80/mcp\"")},
		{"`url` whose host has an empty DNS label", "url", "Invalid plugin URL", `"a..example.com" is not a valid DNS name`, pluginInput("name = \"p\"\n  url = \"https://a..example.com/mcp\"")},
		{"`grpc_target` on a Unix socket", "grpc_target", "Invalid gRPC target", "refuses TLS on a Unix socket", pluginInput("name = \"p\"\n  grpc_target = \"unix:///run/p.sock\"")},
		{"`grpc_target` listing two addresses", "grpc_target", "Invalid gRPC target", "checks the server's certificate against the whole list as one name", pluginInput("name = \"p\"\n  grpc_target = \"ipv4:10.0.0.7:50051,10.0.0.8:50051\"")},
		{"`url` whose host is percent-encoded", "url", "Invalid plugin URL", `"h%2f" is not a valid DNS name`, pluginInput("name = \"p\"\n  url = \"https://h%2f/mcp\"")},
		{"`url` with a wildcard host", "url", "Invalid plugin URL", "is a wildcard pattern", pluginInput("name = \"p\"\n  url = \"https://*.example.com/mcp\"")},
		{"`url` with credentials", "url", "Invalid plugin URL", "contains credentials (user:password@)", pluginInput("name = \"p\"\n  url = \"https://admin:hunter2@h/mcp\"")},
		{"`url` at an IPv4-mapped IPv6 address", "url", "Invalid plugin URL", "contains IPv6 address which is not supported", pluginInput("name = \"p\"\n  url = \"https://[::ffff:10.0.0.1]:8443/mcp\"")},
		{"`url` port 65535 without `server_port`", "url", "URL port leaves no room for the health port", "set server_port", pluginInput("name = \"p\"\n  url = \"https://h:65535/mcp\"")},
		{"both `url` and `grpc_target`", "grpc_target", "Invalid Attribute Combination", "", pluginInput("name = \"p\"\n  url = \"https://h/mcp\"\n  grpc_target = \"h:50051\"")},
		{"`grpc_target` without a port", "grpc_target", "Invalid gRPC target", "has no port", pluginInput("name = \"p\"\n  grpc_target = \"plugin.internal\"")},
		{"`grpc_target` with a bad ipv4: address", "grpc_target", "Invalid gRPC target", `"plugin.internal" is not an IPv4 address`, pluginInput("name = \"p\"\n  grpc_target = \"ipv4:plugin.internal:50051\"")},
		{"`ip_addresses` element that is not an IP", "ip_addresses", "Invalid IP address", `"300.0.0.1" is not an IP address`, pluginInput("name = \"p\"\n  ip_addresses = [\"300.0.0.1\"]")},
		{"`ip_addresses` element that is IPv4-mapped IPv6", "ip_addresses", "Invalid IP address", "write it as 10.0.0.1", pluginInput("name = \"p\"\n  ip_addresses = [\"::ffff:10.0.0.1\"]")},
		{"`dns_names` element that is not a DNS name", "dns_names", "Invalid DNS name", `"bad_name" is not a valid DNS name`, pluginInput("name = \"p\"\n  dns_names = [\"bad_name\"]")},
		{"`server_port` whose health port (+1000) exceeds 65535", "server_port", "Invalid server port", "health port", pluginInput("name = \"p\"\n  server_port = 65000")},
		{"`ssl_cert_reqs = 3`", "ssl_cert_reqs", "Invalid Attribute Value", "between 0 and 2", pluginInput("name = \"p\"\n  ssl_cert_reqs = 3")},
		{"`cert_dir = \"\"`", "cert_dir", "Invalid certificate directory", "cert_dir must not be empty", pluginInput("name = \"p\"\n  cert_dir = \"\"")},
		{"`cert_dir` with a line break (env injection)", "cert_dir", "Invalid certificate directory", "contains a control character", pluginInput("name = \"p\"\n  cert_dir = \"/certs\\nPLUGINS_CLIENT_MTLS_VERIFY=false\"")},
		{"`cert_dir` with `..`", "cert_dir", "Invalid certificate directory", "contains `..`", caConfig + leafConfig("mcptls_gateway_cert", "gw", "  cert_dir = \"/certs/../etc\"")},
		{"`server_host = \"\"`", "server_host", "Invalid server host", "host must not be empty", pluginInput("name = \"p\"\n  server_host = \"\"")},
		{"`server_host` with a NUL", "server_host", "Invalid server host", "contains a control character", pluginInput("name = \"p\"\n  server_host = \"a\\u0000b\"")},

		// Strict PEM, named curves, CA validity at plan time and whole numbers;
		// helpers in bad_input_hardening_test.go.
		{"`ca_cert_pem` followed by a truncated PEM block", "ca_cert_pem", "Invalid CA certificate", "found a CERTIFICATE block without its END line",
			gatewayWithCAText(func(c, k string) (string, string) { return c + "-----BEGIN CERTIFICATE-----\nMIIB\n", k })},
		{"`ca_cert_pem` holding two certificates", "ca_cert_pem", "Invalid CA certificate", "after the certificate; the PEM text must be exactly one CERTIFICATE block",
			gatewayWithCAText(func(c, k string) (string, string) { return c + c, k })},
		{"`ca_private_key_pem` with text after the key", "ca_private_key_pem", "Invalid CA private key", "after the private key: the PEM text must hold the private key alone",
			gatewayWithCAText(func(c, k string) (string, string) { return c, k + "trailer\n" })},
		{"`ca_private_key_pem` on curve P-521", "ca_private_key_pem", "Invalid CA private key", "ECDSA curve P-521 is not supported: use a P-256 or P-384 key",
			gatewayWithCAText(func(c, _ string) (string, string) { return c, p521Key() })},
		{"`ca_cert_pem` of an expired CA", "ca_cert_pem", "CA certificate has expired", "Renew the CA", gatewayWithCA(literalCA(t0.AddDate(0, 0, -60), 30))},
		{"`ca_cert_pem` of a CA valid from an hour ahead", "ca_cert_pem", "CA certificate is not valid yet", "Check the clock", gatewayWithCA(literalCA(t0.Add(time.Hour), 30))},
		{"`validity_days = -1`", "validity_days", "Invalid Attribute Value", "must be between 1 and 36500, got: -1", caInput("validity_days = -1")},
		{"`validity_days = 1.5`", "validity_days", "Invalid whole number", "validity_days must be a whole number of days, got 1.5", caInput("validity_days = 1.5")},
		{"`early_renewal_days = 0.5`", "early_renewal_days", "Invalid whole number", "early_renewal_days must be a whole number of days, got 0.5", caInput("early_renewal_days = 0.5")},
		{"`rsa_bits = 2048.5`", "rsa_bits", "Invalid whole number", "rsa_bits must be a whole number of bits, got 2048.5", caInput("rsa_bits = 2048.5")},
		{"`server_port = 8000.5`", "server_port", "Invalid whole number", "server_port must be a whole number, got 8000.5", pluginInput("name = \"p\"\n  server_port = 8000.5")},
		{"`ssl_cert_reqs = 1.5`", "ssl_cert_reqs", "Invalid whole number", "ssl_cert_reqs must be a whole number, got 1.5", pluginInput("name = \"p\"\n  ssl_cert_reqs = 1.5")},
		{"`warning_days = 7.5` on `mcptls_cert_check`", "warning_days", "Invalid whole number", "warning_days must be a whole number of days, got 7.5", "data \"mcptls_cert_check\" \"c\" {\n  pems = {}\n  warning_days = 7.5\n}\n"},
	}
}

// words turns plain text into a pattern that lets Terraform wrap lines anywhere
// between words.
func words(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

func (b badInput) pattern() *regexp.Regexp {
	return regexp.MustCompile(`(?s)Error: ` + words(b.summary) + `.*` + words(b.where) + `.*` + words(b.says))
}

// TestAccBadInput plans every row and asserts its diagnostic. Each fails at
// plan time, so none changes state.
func TestAccBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, b := range badInputs(filepath.Join(dir, "missing.yaml")) {
		t.Run(b.input, func(t *testing.T) {
			t.Parallel()
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(newFakeClock(t0)),
				Steps:                    []resource.TestStep{{Config: b.config, ExpectError: b.pattern()}},
			})
		})
	}
}

// templateText escapes Go template delimiters for tfplugindocs, which renders
// the guide as a template: {{ env.NAME }} must stay text.
func templateText(s string) string {
	s = strings.NewReplacer("{{", "\x00L", "}}", "\x00R").Replace(s)
	return strings.NewReplacer("\x00L", `{{"{{"}}`, "\x00R", `{{"}}"}}`).Replace(s)
}

// TestDiagnosticsGuideIsCurrent keeps the users' table in step with the tested
// one. MCPTLS_UPDATE_GUIDE=1 rewrites it.
func TestDiagnosticsGuideIsCurrent(t *testing.T) {
	t.Parallel()
	const file = "../../templates/guides/diagnostics.md.tmpl"
	const begin, end = "<!-- bad-input table: generated by TestDiagnosticsGuideIsCurrent -->\n", "<!-- end of table -->\n"
	var b strings.Builder
	b.WriteString(begin + "| Input | Points at | Error | Says |\n|---|---|---|---|\n")
	for _, row := range badInputs("missing.yaml") {
		where := "`" + row.where + "`"
		if strings.HasPrefix(row.where, "line ") {
			where = row.where
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", templateText(row.input), where, row.summary, templateText(strings.ReplaceAll(row.says, "|", `\|`)))
	}
	b.WriteString(end)
	current, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(current)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the table markers", file)
	}
	want := text[:i] + b.String() + text[j+len(end):]
	if want == text {
		return
	}
	if os.Getenv("MCPTLS_UPDATE_GUIDE") != "" {
		if err := os.WriteFile(file, []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is stale: run MCPTLS_UPDATE_GUIDE=1 go test ./internal/provider -run TestDiagnosticsGuideIsCurrent", file)
}
