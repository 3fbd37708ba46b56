package store

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// indexedEntries is what EachIndexedNear hands over for a job, keys copied.
func indexedEntries(db *DB, jobID uint64) ([]NearEntry, IndexedNear, error) {
	var out []NearEntry
	found, err := db.EachIndexedNear(jobID, func(e NearEntry) {
		e.Key = bytes.Clone(e.Key)
		out = append(out, e)
	})
	return out, found, err
}

// entryOf finds rel's entry among entries.
func entryOf(entries []NearEntry, rel string) (NearEntry, bool) {
	for _, e := range entries {
		if e.RelPath() == rel {
			return e, true
		}
	}
	return NearEntry{}, false
}

// The index alone trusts what decodes and reads the record of what does not;
// what it cannot see is left to its callers, and each has its sign: a missing
// entry counts one file less, a record damaged since its entry was written is
// stale when read through FilesOfNearEntries.
func TestIndexAloneSaysWhatItCannotSee(t *testing.T) {
	db, _ := openTemp(t)
	names := []string{"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"}
	var recs []FileRecord
	for _, n := range names {
		recs = append(recs, doneRec(n, n[:1]+"-seed"))
	}
	j1 := scanOver(t, db, recs)
	changed := doneRec("e.jpg", "e-changed")
	second := []FileRecord{changed}
	for _, n := range names[:4] {
		second = append(second, reusedFrom(t, db, n))
	}
	j2 := scanOver(t, db, second)
	if j2.Base != j1.ID {
		t.Fatalf("the rescan is stored whole (base %d)", j2.Base)
	}
	healthy, _, err := indexedEntries(db, j2.ID)
	if err != nil || len(healthy) != len(names) {
		t.Fatalf("%d entries, %v", len(healthy), err)
	}
	err = db.h.bolt.Update(func(tx *bolt.Tx) error {
		ph, files := tx.Bucket(bucketPHash), tx.Bucket(bucketFiles)
		if err := ph.Put(fileKey(j1.ID, 0, "a.jpg"), []byte{0xff, 1}); err != nil { // unreadable
			return err
		}
		if err := ph.Delete(fileKey(j1.ID, 0, "c.jpg")); err != nil { // missing
			return err
		}
		if err := ph.Delete(fileKey(j2.ID, 0, "e.jpg")); err != nil { // the rescan's own, missing
			return err
		}
		return files.Put(fileKey(j1.ID, 0, "d.jpg"), []byte("d\x00{\"job\": 1, \"pa")) // damaged since
	})
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := indexedEntries(db, j2.ID)
	var d *DamagedRecords
	if !errors.As(err, &d) || d.Count != 2 || !strings.Contains(d.First, "a.jpg") {
		t.Fatalf("damage reported as %v", err)
	}
	if found.Files != len(names)-1 || len(got) != len(names)-1 {
		t.Fatalf("%d files found, %d entries; want %d: the missing entry is one less", found.Files, len(got), len(names)-1)
	}
	for _, rel := range []string{"a.jpg", "b.jpg", "d.jpg", "e.jpg"} {
		e, ok := entryOf(got, rel)
		want, _ := entryOf(healthy, rel)
		e.Key, want.Key = nil, nil
		if !ok || !reflect.DeepEqual(e, want) {
			t.Errorf("%s: %+v, want %+v", rel, e, want)
		}
	}
	if e, _ := entryOf(got, "e.jpg"); e.PHash != changed.PHash || e.PHash == recs[4].PHash {
		t.Errorf("e.jpg is read as its base's, not the rescan's own record")
	}
	if _, ok := entryOf(got, "c.jpg"); ok {
		t.Error("c.jpg, whose entry is missing, was found")
	}
	var keys [][]byte
	var crcs []uint32
	for _, rel := range []string{"b.jpg", "d.jpg", "e.jpg"} {
		e, _ := entryOf(got, rel)
		keys, crcs = append(keys, e.Key), append(crcs, e.CRC)
	}
	read, ok, stale, err := db.FilesOfNearEntries(keys, crcs)
	if err != nil || stale != 1 || !ok[0] || ok[1] || !ok[2] || read[0].RelPath != "b.jpg" || read[2].PHash != changed.PHash {
		t.Errorf("records of the entries: found %v, %d stale, %v", ok, stale, err)
	}
	crcs[0]++
	if _, ok, stale, _ := db.FilesOfNearEntries(keys[:1], crcs[:1]); stale != 1 || ok[0] {
		t.Errorf("a record read by an entry of other bytes: found %v, %d stale", ok, stale)
	}
}
