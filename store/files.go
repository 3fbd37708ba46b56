package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// AddFiles stores listed files (pending, or already done when their analysis
// was reused) together with the job record, in one transaction. A file that is
// already stored for the job is left as it is, so listing again after a crash
// never forgets a result.
func (db *DB) AddFiles(j *Job, recs []FileRecord) (added int, err error) {
	err = db.update(func(tx *bolt.Tx) error {
		added = 0
		files := tx.Bucket(bucketFiles)
		for i := range recs {
			r := &recs[i]
			k := r.Key()
			if v := files.Get(k); v != nil && !isGone(v) {
				continue
			}
			if err := putFile(tx, k, r); err != nil {
				return err
			}
			added++
		}
		// The look-alike index's entries grow with the analysis as the
		// records do: listed into half-full pages alike.
		files.FillPercent = listedFill(recs)
		tx.Bucket(bucketPHash).FillPercent = listedFill(recs)
		return putJob(tx, j)
	})
	return added, err
}

// CommitBatch writes analysed files and the job's progress in one transaction,
// so the library never disagrees with itself.
func (db *DB) CommitBatch(j *Job, recs []FileRecord) error {
	err := db.update(func(tx *bolt.Tx) error {
		for i := range recs {
			if err := putFile(tx, recs[i].Key(), &recs[i]); err != nil {
				return err
			}
		}
		return putJob(tx, j)
	})
	if err == nil {
		db.commits.Add(1)
		db.wroteScattered(len(recs))
	}
	return err
}

// putFile writes a record and keeps the SHA-256, look-alike and path
// indexes in step with it.
func putFile(tx *bolt.Tx, k []byte, r *FileRecord) error {
	files := tx.Bucket(bucketFiles)
	orderedFill(tx)
	l := layoutOf(tx)
	old := files.Get(k)
	if old != nil {
		var prev FileRecord
		if err := decodeFile(k, old, &prev); err == nil && prev.SHA256 != "" {
			if sum, err := hex.DecodeString(prev.SHA256); err == nil && len(sum) == 32 {
				if err := tx.Bucket(l.sha).Delete(l.shaKey(sum, k)); err != nil {
					return err
				}
			}
		}
	}
	v, err := encodeFile(r)
	if err != nil {
		return err
	}
	if old != nil {
		// Deleting first marks the page for bbolt's rebalance (see
		// rewriteFillPercent); the record is put back in the same transaction.
		files.FillPercent = rewriteFillPercent
		if err := files.Delete(k); err != nil {
			return err
		}
	}
	if err := files.Put(k, v); err != nil {
		return err
	}
	if err := putNear(tx, k, r, v); err != nil { // the look-alike index (nearindex.go)
		return err
	}
	if r.SHA256 != "" {
		sum, err := hex.DecodeString(r.SHA256)
		if err != nil || len(sum) != 32 {
			return fmt.Errorf("bad sha256 %q for %s", r.SHA256, r.RelPath)
		}
		if err := tx.Bucket(l.sha).Put(l.shaKey(sum, k), nil); err != nil {
			return err
		}
	}
	if r.Status == media.StatusDone || r.Status == media.StatusSkipped {
		abs := r.AbsPath()
		if err := tx.Bucket(l.paths).Put(l.pathKey(abs), l.pathEntry(abs, k, r)); err != nil {
			return err
		}
	}
	return nil
}

// orderedFillPercent is how full bbolt fills a page when it splits one of
// the buckets whose keys a scan writes in order (files and perceptual hashes
// by job then path, paths by path). bbolt's default, half, suits random
// inserts; written in order, pages then stay half empty for good, and the
// library took twice the room its records need.
const orderedFillPercent = 0.9

// orderedFill sets orderedFillPercent on those buckets for the transaction,
// except where a caller already chose a fill (see listedFill and
// rewriteFillPercent: the files bucket and the look-alike index, whose
// entries grow alike).
func orderedFill(tx *bolt.Tx) {
	for _, name := range [][]byte{bucketFiles, bucketPHash, bucketPaths} { // the hashed paths are in no order
		if b := tx.Bucket(name); b != nil && b.FillPercent == bolt.DefaultFillPercent {
			b.FillPercent = orderedFillPercent
		}
	}
}

