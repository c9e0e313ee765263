package pluginconfig_test

import (
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pki"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig/parity"
)

func TestParityWithTheGateway(t *testing.T) {
	t.Parallel()
	cases, err := parity.Cases("testdata/parity")
	if err != nil || len(cases) < 100 {
		t.Fatalf("%d cases, %v", len(cases), err)
	}
	agree := 0
	for _, c := range cases {
		_, _, err := pluginconfig.Parse([]byte(c.Text), c.Options)
		if (err == nil) != c.Accept {
			t.Errorf("%s: mcptls accepts=%v, want %v (gateway: %s %s): %v", c.File, err == nil, c.Accept, c.Gateway, c.Says, err)
			continue
		}
		if c.Differs == "" {
			agree++
		}
		if err == nil || c.Differs != "" {
			continue
		}
		for _, says := range c.Says {
			if phrase := parity.Phrase(says); !strings.Contains(err.Error(), phrase) {
				t.Errorf("%s: no problem quotes the gateway's %q:\n%v", c.File, phrase, err)
			}
		}
	}
	t.Logf("%d files; mcptls agrees with the gateway on %d, differs on purpose on %d", len(cases), agree, len(cases)-agree)
}

// TestEveryTLSPluginGetsACertificate: a plugin the data source puts in
// tls_plugins passes every check mcptls_plugin_cert applies to its name and
// its url or grpc_target, across the parity table (ipv4:, dns:, ipv6:
// targets and hosts with `_` among them; an ipv4: address list is left out).
func TestEveryTLSPluginGetsACertificate(t *testing.T) {
	t.Parallel()
	cases, err := parity.Cases("testdata/parity")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		f, _, err := pluginconfig.Parse([]byte(c.Text), c.Options)
		if err != nil {
			continue
		}
		for _, p := range f.Plugins {
			if !p.NeedsServerCert() {
				continue
			}
			n++
			e, _ := p.Endpoint()
			if err := pki.ValidatePluginName(p.Name); err != nil {
				t.Errorf("%s: %s: %v", c.File, p.Name, err)
			}
			if err := e.SANCheck(); err != nil {
				t.Errorf("%s: %s: %v", c.File, p.Name, err)
			}
			if _, err := pki.PluginSANs(p.Name, e.Host(), nil, nil); err != nil {
				t.Errorf("%s: %s: %v", c.File, p.Name, err)
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d TLS plugins in the table", n)
	}
}

// TestParityJinjaValues: what the gateway read from files whose values a
// Jinja2 construct makes (recorded with the verdicts, from the loader's
// parsed data), mcptls reads the same.
func TestParityJinjaValues(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"163-jinja-chained-comparison.yaml":    "P https://p.example.com/mcp",
		"164-jinja-safe-concat-url.yaml":       "P https://p.example.com/a?x=1&y=2&amp;z=3",
		"165-jinja-split-maxsplit-target.yaml": "G g.example.com:50051",
		"167-jinja-env-get-none-in-url.yaml":   "P https://pNone.example.com/mcp",
		"168-jinja-urlencode-query.yaml":       "P https://p.example.com/mcp?k=a%26b",
	}
	cases, err := parity.Cases("testdata/parity")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		w, ok := want[c.File]
		if !ok {
			continue
		}
		delete(want, c.File)
		f, _, err := pluginconfig.Parse([]byte(c.Text), c.Options)
		if err != nil || len(f.Plugins) != 1 {
			t.Errorf("%s: %v", c.File, err)
			continue
		}
		p := f.Plugins[0]
		got := p.Name + " "
		switch {
		case p.MCP != nil:
			got += p.MCP.URL
		case p.GRPC != nil:
			got += p.GRPC.Target
		}
		if got != w {
			t.Errorf("%s: mcptls reads %q, the gateway %q", c.File, got, w)
		}
	}
	if len(want) > 0 {
		t.Errorf("files missing: %v", want)
	}
}
