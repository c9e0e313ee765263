package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModuleREADMEIsCurrent is the drift check: the module's README holds the
// tables its variables.tf and outputs.tf give (make docs rewrites them).
func TestModuleREADMEIsCurrent(t *testing.T) {
	if err := run("../../examples/modules/plugin-mtls", true); err != nil {
		t.Fatal(err)
	}
}

// TestCheckFindsDrift: a variable added without regenerating fails the check,
// names the fix, and regenerating makes it pass.
func TestCheckFindsDrift(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("README.md", "# m\n\n<!-- BEGIN_MODULE_DOCS -->\n<!-- END_MODULE_DOCS -->\nafter\n")
	write("variables.tf", "# Group\n\nvariable \"a\" {\n  description = \"A | B.\"\n  type = string\n}\n")
	write("outputs.tf", "output \"o\" {\n  description = \"O.\"\n  value = 1\n  sensitive = true\n}\n")
	if err := run(dir, false); err != nil {
		t.Fatal(err)
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	for _, want := range []string{"### Group", "| `a` | `string` | required | A \\| B. |", "| `o` | O. Sensitive. |", "<!-- END_MODULE_DOCS -->\nafter\n"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README lacks %q:\n%s", want, readme)
		}
	}
	write("variables.tf", "variable \"a\" {\n  description = \"A.\"\n  default = 1\n}\nvariable \"b\" {\n  description = \"B.\"\n}\n")
	if err := run(dir, true); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("check after adding a variable: %v", err)
	}
	write("variables.tf", "variable \"a\" {\n  default = 1\n}\n")
	if err := run(dir, false); err == nil || !strings.Contains(err.Error(), "no description") {
		t.Errorf("a variable without a description: %v", err)
	}
}
