package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes. A library written by
// a newer Shoebox is refused rather than misread.
//
// Version 2: a scan may be stored over an earlier one (Job.Base, view.go),
// with "gone" marks in the files bucket; an older Shoebox would read such a
// job as holding only the files it stored. A version 1 library is a version
// 2 library whose jobs have no base: its first read-write open migrates it
// by writing the new version, and reading it changes nothing.
//
// Version 3: file records are written compressed (codec.go, flagDeflate),
// which an older Shoebox cannot read. Records of a version 2 library stay
// as they are and read as before; the first read-write open writes the new
// version, as for version 1.
//
// Version 4 (never released alone): the SHA-256 and path indexes are kept
// compact, in new buckets (indexes.go). The first read-write open converts
// the old ones (migrateCompactIndexes); a read-only open reads them as
// they are. Which layout a library has is told by its buckets, not by
// this number.
//
// Version 5: the phash bucket is the look-alike index (nearindex.go), which
// an older Shoebox would write in its old layout and leave out of step. The
// first read-write open of an older library rebuilds it from the records
// (migrateNearIndex); read-only, such a library is read from its records.
//
// Version 6: the path index's entries end with a stamp of the file they
// name (pathstamp.go), which an older Shoebox would read as damaged. The
// first read-write open of an older library stamps them
// (migratePathStamps); read-only, such a library reads as before.
const SchemaVersion = 6

// ErrLocked means another process has the library open.
var ErrLocked = errors.New("the library is in use by another Shoebox process")

// ErrNewerSchema means the library was written by a newer Shoebox.
var ErrNewerSchema = errors.New("the library was written by a newer version of Shoebox")

// ErrNotFound means no record has that key.
var ErrNotFound = errors.New("not found")

var (
	bucketMeta  = []byte("meta")
	bucketJobs  = []byte("jobs")   // jobKey(id) -> JSON Job
	bucketFiles = []byte("files")  // fileKey(job, root, rel) -> JSON FileRecord
	bucketSHA   = []byte("sha256") // sha256(32) + fileKey -> nothing
	bucketPHash = []byte("phash")  // fileKey -> the look-alike index entry (nearindex.go)
	bucketPaths = []byte("paths")  // absolute path -> fileKey of its latest analysis
	// bucketChanges is the change runs' journal: changeKey(job, seq) -> JSON
	// ChangeItem. Libraries written before change runs lack it; it is created
	// when they are next opened to write, and read as empty until then.
	bucketChanges = []byte("changes")
	keySchema     = []byte("schema_version")
	keyPrefs      = []byte("change_preferences") // in meta: JSON, see ChangePreferences
	// commonBuckets are those every library has had since schema 1; it also
	// has the SHA-256 and path indexes of its layout (requiredBucketsOf).
	commonBuckets = [][]byte{bucketMeta, bucketJobs, bucketFiles, bucketPHash}
	// openBuckets are made, when missing, by a read-write open.
	openBuckets  = append(append([][]byte(nil), commonBuckets...), bucketChanges, bucketCorrections)
	defaultLockT = 2 * time.Second
)

// Mode says whether a library is opened to change it or only to read it.
type Mode int

const (
	// ReadWrite creates the library when missing and takes the exclusive lock.
	ReadWrite Mode = iota
	// ReadOnly never creates nor writes the file: it takes a shared lock (other
	// readers may share it, a window or scan may not) and works on a library
	// file the user may not write.
	ReadOnly
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to let go of the
	// file before it gives up with ErrLocked. Default 2s.
	LockTimeout time.Duration
	// Mode is ReadWrite (the default) or ReadOnly.
	Mode Mode
	// WriteFault, when set, is called before each write transaction commits
	// with the transaction's number (1, 2, ...) counted from Open; a non-nil
	// error rolls the transaction back and is returned to the caller, as a
	// full disk would. For fault-injection tests; nil in the product.
	WriteFault func(n int64) error
	// ReleaseWhenIdle, in ReadWrite mode, lets the exclusive lock go after
	// this long without a write, so other processes can read the library
	// meanwhile (see idle.go). Default 0: the lock is held until Close.
	ReleaseWhenIdle time.Duration
}

// DB is an open library.
type DB struct {
	h       handle
	path    string
	mode    Mode
	commits atomic.Int64
	writes  atomic.Int64
	// epoch moves whenever what this handle reads may have changed (Epoch).
	epoch atomic.Uint64
	fault func(n int64) error
	// walked says whether Open read every page of the file (verified.go).
	walked bool
	// damaged is set when a transaction met a damaged page: the file is
	// then not stamped as sound at Close.
	damaged atomic.Bool
	// nearIndex says the phash bucket is the look-alike index: the library
	// is of nearIndexSchema or later, or was migrated at Open.
	nearIndex bool
	// passed counts the bytes long walks have read since the map's pages
	// were last given back (mapped.go).
	passed atomic.Int64
	// dropAfter is how many bytes walks read between drops; 0: the
	// constant dropAfter (mapped.go). Tests make it smaller.
	dropAfter int64
}

