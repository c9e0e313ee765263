// Package parity reads the parity table: config files, each with the verdict
// the gateway's own loader gave it, for the tests of pluginconfig and of the
// data source.
package parity

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/mcptls/terraform-provider-mcptls/internal/pluginconfig"
)

// Case is one file of testdata/parity with the verdict the gateway's own
// loader gave it (cpex 0.1.3's ConfigLoader.load_config, run on each file in a
// fresh process) and the verdict mcptls gives on purpose where they differ.
type Case struct {
	File, Text string
	Options    pluginconfig.Options
	// Gateway is "accept" or "refuse"; Says lists the gateway's messages.
	Gateway string
	Says    []string
	// Accept is what mcptls does with the file.
	Accept bool
	// Differs says why mcptls differs from the gateway, or is "".
	Differs string
}

// Cases reads the files of dir (testdata/parity).
func Cases(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		c := Case{File: filepath.Base(f), Text: string(data), Options: pluginconfig.DefaultOptions()}
		// The header as Python reads it: universal newlines, a byte-order mark skipped.
		header := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(strings.TrimPrefix(string(data), "\ufeff"))
		for _, line := range strings.Split(header, "\n") {
			key, value, ok := strings.Cut(strings.TrimPrefix(line, "# "), ": ")
			if !ok || !strings.HasPrefix(line, "# ") {
				continue
			}
			switch key {
			case "gateway":
				c.Gateway = value
			case "says":
				c.Says = strings.Split(value, " | ")
			case "env":
				c.Options = options(value)
			case "mcptls":
				if value != "same" {
					c.Differs = value
				}
			}
		}
		c.Accept = c.Gateway == "accept"
		if c.Differs != "" {
			c.Accept = strings.HasPrefix(c.Differs, "accept")
		}
		out = append(out, c)
	}
	return out, nil
}

func options(env string) pluginconfig.Options {
	opts := pluginconfig.Options{SSRFProtection: true, TemplateEnv: map[string]string{}}
	for _, kv := range strings.Fields(env) {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if strings.EqualFold(name, pluginconfig.SSRFSetting) {
			opts.SSRFProtection = value == "true" || value == "1"
			continue
		}
		opts.TemplateEnv[name] = value
	}
	return opts
}

// GatewayPhrase is the part of a gateway message that mcptls quotes: the text
// after pydantic's location and "Value error, ", up to values that vary
// (Python set order, lists of known values).
func Phrase(says string) string {
	// Errors raised outside pydantic, in mcptls's words.
	if strings.HasPrefix(says, "yaml.ScannerError") {
		if strings.Contains(says, `'\t'`) {
			return `found character '\t' that cannot start any token`
		}
		return "reads it as a line break" // U+0085, U+2028, U+2029: mcptls says why
	}
	if strings.HasPrefix(says, "yaml.ComposerError: found duplicate anchor") {
		return "found duplicate anchor"
	}
	for gateway, ours := range map[string]string{
		"yaml.ComposerError":          "expected a single document in the stream",
		"yaml.ParserError":            "invalid YAML",
		"builtins.TypeError":          "argument after ** must be a mapping",
		"jinja2.TemplateSyntaxError":  "(TemplateSyntaxError)",
		"yaml.ConstructorError":       "could not determine a constructor for the tag",
		"jinja2.UndefinedError":       "UndefinedError",
		"jinja2.TemplateNotFound":     "TemplateNotFound",
		"builtins.OverflowError":      "MAX_RANGE",
		"builtins.ZeroDivisionError":  "ZeroDivisionError",
		"yaml.ReaderError":            "unacceptable character #x0000",
		"builtins.UnicodeDecodeError": "'utf-8' codec can't decode byte",
	} {
		if strings.HasPrefix(says, gateway) {
			return ours
		}
	}
	if loc, msg, ok := strings.Cut(says, ": "); ok && !strings.Contains(loc, " ") {
		says = msg
	}
	says = strings.TrimPrefix(says, "Value error, ")
	for _, cut := range []string{" {", ": '", ". Known"} {
		if i := strings.Index(says, cut); i > 0 {
			says = says[:i]
		}
	}
	return strings.TrimSuffix(says, ".")
}
