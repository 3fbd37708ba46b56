package store_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"shoebox/app"
	"shoebox/store"
)

// A library written by the previous Shoebox (plain JSON records, schema 2)
// gives the same report, byte for byte, as the same files stored by this
// one; it checks clean, recovers into the new encoding saying the same, and
// opened read-write it is migrated and a scan stored after sits beside the
// old records.
func TestOldLibraryReportsAsTheNewOne(t *testing.T) {
	dir := t.TempDir()
	analysed := store.AnalysedRecords(t)
	report := func(path string, old bool) map[string][]byte {
		t.Helper()
		db, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		j := &store.Job{Roots: []string{"/a", "/b"}, Status: store.StateCompleted, Listed: true}
		if err := db.CreateJob(j); err != nil {
			t.Fatal(err)
		}
		recs := append([]store.FileRecord(nil), analysed...)
		for i := range recs {
			recs[i].JobID = j.ID
		}
		if old {
			err = store.PutPlainRecords(db, recs)
		} else {
			err = db.CommitBatch(j, recs)
		}
		if err != nil {
			t.Fatal(err)
		}
		files, err := db.Files(j.ID)
		if err != nil || len(files) != len(recs) {
			t.Fatalf("%d files of %d: %v", len(files), len(recs), err)
		}
		out := map[string][]byte{}
		for _, format := range []string{"jsonl", "csv"} {
			var b bytes.Buffer
			if err := app.WriteReport(&b, files, format); err != nil {
				t.Fatal(err)
			}
			out[format] = b.Bytes()
		}
		return out
	}
	oldPath, newPath := filepath.Join(dir, "old.db"), filepath.Join(dir, "new.db")
	before, after := report(oldPath, true), report(newPath, false)
	for format, want := range before {
		if !bytes.Equal(after[format], want) || len(want) < 1000 {
			t.Errorf("%s report differs (%d and %d bytes):\n%.2000s\n%.2000s", format, len(want), len(after[format]), want, after[format])
		}
	}
	for _, path := range []string{oldPath, newPath} {
		rep, err := store.Check(path, 0)
		if err != nil || !rep.Healthy() || rep.Files == 0 {
			t.Errorf("check %s: %v %+v", path, err, rep)
		}
	}
	// Recovering the old library writes its records anew, compressed, and
	// they say the same.
	out := filepath.Join(dir, "recovered.db")
	if rep, err := store.Recover(oldPath, out); err != nil || rep.Files != len(analysed) {
		t.Fatalf("recover: %v %+v", err, rep)
	}
	rdb, err := store.Open(out, store.Options{Mode: store.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rdb.Files(1)
	rdb.Close()
	var b bytes.Buffer
	if err != nil || app.WriteReport(&b, files, "jsonl") != nil || !bytes.Equal(b.Bytes(), before["jsonl"]) {
		t.Errorf("the recovered library reports otherwise (%v):\n%.2000s", err, b.Bytes())
	}
	// The old library, opened read-write, is migrated and its old records
	// still read beside new ones.
	db, err := store.Open(oldPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	j := &store.Job{Roots: []string{"/a"}}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	recs := append([]store.FileRecord(nil), analysed[:3]...)
	for i := range recs {
		recs[i].JobID = j.ID
	}
	if err := db.CommitBatch(j, recs); err != nil {
		t.Fatal(err)
	}
	for _, id := range []uint64{1, j.ID} {
		if files, err := db.Files(id); err != nil || len(files) == 0 {
			t.Errorf("job %d after the migration: %d files, %v", id, len(files), err)
		}
	}
}
