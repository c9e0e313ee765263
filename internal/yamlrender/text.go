package yamlrender

import (
	"strings"
)

// text indexes a string by line and rune column, as the YAML parser and
// pluginconfig position things (both 1-based).
type text struct {
	s      string
	starts []int // byte offset of each line
}

func newText(s string) text {
	t := text{s: s, starts: []int{0}}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	return t
}

// lines is how many lines s has; a final line break does not start another.
func (t text) lines() int {
	if strings.HasSuffix(t.s, "\n") || t.s == "" {
		return len(t.starts) - 1
	}
	return len(t.starts)
}

// line is line n without its line break.
func (t text) line(n int) string {
	if n < 1 || n > len(t.starts) {
		return ""
	}
	end := len(t.s)
	if n < len(t.starts) {
		end = t.starts[n] - 1
	}
	return strings.TrimSuffix(t.s[t.starts[n-1]:end], "\r")
}

// lineEnd is what ends s's lines: CRLF if any line does, else LF.
func lineEnd(s string) string {
	if strings.Contains(s, "\r\n") {
		return "\r\n"
	}
	return "\n"
}
