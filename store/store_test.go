package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lib.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestNewerSchemaIsRefused(t *testing.T) {
	db, path := openTemp(t)
	if err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion+1))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "update Shoebox") {
		t.Fatalf("open of a newer library: %v", err)
	}
}

func TestSecondOpenTimesOut(t *testing.T) {
	_, path := openTemp(t)
	start := time.Now()
	_, err := Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the lock wait was not bounded")
	}
}

func rec(job uint64, root int, rel string, st media.Status, sha string) FileRecord {
	return FileRecord{JobID: job, RootIndex: root, Root: "/photos" + string(rune('0'+root)), RelPath: rel, Status: st, SHA256: sha}
}

const (
	shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	shaB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func TestFilesAreAPrefixScanInPathOrder(t *testing.T) {
	db, _ := openTemp(t)
	j1, j2 := &Job{Status: StateRunning}, &Job{Status: StateRunning}
	db.CreateJob(j1)
	db.CreateJob(j2)
	if j1.ID != 1 || j2.ID != 2 {
		t.Fatalf("ids %d %d", j1.ID, j2.ID)
	}
	db.AddFiles(j2, []FileRecord{rec(2, 0, "z.jpg", media.StatusPending, "")})
	n, err := db.AddFiles(j1, []FileRecord{
		rec(1, 1, "a.jpg", media.StatusPending, ""),
		rec(1, 0, "b/c.jpg", media.StatusPending, ""),
		rec(1, 0, "a.jpg", media.StatusPending, ""),
	})
	if err != nil || n != 3 {
		t.Fatal(n, err)
	}
	files, _ := db.Files(1)
	var got []string
	for _, f := range files {
		got = append(got, f.Root+"/"+f.RelPath)
	}
	if strings.Join(got, " ") != "/photos0/a.jpg /photos0/b/c.jpg /photos1/a.jpg" {
		t.Errorf("order %v", got)
	}
	// Adding again leaves stored records alone (a relisting after a crash).
	done := rec(1, 0, "a.jpg", media.StatusDone, shaA)
	db.CommitBatch(j1, []FileRecord{done})
	n, _ = db.AddFiles(j1, []FileRecord{rec(1, 0, "a.jpg", media.StatusPending, "")})
	if c, _ := db.CountFiles(1); n != 0 || c.Done != 1 || c.Pending != 2 {
		t.Errorf("relisting overwrote a result: added %d, %+v", n, c)
	}
	p, last, _ := db.PendingAfter(1, nil, 1)
	if len(p) != 1 || p[0].RelPath != "b/c.jpg" {
		t.Errorf("first pending %v", p)
	}
	p, _, _ = db.PendingAfter(1, last, 10)
	if len(p) != 1 || p[0].Root != "/photos1" {
		t.Errorf("pending after b/c.jpg: %v", p)
	}
}

func TestExactDuplicatesAcrossJobsCountAPathOnce(t *testing.T) {
	db, _ := openTemp(t)
	j1, j2 := &Job{}, &Job{}
	db.CreateJob(j1)
	db.CreateJob(j2)
	db.CommitBatch(j1, []FileRecord{rec(1, 0, "x.jpg", media.StatusDone, shaA), rec(1, 0, "y.jpg", media.StatusDone, shaB)})
	// Job 2 rescans the same folder (x.jpg again) and finds a copy of x elsewhere.
	db.CommitBatch(j2, []FileRecord{rec(2, 0, "x.jpg", media.StatusDone, shaA), rec(2, 1, "copy.jpg", media.StatusDone, shaA)})
	groups, err := db.ExactDuplicates(2)
	if err != nil || len(groups) != 1 || len(groups[0].Files) != 2 {
		t.Fatalf("%v %+v", err, groups)
	}
	for _, f := range groups[0].Files {
		if f.JobID != 2 {
			t.Errorf("a rescanned path should stand for itself with this job's record: %+v", f)
		}
	}
	// From job 1's point of view the copy found by job 2 is a duplicate too.
	groups, _ = db.ExactDuplicates(1)
	if len(groups) != 1 || len(groups[0].Files) != 2 {
		t.Errorf("job 1: %+v", groups)
	}
	// A file whose content changed leaves the index.
	changed := rec(2, 1, "copy.jpg", media.StatusDone, shaB)
	db.CommitBatch(j2, []FileRecord{changed})
	if groups, _ = db.ExactDuplicates(2); len(groups) != 1 || groups[0].SHA256 != shaB {
		t.Errorf("after change: %+v", groups)
	}
}

func TestRecordsAreCopiedOutOfTransactions(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{}
	db.CreateJob(j)
	r := rec(1, 0, "a.jpg", media.StatusDone, shaA)
	r.HasPHash, r.PHash = true, 0x0123456789abcdef
	r.Time = media.Timestamp{Value: "2019-07-04T15:30:12", Candidates: []media.Candidate{{Source: media.SourceEXIF, Value: "2019-07-04T15:30:12"}}}
	db.CommitBatch(j, []FileRecord{r})
	files, _ := db.Files(1)
	// Write a lot more so bbolt remaps; the records read before must not change.
	var more []FileRecord
	for i := range 5000 {
		more = append(more, rec(1, 0, fmt.Sprintf("%s/%05d.jpg", strings.Repeat("x", 200), i), media.StatusPending, ""))
	}
	db.CommitBatch(j, more)
	if files[0].Time.Candidates[0].Value != "2019-07-04T15:30:12" || files[0].RelPath != "a.jpg" {
		t.Errorf("record changed after later writes: %+v", files[0])
	}
	h, _ := db.PerceptualHashes(1)
	if len(h) != 1 || h[0].PHash != 0x0123456789abcdef {
		t.Errorf("hashes %+v", h)
	}
}