// Open opens the library at path; in ReadWrite mode it creates it when
// missing. A damaged file is refused with a DamagedError (see walkFile):
// it is never handed to bbolt, which would panic on it.
func Open(path string, opt Options) (*DB, error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = defaultLockT
	}
	fi, statErr := os.Stat(path)
	if opt.Mode == ReadOnly && errors.Is(statErr, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s", ErrNoLibrary, path)
	}
	if opt.Mode == ReadWrite {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("cannot create the library folder: %w", err)
		}
	}
	if opt.Mode == ReadOnly && statErr == nil && fi.Size() == 0 {
		return nil, &DamagedError{Path: path, Detail: "the file is empty"}
	}
	var b *bolt.DB
	walked := false
	if statErr == nil && fi.Size() > 0 {
		walked = true
		// Check the file under a shared lock first, so that a writer is not
		// changing it under the walk.
		ro, err := openBolt(path, opt.LockTimeout, true)
		if err != nil {
			return nil, err
		}
		check := verifyPages
		if stampMatches(path) {
			check, walked = verifyHeader, false
		}
		if err := check(path); err != nil {
			ro.Close()
			return nil, err
		}
		if opt.Mode == ReadOnly {
			b = ro
		} else {
			ro.Close()
		}
	}
	if b == nil {
		var err error
		if b, err = openBolt(path, opt.LockTimeout, false); err != nil {
			return nil, err
		}
	}
	db := &DB{path: path, mode: opt.Mode, fault: opt.WriteFault, walked: walked}
	db.h.bolt, db.h.shared, db.h.timeout, db.h.idle = b, opt.Mode == ReadOnly, opt.LockTimeout, opt.ReleaseWhenIdle
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	if opt.Mode == ReadWrite {
		removeCompactLeftover(path)
		db.wrote() // the idle countdown starts at open too: a window may never write
	}
	return db, nil
}

// openBolt opens the file with bbolt, guarded: a damaged header is an error
// that says so, never a panic. A library compacted (compact.go) while this
// open waited for its lock was renamed over: the lock taken is then that of
// the old, nameless file, so the file is opened again, by its name.
func openBolt(path string, timeout time.Duration, readOnly bool) (*bolt.DB, error) {
	for tries := 0; ; tries++ {
		before, _ := os.Stat(path)
		b, err := openBoltOnce(path, timeout, readOnly)
		if err != nil || before == nil {
			return b, err
		}
		if after, serr := os.Stat(path); serr == nil && os.SameFile(before, after) {
			return b, nil
		}
		b.Close()
		if tries == 3 {
			return nil, fmt.Errorf("cannot open the library %s: it was replaced again and again while this waited for it", path)
		}
	}
}

// When a commit needs more room than the file has, bbolt grows the file by
// what it needs plus AllocSize. bbolt's default, 16 MiB, made a compacted
// library of a million files grow by 3% at the first write after it; a
// fixed 1 MiB still made an unchanged rescan of a compacted 100k-file
// library (54 MB) grow by 2%, for the two pages it needed. So the step is a
// share of the file, set before every write (growthStep): between
// minGrowthStep and maxGrowthStep, a 256th of the file in between.
const (
	minGrowthStep = 32 << 10
	maxGrowthStep = 1 << 20
	growthShare   = 256
)

// growthStep is the AllocSize for a library file of size bytes.
func growthStep(size int64) int {
	return int(min(max(size/growthShare, minGrowthStep), maxGrowthStep))
}

// openBoltOnce is openBolt without the check that the file is still the
// library.
func openBoltOnce(path string, timeout time.Duration, readOnly bool) (*bolt.DB, error) {
	var b *bolt.DB
	err := guard(path, func() error {
		var err error
		// The free list is written at each commit (a page per ~500 free
		// pages) so that an open reads it instead of rebuilding it from
		// every page of the file; the map type finds free runs without
		// scanning the whole list. A library written before, without one,
		// gets it at its first read-write open, after the walk that
		// verifies it.
		b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, FreelistType: bolt.FreelistMapType, ReadOnly: readOnly})
		if err == nil {
			b.AllocSize = maxGrowthStep
		}
		return err
	})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum),
		errors.Is(err, bolterrors.ErrVersionMismatch), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, &DamagedError{Path: path, Detail: "its header is not valid: " + err.Error()}
	case err != nil && !errors.Is(err, ErrDamaged):
		return nil, fmt.Errorf("cannot open the library %s: %w", path, err)
	}
	return b, err
}

// verifyHeader checks the header pages and the free list (checkHeader).
func verifyHeader(path string) error {
	return damagedBy(path)(checkHeader(path))
}

