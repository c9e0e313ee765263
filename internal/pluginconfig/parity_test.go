package pluginconfig_test

import (
	"strings"
	"testing"

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