// A scan lists its files as pending records, then rewrites each with its
// analysis, about twice as long. Listed at orderedFillPercent, every page
// overflowed when its records were rewritten, and the rewrites split it
// into a full page and a fragment that nothing touched again: the files
// bucket ended two thirds full (505 bytes a file at 100k where its records
// take 330). So:
//
//   - pending records are listed into half-full pages (pendingFillPercent),
//     which their analysed records then fill without splitting;
//   - a rewrite deletes the record before putting it back, and sets the
//     bucket's FillPercent to rewriteFillPercent. bbolt (v1.4) splits a page
//     at min(FillPercent, 1) of its size, and merges a page that lost a key
//     into its sibling when it is under FillPercent/2 of its size: at 1.8 a
//     rewritten page under 90% full is merged with its neighbour, so the
//     pages a scan leaves behind are nearly full, whatever the ratio of the
//     analysed record to the pending one. (TestLibraryBytesPerFile fails if
//     a bbolt release changes this.)
const (
	pendingFillPercent = 0.5
	rewriteFillPercent = 1.8
)

// listedFill is the files bucket's fill for a listing transaction: half for
// pending records, which grow when analysed, ordered for the others (files
// whose analysis was reused), weighted by their numbers.
func listedFill(recs []FileRecord) float64 {
	if len(recs) == 0 {
		return orderedFillPercent
	}
	pending := 0
	for i := range recs {
		if recs[i].Status == media.StatusPending {
			pending++
		}
	}
	p := float64(pending) / float64(len(recs))
	return p*pendingFillPercent + (1-p)*orderedFillPercent
}

// Files lists a job's files in processing order.
func (db *DB) Files(jobID uint64) ([]FileRecord, error) {
	recs, _, err := db.scanFiles(jobID, nil, 0, func(media.Status) bool { return true })
	return recs, err
}

// FilesWithStatus lists a job's files that have the given status, in order.
func (db *DB) FilesWithStatus(jobID uint64, st media.Status) ([]FileRecord, error) {
	recs, _, err := db.scanFiles(jobID, nil, 0, func(s media.Status) bool { return s == st })
	return recs, err
}

// PendingAfter returns up to limit pending files of the job whose key sorts
// after the given one (nil: from the start), in order, and the stored key of
// the last one: the next call continues from it. A caller must resume from
// that key, never from one recomputed from a decoded record, so a walk always
// moves forward.
func (db *DB) PendingAfter(jobID uint64, after []byte, limit int) (recs []FileRecord, last []byte, err error) {
	return db.scanFiles(jobID, after, limit, func(s media.Status) bool { return s == media.StatusPending })
}

// scanFiles decodes the records whose status (read from the value's header,
// without decoding the rest) passes keep, and returns the key of the last
// one. A record that cannot be decoded is skipped and counted: the others are
// returned with a *DamagedRecords error. The records are copied out of the
// transaction and decoded on every core (decodeEntries): decoding is most of
// reading a million records.
func (db *DB) scanFiles(jobID uint64, after []byte, limit int, keep func(media.Status) bool) ([]FileRecord, []byte, error) {
	var out []FileRecord
	if limit > 0 {
		out = make([]FileRecord, 0, limit) // grown by appending, a batch left copies behind
	}
	var last []byte
	var bad skipped
	for {
		var raw []viewEntry
		full := false // the batch was filled before the view's end
		err := db.view(func(tx *bolt.Tx) error {
			raw, full = raw[:0], false
			pages := pageDropper{db: db, tx: tx} // what the walk passed is given back (mapped.go)
			eachInView(tx, jobID, baseOf(tx, jobID), after, func(e viewEntry) bool {
				pages.read(len(e.v))
				st, _, err := entryHeader(e)
				if err != nil {
					bad.add("file record", e.k[10:], err)
					return true
				}
				if keep(st) {
					raw = append(raw, viewEntry{k: bytes.Clone(e.k), v: bytes.Clone(e.v), inherited: e.inherited})
				}
				full = limit > 0 && len(out)+len(raw) >= limit
				return !full
			})
			return nil
		})
		if err != nil {
			return out, last, err
		}
		// Decoded in place at the end of out, then the records that did
		// not decode are closed up.
		start := len(out)
		out = slices.Grow(out, len(raw))[:start+len(raw)]
		errs := decodeEntries(raw, out[start:], &bad)
		n := start
		for i := range raw {
			if errs[i] == nil {
				out[n] = out[start+i]
				last = raw[i].k
				n++
			}
		}
		clear(out[n:])
		out = out[:n]
		// A record that did not decode leaves the batch short: fill it up
		// from after the last one read, as one walk would have.
		if !full || len(out) >= limit {
			break
		}
		after = raw[len(raw)-1].k
	}
	return out, last, bad.err(db.path)
}

