package pluginconfig

import (
	"encoding/json"
	"os"
	"testing"
)

// TestRefusesWhatPyYAMLRefuses checks the YAML mcptls reads against PyYAML's
// own verdicts (safe_load, recorded once into testdata/pyyaml/cases.json):
// tabs, line separators and control characters, where goccy/go-yaml alone
// is more lenient than the gateway's loader.
func TestRefusesWhatPyYAMLRefuses(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/pyyaml/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var recorded struct {
		PyYAML string `json:"pyyaml"`
		Cases  []struct {
			YAML, PyYAML, Says string
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	// Where mcptls refuses on purpose what PyYAML reads.
	differs := map[string]string{
		"a: \"x\n\ty\"\n":   "a quoted value continued on a line that starts with a tab: goccy/go-yaml refuses it",
		"a: 'x\n\ty'\n":     "a quoted value continued on a line that starts with a tab: goccy/go-yaml refuses it",
		"a: 'b\u2028c'\n":   "a raw line separator in a quoted value, which PyYAML keeps and goccy reads otherwise",
		"a: \"b\u0085c\"\n": "a raw NEL in a quoted value, which PyYAML folds to a space and goccy keeps",
	}
	for _, c := range recorded.Cases {
		if reason, ok := differs[c.YAML]; ok {
			if c.PyYAML != "accept" || len(checkPyYAML(c.YAML)) == 0 && func() bool { _, err := loadYAML([]byte(c.YAML)); return err == nil }() {
				t.Errorf("%q: no longer differs (%s)", c.YAML, reason)
			}
			continue
		}
		refused := len(checkPyYAML(c.YAML)) > 0
		if !refused {
			_, err := loadYAML([]byte(c.YAML))
			refused = err != nil
		}
		if refused != (c.PyYAML == "refuse") {
			t.Errorf("%q: PyYAML %s (%s); mcptls refuses=%v %v", c.YAML, c.PyYAML, c.Says, refused, checkPyYAML(c.YAML))
		}
	}
	t.Logf("%d snippets, as PyYAML %s", len(recorded.Cases), recorded.PyYAML)
}
