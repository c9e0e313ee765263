package pluginconfig

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is a problem at a place in the file (1-based line and column).
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Warning is what the gateway accepts but a reader likely did not mean.
type Warning = Error

// MaxProblems caps how many problems one file reports.
const MaxProblems = 25

// Problems is every error found in a file, in file order, at most MaxProblems.
type Problems []*Error

func (p Problems) Error() string {
	if len(p) == 0 {
		return "no problems"
	}
	msgs := make([]string, len(p))
	for i, e := range p {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// AsProblems lists the positioned problems of err, if it holds any.
func AsProblems(err error) (Problems, bool) {
	var ps Problems
	if errors.As(err, &ps) {
		return ps, true
	}
	var e *Error
	if errors.As(err, &e) {
		return Problems{e}, true
	}
	return nil, false
}

func sortByPosition(list []*Error) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Line != list[j].Line {
			return list[i].Line < list[j].Line
		}
		return list[i].Column < list[j].Column
	})
}

// capped keeps at most MaxProblems, saying how many were left out.
func capped(list []*Error) Problems {
	if len(list) <= MaxProblems {
		return list
	}
	rest := len(list) - MaxProblems + 1
	out := append(Problems{}, list[:MaxProblems-1]...)
	last := list[MaxProblems-1]
	return append(out, &Error{Line: last.Line, Column: last.Column, Msg: fmt.Sprintf("and %d more problems from here on; fix these first", rest)})
}
