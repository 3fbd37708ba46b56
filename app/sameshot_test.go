package app

import (
	"fmt"
	"strings"
	"testing"

	"shoebox/media"
	"shoebox/store"
)

// hashedShot is a measured image record (analysis version 2) of one camera
// shot; DHash is given apart from PHash.
func hashedShot(path, camera, when string, phash, dhash uint64, cb, cr float32) store.FileRecord {
	f := shot(path, "image/jpeg", camera, when, phash, true)
	f.DHash = dhash
	f.LumaMean, f.LumaStdDev, f.ChromaCb, f.ChromaCr = 120, 45, cb, cr
	f.Analysis = media.AnalysisVersion
	return f
}

func TestSameShotJoinsACropByCameraAndTime(t *testing.T) {
	const when = "2020-03-28T11:19:01"
	const p, d = 0xF0F0F0F0F0F0F0F0, 0x3C3C3C3C3C3C3C3C
	// A 3% crop measured on the benchmark: pHash 16 and dHash 12 apart,
	// more than look-alikes may be (8 and 10).
	files := []store.FileRecord{
		hashedShot("P1010073.JPG", "Panasonic DMC-TZ70", when, p, d, -4.1, -36.1),
		hashedShot("P1010073-edited.jpg", "Panasonic DMC-TZ70", when, p^0xFFFF, d^0xFFF, -3.7, -35.9),
	}
	groups := nearGroups(files, 8)
	if got := groupPaths(groups); len(got) != 1 || got[0] != "P1010073.JPG+P1010073-edited.jpg" {
		t.Fatalf("groups %v", got)
	}
	if ev := groups[0].Evidence; len(ev) != 1 || !strings.Contains(ev[0], "same camera (Panasonic DMC-TZ70)") ||
		!strings.Contains(ev[0], "pHash distance 16, dHash distance 12") || groups[0].MaxDistance != 16 {
		t.Errorf("evidence %q, max distance %d", ev, groups[0].MaxDistance)
	}

	// A copy of the original (2 bits from it, 18 from the crop) joins by its
	// hashes; the group's largest distance is then the copy against the crop,
	// a pair no rule compared.
	withCopy := append(append([]store.FileRecord(nil), files...),
		hashedShot("Export/P1010073.png", "", "", p^0b11<<40, d, -4.1, -36.0))
	withCopy[2].Time.Candidates = nil
	if g := nearGroups(withCopy, 8); len(g) != 1 || len(g[0].Files) != 3 || g[0].MaxDistance != 18 {
		t.Errorf("with a copy: %v, max distance %d, want all three at 18", groupPaths(g), g[0].MaxDistance)
	}

	// Each condition on its own keeps them apart.
	for name, change := range map[string]func(f *store.FileRecord){
		"another camera":       func(f *store.FileRecord) { f.Camera = "Canon EOS R6" },
		"another second":       func(f *store.FileRecord) { f.Time.Candidates[0].Value = "2020-03-28T11:19:02" },
		"pHash 18 apart":       func(f *store.FileRecord) { f.PHash ^= 0b11 << 32 },
		"another colour":       func(f *store.FileRecord) { f.ChromaCr = -10 },
		"another aspect":       func(f *store.FileRecord) { f.Width = 3000 },
		"no capture time":      func(f *store.FileRecord) { f.Time.Candidates = nil },
		"EXIF time rejected":   func(f *store.FileRecord) { f.Time.Candidates[0].Rejected = true },
		"not analysed (error)": func(f *store.FileRecord) { f.Status = media.StatusError },
	} {
		fs := append([]store.FileRecord(nil), files...)
		fs[1].Time.Candidates = append([]media.Candidate(nil), fs[1].Time.Candidates...)
		change(&fs[1])
		if got := groupPaths(nearGroups(fs, 8)); len(got) != 0 {
			t.Errorf("%s: grouped %v", name, got)
		}
	}
}

