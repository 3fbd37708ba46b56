package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// datesFilesBefore is what datesFiles selected of the whole library before
// the records streamed: every latest record at once (LatestFiles), then the
// same filters. The tests hold the streaming walk to it.
func datesFilesBefore(t *testing.T, l *Library, sel DatesSelection, need datesNeed) []datesFile {
	t.Helper()
	recs, err := l.db.LatestFiles()
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		t.Fatal(err)
	}
	corrs, err := l.db.Corrections()
	if err != nil {
		t.Fatal(err)
	}
	rng, err := rangeOf(sel, l.opt.Now())
	if err != nil {
		t.Fatal(err)
	}
	var out []datesFile
	for _, r := range recs {
		if r.Status != media.StatusDone || r.SHA256 == "" || !sameCamera(r, sel) {
			continue
		}
		f := datesFile{path: r.AbsPath(), sum: r.SHA256, size: r.Size, mtimeNS: r.MtimeNS, current: r.Time.Value}
		if c, ok := corrs[r.SHA256]; ok {
			f.corr, f.current = &c, c.Value
		}
		if !rng.holds(f.current) || need.decided && f.corr == nil {
			continue
		}
		if len(need.kinds) > 0 {
			c, ok := candidateOf(r, need.kinds)
			if !ok && need.withCandidate {
				continue
			}
			f.cand = c.Value
		}
		if need.zone {
			f.zone = knownZone(r.Time.Candidates)
		}
		out = append(out, f)
	}
	return out
}

// failingAnalyze is datesAnalyze where a file whose name holds "broken"
// fails to be analysed.
func failingAnalyze(ctx context.Context, in processing.Input, opt processing.AnalyzeOptions) (media.Result, error) {
	if strings.Contains(filepath.Base(in.Path), "broken") {
		return media.Result{Status: media.StatusError, Error: "cannot be decoded"}, nil
	}
	return datesAnalyze(ctx, in, opt)
}

// breakLatestRecord makes the newest record of the file at rel (below the
// scanned folder) undecodable, through bbolt, with the library closed.
func breakLatestRecord(t *testing.T, db, rel string) {
	t.Helper()
	writeClosedLibrary(t, db, func(tx *bolt.Tx) error {
		files := tx.Bucket([]byte("files"))
		var last []byte
		c := files.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if string(k[10:]) == rel && v[0] != 'g' {
				last = append([]byte(nil), k...)
			}
		}
		if last == nil {
			t.Fatalf("no record of %s", rel)
		}
		return files.Put(last, brokenRecord)
	})
}

