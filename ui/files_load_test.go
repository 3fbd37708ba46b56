package ui

import (
	"path"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"shoebox/app"
	"shoebox/media"
	"shoebox/timestamp"
)

// TestNeighboursDatesCopyOnlyRowsAlreadyShown streams 2,500 rows in
// batches of 500 and gives, with the last batch, a neighbours' date for a
// row the table showed while loading and for one it never showed: the
// rows shown (which other goroutines may still read) must not change under
// them, so they are copied, and only then; both dates must reach the rows
// loaded.
func TestNeighboursDatesCopyOnlyRowsAlreadyShown(t *testing.T) {
	when := time.Date(2011, 5, 6, 7, 8, 9, 0, time.UTC)
	dated := func(at int) app.DatedRow {
		return app.DatedRow{At: at, Seq: timestamp.SequenceCandidate{File: at},
			Date: media.Timestamp{Value: "2011-05-06T07:08:09", Time: when, Source: media.SourceSequence,
				Confidence: media.ConfidenceMedium}}
	}
	for _, tc := range []struct {
		name   string
		dated  []app.DatedRow
		copied bool
	}{
		{"a row never shown", []app.DatedRow{dated(2100)}, false},
		{"a row shown while loading", []app.DatedRow{dated(1), dated(2100)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.files[1] = synthRecords(2500, 0)
			f.rowBatch = 500
			f.rowsDated = tc.dated
			var u *UI
			var shown *rowSet
			var shownRow1 app.FileRow
			f.onBatch = func(read int) {
				if read == 2000 { // the last rows shown before the load ends
					shown = u.files.set
					shownRow1 = shown.rows[1]
				}
			}
			u = newTestUI(t, f)
			u.tabs.SelectIndex(tabFiles)
			u.startJob([]string{t.TempDir()})
			v := u.files
			if shown == nil || len(shown.rows) != 2000 || len(v.set.rows) != 2500 {
				t.Fatalf("shown while loading: %v; loaded %d rows", shown != nil, len(v.set.rows))
			}
			if copied := &v.set.rows[0] != &shown.rows[0]; copied != tc.copied {
				t.Errorf("the rows were copied: %v, want %v", copied, tc.copied)
			}
			if shown.rows[1] != shownRow1 {
				t.Errorf("a row shown while loading changed under its readers: %+v", shown.rows[1])
			}
			for _, d := range tc.dated {
				r := &v.set.rows[d.At]
				if r.Date != d.Date.Value || r.Source != media.SourceSequence || r.Confidence != media.ConfidenceMedium ||
					r.DateNS != when.UnixNano() || r.Seq == nil || r.Seq.File != d.At {
					t.Errorf("row %d after loading: %s %s %s %v", d.At, r.Date, r.Source, r.Confidence, r.Seq)
				}
			}
		})
	}
}

// TestRowsKeepNoRoomForFilesThatDidNotCome loads a job whose count says
// 10,000 files when 300 come (files gone since): the rows, sized up front
// from the count, must not keep the room for the rest.
func TestRowsKeepNoRoomForFilesThatDidNotCome(t *testing.T) {
	f := newFake()
	f.files[1] = synthRecords(300, 0)
	f.rowBatch = 100
	f.rowsTotal = 10_000
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabFiles)
	u.startJob([]string{t.TempDir()})
	v := u.files
	if len(v.set.rows) != 300 || cap(v.set.rows) > 400 || len(v.rows) != 300 {
		t.Errorf("%d rows (room for %d), %d shown; want 300, 300 shown", len(v.set.rows), cap(v.set.rows), len(v.rows))
	}
	for i := range v.set.rows {
		if got, want := v.set.rows[i].RelPath(), f.files[1][i].RelPath; got != want {
			t.Fatalf("row %d is %s, want %s", i, got, want)
		}
	}
}

// TestRowsReadAgainShareTheStringsOfTheRowsShown reads a job, then reads it
// again as Files does while a scan runs, the records decoded afresh (new
// strings, as the store gives them), one file dated since and one renamed:
// the new rows must take the names, folders and dates of the rows shown
// where they are the same (a million rows were held twice over until the
// new ones were ready), and keep their own where they differ.
func TestRowsReadAgainShareTheStringsOfTheRowsShown(t *testing.T) {
	f := newFake()
	f.files[1] = synthRecords(1200, 0)
	f.rowBatch = 500
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabFiles)
	u.files.load(1)
	v := u.files
	before := v.set
	if v.loaded != 1 || len(before.rows) != 1200 {
		t.Fatalf("loaded job %d, %d rows", v.loaded, len(before.rows))
	}
	const dated, renamed = 7, 900
	again := slices.Clone(f.files[1])
	for i := range again {
		again[i].RelPath = strings.Clone(again[i].RelPath)
		again[i].Time.Value = strings.Clone(again[i].Time.Value)
	}
	when := time.Date(2019, 3, 4, 5, 6, 7, 0, time.UTC)
	again[dated].Time = media.Timestamp{Value: when.Format("2006-01-02T15:04:05"), Time: when,
		Source: media.SourceEXIF, Confidence: media.ConfidenceHigh}
	again[renamed].RelPath = path.Dir(again[renamed].RelPath) + "/renamed.jpg"
	f.files[1] = again
	v.reload()
	after := v.set
	if after == before || len(after.rows) != 1200 {
		t.Fatalf("read again: %d rows, the same set: %v", len(after.rows), after == before)
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	for i := range after.rows {
		r, o := &after.rows[i], &before.rows[i]
		if r.RelPath() != again[i].RelPath || r.Date != again[i].Time.Value {
			t.Fatalf("row %d reads %s %q, want %s %q", i, r.RelPath(), r.Date, again[i].RelPath, again[i].Time.Value)
		}
		switch i {
		case renamed:
			if same(r.Name, o.Name) {
				t.Errorf("the renamed row %d took the old name's string", i)
			}
		case dated:
			if !same(r.Name, o.Name) || r.Dir != o.Dir || same(r.Date, o.Date) {
				t.Errorf("the row dated since: name shared %v, folder shared %v, old date kept %v",
					same(r.Name, o.Name), r.Dir == o.Dir, same(r.Date, o.Date))
			}
		default:
			if !same(r.Name, o.Name) || r.Dir != o.Dir || !same(r.Date, o.Date) {
				t.Fatalf("row %d: name shared %v, folder shared %v, date shared %v", i,
					same(r.Name, o.Name), r.Dir == o.Dir, same(r.Date, o.Date))
			}
		}
	}
}
