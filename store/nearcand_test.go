package store

import (
	"bytes"
	"fmt"
	"testing"
)

// candidateKeys is the keys and flags EachNearCandidate hands over.
func candidateKeys(t *testing.T, db *DB, jobID uint64) (keys []string, flags []byte, distance int, ok bool) {
	t.Helper()
	distance, ok, err := db.EachNearCandidate(jobID, func(e NearEntry, f byte) {
		if !e.HasPHash || !e.Done {
			t.Errorf("candidate %s read without its hashes: %+v", e.RelPath(), e)
		}
		keys = append(keys, fmt.Sprintf("%d:%s", be.Uint64(e.Key), e.RelPath()))
		flags = append(flags, f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, flags, distance, ok
}

// saveCandidates keeps the candidates rels (of job j) with the view stamp
// read now.
func saveCandidates(t *testing.T, db *DB, j *Job, rels ...string) (uint64, bool) {
	t.Helper()
	stamp, ok, err := db.ViewStamp(j.ID)
	if err != nil || !ok {
		t.Fatalf("view stamp of job %d: %v, %v", j.ID, ok, err)
	}
	c := NearCandidates{Distance: 10}
	for i, rel := range rels {
		c.Keys = append(c.Keys, fileKey(j.ID, 0, rel))
		c.Flags = append(c.Flags, byte(i%2)*CandidateCapture)
	}
	saved, err := db.SaveNearCandidates(j.ID, stamp, c)
	if err != nil {
		t.Fatal(err)
	}
	return stamp, saved
}

// Candidates kept for a completed scan come back with their index entries
// and flags, for the scan and for an unchanged rescan over it, across a
// close and open and a compaction. They are not used for a rescan that
// stored files of its own (its view differs), nor once the job's record is
// written again, and a set found before such a write is not saved.
func TestNearCandidatesAreUsedOnlyForTheViewTheyWereFoundIn(t *testing.T) {
	db, path := openTemp(t)
	var first []FileRecord
	for i := range 40 {
		first = append(first, doneRec(fmt.Sprintf("d/IMG_%03d.jpg", i), fmt.Sprint(i)))
	}
	scan := scanOver(t, db, first)
	if _, _, _, ok := candidateKeys(t, db, scan.ID); ok {
		t.Fatal("candidates read before any were kept")
	}
	if _, saved := saveCandidates(t, db, scan, "d/IMG_003.jpg", "d/IMG_017.jpg"); !saved {
		t.Fatal("candidates of a completed scan not saved")
	}
	want := []string{fmt.Sprintf("%d:d/IMG_003.jpg", scan.ID), fmt.Sprintf("%d:d/IMG_017.jpg", scan.ID)}
	keys, flags, distance, ok := candidateKeys(t, db, scan.ID)
	if !ok || distance != 10 || fmt.Sprint(keys) != fmt.Sprint(want) || !bytes.Equal(flags, []byte{0, CandidateCapture}) {
		t.Fatalf("read back: %v %d %q %v", ok, distance, keys, flags)
	}

	// An unchanged rescan sees what the scan saw: the scan's set, under its own keys.
	var again []FileRecord
	for i := range 40 {
		again = append(again, reusedFrom(t, db, fmt.Sprintf("d/IMG_%03d.jpg", i)))
	}
	rescan := scanOver(t, db, again)
	if rescan.Base != scan.ID {
		t.Fatalf("the rescan is not over the scan: base %d", rescan.Base)
	}
	keys, _, _, ok = candidateKeys(t, db, rescan.ID)
	if !ok || len(keys) != 2 || keys[0] != fmt.Sprintf("%d:d/IMG_003.jpg", rescan.ID) {
		t.Fatalf("the unchanged rescan's candidates: %v %q", ok, keys)
	}

	// Across a compaction, a close and an open.
	if res, err := db.CompactIfSlack(anyCompact); err != nil || !res.Compacted {
		t.Fatalf("compaction: %+v, %v", res, err)
	}
	db.Close()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if keys, _, _, ok := candidateKeys(t, db, scan.ID); !ok || len(keys) != 2 {
		t.Fatalf("after compaction: %v %q", ok, keys)
	}

	// A rescan that found a file changed stores it: its view is another.
	again = nil
	for i := range 40 {
		r := reusedFrom(t, db, fmt.Sprintf("d/IMG_%03d.jpg", i))
		if i == 5 {
			r = doneRec(r.RelPath, "changed")
		}
		again = append(again, r)
	}
	changed := scanOver(t, db, again)
	if changed.Base != scan.ID {
		t.Fatalf("the second rescan is not over the scan: base %d", changed.Base)
	}
	if _, _, _, ok := candidateKeys(t, db, changed.ID); ok {
		t.Error("a rescan with files of its own read its base's candidates")
	}

	// Found before the job's record was written again: not saved; kept
	// before: no longer used.
	stamp, _, _ := db.ViewStamp(changed.ID)
	changed.ErrorMessage = "written again"
	if err := db.PutJob(changed); err != nil {
		t.Fatal(err)
	}
	late := NearCandidates{Distance: 10, Keys: [][]byte{fileKey(changed.ID, 0, "d/IMG_005.jpg")}, Flags: []byte{0}}
	if saved, err := db.SaveNearCandidates(changed.ID, stamp, late); saved || err != nil {
		t.Errorf("candidates found before a write were saved: %v, %v", saved, err)
	}
	scan.ErrorMessage = "written again"
	if err := db.PutJob(scan); err != nil {
		t.Fatal(err)
	}
	if _, _, _, ok := candidateKeys(t, db, scan.ID); ok {
		t.Error("candidates read after the job's record changed")
	}
	if _, _, _, ok := candidateKeys(t, db, rescan.ID); ok {
		t.Error("candidates read after the base's record changed")
	}
}

// A running job keeps no candidates: its files may still change. A set
// naming a file the view does not hold is not used, nor is a key of
// another job accepted.
func TestNearCandidatesNeedACompletedJobAndItsOwnFiles(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{Kind: KindScan, Roots: []string{"/photos0"}, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.ViewStamp(j.ID); ok || err != nil {
		t.Errorf("a running job has a view stamp: %v, %v", ok, err)
	}
	scan := scanOver(t, db, []FileRecord{doneRec("a.jpg", "a"), doneRec("b.jpg", "b")})
	if _, saved := saveCandidates(t, db, scan, "a.jpg", "not-there.jpg"); !saved {
		t.Fatal("not saved")
	}
	if _, _, _, ok := candidateKeys(t, db, scan.ID); ok {
		t.Error("a set naming a file the view lacks was used")
	}
	stamp, _, _ := db.ViewStamp(scan.ID)
	other := NearCandidates{Distance: 10, Keys: [][]byte{fileKey(j.ID, 0, "a.jpg")}, Flags: []byte{0}}
	if saved, err := db.SaveNearCandidates(scan.ID, stamp, other); saved || err == nil {
		t.Errorf("a key of another job was kept: %v, %v", saved, err)
	}
}
