package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// A walk of the look-alike index alone. EachNearEntry reads every record's
// bytes for the CRC its entry must match: at a million files that is the
// whole files bucket (578 MB), and on a library not in the page cache the
// search took 12 s, 10 of them faulting record pages in. The index is a
// fifth of that and lies in key order. EachIndexedNear walks it alone and
// trusts each entry that decodes; what it cannot see from there is left to
// its caller, which checks what it uses:
//   - an entry missing: the walk counts the files of the view it found
//     (IndexedNear.Files); fewer than the job counted at its end
//     (Job.ProgressTotal) means the index is not whole, and the caller
//     walks the records (EachNearEntry);
//   - a record changed or damaged since its entry was written: the caller
//     reads the records of the files it keeps (the groups found) through
//     FilesOfNearEntries, which compares each with its entry's CRC and says
//     how many disagree; any, and the caller walks the records.
// A record damaged where it is never shown is so not reported by this walk;
// `shoebox check` and every walk of the records still name it.

// IndexedNear is what EachIndexedNear found.
type IndexedNear struct {
	// Files is the number of files of the job's view found in the index,
	// those whose entry did not decode included.
	Files int
}

// EachIndexedNear calls fn with the look-alike index entry of every file of
// a job's view, in processing order, reading no record except where an
// entry does not decode: that record is decoded instead, and counted in a
// *DamagedRecords error as EachNearEntry counts it. See above for what it
// does not check. It reads in one transaction: fn must not write to the
// library. A library opened read-only before it was migrated has no index:
// ErrNoNearIndex.
func (db *DB) EachIndexedNear(jobID uint64, fn func(NearEntry)) (IndexedNear, error) {
	if !db.nearIndex {
		return IndexedNear{}, ErrNoNearIndex
	}
	var found IndexedNear
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		found, bad = IndexedNear{}, skipped{}
		ph, files := tx.Bucket(bucketPHash), tx.Bucket(bucketFiles)
		pages := pageDropper{db: db, tx: tx} // the whole index is walked (mapped.go)
		in := viewFiles{tx: tx}
		yield := func(k, v []byte) {
			found.Files++
			pages.read(len(k) + len(v))
			e := NearEntry{Key: k}
			if _, err := decodeNear(v, &e); err == nil {
				fn(e)
				return
			}
			stored, err := in.stored(k)
			if err != nil {
				bad.add("file record", k[10:], err)
				return
			}
			nearFromRecord(stored, &bad, fn)
		}
		base := in.baseOf(jobID)
		own := rangeCursor(ph, jobID, nil)
		if base == 0 {
			for k, v := own.first(); k != nil; k, v = own.next() {
				yield(k, v)
			}
			return nil
		}
		// The job's own entries over its base's, as eachInView merges the
		// records; a file of the base the job marked gone has a mark in the
		// job's range of the files bucket, read in step (a rescan's range
		// holds only what changed).
		marks := &nearCursor{r: rangeCursor(files, jobID, nil)}
		inh := rangeCursor(ph, base, nil)
		kbuf := jobKey(jobID)
		ok, ov := own.first()
		ik, iv := inh.first()
		for ok != nil || ik != nil {
			c := -1
			switch {
			case ok == nil:
				c = 1
			case ik != nil:
				c = bytes.Compare(ok[8:], ik[8:])
			}
			if c <= 0 {
				yield(ok, ov)
				if c == 0 {
					ik, iv = inh.next()
				}
				ok, ov = own.next()
				continue
			}
			kbuf = append(kbuf[:8], ik[8:]...)
			if m := marks.get(ik[8:]); m == nil {
				yield(kbuf, iv)
			} else if !isGone(m) {
				// The job's own record, without its own entry: read
				// from the record, as an entry that does not decode.
				yield(kbuf, nil)
			}
			ik, iv = inh.next()
		}
		return nil
	})
	if err != nil {
		return found, err
	}
	return found, bad.err(db.path)
}

// FilesOfNearEntries reads the records of keys (as FileByKey does) in one
// transaction, each checked against the CRC of the index entry it was
// found by (crcs[i], NearEntry.CRC): one that disagrees is not decoded
// (found[i] false) and is counted in stale, for the caller to search again
// from the records (EachNearEntry). A key whose record is no longer stored
// or does not decode is counted in a *DamagedRecords error.
func (db *DB) FilesOfNearEntries(keys [][]byte, crcs []uint32) (recs []FileRecord, found []bool, stale int, err error) {
	var bad skipped
	err = db.view(func(tx *bolt.Tx) error {
		recs, found, stale, bad = make([]FileRecord, len(keys)), make([]bool, len(keys)), 0, skipped{}
		pages := pageDropper{db: db, tx: tx} // the groups' files lie all over the file (mapped.go)
		in := viewFiles{tx: tx}
		for i, k := range keys {
			pages.readScattered()
			e, err := in.stored(k)
			if err == nil && recordCRC(e.v) != crcs[i] {
				stale++
				continue
			}
			if err == nil {
				err = decodeEntry(e, &recs[i])
			}
			if err != nil {
				bad.add("file record", k[min(10, len(k)):], err)
				continue
			}
			found[i] = true
		}
		return nil
	})
	if err != nil {
		return recs, found, stale, err
	}
	return recs, found, stale, bad.err(db.path)
}