// decodeEntries decodes entries (copied out of their transaction) into
// out[i] (as long as raw, its records zero or overwritten whole), split
// between GOMAXPROCS goroutines; errs[i] is why raw[i] did not decode (nil
// when it did), and those that did not are counted in bad unless it is nil.
func decodeEntries(raw []viewEntry, out []FileRecord, bad *skipped) (errs []error) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(raw)/64))
	errs = make([]error, len(raw))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * len(raw) / workers; i < (w+1)*len(raw)/workers; i++ {
				out[i] = FileRecord{}
				errs[i] = decodeEntry(raw[i], &out[i])
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil && bad != nil {
			bad.add("file record", raw[i].k[10:], err)
		}
	}
	return errs
}

// Previous returns the latest analysis stored for a file at this absolute
// path, from any job, so a rescan can reuse it when the file is unchanged.
func (db *DB) Previous(absPath string) (FileRecord, bool, error) {
	var r FileRecord
	var found bool
	err := db.view(func(tx *bolt.Tx) error {
		k := previousKey(tx, absPath)
		if k == nil {
			return nil
		}
		v := tx.Bucket(bucketFiles).Get(k)
		if v == nil {
			return nil
		}
		// A damaged record is as good as none: the file is analysed again.
		// So is one at another path, whose path shares a hashed index entry
		// (indexes.go).
		found = decodeFile(k, v, &r) == nil && r.AbsPath() == absPath
		return nil
	})
	return r, found, err
}

// ResetErrors makes a job's failed files pending again and takes them out of
// its counts, in one transaction, so "retry failed files" analyses exactly those.
func (db *DB) ResetErrors(j *Job) (int, error) {
	n := 0
	err := db.update(func(tx *bolt.Tx) error {
		n = 0
		files := tx.Bucket(bucketFiles)
		prefix := jobKey(j.ID)
		var failed []FileRecord
		var keys [][]byte // rewritten under the keys they are stored under
		// Failed files are never inherited from a base: they are the job's own.
		c := files.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if isGone(v) {
				continue
			}
			if st, _, err := fileHeader(v); err != nil || st != media.StatusError {
				continue
			}
			var r FileRecord
			if err := decodeFile(k, v, &r); err != nil {
				return err
			}
			failed = append(failed, r)
			keys = append(keys, bytes.Clone(k))
		}
		for i := range failed {
			r := &failed[i]
			r.Status, r.Error = media.StatusPending, ""
			if err := putFile(tx, keys[i], r); err != nil {
				return err
			}
			n++
		}
		j.ErrorCount -= n
		j.ProgressCurrent -= n
		return putJob(tx, j)
	})
	return n, err
}

// FileCounts are a job's files by status.
type FileCounts struct {
	Total, Pending, Done, Error, Skipped, Reused int
}

// CountFiles counts a job's files by status, from the record headers alone.
func (db *DB) CountFiles(jobID uint64) (FileCounts, error) {
	var c FileCounts
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		c, bad = countView(tx, jobID, baseOf(tx, jobID), pageDropper{db: db, tx: tx})
		return nil
	})
	if err != nil {
		return c, err
	}
	return c, bad.err(db.path)
}

// countView counts the files of a job's view over base.
func countView(tx *bolt.Tx, jobID, base uint64, pages pageDropper) (FileCounts, skipped) {
	var c FileCounts
	var bad skipped
	eachInView(tx, jobID, base, nil, func(e viewEntry) bool {
		pages.read(len(e.v))
		st, reused, err := entryHeader(e)
		if err != nil {
			bad.add("file record", e.k[10:], err)
			return true
		}
		c.Total++
		switch st {
		case media.StatusPending:
			c.Pending++
		case media.StatusDone:
			c.Done++
		case media.StatusError:
			c.Error++
		case media.StatusSkipped:
			c.Skipped++
		}
		if reused {
			c.Reused++
		}
		return true
	})
	return c, bad
}
