// Package store keeps Shoebox's library in one bbolt file: jobs, the files of
// each job with their analysis, an index by SHA-256 for exact duplicates across
// jobs, the perceptual hashes for near-duplicate search, and an index by
// absolute path that lets a rescan reuse unchanged files' analysis.
//
// Buckets are created once at open. Queries run in read-only transactions and
// copy their values out. The store knows nothing of the job engine or the window.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this code reads and writes. A library written by
// a newer Shoebox is refused rather than misread.
const SchemaVersion = 1

// ErrLocked means another process has the library open.
var ErrLocked = errors.New("the library is in use by another Shoebox process")

// ErrNewerSchema means the library was written by a newer Shoebox.
var ErrNewerSchema = errors.New("the library was written by a newer version of Shoebox")

// ErrNotFound means no record has that key.
var ErrNotFound = errors.New("not found")

var (
	bucketMeta   = []byte("meta")
	bucketJobs   = []byte("jobs")   // jobKey(id) -> JSON Job
	bucketFiles  = []byte("files")  // fileKey(job, root, rel) -> JSON FileRecord
	bucketSHA    = []byte("sha256") // sha256(32) + fileKey -> nothing
	bucketPHash  = []byte("phash")  // fileKey -> phash(8) dhash(8) width(4) height(4)
	bucketPaths  = []byte("paths")  // absolute path -> fileKey of its latest analysis
	keySchema    = []byte("schema_version")
	allBuckets   = [][]byte{bucketMeta, bucketJobs, bucketFiles, bucketSHA, bucketPHash, bucketPaths}
	defaultLockT = 2 * time.Second
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to let go of the
	// file before it gives up with ErrLocked. Default 2s.
	LockTimeout time.Duration
	// WriteFault, when set, is called before each write transaction commits
	// with the transaction's number (1, 2, ...) counted from Open; a non-nil
	// error rolls the transaction back and is returned to the caller, as a
	// full disk would. For fault-injection tests; nil in the product.
	WriteFault func(n int64) error
}

// DB is an open library.
type DB struct {
	bolt    *bolt.DB
	path    string
	commits atomic.Int64
	writes  atomic.Int64
	fault   func(n int64) error
}

// Open opens (creating when missing) the library at path.
func Open(path string, opt Options) (*DB, error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = defaultLockT
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the library folder: %w", err)
	}
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.LockTimeout, NoFreelistSync: true})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open the library %s: %w", path, err)
	}
	db := &DB{bolt: b, path: path, fault: opt.WriteFault}
	if err := db.init(); err != nil {
		b.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) init() error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("the library %s is damaged: bad schema version", db.path)
			}
			if got := be.Uint64(v); got > SchemaVersion {
				return fmt.Errorf("%w (library schema %d, this Shoebox reads %d): update Shoebox to open %s",
					ErrNewerSchema, got, SchemaVersion, db.path)
			}
			return nil
		}
		return meta.Put(keySchema, u64(SchemaVersion))
	})
}

// Path is the library file.
func (db *DB) Path() string { return db.path }

// Close flushes and closes the library.
func (db *DB) Close() error { return db.bolt.Close() }

// Writes counts the write transactions attempted since Open, for
// fault-injection tests that fail each one in turn.
func (db *DB) Writes() int64 { return db.writes.Load() }

// Commits counts the write transactions this DB has committed for results
// (CommitBatch), so tests can check batching.
func (db *DB) Commits() int64 { return db.commits.Load() }
