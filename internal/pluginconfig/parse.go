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

	"github.com/mcptls/terraform-provider-mcptls/internal/safefile"
)

// Options are the gateway settings that change what it accepts.
type Options struct {
	// SSRFProtection is PLUGINS_SSRF_PROTECTION_ENABLED (the gateway's default: true).
	SSRFProtection bool
	// TemplateEnv gives the values of `{{ env.NAME }}`.
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
	if len(data) > MaxConfigBytes {
		return nil, nil, Problems{{Line: 1, Column: 1, Msg: fmt.Sprintf("the file is %d bytes; a plugin config is at most %d", len(data), MaxConfigBytes)}}
	}
	text, templateErrs := render(string(data), opts.TemplateEnv)
	if len(templateErrs) > 0 {
		return nil, nil, capped(templateErrs)
	}
	p := &parser{opts: opts, warnings: text.warnings}
	doc, err := loadYAML([]byte(text.text))
	var f *File
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Line: 1, Column: 1, Msg: err.Error()}
		}
		p.problems = append(p.problems, e)
	} else {
		p.warnings = append(p.warnings, doc.warnings...)
		f = p.file(doc.root)
	}
	for _, list := range [][]*Error{p.problems, p.warnings} {
		for _, e := range list {
			e.Line, e.Column = text.original(e.Line, e.Column)
		}
		sortByPosition(list)
	}
	if len(p.problems) > 0 {
		return nil, nil, capped(p.problems)
	}
	return f, p.warnings, nil
}

// parser collects every problem of one file.
type parser struct {
	opts     Options
	problems []*Error
	warnings []*Error
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
