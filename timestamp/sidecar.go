package timestamp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"shoebox/datetime"
	"shoebox/media"
)

// Sidecar files next to a media file: Google Takeout JSON and XMP.

const (
	maxSidecarBytes   = 1 << 20
	takeoutNameLimit  = 46 // Takeout truncates a sidecar's name (before ".json") to 46 characters
	takeoutSupplement = ".supplemental-metadata"
)

var (
	takeoutDup = regexp.MustCompile(`^(.*)(\(\d+\))$`)
	// Google Photos' suffixes for edited copies, which share the original's JSON.
	takeoutEdited = []string{"-edited", "-bearbeitet", "-modifié", "-editado", "-modificato", "-bewerkt"}
)

// takeoutSidecarNames lists, most likely first, the names Takeout gives the
// JSON of a media file named base: "x.jpg.supplemental-metadata.json" (newer
// exports) and "x.jpg.json" (older), each truncated to 46 characters before
// ".json"; a "(1)" duplicate counter moves behind the extension
// ("x(1).jpg" → "x.jpg(1).json"); "-edited" copies use the original's JSON.
func takeoutSidecarNames(base string) []string {
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	dup := ""
	if m := takeoutDup.FindStringSubmatch(stem); m != nil {
		stem, dup = m[1], m[2]
	}
	for _, s := range takeoutEdited {
		if len(stem) > len(s) && strings.EqualFold(stem[len(stem)-len(s):], s) {
			stem = stem[:len(stem)-len(s)]
			break
		}
	}
	orig := stem + ext
	names := []string{
		truncRunes(orig+takeoutSupplement, takeoutNameLimit) + dup + ".json",
		truncRunes(orig, takeoutNameLimit) + dup + ".json",
	}
	if dup != "" {
		names = append(names, truncRunes(base, takeoutNameLimit)+".json")
	}
	names = append(names, truncRunes(stem, takeoutNameLimit)+dup+".json")
	return dedupe(names)
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// readSmall reads a regular file of at most maxSidecarBytes.
func readSmall(path string) ([]byte, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > maxSidecarBytes {
		return nil, false
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSidecarBytes))
	return b, err == nil
}

type takeoutJSON struct {
	Title          string `json:"title"`
	PhotoTakenTime struct {
		Timestamp json.RawMessage `json:"timestamp"`
	} `json:"photoTakenTime"`
}

// takeoutCandidate finds and reads the Takeout JSON of the file at path.
// problems collects sidecars that exist but are malformed.
func takeoutCandidate(path string, problems *[]sidecarProblem) (media.Candidate, bool) {
	dir, base := filepath.Split(path)
	for _, name := range takeoutSidecarNames(base) {
		b, ok := readSmall(filepath.Join(dir, name))
		if !ok {
			continue
		}
		var j takeoutJSON
		if err := json.Unmarshal(b, &j); err != nil {
			*problems = append(*problems, takeoutProblem(fmt.Sprintf("Takeout sidecar %q: %v", name, err)))
			return media.Candidate{}, false
		}
		ts := strings.Trim(string(j.PhotoTakenTime.Timestamp), `"`)
		secs, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || secs <= 0 || secs > 1<<36 {
			if ts != "" && ts != "0" {
				*problems = append(*problems, takeoutProblem(fmt.Sprintf("Takeout sidecar %q: photoTakenTime %q is not a time", name, ts)))
			}
			return media.Candidate{}, false
		}
		detail := fmt.Sprintf("Google Takeout sidecar %q photoTakenTime %d (UTC)", name, secs)
		if j.Title != "" && j.Title != base && !strings.HasPrefix(base, strings.TrimSuffix(j.Title, filepath.Ext(j.Title))) {
			detail += fmt.Sprintf("; its title %q differs from the file name", j.Title)
		}
		return media.Candidate{Kind: media.KindTakeout, Source: media.SourceSidecar,
			Value: datetime.FromTime(time.Unix(secs, 0).UTC(), true).String(), Detail: detail}, true
	}
	return media.Candidate{}, false
}

// sidecarProblem is a sidecar that exists but could not be used.
type sidecarProblem struct {
	kind media.CandidateKind
	msg  string
}

func takeoutProblem(msg string) sidecarProblem { return sidecarProblem{media.KindTakeout, msg} }
func xmpProblem(msg string) sidecarProblem     { return sidecarProblem{media.KindXMP, msg} }

// xmpDateFields are read in this order; the first present one is the candidate.
var xmpDateFields = []string{"exif:DateTimeOriginal", "photoshop:DateCreated", "xmp:CreateDate"}

var xmpDateRes = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, f := range xmpDateFields {
		out = append(out, regexp.MustCompile(regexp.QuoteMeta(f)+`\s*(?:=\s*["']([^"'<>]{1,64})["']|>\s*([^<]{1,64}?)\s*<)`))
	}
	return out
}()

// xmpSidecarNames: Lightroom/Bridge write "x.xmp", darktable and digiKam "x.jpg.xmp".
func xmpSidecarNames(base string) []string {
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	return dedupe([]string{stem + ".xmp", base + ".xmp"})
}

// xmpCandidate finds and reads an XMP sidecar of the file at path.
func xmpCandidate(path string, problems *[]sidecarProblem) (media.Candidate, bool) {
	dir, base := filepath.Split(path)
	for _, name := range xmpSidecarNames(base) {
		b, ok := readSmall(filepath.Join(dir, name))
		if !ok {
			continue
		}
		field, val, ok := xmpDate(string(b))
		if !ok {
			return media.Candidate{}, false
		}
		c, ok := datetime.ParseISO(val)
		if !ok {
			if c2, st := datetime.ParseEXIF(val); st == datetime.EXIFOK {
				c, ok = c2, true
			}
		}
		if !ok {
			*problems = append(*problems, xmpProblem(fmt.Sprintf("XMP sidecar %q: %s %q is not a date", name, field, datetime.CleanText(val))))
			return media.Candidate{}, false
		}
		return media.Candidate{Kind: media.KindXMP, Source: media.SourceSidecar, Value: c.String(),
			Detail: fmt.Sprintf("XMP sidecar %q %s %q", name, field, datetime.CleanText(val))}, true
	}
	return media.Candidate{}, false
}

// xmpDate finds the first date field in an XMP packet, written either as an
// attribute (exif:DateTimeOriginal="…") or as an element (<exif:…>…</exif:…>).
func xmpDate(x string) (field, val string, ok bool) {
	for i, f := range xmpDateFields {
		if m := xmpDateRes[i].FindStringSubmatch(x); m != nil {
			v := m[1] + m[2]
			if strings.TrimSpace(v) != "" {
				return f, v, true
			}
		}
	}
	return "", "", false
}
