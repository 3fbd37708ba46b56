package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"shoebox/store"
)

// Sidecars (.xmp, .aae, Takeout .json, also cut short), a Live Photo's
// video and a RAW's JPEG keep their picture's destination stem, also when
// that stem needs a suffix.
func TestOrganiseBundlesTravelTogether(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"iphone/IMG_1.HEIC":             "2019-06-03T10:15:00 HIGH\nlive photo",
		"iphone/IMG_1.MOV":              "2019-06-03T10:15:01 MEDIUM\nlive video",
		"iphone/IMG_1.AAE":              "edits",
		"iphone/IMG_1.HEIC.json":        `{"takeout": 1}`,
		"iphone/IMG_1.xmp":              "<xmp/>",
		"takeout/IMG_20190603_long.jpg": "2019-07-01T08:00:00 MEDIUM\ntakeout photo",
		"takeout/IMG_20190603_long.jpg.supplemental-metad.json": `{"takeout": 2}`,
		"takeout/IMG_20190603_long(1).jpg":                      "2019-07-01T08:00:01 MEDIUM\ntakeout photo 1",
		"takeout/IMG_20190603_long.jpg(1).json":                 `{"takeout": 3}`,
		"raw/DSC_0042.NEF":                                      "2019-08-01T12:00:00 HIGH\nraw",
		"raw/DSC_0042.JPG":                                      "2019-08-01T12:00:00 HIGH\njpeg",
		"raw/orphan.xmp":                                        "<xmp>no photo</xmp>",
		"case/a.jpg":                                            "2019-09-01T12:00:00 HIGH\nlower",
		"case/a.JPG":                                            "2019-09-01T12:00:00 HIGH\nupper",
		"raw/notes.txt":                                         "not a photo",
	})
	dest := filepath.Join(t.TempDir(), "Library")
	// Another picture already holds the Live Photo's name: the whole bundle
	// takes the suffix.
	writeTree(t, dest, map[string]string{"2019/06/IMG_1.HEIC": "someone else's picture"})
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest, CaseInsensitive: true})
	got := bySource(t, src, entries)
	live := destRel(dest, got["iphone/IMG_1.HEIC"])
	if !strings.HasPrefix(live, "2019/06/IMG_1-") || !strings.HasSuffix(live, ".HEIC") {
		t.Fatalf("the Live Photo went to %s", live)
	}
	stem := strings.TrimSuffix(live, ".HEIC")
	for rel, suffix := range map[string]string{"iphone/IMG_1.MOV": ".MOV", "iphone/IMG_1.AAE": ".AAE",
		"iphone/IMG_1.HEIC.json": ".HEIC.json", "iphone/IMG_1.xmp": ".xmp"} {
		if r := destRel(dest, got[rel]); r != stem+suffix {
			t.Errorf("%s went to %s, want %s", rel, r, stem+suffix)
		}
	}
	for rel, want := range map[string]string{
		"takeout/IMG_20190603_long.jpg.supplemental-metad.json": "2019/07/IMG_20190603_long.jpg.supplemental-metad.json",
		"takeout/IMG_20190603_long.jpg(1).json":                 "2019/07/IMG_20190603_long(1).jpg(1).json",
		"raw/DSC_0042.NEF":                                      "2019/08/DSC_0042.NEF",
		"raw/DSC_0042.JPG":                                      "2019/08/DSC_0042.JPG",
	} {
		if r := destRel(dest, got[rel]); r != want {
			t.Errorf("%s went to %s, want %s", rel, r, want)
		}
	}
	for _, rel := range []string{"raw/orphan.xmp", "raw/notes.txt"} {
		if got[rel].Fate != store.FateLeft || got[rel].Reason == "" {
			t.Errorf("%s: %+v, want left with a reason", rel, got[rel])
		}
	}
	// a.jpg beside a.JPG are two pictures: each is filed, apart, even where
	// names ignore case.
	if a, b := got["case/a.jpg"], got["case/a.JPG"]; a.Fate != store.FateFiled || b.Fate != store.FateFiled || strings.EqualFold(a.Dest, b.Dest) {
		t.Errorf("a.jpg and a.JPG: %+v %+v", a, b)
	}
	checkFiledBytes(t, entries)
	if SafeToWipe(entries) {
		t.Error("safe to wipe with files left in place")
	}
}

