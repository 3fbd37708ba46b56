package ui

import (
	"testing"
	"time"

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
