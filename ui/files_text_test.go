package ui

import (
	"strings"
	"testing"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// TestTextFilterIsContainsOfTheLoweredPath checks the text filter, which
// lowers folders once and names as it searches them, against the plain
// way: the whole path lowered by strings.ToLower, then strings.Contains.
// The paths have upper case, letters beyond ASCII (some whose lower case
// is longer: İ), names in the root, and texts that run from a folder into
// a name, across two folders, or past the end.
func TestTextFilterIsContainsOfTheLoweredPath(t *testing.T) {
	paths := []string{
		"IMG_0001.JPG", "Trip/IMG_0002.JPG", "Trip/Sub/clip.MOV", "Été/ÉCOLE.jpg", "Été/plain.jpg",
		"İSTANBUL/İSTANBUL.JPG", "a/b/c/Trip-IMG.png", "Trip/Été.HEIC", "TRIP/img_0001.jpg", "x/Ab", "x/aB/",
	}
	var recs []store.FileRecord
	for _, p := range paths {
		recs = append(recs, store.FileRecord{Root: "/r", RelPath: p, Status: media.StatusDone})
	}
	rows := app.NewRowBuilder().Rows(recs)
	set := newRowSet(1, rows)
	texts := []string{
		"img", "img_0001.jpg", "trip/", "trip/img", "p/img_0", "/", "é", "été/é", "été/école.jpg", "i̇stanbul",
		"i̇stanbul/i̇", "b/c/trip", "c/trip-img.pngx", "sub/clip", "/sub/", "a/b", "x/ab", "ab", "trip/é", "tr",
		"istanbul", "p/sub/clip.mov", "jpg", "école", "Été", "trip/sub/clip.mov/",
	}
	for _, text := range texts {
		m := set.textMatch(text)
		for i := range rows {
			r := &rows[i]
			want := strings.Contains(strings.ToLower(r.Dir.Path)+strings.ToLower(r.Name), text)
			if got := m.has(int32(i)); got != want {
				t.Errorf("%q in %s: %v, want %v", text, r.RelPath(), got, want)
			}
		}
	}
}