// LOW and NONE dates go to Unsorted/{rel}/{name} (LOW by date with
// IncludeLow); exact duplicates are filed once, the others name it.
func TestOrganiseUnsortedAndDuplicates(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"DCIM/100/good.jpg":      "2018-02-03T10:15:00 MEDIUM\ngood",
		"DCIM/100/low.jpg":       "2017-01-01T00:00:00 LOW\nlow",
		"DCIM/100/none.jpg":      "no date at all",
		"Downloads/good (1).jpg": "2018-02-03T10:15:00 MEDIUM\ngood",
		"WhatsApp/good.jpg":      "2018-02-03T10:15:00 MEDIUM\ngood",
	})
	for _, includeLow := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "Library")
		plan, err := lib.PlanOrganise(context.Background(), OrganiseOptions{Dest: dest, IncludeLow: includeLow})
		if err != nil {
			t.Fatal(err)
		}
		got := bySource(t, src, plan.Entries)
		wantLow := "Unsorted/DCIM/100/low.jpg"
		if includeLow {
			wantLow = "2017/01/low.jpg"
		}
		if r := destRel(dest, got["DCIM/100/low.jpg"]); r != wantLow {
			t.Errorf("include low %v: low went to %s, want %s", includeLow, r, wantLow)
		}
		if e := got["DCIM/100/none.jpg"]; e.Fate != store.FateUnsorted || destRel(dest, e) != "Unsorted/DCIM/100/none.jpg" {
			t.Errorf("none: %+v", e)
		}
		filed := got["DCIM/100/good.jpg"]
		if filed.Fate != store.FateFiled || destRel(dest, filed) != "2018/02/good.jpg" {
			t.Fatalf("good: %+v", filed)
		}
		for _, rel := range []string{"Downloads/good (1).jpg", "WhatsApp/good.jpg"} {
			if e := got[rel]; e.Fate != store.FateDuplicate || e.Of != filed.Dest || e.Dest != "" {
				t.Errorf("%s: %+v, want a duplicate of %s", rel, e, filed.Dest)
			}
		}
		if plan.CopyBytes != int64(len("2018-02-03T10:15:00 MEDIUM\ngood")+len("2017-01-01T00:00:00 LOW\nlow")+len("no date at all")) {
			t.Errorf("bytes to copy %d", plan.CopyBytes)
		}
		if _, err := os.Stat(dest); !os.IsNotExist(err) {
			t.Errorf("the dry run made the destination (%v)", err)
		}
	}
}

