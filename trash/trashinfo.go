package trash

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
)

// infoDateLayout is the specification's DeletionDate: local time, no zone.
const infoDateLayout = "2006-01-02T15:04:05"

// escapePath percent-encodes a path as the trash specification asks (RFC
// 2396 escaping of every byte except the unreserved characters and '/').
// It works on bytes, so a name that is not UTF-8 survives as %XX.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if unreserved(c) || c == '/' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}

// unescapePath reverses escapePath, byte for byte.
func unescapePath(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("the escape at byte %d of %q is cut short", i, s)
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", fmt.Errorf("the escape at byte %d of %q is not %%XX", i, s)
		}
		b.WriteByte(hi<<4 | lo)
		i += 2
	}
	return b.String(), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// formatInfo is a .trashinfo file's content. path is absolute for the home
// trash and relative to $topdir for a volume's trash.
func formatInfo(path string, deleted time.Time) []byte {
	return []byte("[Trash Info]\nPath=" + escapePath(path) +
		"\nDeletionDate=" + deleted.Local().Format(infoDateLayout) + "\n")
}

// Info is what a .trashinfo file says.
type Info struct {
	// Path as written: absolute, or relative to the volume's top.
	Path string
	// Deleted is the DeletionDate read in local time.
	Deleted time.Time
}

// ParseInfo reads a .trashinfo file's content: the [Trash Info] group's Path
// (unescaped) and DeletionDate. Other groups and keys are ignored, as the
// specification allows.
func ParseInfo(data []byte) (Info, error) {
	var in Info
	var group string
	var havePath, haveDate bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(line, "[") {
			group = line
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok || group != "[Trash Info]" {
			continue
		}
		switch key {
		case "Path":
			p, err := unescapePath(val)
			if err != nil {
				return in, fmt.Errorf("trash info Path: %w", err)
			}
			in.Path, havePath = p, true
		case "DeletionDate":
			t, err := time.ParseInLocation(infoDateLayout, val, time.Local)
			if err != nil {
				return in, fmt.Errorf("trash info DeletionDate: %w", err)
			}
			in.Deleted, haveDate = t, true
		}
	}
	if err := sc.Err(); err != nil {
		return in, err
	}
	if !havePath || !haveDate {
		return in, errors.New("trash info has no [Trash Info] Path and DeletionDate")
	}
	return in, nil
}
