package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// nearEntries is what EachNearEntry hands over for a job, keys copied.
func nearEntries(t *testing.T, db *DB, jobID uint64) ([]NearEntry, error) {
	t.Helper()
	var out []NearEntry
	err := db.EachNearEntry(jobID, func(e NearEntry) {
		e.Key = bytes.Clone(e.Key)
		out = append(out, e)
	})
	return out, err
}

// entriesOfRecords is what the index should hold for a job: the entry of
// each of its records (Files), with the CRC of its stored bytes.
func entriesOfRecords(t *testing.T, db *DB, jobID uint64) []NearEntry {
	t.Helper()
	recs, err := db.Files(jobID)
	if err != nil {
		t.Fatal(err)
	}
	var out []NearEntry
	err = db.view(func(tx *bolt.Tx) error {
		in := viewFiles{tx: tx}
		for i := range recs {
			e := NearEntry{Key: recs[i].Key()}
			stored, err := in.stored(e.Key)
			if err != nil {
				return err
			}
			if _, err := decodeNear(encodeNear(&recs[i], stored.v), &e); err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameEntries(t *testing.T, what string, got, want []NearEntry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d entries, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !bytes.Equal(g.Key, w.Key) {
			t.Fatalf("%s: entry %d is %q, want %q", what, i, g.Key, w.Key)
		}
		g.Key, w.Key = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: entry %q is %+v, want %+v", what, got[i].Key, g, w)
		}
	}
}

// shotRec is a done image with a camera and EXIF capture time, and a time in
// its name.
func shotRec(rel, seed string) FileRecord {
	r := doneRec(rel, seed)
	r.Camera, r.LumaMean, r.ChromaCb = "Canon EOS R6", 120.5, -3.25
	r.Time.Candidates = []media.Candidate{
		{Kind: media.KindEXIFOriginal, Value: "2021-08-28T15:41:35+02:00"},
		{Kind: media.KindFilenameTime, Value: "2021-08-28T15:41:35"},
	}
	return r
}

// An entry holds what the look-alike rules read of its record, and only
// its flags and CRC for a file they never read.
func TestNearEntryHoldsWhatGroupingReads(t *testing.T) {
	r := shotRec("IMG_20210828_154135.jpg", "x")
	r.Width, r.Height, r.DHash, r.ChromaCr, r.LumaStdDev = 4000, 3000, 0xdead, 7.5, 40
	var e NearEntry
	v := encodeNear(&r, []byte("stored"))
	if crc, err := decodeNear(v, &e); err != nil || crc != recordCRC([]byte("stored")) {
		t.Fatal(crc, err)
	}
	want := NearEntry{Done: true, Image: true, HasPHash: true, PHash: r.PHash, DHash: 0xdead, Width: 4000, Height: 3000,
		LumaMean: 120.5, LumaStdDev: 40, ChromaCb: -3.25, ChromaCr: 7.5, Measured: true,
		Capture: CaptureHash("Canon EOS R6", "2021-08-28T15:41:35+02:00"), NameTime: true, CRC: recordCRC([]byte("stored"))}
	if !reflect.DeepEqual(e, want) || len(v) > 49 {
		t.Errorf("entry (%d bytes) %+v, want %+v", len(v), e, want)
	}
	r.Time.Candidates[0].Rejected, r.Time.Candidates[1].Value = true, "2021-08-28"
	if _, err := decodeNear(encodeNear(&r, nil), &e); err != nil || e.Capture != 0 || e.NameTime {
		t.Errorf("a rejected EXIF time and a date-only name: %+v, %v", e, err)
	}
	heic := FileRecord{Status: media.StatusDone, MIME: "image/heic"}
	if _, err := decodeNear(encodeNear(&heic, nil), &e); err != nil || !e.Image || !e.Done || e.HasPHash || len(encodeNear(&heic, nil)) != 5 {
		t.Errorf("a HEIC without a camera: %+v, %v", e, err)
	}
	doc := FileRecord{Status: media.StatusDone, MIME: "application/pdf"}
	if _, err := decodeNear(encodeNear(&doc, nil), &e); err != nil || e.Image || len(encodeNear(&doc, nil)) != 5 {
		t.Errorf("a PDF: %+v, %v", e, err)
	}
	for _, bad := range [][]byte{nil, {nearLayout}, v[:len(v)-1], append(bytes.Clone(v), 0), make([]byte, 24)} {
		if _, err := decodeNear(bad, &e); err == nil {
			t.Errorf("% x decoded", bad)
		}
	}
}

// A rescan stored over its base reads its base's entries for the files it
// did not store, its own for those it did, and none for those it did not
// find: the index follows the job's view as the records do.
func TestNearIndexFollowsAJobsView(t *testing.T) {
	db, _ := openTemp(t)
	doc := doneRec("notes.pdf", "pdf")
	doc.MIME, doc.HasPHash = "application/pdf", false
	first := []FileRecord{shotRec("a.jpg", "a"), doneRec("b.jpg", "b"), doneRec("c.jpg", "c"),
		{RelPath: "d.heic", Root: "/photos0", Status: media.StatusDone, MIME: "image/heic"}, doc}
	var same []string // unchanged, so that the rescan is stored over the first scan
	for i := range 16 {
		same = append(same, fmt.Sprintf("same/%02d.jpg", i))
		first = append(first, doneRec(same[i], same[i]))
	}
	j1 := scanOver(t, db, first)
	changed := shotRec("b.jpg", "b2")
	changed.Camera = "Apple iPhone 13"
	nowText := doneRec("d.heic", "d")
	nowText.MIME, nowText.HasPHash = "text/plain", false // no longer indexed: its base's entry must not show
	second := []FileRecord{reusedFrom(t, db, "a.jpg"), changed, nowText, reusedFrom(t, db, "notes.pdf"), shotRec("e.jpg", "e")}
	for _, rel := range same {
		second = append(second, reusedFrom(t, db, rel))
	}
	j2 := scanOver(t, db, second)
	if j2.Base != j1.ID {
		t.Fatalf("the rescan is stored whole (base %d)", j2.Base)
	}
	for _, j := range []*Job{j1, j2} {
		got, err := nearEntries(t, db, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := entriesOfRecords(t, db, j.ID)
		sameEntries(t, "job "+string(rune('0'+j.ID)), got, want)
		alone, found, err := indexedEntries(db, j.ID)
		if err != nil || found.Files != len(want) {
			t.Fatalf("job %d, the index alone: %d files, %v", j.ID, found.Files, err)
		}
		sameEntries(t, "job "+string(rune('0'+j.ID))+", the index alone", alone, want)
	}
	got, _ := nearEntries(t, db, j2.ID)
	var names []string
	for _, e := range got[:3] { // then e.jpg and notes.pdf
		names = append(names, e.RelPath())
	}
	if strings.Join(names, " ") != "a.jpg b.jpg d.heic" || len(got) != 5+len(same) {
		t.Errorf("the rescan's entries: %v", names)
	}
}

// A library written before the look-alike index is read from its records
// while it is opened read-only, and its first read-write open rebuilds the
// index (migrateNearIndex); it checks clean before and after.
func TestOldLibraryGetsANearIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := &Job{Roots: []string{"/a", "/b"}, Status: StateCompleted, Listed: true}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	recs := analysedRecords(t)
	for i := range recs {
		recs[i].JobID = j.ID
	}
	if err := db.CommitBatch(j, recs); err != nil {
		t.Fatal(err)
	}
	want := entriesOfRecords(t, db, j.ID)
	if err := OldNearIndex(db); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if rep, err := Check(path, 0); err != nil || !rep.Healthy() {
		t.Fatalf("check of the old library: %+v, %v", rep, err)
	}
	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.EachNearEntry(j.ID, func(NearEntry) {}); !errors.Is(err, ErrNoNearIndex) {
		t.Errorf("read-only, before the migration: %v", err)
	}
	ro.Close()
	if db, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := nearEntries(t, db, j.ID)
	if err != nil || len(want) < 5 {
		t.Fatalf("%d entries, %v", len(want), err)
	}
	sameEntries(t, "migrated", got, want)
	db.Close()
	if rep, err := Check(path, 0); err != nil || !rep.Healthy() {
		t.Errorf("check of the migrated library: %+v, %v", rep, err)
	}
}

// A record whose entry is damaged, missing or out of step is read from the
// record and reported; a record damaged since its entry was written is
// skipped and reported; check names them all.
func TestDamagedNearEntryIsReadFromTheRecordAndReported(t *testing.T) {
	db, path := openTemp(t)
	j := scanOver(t, db, []FileRecord{doneRec("a.jpg", "a"), doneRec("b.jpg", "b"), doneRec("c.jpg", "c"), doneRec("d.jpg", "d")})
	err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		ph := tx.Bucket(bucketPHash)
		if err := ph.Put(fileKey(j.ID, 0, "a.jpg"), []byte{0xff, 1}); err != nil {
			return err
		}
		if err := ph.Delete(fileKey(j.ID, 0, "c.jpg")); err != nil {
			return err
		}
		return tx.Bucket(bucketFiles).Put(fileKey(j.ID, 0, "d.jpg"), []byte("d\x00{\"job\": 1, \"pa"))
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := nearEntries(t, db, j.ID)
	var d *DamagedRecords
	if !errors.As(err, &d) || d.Count != 3 || !strings.Contains(d.First, "a.jpg") || len(got) != 3 {
		t.Fatalf("entries %+v, %v", got, err)
	}
	for i, name := range []string{"a.jpg", "b.jpg", "c.jpg"} {
		if got[i].RelPath() != name || !got[i].HasPHash || got[i].PHash != doneRec(name, name[:1]).PHash {
			t.Errorf("entry %d: %+v", i, got[i])
		}
	}
	db.Close()
	rep, err := Check(path, 0)
	if err != nil || rep.ProblemCount != 4 { // a's entry, a's record disagreeing, c's missing, d's record
		t.Fatalf("check: %+v, %v", rep, err)
	}
	if all := strings.Join(rep.Problems, "\n"); !strings.Contains(all, `c.jpg" is missing from the look-alike index`) {
		t.Errorf("check does not name the missing entry:\n%s", all)
	}
}
