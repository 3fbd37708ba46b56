package app

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"shoebox/media"
)

// A keeper rule scores one file of a group; a higher score is better. The
// rules run in order, each keeping only the files with the best score among
// those the earlier rules left, so a later rule only breaks an earlier tie.
type keeperRule struct {
	name  string
	score func(c *planFile) int
}

// keeperRules is the default order; `--keep` reorders them by name.
var keeperRules = []keeperRule{
	{"protected", func(c *planFile) int { return boolScore(c.protected) }},
	{"original-format", func(c *planFile) int { return formatScore(c.path, c.rec.MIME) }},
	{"pixels", func(c *planFile) int { return c.rec.Width * c.rec.Height }},
	{"metadata", func(c *planFile) int { return metadataScore(c) }},
	{"not-messenger", func(c *planFile) int { return boolScore(!underMessengerFolder(c.path)) }},
	{"no-copy-name", func(c *planFile) int { return boolScore(!copyName(c.path)) }},
	{"shortest-path", func(c *planFile) int { return -len(c.path) }},
}

// DefaultKeepRules names the keeper rules in their default order.
func DefaultKeepRules() []string {
	names := make([]string, len(keeperRules))
	for i, r := range keeperRules {
		names[i] = r.name
	}
	return names
}

// orderRules puts the named rules first, in the order given; the rules not
// named follow in their default order, so a prefix is enough.
func orderRules(names []string) ([]keeperRule, error) {
	byName := map[string]keeperRule{}
	for _, r := range keeperRules {
		byName[r.name] = r
	}
	var out []keeperRule
	used := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		r, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("there is no keeper rule called %q; the rules are %s", n, strings.Join(DefaultKeepRules(), ", "))
		}
		if used[n] {
			return nil, fmt.Errorf("the keeper rule %q is named twice", n)
		}
		used[n] = true
		out = append(out, r)
	}
	for _, r := range keeperRules {
		if !used[r.name] {
			out = append(out, r)
		}
	}
	return out, nil
}

func boolScore(b bool) int {
	if b {
		return 1
	}
	return 0
}

var rawExtensions = map[string]bool{
	".dng": true, ".cr2": true, ".cr3": true, ".crw": true, ".nef": true, ".nrw": true, ".arw": true, ".srf": true,
	".sr2": true, ".raf": true, ".orf": true, ".rw2": true, ".pef": true, ".srw": true, ".x3f": true, ".3fr": true,
	".erf": true, ".kdc": true, ".mrw": true, ".raw": true, ".rwl": true, ".iiq": true,
}

// formatScore ranks what a camera wrote over what was made from it: HEIC,
// HEIF or a raw file over a JPEG over anything else (a PNG screenshot of a
// photo, a WebP from a messenger).
func formatScore(path, mime string) int {
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case mime == "image/heic" || mime == "image/heif" || ext == ".heic" || ext == ".heif" || rawExtensions[ext]:
		return 2
	case mime == "image/jpeg" || ext == ".jpg" || ext == ".jpeg":
		return 1
	}
	return 0
}

// metadataScore counts the metadata the analysis kept: a date chosen from
// EXIF, a known time zone (offset) on the chosen time, and a camera model.
// GPS is not recorded by the analysis today, so it cannot count here.
func metadataScore(c *planFile) int {
	n := boolScore(c.rec.Camera != "") + boolScore(c.rec.Time.ZoneKnown)
	for _, cand := range c.rec.Time.Candidates {
		if cand.Chosen && cand.Source == media.SourceEXIF {
			n++
			break
		}
	}
	return n
}

// messengerFolders are folder names (compared without case) where copies
// land: messengers, browser downloads, exports. A folder whose name starts
// with a messenger's ("WhatsApp Images", "Telegram Video") counts too.
var messengerFolders = map[string]bool{
	"download": true, "downloads": true, "export": true, "exports": true, "exported": true,
	"messenger": true, "viber": true, "line": true, "wechat": true,
}

var messengerPrefixes = []string{"whatsapp", "telegram", "signal"}

func underMessengerFolder(path string) bool {
	for _, part := range strings.FieldsFunc(filepath.Dir(path), isSeparator) {
		p := strings.ToLower(part)
		if messengerFolders[p] {
			return true
		}
		for _, pre := range messengerPrefixes {
			if strings.HasPrefix(p, pre) {
				return true
			}
		}
	}
	return false
}

func isSeparator(r rune) bool { return r == '/' || r == filepath.Separator }

// copyNamePattern matches the names copies get: "Copy of x", "x copy",
// "x copy 2", "x (1)", "x-1", "x~1", "Kopie von x", "copie de x".
var copyNamePattern = regexp.MustCompile(`(?i)^(copy of |kopie von |copie de )|[ _-](copy|kopie|copie)( \d+)?$| \(\d+\)$|[-~]\d$`)

func copyName(path string) bool {
	base := filepath.Base(path)
	return copyNamePattern.MatchString(strings.TrimSuffix(base, filepath.Ext(base)))
}

// neverKeeperFolders are the trash and NAS thumbnail folders: a file in one
// is on its way out or a by-product, never the copy to keep.
func inNeverKeeperFolder(path string) bool {
	for _, part := range strings.FieldsFunc(filepath.Dir(path), isSeparator) {
		if isBinFolder(part) {
			return true
		}
	}
	return false
}

// inProtected says whether path lies in one of the protected folders, which
// must be absolute and clean (see cleanProtect).
func inProtected(path string, protect []string) bool {
	real := path
	if r, err := filepath.EvalSymlinks(path); err == nil {
		real = r
	}
	for _, d := range protect {
		if within(path, d) || within(real, d) {
			return true
		}
	}
	return false
}

// cleanProtect makes the protected folders absolute, adding each one's
// resolved form when a link leads to it, so a file reached either way counts.
func cleanProtect(dirs []string) ([]string, error) {
	out := []string{}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, fmt.Errorf("protected folder %s: %w", d, err)
		}
		out = append(out, abs)
		if r, err := filepath.EvalSymlinks(abs); err == nil && r != abs {
			out = append(out, r)
		}
	}
	return out, nil
}
