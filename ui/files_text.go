package ui

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"shoebox/app"
)

// The Files view's text filter keeps the rows whose path (folder and name,
// relative to the root) holds the text typed, in lower case. A copy of
// every path in lower case would cost a million rows 40-odd MB; the folders,
// a few thousand, are lowered once, and the names, nearly all ASCII, are
// lowered byte by byte as they are searched, into one reused buffer. Names
// beyond ASCII, whose lower case strings.ToLower alone knows, are lowered
// once and kept.

// lowerText builds what the text filter needs, once.
func (s *rowSet) lowerText() {
	s.lowerOnce.Do(func() {
		dirs := map[*app.RowFolder]string{}
		names := map[int32]string{}
		for i := range s.rows {
			r := &s.rows[i]
			if _, ok := dirs[r.Dir]; !ok {
				dirs[r.Dir] = string(appendLower(nil, r.Dir.Path))
			}
			if !isASCII(r.Name) {
				names[int32(i)] = strings.ToLower(r.Name)
			}
		}
		s.lowerDirs, s.lowerNames = dirs, names
	})
}

// textMatch tests rows for a text, in lower case: each row's path is
// lowered into one buffer used again for the next row, its folder's part
// copied from what lowerText kept.
type textMatch struct {
	s    *rowSet
	text []byte
	path []byte // the row last tested: its path, lowered
}

func (s *rowSet) textMatch(text string) *textMatch {
	s.lowerText()
	return &textMatch{s: s, text: []byte(text)}
}

// has says whether row i's path, lowered, holds the text: in its folder,
// in its name, or across the two.
func (m *textMatch) has(i int32) bool {
	r := &m.s.rows[i]
	m.path = append(m.path[:0], m.s.lowerDirs[r.Dir]...)
	if isASCII(r.Name) {
		m.path = appendLower(m.path, r.Name)
	} else {
		m.path = append(m.path, m.s.lowerNames[i]...)
	}
	return bytes.Contains(m.path, m.text)
}

// lowerByte is an ASCII byte in lower case.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isASCII says whether s is all ASCII, which lowerByte lowers as
// strings.ToLower does.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// appendLower appends s in lower case, as strings.ToLower has it.
func appendLower(buf []byte, s string) []byte {
	if !isASCII(s) {
		return append(buf, strings.ToLower(s)...)
	}
	for i := 0; i < len(s); i++ {
		buf = append(buf, lowerByte(s[i]))
	}
	return buf
}
