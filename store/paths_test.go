package store

import (
	"bytes"
	"encoding/json"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// Names that are not valid UTF-8: a Latin-1 "Fête" from an old Windows disk,
// and a WTF-8 unpaired surrogate as Go represents it on Windows.
const (
	latin1Root = "/mnt/card/Vacances \xe9t\xe9"
	latin1Name = "DCIM/F\xeate.jpg"
	wtf8Name   = "x\xed\xa0\x80y.jpg"
)

func TestInvalidUTF8PathsSurviveTheStore(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{Roots: []string{latin1Root, "/ok"}, CurrentFilename: latin1Name, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	names := []string{"D.jpg", latin1Name, wtf8Name, "G.jpg"}
	var recs []FileRecord
	for _, n := range names {
		r := FileRecord{JobID: j.ID, Root: latin1Root, RelPath: n, Status: media.StatusPending}
		recs = append(recs, r)
	}
	if _, err := db.AddFiles(j, recs); err != nil {
		t.Fatal(err)
	}

	got, err := db.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Roots) != 2 || got.Roots[0] != latin1Root || got.Roots[1] != "/ok" || got.CurrentFilename != latin1Name {
		t.Errorf("job paths changed: %q %q", got.Roots, got.CurrentFilename)
	}
	if jobs, _ := db.Jobs(); len(jobs) != 1 || jobs[0].Roots[0] != latin1Root {
		t.Errorf("Jobs: %+v", jobs)
	}

	// The feeder's walk: every pending file once, by its stored key, with
	// its exact bytes; a record's Key() is the key it is stored under.
	var seen []string
	var after []byte
	for {
		page, last, err := db.PendingAfter(j.ID, after, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		if len(seen) > len(names) {
			t.Fatalf("the pending walk does not end: %q", seen)
		}
		r := page[0]
		if !bytes.Equal(r.Key(), last) {
			t.Errorf("%q: Key() %q differs from the stored key %q", r.RelPath, r.Key(), last)
		}
		if r.Root != latin1Root {
			t.Errorf("root %q, want %q", r.Root, latin1Root)
		}
		seen = append(seen, r.RelPath)
		after = last
	}
	want := []string{"D.jpg", latin1Name, "G.jpg", wtf8Name} // key (byte) order
	if len(seen) != len(want) {
		t.Fatalf("pending walk %q, want %q", seen, want)
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("pending walk %q, want %q", seen, want)
		}
	}

	// Committing the decoded records rewrites them in place: no extra row.
	files, err := db.Files(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		files[i].Status, files[i].SHA256 = media.StatusDone, shaA
	}
	if err := db.CommitBatch(j, files); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.CountFiles(j.ID); c.Total != len(names) || c.Done != len(names) {
		t.Errorf("after commit: %+v", c)
	}
	prev, ok, err := db.Previous(latin1Root + "/" + latin1Name)
	if err != nil || !ok || prev.RelPath != latin1Name || prev.Root != latin1Root {
		t.Errorf("paths index: %v %v %+v", ok, err, prev)
	}
	groups, err := db.ExactDuplicates(j.ID)
	if err != nil || len(groups) != 1 || len(groups[0].Files) != len(names) {
		t.Fatalf("exact duplicates %v %+v", err, groups)
	}
	for _, f := range groups[0].Files {
		if f.Root != latin1Root {
			t.Errorf("duplicate root %q", f.Root)
		}
	}
	fr, err := db.FileByKey(fileKey(j.ID, 0, latin1Name))
	if err != nil || fr.RelPath != latin1Name {
		t.Errorf("FileByKey: %v %q", err, fr.RelPath)
	}
}

func TestResetErrorsKeepsInvalidUTF8Names(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{Roots: []string{latin1Root}}
	db.CreateJob(j)
	r := FileRecord{JobID: j.ID, Root: latin1Root, RelPath: latin1Name, Status: media.StatusError, Error: "damaged"}
	if err := db.CommitBatch(j, []FileRecord{r}); err != nil {
		t.Fatal(err)
	}
	j.ErrorCount, j.ProgressCurrent, j.ProgressTotal = 1, 1, 1
	if n, err := db.ResetErrors(j); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if c, _ := db.CountFiles(j.ID); c.Total != 1 || c.Pending != 1 {
		t.Errorf("retrying a failed file added a row: %+v", c)
	}
}

// A library written before names were kept exactly has records whose key
// holds the real bytes and whose JSON holds U+FFFD: the key wins, so the file
// can still be found and its record rewritten in place.
func TestRecordWrittenWithAMangledNameIsReadByItsKey(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{Roots: []string{"/photos"}}
	db.CreateJob(j)
	k := fileKey(j.ID, 0, latin1Name)
	body, _ := json.Marshal(map[string]any{"job": j.ID, "root_index": 0, "root": "/photos", "path": latin1Name, "status": "pending"})
	if err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFiles).Put(k, append([]byte{'p', 0}, body...))
	}); err != nil {
		t.Fatal(err)
	}
	files, err := db.Files(j.ID)
	if err != nil || len(files) != 1 || files[0].RelPath != latin1Name || !bytes.Equal(files[0].Key(), k) {
		t.Fatalf("%v %+v", err, files)
	}
}

// Jobs with valid names are written exactly as before the optional base64
// fields existed, so older libraries and older Shoeboxes agree; file records
// are compressed since schema 3, and the old plain ones read unchanged
// (codec_test.go).
func TestValidNamesAreEncodedAsBefore(t *testing.T) {
	j := Job{ID: 3, Roots: []string{"/Fête"}, CurrentFilename: "a.jpg"}
	v, err := encodeJob(&j)
	plain, _ := json.Marshal(&j)
	if err != nil || !bytes.Equal(v, plain) {
		t.Errorf("job encoding changed:\n%s\n%s", v, plain)
	}
}
