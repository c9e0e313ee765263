package pluginconfig

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestMappingsWithTooManyKeys: past maxMappingKeys keys in one mapping, block
// or flow, the file is refused at the first key too many, before the parser
// (quadratic in keys) sees it; as many keys spread over many mappings, a
// block scalar's text or a sequence's items are not counted against one.
func TestMappingsWithTooManyKeys(t *testing.T) {
	t.Parallel()
	keys := func(n int, indent, sep string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(indent + "k" + strconv.Itoa(i) + ":" + sep)
		}
		return b.String()
	}
	for _, c := range []struct {
		name, text string
		line, col  int
	}{
		{"block", "plugins: []\nbig:\n" + keys(maxMappingKeys+1, "  ", " 1\n"), maxMappingKeys + 3, 3},
		{"flow", "plugins: []\nbig: {" + keys(maxMappingKeys+1, "", " 1, ") + "}\n", 2, 0},
		{"in a sequence item", "plugins: []\nbig:\n  - " + strings.TrimPrefix(keys(maxMappingKeys+1, "    ", " 1\n"), "    "), maxMappingKeys + 3, 5},
	} {
		_, err := loadYAML([]byte(c.text))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, "a mapping with more than 10000 keys") || e.Line != c.line || c.col > 0 && e.Column != c.col {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	spread := "plugins: []\n"
	for i := range 3 {
		spread += "m" + strconv.Itoa(i) + ":\n" + keys(maxMappingKeys/2, "  ", " 1\n")
	}
	items := "plugins: []\nlist:\n" + strings.Repeat("  - a: 1\n    b: 2\n", maxMappingKeys/2+1)
	scalar := "plugins: []\nbody: |\n" + keys(maxMappingKeys+1, "  ", " 1\n") + "end: 1\n"
	for name, text := range map[string]string{"spread": spread, "items": items, "block scalar": scalar} {
		if p, ok := tooManyKeys(text); ok {
			t.Errorf("%s: refused at %v", name, p)
		}
	}
}
