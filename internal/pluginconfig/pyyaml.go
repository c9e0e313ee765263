package pluginconfig

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// What PyYAML, the gateway's YAML loader, refuses and goccy/go-yaml would
// read: checked on the rendered text before it is parsed.
//   - Characters its Reader refuses (NUL, other control characters, U+FFFE).
//   - Tabs anywhere but inside a quoted value, a block scalar or a comment:
//     its scanner never skips a tab between tokens ("found character '\t'
//     that cannot start any token"), so `url:\thttp://…`, `value\t# note`
//     and a trailing tab are all refused.
//   - U+0085, U+2028 and U+2029 where PyYAML reads them otherwise than
//     goccy/go-yaml. PyYAML's Reader accepts all three (they are printable
//     for it), and its scanner reads each as a line break: inside quotes it
//     keeps U+2028 and U+2029 as they are (as goccy does) unless a space or a
//     tab next to one is dropped with the break, and folds U+0085 to a space;
//     a comment ends at one, so text after it on the line is read as YAML;
//     in a plain value or a block scalar one ends the line. mcptls accepts
//     U+2028 and U+2029 in quotes with no blank beside them, any of the
//     three at the end of a comment, and refuses the rest.

// printable is PyYAML's Reader.NON_PRINTABLE, inverted.
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0x7e, r == 0x85:
		return true
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

// checkPyYAML returns the problems of text (what the YAML loader reads),
// positioned in it.
func checkPyYAML(text string) []*Error {
	var errs []*Error
	line, col := 1, 1
	kept := map[int]bool{} // offsets of line separators PyYAML reads as goccy does
	tabErrs := tabs(text, kept)
	for off, r := range text {
		switch {
		case !printable(r):
			errs = append(errs, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
				"a special character U+%04X: the gateway's YAML loader refuses it (\"unacceptable character #x%04x: special characters are not allowed\"): remove it", r, r)})
		case (r == 0x85 || r == 0x2028 || r == 0x2029) && !kept[off]:
			errs = append(errs, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
				"a raw U+%04X: the gateway's YAML loader reads it as a line break here, which breaks a plain value or a block scalar, ends a comment before the text after it, and in quotes drops the blanks beside it (U+0085 becomes a space): remove it, or write it as \\u%04X inside double quotes", r, r)})
		}
		if len(errs) >= MaxProblems {
			return errs
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return tabErrs
}

