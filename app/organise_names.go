package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"shoebox/safefs"
)

// DefaultOrganiseTemplate is the layout of an organised library.
const DefaultOrganiseTemplate = "{yyyy}/{mm}/{name}"

// unsortedTemplate is where files without a trusted date go.
const unsortedTemplate = "Unsorted/{rel}/{name}"

var templateToken = regexp.MustCompile(`\{[a-z]+\}`)

var templateTokens = map[string]bool{
	"{yyyy}": true, "{mm}": true, "{dd}": true, "{hh}": true, "{mi}": true, "{ss}": true,
	"{name}": true, "{stem}": true, "{ext}": true, "{camera}": true, "{root}": true, "{rel}": true,
}

// checkTemplate refuses a template with an unknown token, an absolute path
// or a step out of the destination.
func checkTemplate(t string) error {
	if strings.TrimSpace(t) == "" {
		return fmt.Errorf("the template is empty (default %s)", DefaultOrganiseTemplate)
	}
	for _, tok := range templateToken.FindAllString(t, -1) {
		if !templateTokens[tok] {
			return fmt.Errorf("the template %q has an unknown token %s (known: {yyyy} {mm} {dd} {hh} {mi} {ss} {name} {stem} {ext} {camera} {root} {rel})", t, tok)
		}
	}
	if strings.HasPrefix(t, "/") || strings.HasPrefix(t, `\`) || filepath.VolumeName(t) != "" {
		return fmt.Errorf("the template %q must be a path inside the destination, not an absolute one", t)
	}
	for _, part := range strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return fmt.Errorf("the template %q must not step out of the destination (..)", t)
		}
	}
	if strings.HasSuffix(t, "/") || strings.HasSuffix(t, "}/") {
		return fmt.Errorf("the template %q must end with a file name, such as {name}", t)
	}
	return nil
}

// templateInput is what a template is filled from, for one file.
type templateInput struct {
	taken  time.Time // in the photo's own local time: never converted
	name   string    // the original file name
	camera string
	root   string // the scanned folder's name
	rel    string // the original folder relative to the scanned one, '/' separators
	// normaliseExt spells {ext} the usual way (OrganiseOptions.NormaliseExt).
	normaliseExt bool
}

// renderTemplate fills a template and returns a relative path with '/'
// separators, every component made valid on Windows and FAT.
func renderTemplate(t string, in templateInput) string {
	ext := strings.TrimPrefix(strings.ToLower(path.Ext(in.name)), ".")
	if in.normaliseExt {
		ext = normalExt(ext)
	}
	tt := in.taken
	vals := map[string]string{
		"{yyyy}": fmt.Sprintf("%04d", tt.Year()), "{mm}": fmt.Sprintf("%02d", int(tt.Month())),
		"{dd}": fmt.Sprintf("%02d", tt.Day()), "{hh}": fmt.Sprintf("%02d", tt.Hour()),
		"{mi}": fmt.Sprintf("%02d", tt.Minute()), "{ss}": fmt.Sprintf("%02d", tt.Second()),
		"{name}": in.name, "{stem}": strings.TrimSuffix(in.name, path.Ext(in.name)), "{ext}": ext,
		"{camera}": strings.NewReplacer("/", "_", `\`, "_").Replace(orDefault(in.camera, "Unknown camera")),
		"{root}":   strings.NewReplacer("/", "_", `\`, "_").Replace(in.root),
		"{rel}":    in.rel,
	}
	out := templateToken.ReplaceAllStringFunc(t, func(tok string) string { return vals[tok] })
	var parts []string
	for _, p := range strings.FieldsFunc(out, func(r rune) bool { return r == '/' || r == '\\' }) {
		if p == "." || p == ".." {
			continue
		}
		parts = append(parts, validName(p))
	}
	return strings.Join(parts, "/")
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// normalExt is the usual spelling of an extension.
func normalExt(ext string) string {
	switch ext {
	case "jpeg", "jpe":
		return "jpg"
	case "tiff":
		return "tif"
	}
	return ext
}

// maxNameBytes bounds a file name: 255 is the limit of most filesystems
// (in bytes on ext4, in UTF-16 units on NTFS, FAT and exFAT, which are never
// more than the bytes); room is kept for a content suffix.
const maxNameBytes = 200

// validName makes one path component valid on Windows, FAT and exFAT, so a
// library can be copied to any disk: the characters < > : " / \ | ? * and
// control characters become _, trailing dots and spaces are dropped, the
// reserved device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any
// extension) get a leading _, and a long name is shortened keeping its
// extension.
func validName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 32 || strings.ContainsRune(`<>:"/\|?*`, r) || r == utf8.RuneError {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	s := strings.TrimRightFunc(b.String(), func(r rune) bool { return r == '.' || r == ' ' })
	if s == "" {
		s = "_"
	}
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimRightFunc(base, unicode.IsSpace)
	if reservedName(base) {
		s = "_" + s
	}
	if len(s) > maxNameBytes {
		ext := path.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		stem := s[:len(s)-len(ext)]
		cut := maxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(stem[cut]) {
			cut--
		}
		s = stem[:cut] + ext
	}
	return s
}

func reservedName(base string) bool {
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		c := base[3]
		return c >= '1' && c <= '9'
	}
	return false
}

// withSuffix puts a content suffix before a name's extension: the same
// bytes always get the same suffix, whatever order files come in.
func withSuffix(name, sum string, n int) string {
	if n > len(sum) {
		n = len(sum)
	}
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "-" + sum[:n] + ext
}

// caseInsensitive says whether names in dir (or its nearest existing
// parent) are compared without case: a probe file is made there, looked
// up by its upper-case name and removed. When no probe can be made, the
// answer is yes, which can only add suffixes, never overwrite.
func caseInsensitive(dir string) bool {
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	probe := filepath.Join(dir, ".shoebox-case-probe-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(probe, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return true
	}
	f.Close()
	defer os.Remove(probe)
	upper := filepath.Join(dir, strings.ToUpper(filepath.Base(probe)))
	a, errA := safefs.IDOf(probe)
	b, errB := safefs.IDOf(upper)
	return errA == nil && errB == nil && a == b
}