// TestWholeLibraryDatesSelectionIsAsBefore: with no paths, the streamed
// selection is exactly what every latest record read at once gave, file
// for file (path, content, current date, decision, candidate, zone), for
// every filter and what each command keeps, on a library of several jobs:
// rescans with changed and gone files, skipped and failed files, a second
// folder, decisions, and a damaged latest record (left out, and the walk
// goes on past it; the record before a damaged one stands).
func TestWholeLibraryDatesSelectionIsAsBefore(t *testing.T) {
	src, other := t.TempDir(), t.TempDir()
	files := map[string]string{
		"a/one.jpg":         "2016-07-05T10:00:00 HIGH\ncamera=Canon_EOS_5D serial=11 name=2016-07-05T09:00:00",
		"a/two.jpg":         "2016-07-06T10:00:00 HIGH\ncamera=Canon_EOS_5D serial=22 takeout=2016-07-06T01:00:00Z",
		"a/changed.jpg":     "2015-01-01T10:00:00 HIGH\ncamera=Canon_EOS_5D",
		"a/gone.jpg":        "2014-01-01T10:00:00 HIGH\ncamera=Canon_EOS_5D",
		"a/damaged.jpg":     "2016-07-07T10:00:00 HIGH\ncamera=Canon_EOS_5D",
		"a/broken.jpg":      "2016-07-08T10:00:00 HIGH\ncamera=Canon_EOS_5D",
		"a/notes.txt":       "not a photo",
		"b/undated.jpg":     "no date\ncamera=Canon_EOS_5D name=2010-02-03T04:05:06",
		"b/zoned.jpg":       "x\ntaken=2016-07-09T08:00:00+09:00 camera=Sony_A7 takeout=2016-07-08T23:00:00Z",
		"b/day-only.jpg":    "x\ntaken=2016-07-10 camera=Sony_A7",
		"c/copy-of-one.jpg": "2016-07-05T10:00:00 HIGH\ncamera=Canon_EOS_5D serial=11 name=2016-07-05T09:00:00",
	}
	writeTree(t, src, files)
	writeTree(t, other, map[string]string{"x/elsewhere.jpg": "2020-01-01T00:00:00 HIGH\ncamera=Sony_A7",
		"x/damaged.jpg": "2020-01-02T00:00:00 HIGH\ncamera=Sony_A7"})
	db := filepath.Join(t.TempDir(), "library.db")
	lib := openChangeLibrary(t, db, LibraryOptions{Analyze: failingAnalyze})
	scanInto(t, lib, src)
	scanInto(t, lib, other)
	if _, err := lib.SetDate(DatesSelection{Paths: []string{filepath.Join(src, "a/two.jpg")}}, "2016-07-06T11:00:00"); err != nil {
		t.Fatal(err)
	}
	// A rescan: one file changed, one gone.
	if err := os.WriteFile(filepath.Join(src, "a/changed.jpg"), []byte("2015-06-01T10:00:00 HIGH\ncamera=Canon_EOS_5D"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(src, "a/gone.jpg")); err != nil {
		t.Fatal(err)
	}
	scanInto(t, lib, src)
	lib.Close()
	breakLatestRecord(t, db, "a/damaged.jpg") // the rescan's: the first scan's record stands
	breakLatestRecord(t, db, "x/damaged.jpg") // its only record: the file is left out
	lib = openChangeLibrary(t, db, LibraryOptions{Analyze: failingAnalyze})

	if n := len(datesFilesBefore(t, lib, DatesSelection{}, datesNeed{})); n != 10 {
		t.Fatalf("the fixture selects %d files, want 10", n)
	}
	walked := 0
	err := lib.eachLatestOf(nil, func(store.FileRecord) error { walked++; return nil })
	if !errors.Is(err, store.ErrDamaged) || walked != 10 {
		t.Fatalf("the walk handed %d records and said %v, want the 10 done ones and the damaged records", walked, err)
	}
	takeout := []media.CandidateKind{media.KindTakeout}
	for _, c := range []struct {
		name string
		sel  DatesSelection
		need datesNeed
	}{
		{"every file", DatesSelection{}, datesNeed{}},
		{"one camera", DatesSelection{Camera: "canon  eos 5d"}, datesNeed{}},
		{"one body", DatesSelection{Camera: "Canon EOS 5D", Serial: "22"}, datesNeed{}},
		{"no such camera", DatesSelection{Camera: "NoSuchCamera"}, datesNeed{}},
		{"a range", DatesSelection{From: "2016-07-06", Until: "2016-07-09"}, datesNeed{}},
		{"from-name", DatesSelection{}, datesNeed{kinds: []media.CandidateKind{media.KindFilenameTime, media.KindFilenameDate}, withCandidate: true}},
		{"from-takeout", DatesSelection{}, datesNeed{kinds: takeout, withCandidate: true, zone: true}},
		{"write", DatesSelection{}, datesNeed{kinds: []media.CandidateKind{media.KindEXIFOriginal}, decided: true}},
	} {
		want := datesFilesBefore(t, lib, c.sel, c.need)
		got, skipped, err := lib.datesFiles(c.sel, c.need)
		if err != nil || len(skipped) != 0 {
			t.Fatalf("%s: %v, %v", c.name, skipped, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, describeDatesFiles(got), describeDatesFiles(want))
		}
	}
	all, _, _ := lib.datesFiles(DatesSelection{}, datesNeed{})
	text := describeDatesFiles(all)
	for _, p := range []string{"a/one.jpg", "a/two.jpg = 2016-07-06T11:00:00", "a/changed.jpg = 2015-06-01T10:00:00", "a/gone.jpg",
		"b/undated.jpg = ", "x/elsewhere.jpg"} {
		if !strings.Contains(text, p) {
			t.Errorf("%s is not selected as it should be:\n%s", p, text)
		}
	}
	for _, p := range []string{"x/damaged.jpg", "broken.jpg", "notes.txt"} {
		if strings.Contains(text, p) {
			t.Errorf("%s is selected:\n%s", p, text)
		}
	}
}

func describeDatesFiles(fs []datesFile) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s = %s (%.8s %d %d corr %v cand %q zone %v)\n", f.path, f.current, f.sum, f.size, f.mtimeNS, f.corr, f.cand, f.zone)
	}
	return b.String()
}