// tabs finds tabs outside quoted values, block scalars and comments, and
// keys of flow mappings that goccy/go-yaml splits where PyYAML does not;
// it records in kept the line separators that read the same (see above).
func tabs(text string, kept map[int]bool) []*Error {
	var errs []*Error
	var quote byte    // the quote of a quoted value spanning lines, or 0
	blockParent := -1 // indentation a block scalar's lines must exceed, or -1
	var flow []byte   // the open [ and { of flow collections
	entry := false    // at the start of an entry of a flow mapping
	add := func(e *Error) bool {
		errs = append(errs, e)
		return len(errs) >= MaxProblems
	}
	lines := strings.Split(text, "\n")
	start := 0 // offset of the line in text
	for n, ln := range lines {
		lineStart := start
		start += len(ln) + 1
		indent := len(ln) - len(strings.TrimLeft(ln, " "))
		if blockParent >= 0 {
			if strings.TrimLeft(ln, " ") == "" || indent > blockParent {
				continue // block scalar content: tabs are text
			}
			blockParent = -1
		}
		i := 0
		if quote == 0 {
			i = indent
		}
		commentAt := len(ln)
		for i < len(ln) {
			c := ln[i]
			if entry && quote == 0 && c != ' ' && c != '\t' {
				entry = false
				if e := flowKey(ln, i, n+1); e != nil && add(e) {
					return errs
				}
			}
			switch {
			case quote != 0:
				if sepKeptInQuotes(ln, i) {
					kept[lineStart+i] = true
				}
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(ln) && ln[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
				}
			case c == '\t':
				if add(&Error{Line: n + 1, Column: 1 + utf8.RuneCountInString(ln[:i]), Msg: "a tab outside a quoted value or a comment: the gateway's YAML loader refuses it (\"found character '\\t' that cannot start any token\"): use spaces"}) {
					return errs
				}
			case c == '#' && (i == 0 || ln[i-1] == ' ' || ln[i-1] == '\t'):
				commentAt = i
				if k := firstSeparator(ln[i:]); k >= 0 && strings.Trim(ln[i+k:], " \u0085\u2028\u2029") == "" {
					for j := i + k; j < len(ln); j++ {
						kept[lineStart+j] = true // only blanks and separators after it: the comment ends as it does anyway
					}
				}
				i = len(ln)
				continue
			case (c == '\'' || c == '"') && scalarStart(ln[:i]):
				quote = c
			case (c == ',' || c == ']' || c == '}') && len(flow) == 0 && afterIndicator(ln[:i]):
				if add(&Error{Line: n + 1, Column: 1 + utf8.RuneCountInString(ln[:i]), Msg: fmt.Sprintf("invalid YAML: a value cannot start with %q outside [ ] or { }: the gateway's YAML loader refuses it (\"expected the node content, but found '%c'\"): quote the value", c, c)}) {
					return errs
				}
			case (c == '[' || c == '{') && (len(flow) > 0 || scalarStart(ln[:i])):
				flow = append(flow, c)
				entry = c == '{'
			case (c == ']' || c == '}') && len(flow) > 0:
				flow = flow[:len(flow)-1]
			case c == ',' && len(flow) > 0:
				entry = flow[len(flow)-1] == '{'
			}
			i++
		}
		if quote == 0 && len(flow) == 0 {
			if p, ok := blockIndicator(ln[:commentAt]); ok {
				blockParent = p
				if e := blankLinesTooDeep(lines, n, p, ln[:commentAt]); e != nil && add(e) {
					return errs
				}
			}
		}
	}
	return errs
}

// flowKey checks the key at ln[i:], the start of an entry of a flow
// mapping. PyYAML's plain scalars run on through a colon that no space or
// flow indicator follows, so `{url:https://x}` is one key, `url:https://x`,
// with no value; goccy/go-yaml reads the key url.
func flowKey(ln string, i, line int) *Error {
	if strings.IndexByte("'\"[]{},?:#&*!|>%@`", ln[i]) >= 0 {
		return nil // not a plain scalar (an anchor or tag: not checked)
	}
	for j := i; j < len(ln); j++ {
		switch c := ln[j]; {
		case strings.IndexByte(",[]{}?", c) >= 0, c == '#' && (ln[j-1] == ' ' || ln[j-1] == '\t'):
			return nil
		case c == ':':
			if j+1 == len(ln) || strings.IndexByte(" \t,[]{}", ln[j+1]) >= 0 {
				return nil // the key ends here
			}
			end := j + strings.IndexAny(ln[j:]+",", ",[]{} ")
			key := strings.TrimRight(ln[i:end], " ")
			return &Error{Line: line, Column: 1 + utf8.RuneCountInString(ln[:j]), Msg: fmt.Sprintf(
				"`%s` in a flow mapping: with no space after the colon the gateway's YAML loader reads it all as a key, not `%s` with a value: write `%s: %s`, or quote it if it is a key",
				key, strings.TrimRight(ln[i:j], " "), strings.TrimRight(ln[i:j], " "), ln[j+1:end])}
		}
	}
	return nil
}

// sepKeptInQuotes reports whether ln[i] starts a U+2028 or U+2029 with no
// blank beside it: PyYAML keeps it in a quoted value as it is.
func sepKeptInQuotes(ln string, i int) bool {
	if !strings.HasPrefix(ln[i:], "\u2028") && !strings.HasPrefix(ln[i:], "\u2029") {
		return false
	}
	end := i + len("\u2028")
	return i > 0 && end < len(ln) && !strings.ContainsRune(" \t\r", rune(ln[i-1])) && !strings.ContainsRune(" \t\r", rune(ln[end]))
}

