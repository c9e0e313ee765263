package bench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
	"github.com/mcptls/terraform-provider-mcptls/internal/yamlrender"
)

// bigConfig is a gateway config.yaml of n plugins (half MCP over https, half
// gRPC), commented as people write them: about 700 bytes a plugin, so 6,000
// plugins make 4 MB, close to the 4 MiB mcptls reads.
func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString("# generated for the benchmark\nplugins:\n")
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, "  # plugin %d: an MCP plugin server reached over https\n  - name: \"Plugin%d\"\n    kind: \"external\"\n    priority: %d\n    mode: \"sequential\"\n"+
				"    description: \"A plugin server that filters what the gateway sends, number %d of many\"\n    hooks: [\"prompt_pre_fetch\", \"tool_pre_invoke\"]\n"+
				"    tags: [\"security\", \"filter\"]\n    mcp:\n      proto: STREAMABLEHTTP\n      url: https://plugin-%d.plugins.example.com:8443/mcp\n"+
				"    conditions:\n      - server_ids: [\"server-%d\"]\n        tools: [\"search\", \"fetch\"]\n", i, i, i%100, i, i, i)
			continue
		}
		fmt.Fprintf(&b, "  # plugin %d: a gRPC plugin server\n  - name: \"Plugin%d\"\n    kind: \"external\"\n    priority: %d\n    mode: \"sequential\"\n"+
			"    description: \"A gRPC plugin server that checks what the gateway sends, number %d of many\"\n    hooks: [\"prompt_pre_fetch\", \"tool_post_invoke\"]\n"+
			"    tags: [\"security\", \"grpc\"]\n    grpc:\n      target: \"grpc-%d.plugins.example.com:50051\"\n"+
			"    conditions:\n      - server_ids: [\"server-%d\"]\n        tools: [\"search\", \"fetch\"]\n", i, i, i%100, i, i, i)
	}
	return b.String()
}

// BenchmarkPluginConfigTLSYAML is plugin_config_tls_yaml on a config of
// 600 and 6,000 plugins: the cost must grow linearly (it was 32 s a call at
// 6,000). Terraform calls the function about three times per apply.
func BenchmarkPluginConfigTLSYAML(b *testing.B) {
	for _, n := range []int{600, 6000} {
		content := bigConfig(n)
		b.Run(fmt.Sprintf("plugins=%d/bytes=%d", n, len(content)), func(b *testing.B) {
			b.SetBytes(int64(len(content)))
			for b.Loop() {
				if _, err := yamlrender.AddTLS(content, "/app/certs", yamlrender.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPluginConfigRead is the data source's reading of the same files.
func BenchmarkPluginConfigRead(b *testing.B) {
	for _, n := range []int{600, 6000} {
		content := []byte(bigConfig(n))
		b.Run(fmt.Sprintf("plugins=%d/bytes=%d", n, len(content)), func(b *testing.B) {
			b.SetBytes(int64(len(content)))
			for b.Loop() {
				if _, err := pluginconfig.Read(content, pluginconfig.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
