package ui

import (
	"strings"
	"unicode/utf8"

	"shoebox/app"
)

// The Files view's text filter keeps the rows whose path (folder and name,
// relative to the root) holds the text typed, in lower case. A copy of
// every path in lower case would cost a million rows 40-odd MB; the folders,
// a few thousand, are lowered once, and the names, nearly all ASCII, are
// lowered byte by byte as they are searched. Names beyond ASCII, whose
// lower case strings.ToLower alone knows, are lowered once and kept.

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

// textMatch tests rows for a text, in lower case. It remembers what it
// learnt of the last row's folder, so a filter by a text walking the rows in
// their order (folder by folder) looks at each folder once.
type textMatch struct {
	s    *rowSet
	text string
	// cuts are the places in text just after a '/', where the text may
	// run from the end of a folder's path into a name.
	cuts []int

	dir    *app.RowFolder // the folder last seen
	dirHas bool           // its path holds the text
	spans  []int          // the cuts at which its path ends with the text's start
}

func (s *rowSet) textMatch(text string) *textMatch {
	s.lowerText()
	m := &textMatch{s: s, text: text}
	for k := 1; k < len(text); k++ {
		if text[k-1] == '/' {
			m.cuts = append(m.cuts, k)
		}
	}
	return m
}

// has says whether row i's path, lowered, holds the text: in its folder,
// in its name, or across the two.
func (m *textMatch) has(i int32) bool {
	r := &m.s.rows[i]
	if r.Dir != m.dir {
		m.enter(r.Dir)
	}
	if m.dirHas {
		return true
	}
	name, lowered := r.Name, false
	if !isASCII(name) {
		name, lowered = m.s.lowerNames[i], true
	}
	if containsLower(name, m.text, lowered) {
		return true
	}
	for _, k := range m.spans {
		if hasPrefixLower(name, m.text[k:], lowered) {
			return true
		}
	}
	return false
}

// enter makes dir the folder m knows about.
func (m *textMatch) enter(dir *app.RowFolder) {
	lower := m.s.lowerDirs[dir]
	m.dir, m.dirHas, m.spans = dir, strings.Contains(lower, m.text), m.spans[:0]
	for _, k := range m.cuts {
		if strings.HasSuffix(lower, m.text[:k]) {
			m.spans = append(m.spans, k)
		}
	}
}

// containsLower says whether name in lower case holds text: name is
// lowered already, or is ASCII and lowered here byte by byte.
func containsLower(name, text string, lowered bool) bool {
	if lowered {
		return strings.Contains(name, text)
	}
	if text == "" {
		return true
	}
	// The text's first byte is looked for as it is and, for a letter, in
	// upper case, with strings.IndexByte, much faster than a byte at a time.
	c, upper := text[0], text[0]
	if 'a' <= c && c <= 'z' {
		upper = c - ('a' - 'A')
	}
	for at := 0; at+len(text) <= len(name); at++ {
		rest := name[at : len(name)-len(text)+1] // where the text can start
		i := strings.IndexByte(rest, c)
		if upper != c {
			if j := strings.IndexByte(rest, upper); j >= 0 && (i < 0 || j < i) {
				i = j
			}
		}
		if i < 0 {
			return false
		}
		at += i
		if hasPrefixLower(name[at:], text, false) {
			return true
		}
	}
	return false
}

// hasPrefixLower says whether name in lower case starts with text, as
// containsLower has it.
func hasPrefixLower(name, text string, lowered bool) bool {
	if lowered {
		return strings.HasPrefix(name, text)
	}
	if len(name) < len(text) {
		return false
	}
	for j := 0; j < len(text); j++ {
		if lowerByte(name[j]) != text[j] {
			return false
		}
	}
	return true
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
