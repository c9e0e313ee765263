package pluginconfig

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// source is a config file as the gateway's loader reads it:
// open(path, "r", encoding="utf-8") decodes strict UTF-8 (anything else is a
// UnicodeDecodeError) with universal newlines, so "\r\n" and a lone "\r" both
// reach Jinja2 as "\n". A byte-order mark stays in the text (PyYAML skips it
// at the start of what it reads); columns of the file as written do not count
// it, as editors do not show it.
type source struct {
	text       string // as Jinja2 reads it
	lineStarts []int  // byte offset in text of each line
	// crlf lists the offsets in text after which a "\r" of "\r\n" was
	// dropped, so an offset maps back to the bytes as written.
	crlf []int
	bom  bool
}

const bom = "\ufeff"

// decodeSource reads data as the gateway's open() does.
func decodeSource(data []byte) (*source, error) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line, col := 1+strings.Count(string(data[:off]), "\n"), 1+utf8.RuneCount(data[strings.LastIndexByte(string(data[:off]), '\n')+1:off])
		return nil, &Error{Line: line, Column: col, Msg: fmt.Sprintf(
			"byte 0x%02x is not UTF-8; the gateway reads its config as UTF-8 and refuses the file (\"'utf-8' codec can't decode byte 0x%02x\"): save the file as UTF-8", data[off], data[off])}
	}
	s := &source{lineStarts: []int{0}}
	var b strings.Builder
	b.Grow(len(data))
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\r' {
			if i+1 < len(data) && data[i+1] == '\n' {
				s.crlf = append(s.crlf, b.Len())
				continue
			}
			c = '\n'
		}
		b.WriteByte(c)
		if c == '\n' {
			s.lineStarts = append(s.lineStarts, b.Len())
		}
	}
	s.text = b.String()
	s.bom = strings.HasPrefix(s.text, bom)
	return s, nil
}

// position is the 1-based line and rune column of a byte offset of text.
func (s *source) position(offset int) (int, int) {
	if offset < 0 {
		offset = 0
	}
	if offset > len(s.text) {
		offset = len(s.text)
	}
	line := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > offset }) // 1-based
	start := s.lineStarts[line-1]
	col := 1 + utf8.RuneCountInString(s.text[start:offset])
	if line == 1 && s.bom && offset > 0 {
		col--
	}
	return line, col
}

// written maps an offset of text to the bytes as written; the offset of a
// "\n" read from "\r\n" maps to its "\r", so text inserted there goes before
// the line break as written.
func (s *source) written(offset int) int {
	return offset + sort.SearchInts(s.crlf, offset)
}
