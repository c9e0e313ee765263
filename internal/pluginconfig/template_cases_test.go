package pluginconfig

import (
	"encoding/json"
	"os"
	"testing"
)

// jinjaCase is a template and what Python's Jinja2 3.1.6, configured as the
// gateway configures it (SandboxedEnvironment, BaseLoader, autoescape), made
// of it: recorded once from Jinja2 itself into testdata/jinja/cases.json.
type jinjaCase struct {
	Template string            `json:"template"`
	Env      map[string]string `json:"env"`
	Output   *string           `json:"output"`
	Error    string            `json:"error"`
	// Differs says why mcptls renders this case differently on purpose.
	Differs string `json:"differs"`
}

func TestRenderAsJinja2(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/jinja/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var recorded struct {
		Jinja2 string      `json:"jinja2"`
		Cases  []jinjaCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &recorded); err != nil {
		t.Fatal(err)
	}
	same := 0
	for _, c := range recorded.Cases {
		src, serr := decodeSource([]byte(c.Template))
		if serr != nil {
			t.Errorf("%q: %v", c.Template, serr)
			continue
		}
		rt, errs := renderTemplate(src, c.Env)
		got := ""
		if rt != nil {
			got = rt.text
			if rt.bomSkipped {
				got = bom + got
			}
		}
		switch {
		case c.Differs != "":
			continue
		case c.Output == nil && len(errs) == 0:
			t.Errorf("%q: Jinja2 raises %s; mcptls renders %q", c.Template, c.Error, got)
		case c.Output != nil && len(errs) > 0:
			t.Errorf("%q: Jinja2 renders %q; mcptls: %v", c.Template, *c.Output, errs[0])
		case c.Output != nil && got != *c.Output:
			t.Errorf("%q:\n  Jinja2 renders %q\n  mcptls renders %q", c.Template, *c.Output, got)
		default:
			same++
		}
	}
	t.Logf("%d of %d cases render as Jinja2 %s renders them", same, len(recorded.Cases), recorded.Jinja2)
}