// A second organise of the same source, or of the library's own copies,
// adds nothing: every file is already in the library, and only then is the
// source safe to wipe. Undo removes exactly the copies and the folders made.
func TestOrganiseTwiceAddsNothingAndUndo(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"a.jpg":      "2019-06-03T10:15:00 HIGH\na",
		"sub/b.jpg":  "2019-07-03T10:15:00 HIGH\nb",
		"sub/b2.jpg": "2019-07-03T10:15:00 HIGH\nb",
		"c.jpg":      "undated",
	})
	srcBefore := snapshot(t, src)
	dest := filepath.Join(t.TempDir(), "Library")
	writeTree(t, dest, map[string]string{"old/kept.jpg": "the person's own file"})
	destBefore := snapshot(t, dest)
	first, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	if !SafeToWipe(entries) {
		t.Fatalf("not safe to wipe after a complete run: %+v", entries)
	}
	checkFiledBytes(t, entries)
	afterFirst := snapshot(t, dest)
	if len(afterFirst) != len(destBefore)+3 {
		t.Fatalf("%d files in the library after the first run, want %d", len(afterFirst), len(destBefore)+3)
	}
	second, again := organise(t, lib, OrganiseOptions{Dest: dest})
	for _, e := range again {
		if e.Fate != store.FateAlready && e.Fate != store.FateDuplicate {
			t.Errorf("second run: %+v", e)
		}
	}
	if !SafeToWipe(again) {
		t.Error("a source wholly in the library is not said safe to wipe")
	}
	if got := snapshot(t, dest); !equalSnapshots(got, afterFirst) {
		t.Fatalf("the second run changed the library: %v", diffSnapshots(afterFirst, got))
	}
	runs := mustRuns(t, lib)
	if len(runs) != 2 || runs[0].Kind != store.KindOrganise || !runs[1].Undoable {
		t.Fatalf("runs: %+v", runs)
	}
	undo, err := lib.Undo(first)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if got := snapshot(t, dest); !equalSnapshots(got, destBefore) {
		t.Fatalf("after undo the library differs: %v", diffSnapshots(destBefore, got))
	}
	if _, err := os.Stat(filepath.Join(dest, "2019")); !os.IsNotExist(err) {
		t.Errorf("undo left the folders it made (%v)", err)
	}
	if got := snapshot(t, src); !equalSnapshots(got, srcBefore) {
		t.Fatalf("the source changed: %v", diffSnapshots(srcBefore, got))
	}
	// The undo says what it undid: a run that copied (the window words it
	// "taken out of the library", not "put back").
	runs = mustRuns(t, lib)
	if runs[0].ID != undo || runs[0].UndoOf != first || runs[0].Undoes != "copy" || runs[1].Undoes != "" {
		t.Errorf("runs after the undo: %+v", runs[:2])
	}
	_ = second
}

// fileHolds says whether the file at path holds exactly content.
func fileHolds(path, content string) bool {
	data, err := os.ReadFile(path)
	return err == nil && string(data) == content
}

// A temporary copy left in the library is never taken for the library's
// copy of a file, and a moved source under a protected folder is copied
// but stays where it is, the ledger saying why.
func TestOrganiseTemporaryCopiesAndProtectedSources(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"keep/a.jpg": "2019-06-03T10:15:00 HIGH\na",
		"b.jpg":      "2019-06-04T10:15:00 HIGH\nb",
	})
	if err := lib.SetChangePreferences(ChangePreferences{Protect: []string{filepath.Join(src, "keep")}}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "Library")
	writeTree(t, dest, map[string]string{"2019/06/.shoebox-copy-0123456789abcdef.part": "2019-06-04T10:15:00 HIGH\nb"})
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest, Move: true})
	got := bySource(t, src, entries)
	if e := got["b.jpg"]; e.Fate != store.FateFiled || !e.Verified {
		t.Errorf("b.jpg: %+v, want filed (a temporary copy is not the library's)", e)
	}
	a := got["keep/a.jpg"]
	if a.Fate != store.FateFiled || !strings.Contains(a.Reason, "left in place") || !strings.Contains(a.Reason, "protected") {
		t.Errorf("keep/a.jpg: %+v", a)
	}
	if !fileHolds(filepath.Join(src, "keep", "a.jpg"), "2019-06-03T10:15:00 HIGH\na") || !fileHolds(a.Dest, "2019-06-03T10:15:00 HIGH\na") {
		t.Error("the protected source was moved, or not copied")
	}
	if _, err := os.Lstat(filepath.Join(src, "b.jpg")); !os.IsNotExist(err) {
		t.Errorf("b.jpg was not moved (%v)", err)
	}
}

