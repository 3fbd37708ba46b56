package store

import (
	"errors"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// latestFixture is a library of several jobs: rescans, a later failure and
// listing, a skipped file, a root inside another job's root, gone marks,
// and damaged records (a damaged latest analysis, whose earlier one then
// stands; a damaged lone file; a damaged older analysis nothing reads; a
// record whose header is damaged).
func latestFixture(t *testing.T) *DB {
	t.Helper()
	db, _ := openTemp(t)
	jobs := newJobs(t, db, 4)
	commit := func(j *Job, recs ...FileRecord) {
		t.Helper()
		for i := range recs {
			recs[i].Camera = "Cam " + recs[i].RelPath
			recs[i].Time.Value = "2016-03-01T10:00:00"
		}
		if err := db.CommitBatch(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	commit(jobs[0],
		rec(1, 0, "a/changed.jpg", media.StatusDone, shaA),
		rec(1, 0, "a/failed-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "a/damaged-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "a/damaged-before.jpg", media.StatusDone, shaA),
		rec(1, 0, "a2/lookalike-name.jpg", media.StatusDone, shaA),
		rec(1, 0, "gone.jpg", media.StatusDone, shaA),
		rec(1, 0, "never.jpg", media.StatusPending, ""),
		rec(1, 1, "x/y.jpg", media.StatusDone, shaB),
	)
	commit(jobs[1],
		rec(2, 0, "a/changed.jpg", media.StatusDone, shaB),
		rec(2, 0, "a/failed-later.jpg", media.StatusError, ""),
		rec(2, 0, "a/damaged-before.jpg", media.StatusDone, shaB),
		rec(2, 0, "never.jpg", media.StatusError, ""),
		rec(2, 1, "x/z.jpg", media.StatusSkipped, shaB),
		rec(2, 1, "x/y.jpg", media.StatusSkipped, shaB),
	)
	inner := rec(3, 0, "deep.jpg", media.StatusDone, shaB) // a root inside job 1's root 0
	inner.Root = "/photos0/a"
	again := rec(3, 0, "changed.jpg", media.StatusDone, shaA) // the same file, seen from that root
	again.Root = "/photos0/a"
	commit(jobs[2], inner, again)
	commit(jobs[3], rec(4, 0, "a/listed-later.jpg", media.StatusPending, ""))
	err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		for _, p := range []struct {
			k []byte
			v string
		}{
			{fileKey(4, 0, "gone.jpg"), string(goneValue)},
			{fileKey(4, 0, "a/damaged-later.jpg"), "d\x00{\"job\":4,\"pa\xff"},
			{fileKey(1, 0, "a/damaged-before.jpg"), "d\x00{\"job\":1,\"pa\xff"},
			{fileKey(4, 0, "lone-damaged.jpg"), "d\x00{\"job\":4,\"pa\xff"},
			{fileKey(4, 0, "bad-header.jpg"), "\xff\x00"},
		} {
			if err := files.Put(p.k, []byte(p.v)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// eachLatest collects what EachLatest hands out.
func eachLatest(t *testing.T, db *DB, opt LatestOptions) ([]FileRecord, error) {
	t.Helper()
	var out []FileRecord
	err := db.EachLatest(opt, func(r FileRecord) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

// TestEachLatestIsLatestFiles: whatever its batch, the walk hands out
// exactly the records LatestFiles returns, in the same order; asked for
// done records only, exactly LatestFiles' done records. A damaged record
// is left out and counted, and the record before it stands; the walk goes
// on past it.
func TestEachLatestIsLatestFiles(t *testing.T) {
	db := latestFixture(t)
	all, err := db.LatestFiles()
	var d *DamagedRecords
	if !errors.As(err, &d) || d.Count != 4 {
		t.Fatalf("LatestFiles: %v, want 4 damaged records", err)
	}
	var done []FileRecord
	for _, r := range all {
		if r.Status == media.StatusDone {
			done = append(done, r)
		}
	}
	if len(all) != 11 || len(done) != 7 {
		t.Fatalf("the fixture has %d files, %d done: %+v", len(all), len(done), all)
	}
	isDone := func(st media.Status) bool { return st == media.StatusDone }
	for _, c := range []struct {
		name string
		opt  LatestOptions
		want []FileRecord
		bad  int
	}{
		{"every status", LatestOptions{}, all, 3},
		{"every status, batches of one", LatestOptions{Batch: 1}, all, 3},
		{"every status, batches of three", LatestOptions{Batch: 3}, all, 3},
		{"done", LatestOptions{Status: isDone}, done, 3},
		{"done, batches of two", LatestOptions{Status: isDone, Batch: 2}, done, 3},
	} {
		got, err := eachLatest(t, db, c.opt)
		// The damaged older analysis of a-damaged-before.jpg is never read:
		// a later one stands. The three others are counted.
		if !errors.As(err, &d) || d.Count != c.bad {
			t.Errorf("%s: %v, want %d damaged records", c.name, err, c.bad)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got\n%v\nwant\n%v", c.name, paths(got), paths(c.want))
		}
	}
	for _, r := range all {
		if r.AbsPath() == "/photos0/a/damaged-later.jpg" && r.JobID != 1 {
			t.Errorf("damaged-later.jpg stands as job %d's record, want job 1's", r.JobID)
		}
	}
}

func paths(recs []FileRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.AbsPath()+" "+string(r.Status)+" job "+string(rune('0'+r.JobID)))
	}
	return out
}

// TestEachLatestHoldsOneBatch: the walk decodes a batch only when fn has
// taken the one before. The first record of each batch handed out makes fn
// rewrite the records of the next batch, from inside the walk: every
// record from the second batch on must come out rewritten, which it cannot
// if the walk had decoded it before (as LatestFiles decodes every record
// before returning, or a walk holding two batches would).
// Every path is in two jobs (a full rescan), so the walk merges.
func TestEachLatestHoldsOneBatch(t *testing.T) {
	db, _ := openTemp(t)
	const n, batch = 3000, 64
	root := "/home/someone/Pictures/scale"
	scanScale(t, db, root, n, 500)
	j2, done := scanScale(t, db, root, n, 500)
	handed := 0
	err := db.EachLatest(LatestOptions{Batch: batch}, func(r FileRecord) error {
		if r.JobID != j2.ID || r.RelPath != done[handed].RelPath {
			t.Fatalf("record %d is %s of job %d, want %s of job %d", handed, r.RelPath, r.JobID, done[handed].RelPath, j2.ID)
		}
		if handed >= batch && r.Camera != "rewritten" {
			t.Fatalf("record %d was decoded before the batch before it was handed out", handed)
		}
		if handed%batch == 0 && handed+batch < n { // the first of a batch: rewrite the next batch
			next := done[handed+batch : min(handed+2*batch, n)]
			for i := range next {
				next[i].Camera = "rewritten"
			}
			if err := db.CommitBatch(j2, next); err != nil {
				return err
			}
		}
		handed++
		return nil
	})
	if err != nil || handed != n {
		t.Fatalf("handed %d of %d records: %v", handed, n, err)
	}
	stop := errors.New("stop")
	if err := db.EachLatest(LatestOptions{}, func(FileRecord) error { return stop }); err != stop {
		t.Errorf("fn's error: %v", err)
	}
}
