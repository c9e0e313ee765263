// Package pluginconfig reads the gateway's plugin config.yaml the way its
// plugin framework does (cpex 0.1.x: loader/config.py renders the file as a
// Jinja2 template, yaml.safe_load parses it, pydantic models in models.py
// validate it) and reports every problem with its line and column. One file
// per concept mirrors the gateway's models; each rule sits next to the
// gateway's own wording.
package pluginconfig

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/mcptls/terraform-provider-mcptls/internal/safefile"
)

// Options are the gateway settings that change what it accepts.
type Options struct {
	// SSRFProtection is PLUGINS_SSRF_PROTECTION_ENABLED (the gateway's default: true).
	SSRFProtection bool
	// TemplateEnv is the gateway's environment as its config template sees
	// it (`env`, os.environ there).
	TemplateEnv map[string]string
}

// DefaultOptions are the gateway's defaults.
func DefaultOptions() Options { return Options{SSRFProtection: true} }

// ReadFile parses the file at path: a regular file of at most MaxConfigBytes,
// read without blocking (a FIFO or a device is refused, never waited on).
func ReadFile(path string, opts Options) (*File, []*Warning, error) {
	data, err := safefile.ReadFile(path, MaxConfigBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read plugin config: %w", err)
	}
	return Parse(data, opts)
}

// Parse reads a plugin config. The error, if any, is Problems: every error
// found, each with a position in the file as written.
func Parse(data []byte, opts Options) (*File, []*Warning, error) {
	r, err := Read(data, opts)
	if err != nil {
		return nil, nil, err
	}
	return r.File, r.Warnings, nil
}

// Reading is one reading of a config file, as the gateway's loader reads it:
// the model, the warnings, the document safe_load builds, and where each
// piece of the rendered text comes from. Everything that reads a config
// reads it through Read, so every reader sees the same file.
type Reading struct {
	File     *File
	Warnings []*Warning
	text     *renderedText
	root     *node
	syntax   ast.Node
	written  string         // the file as written
	tags     []templateTag  // the statements of the template, once lexed
	blocks   []controlBlock // the statements with a body among them
}

// Syntax is the parsed document (goccy/go-yaml's tree) of Text, for an
// editor that needs where each value is written; nil for an empty file.
func (r *Reading) Syntax() ast.Node { return r.syntax }

// Read reads a plugin config (see Parse).
func Read(data []byte, opts Options) (*Reading, error) {
	if len(data) > MaxConfigBytes {
		return nil, Problems{{Line: 1, Column: 1, Msg: fmt.Sprintf("the file is %d bytes; a plugin config is at most %d (4 MiB)", len(data), MaxConfigBytes)}}
	}
	src, err := decodeSource(data)
	if err != nil {
		return nil, Problems{asError(err)}
	}
	if i := strings.Index(src.text, markerPrefix); i >= 0 {
		line, col := src.position(i)
		return nil, Problems{{Line: line, Column: col, Msg: "a NUL character: the gateway's YAML loader refuses it (\"unacceptable character #x0000\"): remove it"}}
	}
	text, templateErrs := renderTemplate(src, opts.TemplateEnv)
	if len(templateErrs) > 0 {
		return nil, capped(templateErrs)
	}
	p := &parser{opts: opts}
	r := &Reading{text: text, written: string(data)}
	if pyErrs := checkPyYAML(text.text); len(pyErrs) > 0 {
		p.problems = pyErrs
	} else if doc, err := loadYAML([]byte(text.text)); err != nil {
		p.problems = append(p.problems, asError(err))
	} else {
		p.warnings = append(p.warnings, doc.warnings...)
		r.root, r.syntax = doc.root, doc.syntax
		r.File = p.file(doc.root)
	}
	// Problems so far are positioned in the rendered text; those about
	// template names are positioned in the file already.
	for _, list := range [][]*Error{p.problems, p.warnings} {
		for _, e := range list {
			e.Line, e.Column = text.original(e.Line, e.Column)
		}
	}
	if r.File != nil {
		for i := range r.File.Plugins {
			pl := &r.File.Plugins[i]
			pl.Line, pl.Column = text.original(pl.Line, pl.Column)
		}
	}
	holeErrs, holeWarnings := p.undefinedNames(text)
	p.problems = append(p.problems, holeErrs...)
	p.warnings = append(p.warnings, holeWarnings...)
	sortByPosition(p.problems)
	sortByPosition(p.warnings)
	if len(p.problems) > 0 {
		return nil, capped(p.problems)
	}
	r.Warnings = p.warnings
	return r, nil
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Line: 1, Column: 1, Msg: err.Error()}
}

// parser collects every problem of one file.
type parser struct {
	opts     Options
	problems []*Error
	warnings []*Error
	// decisive are the values that decide where or how the gateway connects
	// (rendered positions): a template that renders empty there is an error.
	decisive map[int][]decisiveValue // by line
}

type decisiveValue struct {
	column int
	what   string
}

// decides records that n's value decides something (what names it).
func (p *parser) decides(n *node, what string) {
	if n == nil {
		return
	}
	if p.decisive == nil {
		p.decisive = map[int][]decisiveValue{}
	}
	p.decisive[n.line] = append(p.decisive[n.line], decisiveValue{n.column, what})
}

func (p *parser) errorAt(n *node, format string, args ...any) {
	p.problems = append(p.problems, &Error{Line: n.line, Column: n.column, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) warnAt(n *node, format string, args ...any) {
	p.warnings = append(p.warnings, &Error{Line: n.line, Column: n.column, Msg: fmt.Sprintf(format, args...)})
}

// failed reports whether problems were added since mark, so a model's own
// rules run only on fields that validated (as pydantic's after-validators do).
func (p *parser) failed(mark int) bool { return len(p.problems) > mark }
