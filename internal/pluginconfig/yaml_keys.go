package pluginconfig

import (
	"fmt"
	"strings"
)

// goccy/go-yaml (v1.19) parses one mapping in time quadratic in its keys (it
// recurses once per key and copies what follows): 20,000 keys take seconds,
// the 400,000 a 4 MiB file can hold would take the better part of an hour.
// No plugin config comes near; a mapping with more keys is refused before
// the parser sees it.
const maxMappingKeys = 10_000

// tooManyKeys finds the first key past maxMappingKeys in one mapping, by a
// linear scan: block mappings by the indentation of their keys (a "- "
// opens a new one, block scalar text is skipped), flow mappings by their
// commas. It may count a key or two too few, never a mapping's keys twice.
func tooManyKeys(text string) (position, bool) {
	if p, ok := tooManyFlowKeys(text); ok {
		return p, true
	}
	counts := map[int]int{}
	scalarIndent := -1 // inside a block scalar opened on a line at this indentation
	line := 0
	for rest := text; rest != ""; {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		line++
		body := strings.TrimLeft(l, " ")
		indent := len(l) - len(body)
		if body == "" || body[0] == '#' || strings.TrimSpace(body) == "" {
			continue
		}
		if scalarIndent >= 0 {
			if indent > scalarIndent {
				continue
			}
			scalarIndent = -1
		}
		for k := range counts {
			if k > indent {
				delete(counts, k)
			}
		}
		col := indent
		for strings.HasPrefix(body, "- ") || body == "-" {
			next := strings.TrimLeft(body[1:], " ")
			col += len(body) - len(next)
			body = next
			for k := range counts {
				if k >= col {
					delete(counts, k)
				}
			}
		}
		if isBlockKey(body) {
			if counts[col]++; counts[col] > maxMappingKeys {
				return position{line, col + 1}, true
			}
		}
		if opensBlockScalar(body) {
			scalarIndent = indent
		}
	}
	return position{}, false
}

// isBlockKey reports whether a line's text starts with `key:` (a plain or
// quoted key followed by ": " or the line's end).
func isBlockKey(body string) bool {
	if body == "" || strings.ContainsRune("{[&*!|>%@`", rune(body[0])) {
		return false
	}
	if body[0] == '"' || body[0] == '\'' {
		end := strings.IndexByte(body[1:], body[0])
		if end < 0 {
			return false
		}
		after := body[end+2:]
		return strings.HasPrefix(after, ":") && (len(after) == 1 || after[1] == ' ' || after[1] == '\t')
	}
	i := strings.Index(body, ":")
	return i > 0 && (i == len(body)-1 || body[i+1] == ' ' || body[i+1] == '\t') && !strings.Contains(body[:i], " #")
}

// opensBlockScalar reports whether a line ends in a block scalar's header.
func opensBlockScalar(body string) bool {
	if i := strings.Index(body, " #"); i >= 0 {
		body = body[:i]
	}
	body = strings.TrimRight(body, " \t")
	for len(body) > 0 && strings.ContainsRune("+-0123456789", rune(body[len(body)-1])) {
		body = body[:len(body)-1]
	}
	return strings.HasSuffix(body, " |") || strings.HasSuffix(body, " >") || body == "|" || body == ">"
}

// tooManyFlowKeys counts the entries of each `{...}`.
func tooManyFlowKeys(text string) (position, bool) {
	var stack []int // entries of each open collection; -1 for a [ ]
	return scanFlow(text, func(b byte) bool {
		switch b {
		case '{':
			stack = append(stack, 1)
		case '[':
			stack = append(stack, -1)
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack) - 1; n >= 0 && stack[n] > 0 {
				stack[n]++
				return stack[n] > maxMappingKeys
			}
		}
		return false
	})
}

func tooManyKeysError(p position) *Error {
	return &Error{Line: p.line, Column: p.column, Msg: fmt.Sprintf("a mapping with more than %d keys: mcptls reads at most %d in one mapping (its YAML parser slows down with the square of their number; no plugin config comes near); split the mapping", maxMappingKeys, maxMappingKeys)}
}
