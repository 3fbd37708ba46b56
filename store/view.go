package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// Jobs refer to file records; they do not copy them. A rescan that found
// most files unchanged stores only what differs from an earlier scan of the
// same folders, its base (Job.Base): the files that are new or changed, and
// a "gone" marker for each file of the base it did not find. The job's files
// (its view) are then its own records over the base's, the base's records
// standing for the job where it stored none: they hold the same analysis,
// reused (Reused), under the job's ID. An unchanged rescan so writes its job
// record and nothing per file, and every job still shows exactly what it
// saw, so History stays true.
//
// A base is always a job that has none itself (a full job), so a view is at
// most two key ranges merged. A scan takes as base the latest completed full
// scan of the same roots, in the same order, unless what differs from it is
// more than a quarter of its files: then it is stored whole and becomes a
// base itself.

// goneValue marks, in a job's own key range, a file of its base that the job
// did not find.
var goneValue = []byte{'g', 0}

func isGone(v []byte) bool { return len(v) >= 1 && v[0] == 'g' }

// baseOf reads the job's base from its record; 0 when it has none or the
// record cannot be read (then only its own records are its view).
func baseOf(tx *bolt.Tx, jobID uint64) uint64 {
	v := tx.Bucket(bucketJobs).Get(jobKey(jobID))
	if v == nil {
		return 0
	}
	var j Job
	if decodeJob(v, &j) != nil || j.Base >= jobID {
		return 0
	}
	return j.Base
}

// ownsNone says whether the job stored no file of its own, not even a gone
// mark: its view is its base's.
func ownsNone(tx *bolt.Tx, jobID uint64) bool {
	k, _ := tx.Bucket(bucketFiles).Cursor().Seek(jobKey(jobID))
	return len(k) < 8 || be.Uint64(k) != jobID
}

// viewEntry is one file of a job's view: k is the key it has in the job
// (the job's ID first), v the stored value (the base's, when inherited).
type viewEntry struct {
	k, v      []byte
	inherited bool
}

// eachInView calls fn for every file of the job's view, in key order, from
// the first whose key sorts after `after` (nil: from the start); fn returns
// false to stop. Keys and values are bbolt's memory: valid in the
// transaction only; the key of an inherited entry is made in a buffer
// reused for the next one, so it is valid during fn only (a million
// inherited files made two million small allocations).
func eachInView(tx *bolt.Tx, jobID, base uint64, after []byte, fn func(e viewEntry) bool) {
	files := tx.Bucket(bucketFiles)
	own := rangeCursor(files, jobID, after)
	if base == 0 {
		for k, v := own.first(); k != nil; k, v = own.next() {
			if !isGone(v) && !fn(viewEntry{k: k, v: v}) {
				return
			}
		}
		return
	}
	inh := rangeCursor(files, base, after)
	kbuf := jobKey(jobID)
	ok, ov := own.first()
	ik, iv := inh.first()
	for ok != nil || ik != nil {
		var c int
		switch {
		case ok == nil:
			c = 1
		case ik == nil:
			c = -1
		default:
			c = bytes.Compare(ok[8:], ik[8:])
		}
		if c <= 0 {
			if !isGone(ov) && !fn(viewEntry{k: ok, v: ov}) {
				return
			}
			if c == 0 {
				ik, iv = inh.next()
			}
			ok, ov = own.next()
			continue
		}
		kbuf = append(kbuf[:8], ik[8:]...)
		if !isGone(iv) && !fn(viewEntry{k: kbuf, v: iv, inherited: true}) {
			return
		}
		ik, iv = inh.next()
	}
}

// jobRange walks the keys of one job in the files bucket.
type jobRange struct {
	c      *bolt.Cursor
	prefix []byte
	after  []byte // the suffix (root, path) to start after; nil: from the start
}

func rangeCursor(files *bolt.Bucket, jobID uint64, after []byte) *jobRange {
	r := &jobRange{c: files.Cursor(), prefix: jobKey(jobID)}
	if len(after) >= 8 {
		r.after = after[8:]
	}
	return r
}

func (r *jobRange) first() ([]byte, []byte) {
	seek := r.prefix
	if r.after != nil {
		seek = append(bytes.Clone(r.prefix), r.after...)
	}
	k, v := r.c.Seek(seek)
	if r.after != nil && k != nil && bytes.Equal(k, seek) {
		k, v = r.c.Next()
	}
	return r.in(k, v)
}

func (r *jobRange) next() ([]byte, []byte) { return r.in(r.c.Next()) }

func (r *jobRange) in(k, v []byte) ([]byte, []byte) {
	if k == nil || !bytes.HasPrefix(k, r.prefix) {
		return nil, nil
	}
	return k, v
}

// decodeEntry decodes a view entry as the job's record: an inherited one
// takes the job's ID and is marked reused.
func decodeEntry(e viewEntry, r *FileRecord) error {
	if err := decodeFile(e.k, e.v, r); err != nil {
		return err
	}
	if e.inherited {
		r.Reused = true
	}
	return nil
}

// entryHeader is the status of a view entry and whether it was reused.
func entryHeader(e viewEntry) (media.Status, bool, error) {
	st, reused, err := fileHeader(e.v)
	return st, reused || e.inherited, err
}