// verifyPages walks the whole file (walkFile) and turns what it finds into
// a DamagedError.
func verifyPages(path string) error {
	return damagedBy(path)(walkFile(path, nil))
}

// damagedBy turns what a walk found into a DamagedError.
func damagedBy(path string) func(problems []string, n int, err error) error {
	return func(problems []string, n int, err error) error {
		if err != nil {
			return &DamagedError{Path: path, Detail: err.Error()}
		}
		if n > 0 {
			detail := problems[0]
			if n > 1 {
				detail += fmt.Sprintf(", and %d more problems", n-1)
			}
			return &DamagedError{Path: path, Detail: detail}
		}
		return nil
	}
}

func (db *DB) init() error {
	if db.mode == ReadOnly {
		return db.view(func(tx *bolt.Tx) error {
			for _, name := range requiredBucketsOf(layoutOf(tx)) {
				if tx.Bucket(name) == nil {
					return &DamagedError{Path: db.path, Detail: fmt.Sprintf("the %s bucket is missing", name)}
				}
			}
			v := tx.Bucket(bucketMeta).Get(keySchema)
			if err := db.checkSchema(v); err != nil {
				return err
			}
			db.nearIndex = be.Uint64(v) >= nearIndexSchema
			return nil
		})
	}
	// Not through update: this transaction changes nothing in an existing
	// library, and WriteFault counts the writes made after Open.
	plain, unstamped := false, false
	// A transaction that changed nothing is rolled back, not committed: a
	// commit moves bbolt's transaction ID on, and the duplicate groups kept
	// in the library (dupsfound.go) would be out of date after every open.
	made := false
	makeBucket := func(tx *bolt.Tx, name []byte) error {
		if tx.Bucket(name) != nil {
			return nil
		}
		made = true
		_, err := tx.CreateBucket(name)
		return err
	}
	err := guard(db.path, func() error {
		return db.h.bolt.Update(func(tx *bolt.Tx) error {
			for _, name := range openBuckets {
				if err := makeBucket(tx, name); err != nil {
					return err
				}
			}
			meta := tx.Bucket(bucketMeta)
			db.nearIndex = true
			if v := meta.Get(keySchema); v != nil {
				if err := db.checkSchema(v); err != nil {
					return err
				}
				// A library whose indexes are still plain gets its look-alike
				// index when they are converted (migrateCompactIndexes), once.
				if be.Uint64(v) < nearIndexSchema && layoutOf(tx).hashed {
					if err := migrateNearIndex(tx); err != nil {
						return err
					}
				}
			}
			if plain = !layoutOf(tx).hashed; plain {
				return nil // migrateCompactIndexes writes the version when done
			}
			for _, name := range [][]byte{compactLayout.sha, compactLayout.paths} {
				if err := makeBucket(tx, name); err != nil {
					return err
				}
			}
			v := meta.Get(keySchema)
			if v != nil && be.Uint64(v) == SchemaVersion {
				if !made {
					return errNothingWritten
				}
				return nil
			}
			if unstamped = v != nil && be.Uint64(v) < pathStampSchema; unstamped {
				// migratePathStamps writes the version when done.
				return meta.Put(keySchema, u64(pathStampSchema-1))
			}
			return meta.Put(keySchema, u64(SchemaVersion))
		})
	})
	if err != nil && !errors.Is(err, errNothingWritten) {
		return err
	}
	if plain {
		if err := migrateCompactIndexes(db, migrateBatch); err != nil {
			return err
		}
	}
	if plain || unstamped {
		return migratePathStamps(db, stampBatch)
	}
	return nil
}

// errNothingWritten rolls back a transaction that found nothing to change.
var errNothingWritten = errors.New("nothing to write")

// requiredBucketsOf are the buckets a library in layout l must have.
func requiredBucketsOf(l indexLayout) [][]byte {
	return append(append([][]byte(nil), commonBuckets...), l.sha, l.paths)
}

func (db *DB) checkSchema(v []byte) error {
	if len(v) != 8 {
		return &DamagedError{Path: db.path, Detail: "bad schema version"}
	}
	if got := be.Uint64(v); got > SchemaVersion {
		return fmt.Errorf("%w (library schema %d, this Shoebox reads %d): update Shoebox to open %s",
			ErrNewerSchema, got, SchemaVersion, db.path)
	}
	return nil
}

// ReadOnly says whether the library was opened only to read it.
func (db *DB) ReadOnly() bool { return db.mode == ReadOnly }

// Path is the library file.
func (db *DB) Path() string { return db.path }

// Writes counts the write transactions attempted since Open, for
// fault-injection tests that fail each one in turn.
func (db *DB) Writes() int64 { return db.writes.Load() }

// Commits counts the write transactions this DB has committed for results
// (CommitBatch), so tests can check batching.
func (db *DB) Commits() int64 { return db.commits.Load() }
