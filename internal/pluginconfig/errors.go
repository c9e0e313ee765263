package pluginconfig

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Error is a problem at a place in the file. Column is 0 when the YAML library
// reports only the line (syntax errors).
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

func errorAt(n *yaml.Node, format string, args ...any) *Error {
	return &Error{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// Warning is a problem the gateway tolerates or that depends on its settings.
type Warning = Error
