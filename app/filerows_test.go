package app

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"shoebox/media"
	"shoebox/store"
)

// TestFileRowsAreWhatTheRecordsSay scans a real folder twice (the second
// job stored over the first), decides one date, and checks that the rows
// streamed in small batches say what Files' records say, neighbours' dates
// included, and that each row's whole record is Files' record.
func TestFileRowsAreWhatTheRecordsSay(t *testing.T) {
	dir := t.TempDir()
	sequenceFolders(t, dir, "b/IMG_0103.jpg")
	if err := os.WriteFile(filepath.Join(dir, "broken.jpg"), []byte("\xff\xd8 not a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := scanTwiceThenDecide(t, dir, "b/IMG_0103.jpg", "2019-07-14T10:05:00")
	lib, err := OpenLibraryWith(db, LibraryOptions{Mode: store.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	jobs, _ := lib.Jobs()
	id := jobs[0].ID
	recs, err := lib.Files(id)
	if err != nil || len(recs) < 6 {
		t.Fatalf("files: %d, %v", len(recs), err)
	}

	var rows []FileRow
	var dated []DatedRow
	batches, last := 0, 0
	err = lib.FileRows(id, FileRowsOptions{Batch: 2}, func(b FileRowsBatch) error {
		batches++
		if b.Total != len(recs) {
			t.Errorf("batch %d counts %d files, want %d", batches, b.Total, len(recs))
		}
		rows = append(rows, b.Rows...)
		for _, d := range b.Dated {
			d.Apply(&rows[d.At])
		}
		dated = append(dated, b.Dated...)
		if b.Last {
			last = batches
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(recs) || last != batches || batches < 4 {
		t.Fatalf("%d rows in %d batches (last %d) for %d records", len(rows), batches, last, len(recs))
	}
	sawSeq, sawDecision := false, false
	for i := range recs {
		r, row := &recs[i], &rows[i]
		want := NewRowBuilder().Row(r)
		want.Seq = row.Seq
		if row.RelPath() != r.RelPath || row.AbsPath() != r.AbsPath() || *row.Dir != *want.Dir {
			t.Errorf("row %d is in %+v, named %s", i, *row.Dir, row.Name)
		}
		want.Dir = row.Dir
		if !reflect.DeepEqual(*row, want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, *row, want)
		}
		whole, err := lib.FileOfRow(id, *row)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(whole, *r) {
			t.Errorf("%s: the row's record\n%+v\nis not Files'\n%+v", r.RelPath, whole, *r)
		}
		sawSeq = sawSeq || row.Source == media.SourceSequence
		sawDecision = sawDecision || row.Source == SourceUser
	}
	for _, d := range dated { // each neighbours' date is the record's, candidates left out
		want := recs[d.At].Time
		want.Candidates = nil
		if !reflect.DeepEqual(d.Date, want) {
			t.Errorf("%s: the neighbours' date is\n%+v\nFiles says\n%+v", recs[d.At].RelPath, d.Date, want)
		}
	}
	if !sawSeq || !sawDecision || len(dated) == 0 {
		t.Errorf("no neighbours' date (%v) or no decision (%v) among the rows", sawSeq, sawDecision)
	}
	failed, err := lib.FailedFiles(id)
	if err != nil || len(failed) != 1 || failed[0].RelPath != "broken.jpg" || failed[0].Error == "" {
		t.Errorf("failed files: %+v, %v", failed, err)
	}
}