// An organise run pauses and resumes to every file once, or is cancelled
// keeping what it did, which undo removes; the ledger says which files are
// not done.
func TestOrganisePauseResumeCancel(t *testing.T) {
	files := map[string]string{}
	for i := range 6 {
		files["DCIM/IMG_"+string(rune('0'+i))+".jpg"] = "2019-06-03T10:15:0" + string(rune('0'+i)) + " HIGH\n" + strings.Repeat("x", i)
	}
	for _, stop := range []string{"pause", "cancel"} {
		t.Run(stop, func(t *testing.T) {
			lib, src := organiseFolder(t, files)
			var copies atomic.Int32
			lib.Close()
			lib = openChangeLibrary(t, lib.Path(), LibraryOptions{Analyze: dateAnalyze, ChangeStep: func(step string) {
				if step != "renamed" || copies.Add(1) != 2 {
					return
				}
				runs, _ := lib.Runs() // on a worker: no t.Fatal here
				for _, r := range runs {
					if r.Status == store.StateRunning && stop == "pause" {
						lib.Pause(r.ID)
					} else if r.Status == store.StateRunning {
						lib.Cancel(r.ID)
					}
				}
			}})
			dest := filepath.Join(t.TempDir(), "Library")
			id, _, err := lib.Organise(context.Background(), OrganiseOptions{Dest: dest})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]store.JobState{"pause": store.StatePaused, "cancel": store.StateCancelled}[stop]
			runToState(t, lib, id, want)
			_, entries, _ := lib.Ledger(id)
			notDone := 0
			for _, e := range entries {
				if !e.Verified {
					notDone++
					if !strings.Contains(e.Reason, "not done yet") {
						t.Errorf("%s: %q", e.Source, e.Reason)
					}
				}
			}
			if notDone == 0 || notDone == len(entries) || SafeToWipe(entries) {
				t.Fatalf("%s: %d of %d not done", stop, notDone, len(entries))
			}
			if stop == "pause" {
				if err := lib.Resume(id); err != nil {
					t.Fatal(err)
				}
				runToState(t, lib, id, store.StateCompleted)
				_, entries, _ = lib.Ledger(id)
				if !SafeToWipe(entries) {
					t.Fatalf("resumed: %+v", entries)
				}
				checkFiledBytes(t, entries)
			}
			undo, err := lib.Undo(id)
			if err != nil {
				t.Fatal(err)
			}
			runToState(t, lib, undo, store.StateCompleted)
			if got := snapshot(t, dest); len(got) != 0 {
				t.Errorf("after undo: %v", got)
			}
			_ = src
		})
	}
}

// A file whose name is not valid UTF-8 cannot be journaled exactly: it is
// left, with the reason, and the others are organised.
func TestOrganiseLeavesNamesNotUTF8(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"ok.jpg":       "2019-06-03T10:15:00 HIGH\nok",
		"bad-\xff.jpg": "2019-06-03T10:16:00 HIGH\nbad name",
	})
	if _, err := os.Stat(filepath.Join(src, "bad-\xff.jpg")); err != nil {
		t.Skipf("this filesystem refuses names that are not UTF-8: %v", err)
	}
	plan, err := lib.PlanOrganise(context.Background(), OrganiseOptions{Dest: filepath.Join(t.TempDir(), "L")})
	if err != nil {
		t.Fatal(err)
	}
	fates := map[string]string{}
	for _, e := range plan.Entries {
		fates[filepath.Base(e.Source)] = e.Fate
	}
	if fates["ok.jpg"] != store.FateFiled || fates["bad-\xff.jpg"] != store.FateLeft {
		t.Errorf("fates %q", fates)
	}
}

// A source rewritten since its scan, even with its size and mtime kept, is
// not copied (the bytes read are not the scanned ones) nor moved.
func TestOrganiseSkipsSourcesChangedSinceTheScan(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{"a.jpg": "2019-06-03T10:15:00 HIGH\naaaa"})
	p := filepath.Join(src, "a.jpg")
	info, _ := os.Stat(p)
	if err := os.WriteFile(p, []byte("2019-06-03T10:15:00 HIGH\nbbbb"), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, info.ModTime(), info.ModTime())
	dest := filepath.Join(t.TempDir(), "Library")
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest, Move: true})
	if len(entries) != 1 || entries[0].Fate != store.FateLeft || !strings.Contains(entries[0].Reason, "SHA-256") {
		t.Fatalf("ledger %+v", entries)
	}
	if !fileHolds(p, "2019-06-03T10:15:00 HIGH\nbbbb") {
		t.Error("the changed source was moved or changed")
	}
	if left, err := os.ReadDir(dest); err != nil || len(left) != 0 {
		t.Errorf("the library holds %v (%v): no empty folder may be left", left, err)
	}
}