// named is an image whose time comes from its file name only.
func named(path, mime, value string, phash uint64, hashed bool) store.FileRecord {
	f := shot(path, mime, "", "", phash, hashed)
	f.Time.Candidates = []media.Candidate{{Kind: media.KindFilenameTime, Source: media.SourceFilename, Value: value, Chosen: true}}
	return f
}

func TestSameShotJoinsAHEICByTimestampedName(t *testing.T) {
	const when = "2023-09-22T13:48:31"
	files := []store.FileRecord{
		named("Converted/IMG_20230922_134831.heic", "image/heic", when, 0, false),
		named("DCIM/Camera/IMG_20230922_134831.jpg", "image/jpeg", when, 0xF0F0F0F0F0F0F0F0, true),
		named("DCIM/Camera/IMG_20230922_134831 (1).jpg", "image/jpeg", when, 0xF0F0F0F0F0F0F0F0, true),
		// Counter names repeat across cameras and years: no key.
		shot("a/IMG_1234.HEIC", "image/heic", "", "", 0, false),
		shot("b/IMG_1234.JPG", "image/jpeg", "", "", 0x0F0F0F0F0F0F0F0F, true),
	}
	groups := nearGroups(files, 8)
	want := "Converted/IMG_20230922_134831.heic+DCIM/Camera/IMG_20230922_134831.jpg+DCIM/Camera/IMG_20230922_134831 (1).jpg"
	if got := groupPaths(groups); len(got) != 1 || got[0] != want {
		t.Fatalf("groups %v, want [%s]", got, want)
	}
	found := false
	for _, ev := range groups[0].Evidence {
		found = found || strings.Contains(ev, "the same file name IMG_20230922_134831") && strings.Contains(ev, "not compared")
	}
	if !found {
		t.Errorf("evidence %q", groups[0].Evidence)
	}

	// Two different pictures under that name (another folder, another
	// phone): the name says nothing and the HEIC joins neither.
	other := named("Other/IMG_20230922_134831.jpg", "image/jpeg", when, 0x0F0F0F0F0F0F0F0F, true)
	if got := groupPaths(nearGroups([]store.FileRecord{files[0], files[1], other}, 8)); len(got) != 0 {
		t.Errorf("ambiguous name linked: %v", got)
	}
}

// TestSameShotIgnoresAClockFault: more than maxShotFiles files stamped
// with one camera and one time are not one shot: nothing is linked by it.
// The files here are all within the relaxed distance of each other, so up to
// the limit the key does link them.
func TestSameShotIgnoresAClockFault(t *testing.T) {
	const when = "2012-01-01T00:00:00"
	stamped := func(n int) []store.FileRecord {
		var files []store.FileRecord
		for i := 0; i < n; i++ {
			var p uint64 // five of 64 bits flipped: pairs 2 to 10 bits apart
			for _, b := range []int{i, i*7 + 1, i*13 + 5, i*29 + 11, i*37 + 23} {
				p |= 1 << (b % 64)
			}
			files = append(files, hashedShot(fmt.Sprintf("DSC_%04d.JPG", i), "Cheap Cam 1", when, p, 0x3C3C, 0, 0))
		}
		return append(files, shot("DSC_9999.HEIC", "image/heic", "Cheap Cam 1", when, 0, false))
	}
	linked := func(files []store.FileRecord) bool {
		for _, g := range nearGroups(files, 8) {
			for _, ev := range g.Evidence {
				if strings.Contains(ev, "same camera") {
					return true
				}
			}
		}
		return false
	}
	if !linked(stamped(maxShotFiles - 1)) {
		t.Fatalf("%d files of one moment (with the HEIC, %d) were not linked", maxShotFiles-1, maxShotFiles)
	}
	if linked(stamped(maxShotFiles)) {
		t.Fatalf("%d files sharing one default time were linked as one shot", maxShotFiles+1)
	}
}
