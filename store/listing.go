package store

import (
	"bytes"
	"slices"

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
	// Gone is the number of the base's files the scan did not find; they are
	// marked gone when the listing is stored (AddListing).
	Gone int
	gone [][]byte
	// Stored over a base: the records that differ from the base's, filled
	// in. Stored whole: none; Chunks makes every listed file's record.
	differ []FileRecord
	whole  []Listed
	job    *Job
	reuse  ReuseFunc
}

// planChunk is how many listed files PlanListing fills in (reuse) and
// compares with the base at once: the records of unchanged files are
// dropped after each chunk, so a rescan never holds them all.
const planChunk = 2000

// ReuseFunc fills in a listed file's earlier analysis when it can be reused
// (the engine's rescan). It returns the key of the stored record it copied
// when r now says exactly what that record says but for its job (the same
// fingerprint: size, times, inode), else nil.
type ReuseFunc func(r *FileRecord) (from []byte, err error)

// Reuse is how a rescan keeps the earlier analyses of unchanged files.
type Reuse struct {
	// Fill fills in a listed file's earlier analysis (ReuseFunc); it is
	// called outside any transaction. nil: no analysis is reused.
	Fill ReuseFunc
	// Keeps says whether an analysis described so may be kept as it is. It
	// is asked, inside a read transaction, about each listed file of a
	// listing over a base that the path index alone shows unchanged since
	// the base analysed it (pathstamp.go): then neither the file's record
	// is read nor Fill called. nil, or false: the file goes through Fill.
	Keeps func(PathStamp) bool
}

// PlanListing decides how the listed files of scan j (its Roots; sorted or
// not) are stored, without writing anything. Fill, when not nil, is called
// for every listed file whose earlier analysis Keeps did not keep (for a
// job stored whole, for every file, when its records are made: Chunks); an
// error from it stops the planning. A job that already has a base keeps it
// (a listing resumed after a crash); one that already stored files is
// stored whole. Only the records that differ from the base's are ever
// held: memory follows the listing's compact form, not the records.
func (db *DB) PlanListing(j *Job, listed []Listed, reuse Reuse) (*Listing, error) {
	fill := reuse.Fill
	if fill == nil {
		fill = func(*FileRecord) ([]byte, error) { return nil, nil }
	}
	if !slices.IsSortedFunc(listed, compareListed) {
		listed = slices.Clone(listed)
		slices.SortFunc(listed, compareListed)
	}
	base, err := db.listingBase(j)
	if err != nil {
		return nil, err
	}
	if base == 0 {
		return &Listing{whole: listed, job: j, reuse: fill}, nil
	}
	plan := &Listing{Base: base}
	var toFill []int
	for start := 0; start < len(listed); start += planChunk {
		part := listed[start:min(start+planChunk, len(listed))]
		err := db.view(func(tx *bolt.Tx) error {
			toFill = unchangedByStamp(tx, j, base, part, reuse.Keeps, toFill[:0], pageDropper{db: db, tx: tx})
			return nil
		})
		if err != nil {
			return nil, err
		}
		chunk := make([]FileRecord, 0, len(toFill))
		for _, i := range toFill {
			chunk = append(chunk, part[i].Record(j))
		}
		from := make([][]byte, len(chunk))
		for i := range chunk {
			var err error
			if from[i], err = fill(&chunk[i]); err != nil {
				return nil, err
			}
		}
		err = db.view(func(tx *bolt.Tx) error {
			files := tx.Bucket(bucketFiles)
			for i := range chunk {
				r := &chunk[i]
				bk := fileKey(base, r.RootIndex, r.RelPath)
				bv := files.Get(bk)
				// Copied from the base's own record: the same without
				// decoding it. Else compare what each says.
				same := bytes.Equal(from[i], bk) && bv != nil && !isGone(bv) || sameAsBase(bk, bv, r)
				if !same {
					plan.differ = append(plan.differ, *r)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	baseTotal := 0
	err = db.view(func(tx *bolt.Tx) error {
		plan.gone, baseTotal = goneFromBase(tx, j.ID, base, listed, pageDropper{db: db, tx: tx})
		return nil
	})
	if err != nil {
		return nil, err
	}
	plan.Gone = len(plan.gone)
	if j.Base == 0 && (len(plan.differ)+plan.Gone)*maxBaseDrift > baseTotal {
		// Drifted too far: a new full job, its records made again.
		return &Listing{whole: listed, job: j, reuse: fill}, nil
	}
	return plan, nil
}

// Count is how many records the listing stores.
func (p *Listing) Count() int {
	if p.job != nil {
		return len(p.whole)
	}
	return len(p.differ)
}

// Chunks hands the records to store to fn, at most size at a time, in key
// order: the differing ones of a listing over a base, else every listed
// file's record, made and filled in (reuse) just before it is handed over.
// An error from reuse or fn ends it.
func (p *Listing) Chunks(size int, fn func([]FileRecord) error) error {
	if p.job == nil {
		for start := 0; start < len(p.differ); start += size {
			if err := fn(p.differ[start:min(start+size, len(p.differ))]); err != nil {
				return err
			}
		}
		return nil
	}
	for start := 0; start < len(p.whole); start += size {
		chunk := make([]FileRecord, 0, min(size, len(p.whole)-start))
		for i := start; i < min(start+size, len(p.whole)); i++ {
			r := p.whole[i].Record(p.job)
			if _, err := p.reuse(&r); err != nil {
				return err
			}
			chunk = append(chunk, r)
		}
		if err := fn(chunk); err != nil {
			return err
		}
	}
	return nil
}

// listingBase is the base a job's listing is stored over: the one it has,
// none when it began whole, else the one chooseBase finds.
func (db *DB) listingBase(j *Job) (uint64, error) {
	if j.Base != 0 {
		return j.Base, nil
	}
	var base uint64
	err := db.view(func(tx *bolt.Tx) error {
		if k, _ := rangeCursor(tx.Bucket(bucketFiles), j.ID, nil).first(); k != nil {
			return nil // began whole
		}
		base = chooseBase(tx, j)
		return nil
	})
	return base, err
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

// goneFromBase merges the sorted listing with the base's files: it returns
// the keys (in job j) of the base's files that were not listed, and how
// many files the base has.
func goneFromBase(tx *bolt.Tx, jobID, base uint64, listed []Listed, pages pageDropper) (gone [][]byte, baseTotal int) {
	br := rangeCursor(tx.Bucket(bucketFiles), base, nil)
	i := 0
	for bk, bv := br.first(); bk != nil; bk, bv = br.next() {
		pages.read(len(bv))
		if isGone(bv) {
			continue
		}
		baseTotal++
		for i < len(listed) && compareListedKey(&listed[i], bk) < 0 {
			i++
		}
		if i == len(listed) || compareListedKey(&listed[i], bk) != 0 {
			gone = append(gone, append(jobKey(jobID), bk[8:]...))
		}
	}
	return gone, baseTotal
}

// sameAsBase says whether r, stored, would say exactly what the base's
// record says once read as the job's (view.go): same analysis, reused.
func sameAsBase(bk, bv []byte, r *FileRecord) bool {
	if bv == nil || isGone(bv) || !r.Reused || (r.Status != media.StatusDone && r.Status != media.StatusSkipped) {
		return false
	}
	var b FileRecord
	if decodeFile(bk, bv, &b) != nil {
		return false
	}
	b.JobID, b.Reused = r.JobID, true
	want, err1 := marshalFile(&b)
	got, err2 := marshalFile(r)
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
