package pluginconfig

import "testing"

func TestRenderMapsPositionsBack(t *testing.T) {
	t.Parallel()
	src := "a: {{ env.H }}:{{env.P}} }\nb: 1\n"
	r, err := Render(src, map[string]string{"H": "h", "P": "8443"})
	if err != nil || r.Text != "a: h:8443 }\nb: 1\n" {
		t.Fatalf("%q %v", r.Text, err)
	}
	for _, c := range []struct{ col, want int }{{1, 1}, {4, 4}, {5, 15}, {6, 16}, {9, 16}, {10, 25}, {11, 26}} {
		if l, col := r.Original(1, c.col); l != 1 || col != c.want {
			t.Errorf("rendered 1:%d maps to %d:%d, want 1:%d", c.col, l, col, c.want)
		}
	}
	if l, col := r.Original(2, 3); l != 2 || col != 3 {
		t.Errorf("line 2 moved: %d:%d", l, col)
	}
	if _, err := Render("a: {{ env.X }}\n", nil); err == nil {
		t.Error("a missing name rendered")
	} else if ps, _ := AsProblems(err); len(ps) != 1 || ps[0].Line != 1 || ps[0].Column != 4 {
		t.Errorf("%v", err)
	}
	if l, col := (Rendered{}).Original(3, 4); l != 3 || col != 4 {
		t.Error("the zero Rendered moves positions")
	}
}