// firstSeparator is the offset in s of its first line separator, or -1.
func firstSeparator(s string) int {
	return strings.IndexAny(s, "\u0085\u2028\u2029")
}

// afterIndicator reports whether before ends with a value indicator
// (`key: `, `- `, `? `) on the same line: what follows starts a value, not a
// plain value's continuation line.
func afterIndicator(before string) bool {
	t := strings.TrimRight(before, " ")
	return len(t) < len(before) && t != "" && strings.TrimLeft(t, " ") != "" && scalarStart(before)
}

// blankLinesTooDeep checks the block scalar that line n starts (its content
// more indented than parent): without an indentation indicator PyYAML takes
// its indentation from the most indented of its leading blank lines too, so
// a first line of text indented less ends the block before it, and the file
// no longer parses (goccy/go-yaml reads the text as the block's).
func blankLinesTooDeep(lines []string, n, parent int, header string) *Error {
	if strings.ContainsAny(strings.TrimSpace(header)[strings.LastIndexAny(strings.TrimSpace(header), "|>"):], "123456789") {
		return nil
	}
	deepest := 0
	for _, ln := range lines[n+1:] {
		if strings.Trim(ln, " ") == "" {
			deepest = max(deepest, len(ln))
			continue
		}
		indent := len(ln) - len(strings.TrimLeft(ln, " "))
		if indent <= parent || deepest <= indent {
			return nil
		}
		return &Error{Line: n + 1, Column: 1, Msg: fmt.Sprintf(
			"invalid YAML: the block scalar starting here has a blank line of %d spaces before its first line of text, indented %d: the gateway's YAML loader takes the deeper indentation and ends the block before the text: remove the spaces on the blank lines, or give the indentation (`|%d`)",
			deepest, indent, indent-parent)}
	}
	return nil
}

// scalarStart reports whether a quote after before starts a quoted value:
// nothing before it on the line, or a value indicator, a flow indicator, a
// tag or an anchor (in a plain value a quote is just a character).
func scalarStart(before string) bool {
	trimmed := strings.TrimRight(before, " \t")
	if strings.TrimLeft(trimmed, " ") == "" {
		return true
	}
	spaced := len(trimmed) < len(before)
	last := trimmed[len(trimmed)-1]
	switch last {
	case '[', '{', ',':
		return true
	case ':', '-', '?':
		return spaced && (len(trimmed) == 1 || last == ':' || trimmed[len(trimmed)-2] == ' ' || trimmed[len(trimmed)-2] == '-')
	}
	word := trimmed[strings.LastIndexAny(trimmed, " \t")+1:]
	return spaced && (strings.HasPrefix(word, "!") || strings.HasPrefix(word, "&"))
}

// blockIndicator reports whether a line ends with a block scalar indicator
// (| or >, with chomping and indentation indicators) and the indentation its
// content must exceed: the key's, or a sequence dash's.
func blockIndicator(ln string) (int, bool) {
	t := strings.TrimRight(ln, " \t")
	t = strings.TrimRight(t, "+-0123456789")
	if t == "" || (t[len(t)-1] != '|' && t[len(t)-1] != '>') {
		return 0, false
	}
	before := strings.TrimRight(t[:len(t)-1], " ")
	if len(before) == len(t)-1 && before != "" {
		return 0, false // `a|` is a plain value
	}
	indent := len(ln) - len(strings.TrimLeft(ln, " "))
	rest := strings.TrimLeft(ln, " ")
	for strings.HasPrefix(rest, "- ") || rest == "-" {
		if before == strings.TrimRight(ln[:indent+1], " ") {
			return indent, true // `- |`: the dash's indentation
		}
		indent += 2 + len(rest[2:]) - len(strings.TrimLeft(rest[2:], " "))
		rest = strings.TrimLeft(rest[2:], " ")
	}
	if before == "" || strings.HasSuffix(before, ":") || strings.HasSuffix(before, "-") ||
		strings.HasPrefix(before[strings.LastIndexAny(before, " ")+1:], "!") || strings.HasPrefix(before[strings.LastIndexAny(before, " ")+1:], "&") {
		return indent, true
	}
	return 0, false
}
