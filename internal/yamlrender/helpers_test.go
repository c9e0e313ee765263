package yamlrender

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

const python = "/usr/bin/python3"

// pyyaml runs f as a subtest on what PyYAML's safe_load (the gateway's
// loader) makes of text, skipped only when Debian's python3-yaml is missing.
func pyyaml(t *testing.T, text string, f func(t *testing.T, doc any)) {
	t.Helper()
	t.Run("pyyaml", func(t *testing.T) {
		if err := exec.Command(python, "-c", "import yaml").Run(); err != nil {
			t.Skipf("%s -c 'import yaml' fails (%v): install python3-yaml to check the output with the gateway's YAML loader", python, err)
		}
		cmd := exec.Command(python, "testdata/pyyaml_load.py")
		cmd.Stdin = strings.NewReader(text)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("PyYAML refuses the output: %v\n%s\n%s", err, stderr.String(), text)
		}
		var doc any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		f(t, doc)
	})
}

// at reads a path of keys and list indexes out of a PyYAML document.
func at(doc any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := doc.(map[string]any)
			if !ok {
				return fmt.Sprintf("<no mapping at %q>", k)
			}
			v, ok := m[k]
			if !ok {
				return fmt.Sprintf("<no key %q>", k)
			}
			doc = v
		case int:
			l, ok := doc.([]any)
			if !ok || k >= len(l) {
				return fmt.Sprintf("<no item %d>", k)
			}
			doc = l[k]
		}
	}
	return doc
}

// pyPlugin finds a plugin entry by name in a PyYAML document.
func pyPlugin(doc any, name string) any {
	list, _ := at(doc, "plugins").([]any)
	for _, p := range list {
		if at(p, "name") == name {
			return p
		}
	}
	return nil
}

// expectFields compares paths of a PyYAML document with wanted values;
// JSON numbers are float64.
func expectFields(t *testing.T, doc any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		var keys []any
		for _, k := range strings.Split(path, ".") {
			if n, err := strconv.Atoi(k); err == nil {
				keys = append(keys, n)
			} else {
				keys = append(keys, k)
			}
		}
		got := at(doc, keys...)
		if n, ok := w.(int); ok {
			w = float64(n)
		}
		if got != w {
			t.Errorf("PyYAML reads %s = %#v, want %#v", path, got, w)
		}
	}
}

func mustParse(t *testing.T, text string, opts pluginconfig.Options) *pluginconfig.File {
	t.Helper()
	f, _, err := pluginconfig.Parse([]byte(text), opts)
	if err != nil {
		t.Fatalf("our parser refuses the output: %v\n%s", err, text)
	}
	return f
}

func plugin(t *testing.T, f *pluginconfig.File, name string) pluginconfig.Plugin {
	t.Helper()
	for _, p := range f.Plugins {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no plugin %q", name)
	return pluginconfig.Plugin{}
}

// indent puts every line but the first n spaces deeper, as Terraform's indent().
func indent(n int, s string) string {
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}

// gatewayLoad is what the gateway's loader reads from the file at path with
// env as its environment: Jinja2 (sandboxed, autoescaped), then PyYAML. It
// needs a python3 on PATH with jinja2 and PyYAML, and skips without them.
func gatewayLoad(t *testing.T, path string, env map[string]string) any {
	t.Helper()
	if err := exec.Command("python3", "-c", "import jinja2, yaml").Run(); err != nil {
		t.Skipf("python3 -c 'import jinja2, yaml' fails (%v): install both to check the output with the gateway's renderer and loader", err)
	}
	envJSON, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command("python3", "testdata/gateway_load.py", path, string(envJSON))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the gateway's loader refuses %s: %v\n%s", path, err, stderr.String())
	}
	var doc any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
