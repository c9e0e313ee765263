package pluginconfig

// Rendered is a config's text after the template rendering Parse applies
// first (`{{ env.NAME }}` only), with the map from its positions back to the
// file as written. Code that edits a config's text reads its structure from
// Text, as the gateway does, and edits the file as written.
type Rendered struct {
	// Text is what the gateway's YAML loader reads. Rendering never adds or
	// removes a line break, so line numbers are the same as the file's.
	Text string
	r    *renderedText
}

// Render renders src with env as Parse does. The error, if any, is Problems
// positioned in src.
func Render(src string, env map[string]string) (Rendered, error) {
	text, errs := render(src, env)
	if len(errs) > 0 {
		return Rendered{}, capped(errs)
	}
	return Rendered{Text: text.text, r: text}, nil
}

// Original maps a 1-based line and rune column of Text to src; a position
// inside a rendered value maps to the `{{` of its construct.
func (r Rendered) Original(line, column int) (int, int) {
	if r.r == nil {
		return line, column
	}
	return r.r.original(line, column)
}
