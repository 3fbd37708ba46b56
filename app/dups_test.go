package app

import (
	"strings"
	"testing"

	"shoebox/media"
	"shoebox/store"
)

func shot(path, mime, camera, when string, phash uint64, hashed bool) store.FileRecord {
	return store.FileRecord{
		RelPath: path, MIME: mime, Camera: camera, Status: media.StatusDone,
		HasPHash: hashed, PHash: phash, DHash: phash, Width: 4000, Height: 3000,
		Time: media.Timestamp{Candidates: []media.Candidate{
			{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF, Value: when, Chosen: true},
		}},
	}
}

func groupPaths(groups []store.DupGroup) []string {
	var out []string
	for _, g := range groups {
		var names []string
		for _, f := range g.Files {
			names = append(names, f.RelPath)
		}
		out = append(out, strings.Join(names, "+"))
	}
	return out
}

func TestNearGroupsJoinAHEICToItsJPEGBySameCapture(t *testing.T) {
	const when = "2021-08-28T15:41:35+02:00"
	files := []store.FileRecord{
		shot("a.heic", "image/heic", "HUAWEI ELE-L29", when, 0, false),
		shot("b.jpg", "image/jpeg", "HUAWEI ELE-L29", when, 0xF0F0F0F0F0F0F0F0, true),
		shot("c.jpg", "image/jpeg", "HUAWEI ELE-L29", "2021-08-28T15:41:36+02:00", 0x0F0F0F0F0F0F0F0F, true), // a second later
		shot("d.heic", "image/heic", "Apple iPhone 13", when, 0, false),                                      // another camera
		shot("e.heic", "image/heic", "", "2019-01-01T10:00:00", 0, false),                                    // no camera
		shot("f.heic", "image/heic", "", "2019-01-01T10:00:00", 0, false),
	}
	got := groupPaths(nearGroups(files, 8))
	if len(got) != 1 || got[0] != "a.heic+b.jpg" {
		t.Fatalf("groups %v, want [a.heic+b.jpg]", got)
	}
	g := nearGroups(files, 8)[0]
	if len(g.Evidence) != 1 || !strings.Contains(g.Evidence[0], "same camera (HUAWEI ELE-L29)") || !strings.Contains(g.Evidence[0], "a.heic") {
		t.Errorf("evidence %v", g.Evidence)
	}
}

func TestNearGroupsDoNotJoinABurstByCaptureTime(t *testing.T) {
	const when = "2021-08-28T15:41:35"
	files := []store.FileRecord{
		shot("burst1.jpg", "image/jpeg", "Canon EOS R6", when, 0xFFFFFFFF00000000, true),
		shot("burst2.jpg", "image/jpeg", "Canon EOS R6", when, 0x00000000FFFFFFFF, true), // same second, different picture
		shot("burst3.heic", "image/heic", "Canon EOS R6", when, 0, false),
	}
	if got := groupPaths(nearGroups(files, 8)); len(got) != 0 {
		t.Errorf("a burst was joined: %v", got)
	}
}

func TestNearGroupsByHash(t *testing.T) {
	files := []store.FileRecord{
		shot("a.jpg", "image/jpeg", "", "", 0xF0F0F0F0F0F0F0F0, true),
		shot("b.jpg", "image/jpeg", "", "", 0xF0F0F0F0F0F0F0F1, true),
		shot("c.jpg", "image/jpeg", "", "", 0x0F0F0F0F0F0F0F0F, true),
	}
	groups := nearGroups(files, 8)
	if got := groupPaths(groups); len(got) != 1 || got[0] != "a.jpg+b.jpg" || groups[0].MaxDistance != 1 || len(groups[0].Evidence) != 1 {
		t.Fatalf("%v %+v", got, groups)
	}
}

// TestNearGroupsUseTheStoredColour: two records whose hashes match but whose
// mean colours differ are not near duplicates; records analysed before the
// colour was measured (Analysis 0) are judged on their hashes alone.
func TestNearGroupsUseTheStoredColour(t *testing.T) {
	measured := func(path string, phash uint64, cb, cr float32) store.FileRecord {
		f := shot(path, "image/jpeg", "", "", phash, true)
		f.LumaMean, f.LumaStdDev, f.ChromaCb, f.ChromaCr = 120, 40, cb, cr
		f.Analysis = media.AnalysisVersion
		return f
	}
	files := []store.FileRecord{
		measured("daylight.jpg", 0xF0F0F0F0F0F0F0F0, -20, 10),
		measured("daylight.png", 0xF0F0F0F0F0F0F0F0, -21, 11),
		// Same shapes, warmer light; 4 bits apart, so the colour decides.
		measured("sunset.jpg", 0xF0F0F0F0F0F0F0F0^0b1111, -45, 35),
	}
	groups := nearGroups(files, 8)
	if got := groupPaths(groups); len(got) != 1 || got[0] != "daylight.jpg+daylight.png" {
		t.Fatalf("groups %v, want [daylight.jpg+daylight.png]", got)
	}
	if ev := groups[0].Evidence; len(ev) != 1 || !strings.Contains(ev[0], "mean colour 1.0 apart") {
		t.Errorf("evidence %q does not state the colour difference", ev)
	}
	for i := range files {
		files[i].Analysis = 0
	}
	if got := groupPaths(nearGroups(files, 8)); len(got) != 1 || got[0] != "daylight.jpg+daylight.png+sunset.jpg" {
		t.Fatalf("old records: groups %v, want all three on hashes", got)
	}
}

// A near distance of 0 joins identical perceptual hashes only; the default
// joins the pair one bit apart too.
func TestNearDistanceZeroMeansIdenticalHashes(t *testing.T) {
	const h = uint64(0x0f0f_3c3c_5a5a_9669)
	files := []store.FileRecord{
		shot("a.jpg", "image/jpeg", "", "", h, true),
		shot("b.jpg", "image/jpeg", "", "", h, true),
		shot("c.jpg", "image/jpeg", "", "", h^1, true),
	}
	for i := range files {
		files[i].DHash = h
	}
	if got := groupPaths(nearGroups(files, 0)); len(got) != 1 || got[0] != "a.jpg+b.jpg" {
		t.Errorf("distance 0: %v", got)
	}
	if got := groupPaths(nearGroups(files, DefaultNearDistance)); len(got) != 1 || got[0] != "a.jpg+b.jpg+c.jpg" {
		t.Errorf("default distance: %v", got)
	}
}
