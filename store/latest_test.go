package store

import (
	"testing"

	"shoebox/media"
)

func TestLatestFilesStandForEachPathOnce(t *testing.T) {
	db, _ := openTemp(t)
	jobs := newJobs(t, db, 3)
	db.CommitBatch(jobs[0], []FileRecord{
		rec(1, 0, "changed.jpg", media.StatusDone, shaA),
		rec(1, 0, "failed-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "listed-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "never.jpg", media.StatusPending, ""),
	})
	db.CommitBatch(jobs[1], []FileRecord{
		rec(2, 0, "changed.jpg", media.StatusDone, shaB),
		rec(2, 0, "failed-later.jpg", media.StatusError, ""),
		rec(2, 0, "never.jpg", media.StatusError, ""),
		rec(2, 1, "other.jpg", media.StatusSkipped, shaB),
	})
	db.CommitBatch(jobs[2], []FileRecord{rec(3, 0, "listed-later.jpg", media.StatusPending, "")})

	got, err := db.LatestFiles()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path string
		job  uint64
		st   media.Status
	}{
		{"/photos0/changed.jpg", 2, media.StatusDone},      // the newest analysis
		{"/photos0/failed-later.jpg", 1, media.StatusDone}, // an analysis outlives a later failure
		{"/photos0/listed-later.jpg", 1, media.StatusDone}, // and a later listing not reached yet
		{"/photos0/never.jpg", 2, media.StatusError},       // never analysed: its newest record
		{"/photos1/other.jpg", 2, media.StatusSkipped},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.AbsPath() != w.path || g.JobID != w.job || g.Status != w.st {
			t.Errorf("%d: got %s job %d %s, want %s job %d %s", i, g.AbsPath(), g.JobID, g.Status, w.path, w.job, w.st)
		}
	}
}

// newJobs creates n empty jobs, numbered 1 to n in a new library.
func newJobs(t *testing.T, db *DB, n int) []*Job {
	t.Helper()
	jobs := make([]*Job, n)
	for i := range jobs {
		jobs[i] = &Job{}
		if err := db.CreateJob(jobs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return jobs
}