// TestDatesStreamAtScale: on a library of a few thousand files in two jobs
// (every file analysed twice, the second time with another camera for a
// third of them), the streamed selection crosses several of the walk's
// batches and still equals what LatestFiles gave, and a camera's files are
// the only ones kept. That the walk holds one batch at a time is
// store.TestEachLatestHoldsOneBatch.
func TestDatesStreamAtScale(t *testing.T) {
	lib := openChangeLibrary(t, filepath.Join(t.TempDir(), "library.db"), LibraryOptions{})
	const n = 2500 // 3 of the walk's batches
	root := "/home/someone/Pictures"
	at := time.Date(2012, 5, 1, 8, 0, 0, 0, time.UTC)
	for pass := range 2 {
		j := &store.Job{Roots: []string{root}, Status: store.StateRunning}
		if err := lib.db.CreateJob(j); err != nil {
			t.Fatal(err)
		}
		recs := make([]store.FileRecord, n)
		for i := range recs {
			when := at.Add(time.Duration(i) * time.Hour)
			camera := "Canon EOS 5D"
			if pass == 1 && i%3 == 0 {
				camera = "Sony A7"
			}
			recs[i] = store.FileRecord{JobID: j.ID, Root: root, RelPath: fmt.Sprintf("%03d/IMG_%05d.jpg", i/100, i),
				Status: media.StatusDone, SHA256: fmt.Sprintf("%064x", i+1), Size: int64(1000 + i), MtimeNS: when.UnixNano(),
				Camera: camera, Time: media.Timestamp{Value: when.Format("2006-01-02T15:04:05"), Time: when}}
		}
		if _, err := lib.db.AddFiles(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	for _, sel := range []DatesSelection{{}, {Camera: "Sony A7"}, {Camera: "Sony A7", From: "2012-06"}} {
		want := datesFilesBefore(t, lib, sel, datesNeed{})
		got, _, err := lib.datesFiles(sel, datesNeed{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: %d files selected, want %d", sel, len(got), len(want))
		}
		if sel.Camera != "" && len(got) != n/3+1 && sel.From == "" {
			t.Errorf("%d files of the Sony, want %d", len(got), n/3+1)
		}
	}
}

// TestDateWritesJSONIsTheWholeArraysBytes: the dry run's JSON, printed
// element after element, is byte for byte what encoding the whole array at
// once printed: none, one, several, with characters HTML escaping would
// have changed and names that are not ASCII; notes and what is left alone
// are not printed.
func TestDateWritesJSONIsTheWholeArraysBytes(t *testing.T) {
	whole := func(writes []DateWrite) string {
		out := []DateWrite{}
		for _, d := range writes {
			if d.Field != "" && !strings.HasPrefix(d.Note, "left alone") {
				out = append(out, d)
			}
		}
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a := DateWrite{Path: "/p/<a>&b \"q\".jpg", Field: WriteMtime, Old: "2016-07-05T10:00:00Z", New: "2016-07-05T11:00:00Z"}
	b := DateWrite{Path: "/p/été/日本.jpg.xmp", Field: WriteXMP, Old: "", New: "2016-07", Note: "not a JPEG: written to its XMP sidecar instead"}
	left := DateWrite{Path: "/p/x.jpg", Field: WriteMtime, New: "2016", Note: "left alone: known only to the year"}
	gone := DateWrite{Path: "/p/gone.jpg", Note: "it is no longer there: scan again"}
	for _, writes := range [][]DateWrite{nil, {left, gone}, {a}, {a, left, b, gone, a}} {
		var got strings.Builder
		if err := printDateWrites(&got, writes, true); err != nil {
			t.Fatal(err)
		}
		if want := whole(writes); got.String() != want {
			t.Errorf("got\n%q\nwant\n%q", got.String(), want)
		}
	}
}
