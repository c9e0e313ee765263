package releasetest

import (
	"os"
	"strings"
	"testing"
)

// TestRepositoryChangelog: CHANGELOG.md parses, newest first, and its top entry
// (the release notes of the next tag) has notes.
func TestRepositoryChangelog(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := ParseChangelog(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if top := entries[0]; !strings.Contains(top.Notes, "* ") {
		t.Errorf("top entry %s has no bullet points:\n%s", top.Version, top.Notes)
	}
}

func TestParseChangelog(t *testing.T) {
	t.Parallel()
	good := "# Changelog\n\n## 1.1.0 (Unreleased)\n\nFEATURES:\n\n* new\n\n## 1.0.0 (March 9, 2026)\n\n* first\n"
	entries, err := ParseChangelog(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Version.String() != "1.1.0" || entries[0].Date != "Unreleased" ||
		entries[0].Notes != "FEATURES:\n\n* new\n" || entries[1].Notes != "* first\n" || entries[1].Date != "March 9, 2026" {
		t.Errorf("parsed %+v", entries)
	}
	for _, tt := range []struct{ name, text, want string }{
		{"empty", "", "no \"## X.Y.Z (date)\" entry"},
		{"text first", "notes\n## 1.0.0 (Unreleased)\n* a\n", "line 1: text before"},
		{"no date", "## 1.0.0\n* a\n", "line 1: \"## 1.0.0\" is not"},
		{"bad date", "## 1.0.0 (2026-03-09)\n* a\n", `date "2026-03-09"`},
		{"v prefix", "## v1.0.0 (Unreleased)\n* a\n", `"v1.0.0" is not a version`},
		{"two parts", "## 1.0 (Unreleased)\n* a\n", `"1.0" is not a version`},
		{"order", "## 1.0.0 (Unreleased)\n* a\n## 1.1.0 (March 9, 2026)\n* b\n", "line 3: 1.1.0 comes after 1.0.0"},
		{"unreleased below", "## 1.1.0 (Unreleased)\n* a\n## 1.0.0 (Unreleased)\n* b\n", "line 3: only the top entry"},
		{"no notes", "## 1.1.0 (Unreleased)\n\n## 1.0.0 (March 9, 2026)\n* b\n", "1.1.0 has no notes"},
	} {
		if _, err := ParseChangelog(tt.text); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}
