package store

import (
	"bytes"
	"slices"
	"sort"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// maxBaseDrift is the share of a base's files that may differ (new,
// changed or gone) for a scan to be stored as changes to it (view.go).
const maxBaseDrift = 4 // one in four

// Listing says how a scan's listed files are to be stored: over a base
// (view.go) or whole.
type Listing struct {
	// Base is the job the scan is stored over; 0: stored whole.
	Base uint64
	// Store is the files to write: all of them without a base, else those
	// that differ from the base's record for the same file.
	Store []FileRecord
	// Gone is the number of the base's files the scan did not find; they are
	// marked gone when the listing is stored (AddListing).
	Gone int
	gone [][]byte
}

// PlanListing decides how the listed files of scan j (its Roots, with reused
// analyses already filled in) are stored, without writing anything. A job
// that already has a base keeps it (a listing resumed after a crash); one
// that already stored files is stored whole.
func (db *DB) PlanListing(j *Job, recs []FileRecord) (*Listing, error) {
	sorted := slices.IsSortedFunc(recs, func(a, b FileRecord) int { return bytes.Compare(a.Key(), b.Key()) })
	if !sorted {
		recs = slices.Clone(recs)
		sort.Slice(recs, func(a, b int) bool { return bytes.Compare(recs[a].Key(), recs[b].Key()) < 0 })
	}
	plan := &Listing{Store: recs}
	err := db.view(func(tx *bolt.Tx) error {
		*plan = Listing{Store: recs}
		base := j.Base
		if base == 0 {
			if k, _ := rangeCursor(tx.Bucket(bucketFiles), j.ID, nil).first(); k != nil {
				return nil // began whole
			}
			base = chooseBase(tx, j)
		}
		if base == 0 {
			return nil
		}
		store, gone, baseTotal := diffFromBase(tx, j.ID, base, recs)
		if j.Base == 0 && (len(store)+len(gone))*maxBaseDrift > baseTotal {
			return nil // drifted too far: a new full job
		}
		*plan = Listing{Base: base, Store: store, Gone: len(gone), gone: gone}
		return nil
	})
	return plan, err
}

// chooseBase is the latest completed full scan of the same roots before j
// (a scan written before change runs has no kind).
func chooseBase(tx *bolt.Tx, j *Job) uint64 {
	c := tx.Bucket(bucketJobs).Cursor()
	for k, v := c.Seek(jobKey(j.ID)); ; k, v = c.Prev() {
		if k == nil {
			return 0
		}
		var b Job
		if be.Uint64(k) >= j.ID || decodeJob(v, &b) != nil {
			continue
		}
		if (b.Kind == KindScan || b.Kind == "") && b.Status == StateCompleted && b.Listed && b.Base == 0 && slices.Equal(b.Roots, j.Roots) {
			return b.ID
		}
	}
}

// diffFromBase merges the sorted listing with the base's files: it keeps
// the listed files whose record would differ from the base's, and the keys
// (in job j) of the base's files that were not listed.
func diffFromBase(tx *bolt.Tx, jobID, base uint64, recs []FileRecord) (store []FileRecord, gone [][]byte, baseTotal int) {
	br := rangeCursor(tx.Bucket(bucketFiles), base, nil)
	bk, bv := br.first()
	for i := 0; i < len(recs) || bk != nil; {
		var c int
		switch {
		case i == len(recs):
			c = 1
		case bk == nil:
			c = -1
		default:
			c = bytes.Compare(recs[i].Key()[8:], bk[8:])
		}
		if c >= 0 && bk != nil && !isGone(bv) {
			baseTotal++
		}
		switch {
		case c < 0:
			store = append(store, recs[i])
			i++
		case c > 0:
			if !isGone(bv) {
				gone = append(gone, append(jobKey(jobID), bk[8:]...))
			}
			bk, bv = br.next()
		default:
			if !sameAsBase(bk, bv, &recs[i]) {
				store = append(store, recs[i])
			}
			i++
			bk, bv = br.next()
		}
	}
	return store, gone, baseTotal
}

// sameAsBase says whether r, stored, would say exactly what the base's
// record says once read as the job's (view.go): same analysis, reused.
func sameAsBase(bk, bv []byte, r *FileRecord) bool {
	if !r.Reused || (r.Status != media.StatusDone && r.Status != media.StatusSkipped) {
		return false
	}
	var b FileRecord
	if decodeFile(bk, bv, &b) != nil {
		return false
	}
	b.JobID, b.Reused = r.JobID, true
	want, err1 := encodeFile(&b)
	got, err2 := encodeFile(r)
	return err1 == nil && err2 == nil && bytes.Equal(want, got)
}

// AddListing stores the first part of a planned listing: the job with its
// base, and the gone markers. The files to store follow with AddFiles, in
// chunks.
func (db *DB) AddListing(j *Job, plan *Listing) error {
	j.Base = plan.Base
	return db.update(func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		for _, k := range plan.gone {
			if err := files.Put(k, goneValue); err != nil {
				return err
			}
		}
		return putJob(tx, j)
	})
}
