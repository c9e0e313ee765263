// Command moduledocs writes the inputs and outputs tables of a module's
// README.md from its variables.tf and outputs.tf, between the markers
// <!-- BEGIN_MODULE_DOCS --> and <!-- END_MODULE_DOCS --> (terraform-docs is
// not reachable from here). With -check it writes nothing and fails when the
// README is not what it would write.
//
//	go run ./scripts/moduledocs [-check] examples/modules/plugin-mtls
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

const (
	begin = "<!-- BEGIN_MODULE_DOCS -->"
	end   = "<!-- END_MODULE_DOCS -->"
)

func main() {
	check := flag.Bool("check", false, "fail when README.md is not current, write nothing")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: moduledocs [-check] MODULE_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *check); err != nil {
		fmt.Fprintln(os.Stderr, "moduledocs:", err)
		os.Exit(1)
	}
}

func run(dir string, check bool) error {
	readme := filepath.Join(dir, "README.md")
	old, err := os.ReadFile(readme)
	if err != nil {
		return err
	}
	tables, err := Tables(dir)
	if err != nil {
		return err
	}
	updated, err := Splice(old, tables)
	if err != nil {
		return fmt.Errorf("%s: %w", readme, err)
	}
	if bytes.Equal(old, updated) {
		return nil
	}
	if check {
		return fmt.Errorf("%s is stale: run `go run ./scripts/moduledocs %s` (make docs does) and commit it", readme, dir)
	}
	return os.WriteFile(readme, updated, 0o644)
}

// Splice replaces what stands between the markers with tables.
func Splice(readme []byte, tables string) ([]byte, error) {
	i, j := bytes.Index(readme, []byte(begin)), bytes.Index(readme, []byte(end))
	if i < 0 || j < i {
		return nil, fmt.Errorf("no %s ... %s section", begin, end)
	}
	var out bytes.Buffer
	out.Write(readme[:i+len(begin)])
	out.WriteString("\n" + tables)
	out.Write(readme[j:])
	return out.Bytes(), nil
}

// block is a variable or an output as the tables show it.
type block struct {
	name, heading, description, typ, def string
	sensitive, required                  bool
}

// Tables renders the inputs (one table per heading comment in variables.tf)
// and the outputs.
func Tables(dir string) (string, error) {
	vars, err := blocks(filepath.Join(dir, "variables.tf"), "variable")
	if err != nil {
		return "", err
	}
	outs, err := blocks(filepath.Join(dir, "outputs.tf"), "output")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("## Inputs\n")
	heading := "\x00"
	for _, v := range vars {
		if v.heading != heading {
			heading = v.heading
			if heading != "" {
				fmt.Fprintf(&b, "\n### %s\n", heading)
			}
			b.WriteString("\n| name | type | default | description |\n|---|---|---|---|\n")
		}
		def := "`" + v.def + "`"
		if v.required {
			def = "required"
		}
		desc := v.description
		if v.sensitive {
			desc += " Sensitive."
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", v.name, cell(v.typ), cell(def), cell(desc))
	}
	b.WriteString("\n## Outputs\n\n| name | description |\n|---|---|\n")
	for _, o := range outs {
		desc := o.description
		if o.sensitive {
			desc += " Sensitive."
		}
		fmt.Fprintf(&b, "| `%s` | %s |\n", o.name, cell(desc))
	}
	return b.String(), nil
}

// cell escapes what would end a table cell or a line.
func cell(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
}

// blocks reads the blocks of one kind from a file, in file order, each with
// the last top-level "# " comment line above it as its heading.
func blocks(path, kind string) ([]block, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	lines := strings.Split(string(src), "\n")
	var out []block
	heading, prevEnd := "", 0
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s: not native HCL syntax", path)
	}
	for _, blk := range body.Blocks {
		if blk.Type != kind || len(blk.Labels) != 1 {
			return nil, fmt.Errorf("%s: unexpected %s block at line %d", path, blk.Type, blk.Range().Start.Line)
		}
		// Comments between the previous block and this one.
		for _, l := range lines[prevEnd : blk.Range().Start.Line-1] {
			if strings.HasPrefix(l, "# ") {
				heading = strings.TrimPrefix(l, "# ")
			}
		}
		prevEnd = blk.Range().End.Line
		b := block{name: blk.Labels[0], heading: heading, required: true}
		for name, attr := range blk.Body.Attributes {
			text := strings.TrimSpace(string(attr.Expr.Range().SliceBytes(src)))
			switch name {
			case "description":
				v, d := attr.Expr.Value(nil)
				if d.HasErrors() {
					return nil, fmt.Errorf("%s: %s.%s: the description must be a literal string", path, kind, b.name)
				}
				b.description = v.AsString()
			case "type":
				b.typ = text
			case "default":
				b.def, b.required = text, false
			case "sensitive":
				b.sensitive = text == "true"
			}
		}
		if b.description == "" {
			return nil, fmt.Errorf("%s: %s %q has no description", path, kind, b.name)
		}
		out = append(out, b)
	}
	return out, nil
}
