package store

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CheckReport is what Check found in a library.
type CheckReport struct {
	Path            string
	Jobs, Files     int      // records that decode
	BadJobs         int      // job records that do not decode
	BadFiles        int      // file records that do not decode
	Problems        []string // the first problems, in words
	ProblemCount    int      // all problems (pages, records, indexes)
	StructureIntact bool     // the b-tree walked without damage (records and indexes were checked)
}

// Healthy says whether nothing at all was found wrong.
func (r *CheckReport) Healthy() bool { return r.ProblemCount == 0 }

func (r *CheckReport) problem(format string, args ...any) {
	r.ProblemCount++
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Check verifies the library at path without changing it: the structure of
// the file page by page, then (when that is sound) bbolt's own check, every
// job and file record, and that the indexes agree with the records. It
// holds a shared lock, so it fails with ErrLocked while a scan runs.
func Check(path string, lockTimeout time.Duration) (*CheckReport, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoLibrary, path)
	}
	if lockTimeout <= 0 {
		lockTimeout = defaultLockT
	}
	rep := &CheckReport{Path: path}
	b, err := openBolt(path, lockTimeout, true)
	if errors.Is(err, ErrLocked) || (err != nil && !errors.Is(err, ErrDamaged)) {
		return nil, err
	}
	if b != nil {
		defer b.Close()
	}
	problems, n, werr := walkFile(path, nil)
	switch {
	case werr != nil:
		rep.problem("the file is not a readable library: %v", werr)
		return rep, nil
	case n > 0:
		rep.ProblemCount += n - len(problems)
		for _, p := range problems {
			rep.problem("%s", p)
		}
		return rep, nil
	case b == nil:
		rep.problem("%v", err)
		return rep, nil
	}
	rep.StructureIntact = true
	db := &DB{path: path, mode: ReadOnly}
	db.h.bolt, db.h.shared = b, true
	if err := db.view(func(tx *bolt.Tx) error { return checkTx(tx, rep) }); err != nil {
		rep.problem("%v", err)
	}
	return rep, nil
}

// checkTx runs bbolt's check and reads every record. The page walk has
// already proved the tree sound, so bbolt's check (which runs in a goroutine
// of its own, out of reach of any recovery) cannot fault on it.
func checkTx(tx *bolt.Tx, rep *CheckReport) error {
	for err := range tx.Check() {
		rep.problem("bbolt: %v", err)
	}
	for _, name := range requiredBucketsOf(layoutOf(tx)) {
		if tx.Bucket(name) == nil {
			rep.problem("the %s bucket is missing", name)
			return nil
		}
	}
	v := tx.Bucket(bucketMeta).Get(keySchema)
	if len(v) != 8 {
		rep.problem("the schema version is missing or damaged")
	}
	nearIndex := len(v) == 8 && be.Uint64(v) >= nearIndexSchema
	err := tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
		var j Job
		if err := decodeJob(v, &j); err != nil {
			rep.BadJobs++
			rep.problem("job %x does not decode: %v", k, err)
		} else {
			rep.Jobs++
		}
		return nil
	})
	if err != nil {
		return err
	}
	l := layoutOf(tx)
	files, sha, ph, paths := tx.Bucket(bucketFiles), tx.Bucket(l.sha), tx.Bucket(bucketPHash), tx.Bucket(l.paths)
	// Decoding the records (flate and JSON) is most of a check: 13.5 of 19
	// s of CPU at a million files on one core. They are decoded a batch at
	// a time on every core (decodeEntries), copied out first on this
	// goroutine, which the damage guard covers, and checked against the
	// indexes here, in the transaction, in key order as before, while the
	// next batch decodes.
	var batch []viewEntry
	var decoding *checkDecode // the batch before, decoding
	checkDecoded := func(d *checkDecode) {
		<-d.done
		for i, e := range d.batch {
			if d.errs[i] != nil {
				rep.BadFiles++
				rep.problem("file record %q does not decode: %v", e.k, d.errs[i])
				continue
			}
			rep.Files++
			r, k := &d.recs[i], e.k
			if !bytes.Equal(r.Key(), k) {
				rep.problem("file record %q says it is %q", k, r.Key())
			}
			if sum, err := hex.DecodeString(r.SHA256); r.SHA256 != "" && (err != nil || len(sum) != 32 || sha.Get(l.shaKey(sum, k)) == nil) {
				rep.problem("file record %q is missing from the SHA-256 index", k)
			}
			if nearIndex && !bytes.Equal(ph.Get(k), encodeNear(r, e.v)) {
				rep.problem("file record %q is missing from the look-alike index or disagrees with it", k)
			}
			if !pathStampAgrees(l, paths, k, r) {
				rep.problem("the path index entry of file record %q has a stamp that disagrees with it", k)
			}
		}
	}
	next := func() {
		d := decodeCheckBatch(batch)
		if decoding != nil {
			checkDecoded(decoding)
		}
		decoding, batch = d, nil
	}
	err = files.ForEach(func(k, v []byte) error {
		if isGone(v) && len(k) >= 10 {
			return nil // a job's mark for a file of its base it did not find (view.go)
		}
		batch = append(batch, viewEntry{k: bytes.Clone(k), v: bytes.Clone(v)})
		if len(batch) == checkBatch {
			next()
		}
		return nil
	})
	next()
	checkDecoded(decoding) // waited for even after an error: it reads nothing of the transaction
	if err != nil {
		return err
	}
	return checkIndexes(tx, rep, nearIndex)
}

// checkBatch is how many records a check decodes at a time: a few MB.
const checkBatch = 4096

// checkDecode is a batch of records a check decodes on other goroutines.
type checkDecode struct {
	batch []viewEntry
	recs  []FileRecord
	errs  []error
	done  chan struct{} // closed once recs and errs are filled
}

func decodeCheckBatch(batch []viewEntry) *checkDecode {
	d := &checkDecode{batch: batch, recs: make([]FileRecord, len(batch)), done: make(chan struct{})}
	go func() {
		defer close(d.done)
		d.errs = decodeEntries(d.batch, d.recs, nil)
	}()
	return d
}

// checkIndexes verifies that every index entry points at a stored file and
// reads; nearIndex says the phash bucket has the look-alike layout (else the
// 24-byte one of older libraries).
func checkIndexes(tx *bolt.Tx, rep *CheckReport, nearIndex bool) error {
	files, l := tx.Bucket(bucketFiles), layoutOf(tx)
	err := tx.Bucket(l.sha).ForEach(func(k, _ []byte) error {
		if fk := l.shaFileKey(k); fk == nil || files.Get(fk) == nil {
			rep.problem("the SHA-256 index names a file that is not stored (%x)", k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = tx.Bucket(bucketPHash).ForEach(func(k, v []byte) error {
		var e NearEntry
		readable := len(v) == 24
		if nearIndex {
			_, err := decodeNear(v, &e)
			readable = err == nil
		}
		if !readable || files.Get(k) == nil {
			rep.problem("the perceptual-hash index entry %q is damaged or names a file that is not stored", k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Bucket(l.paths).ForEach(func(k, v []byte) error {
		if p := checkPathEntry(l, files, k, v); p != "" {
			rep.problem("%s", p)
		}
		return nil
	})
}
