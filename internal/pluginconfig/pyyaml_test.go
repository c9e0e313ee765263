package pluginconfig

import (
	"encoding/json"
	"os"
	"testing"
)

// TestRefusesWhatPyYAMLRefuses checks the YAML mcptls reads against PyYAML's
// own verdicts (safe_load, recorded once into testdata/pyyaml/cases.json):
// tabs, line separators and control characters, where goccy/go-yaml alone
// is more lenient than the gateway's loader, and flow keys it splits
// otherwise. Where both accept, the documents must be the same: every key,
// every string, the type of every other value.
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
			Doc                any
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	// Where mcptls refuses on purpose what PyYAML reads.
	differs := map[string]string{
		"a: \"x\n\ty\"\n":       "a quoted value continued on a line that starts with a tab: goccy/go-yaml refuses it",
		"a: 'x\n\ty'\n":         "a quoted value continued on a line that starts with a tab: goccy/go-yaml refuses it",
		"a: \"b\u0085c\"\n":     "a raw NEL in a quoted value, which PyYAML folds to a space and goccy keeps",
		"a: \"x \u2028y\"\n":    "a raw line separator beside a blank in a quoted value: PyYAML drops the blank, goccy keeps it",
		"a: \"x\u2028\n  y\"\n": "a raw line separator before a line break in a quoted value: PyYAML keeps both, goccy folds them",
		"a: {url:https://x}\n":  "a flow key with a colon in it: goccy splits it into a key and a value",
		"a: {x:1, y: 2}\n":      "a flow key with a colon in it: goccy splits it into a key and a value",
		"a: {a :b}\n":           "a flow key with a colon in it: goccy splits it into a key and a value",
	}
	for _, c := range recorded.Cases {
		if reason, ok := differs[c.YAML]; ok {
			if c.PyYAML != "accept" || len(checkPyYAML(c.YAML)) == 0 && func() bool { _, err := loadYAML([]byte(c.YAML)); return err == nil }() {
				t.Errorf("%q: no longer differs (%s)", c.YAML, reason)
			}
			continue
		}
		refused := len(checkPyYAML(c.YAML)) > 0
		var doc *yamlDoc
		if !refused {
			var err error
			doc, err = loadYAML([]byte(c.YAML))
			refused = err != nil
		}
		if refused != (c.PyYAML == "refuse") {
			t.Errorf("%q: PyYAML %s (%s); mcptls refuses=%v %v", c.YAML, c.PyYAML, c.Says, refused, checkPyYAML(c.YAML))
			continue
		}
		if !refused {
			want, _ := json.Marshal(c.Doc)
			if got, _ := json.Marshal(canonical(doc.root)); string(got) != string(want) {
				t.Errorf("%q: PyYAML reads %s, mcptls %s", c.YAML, want, got)
			}
		}
	}
	t.Logf("%d snippets, as PyYAML %s", len(recorded.Cases), recorded.PyYAML)
}

// canonical is a document as cases.json records PyYAML's: a mapping is
// {"map": [[key, value]…]}, a string ["str", text], any other scalar [its tag].
func canonical(n *node) any {
	if n == nil {
		return []any{tagNull}
	}
	switch n.kind {
	case mappingNode:
		pairs := []any{}
		for _, p := range n.pairs {
			pairs = append(pairs, []any{canonical(p.key), canonical(p.value)})
		}
		return map[string]any{"map": pairs}
	case sequenceNode:
		items := []any{}
		for _, it := range n.items {
			items = append(items, canonical(it))
		}
		return items
	}
	if n.tag == tagStr {
		return []any{tagStr, n.value}
	}
	return []any{n.tag}
}
