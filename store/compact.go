package store

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Compaction (issue 14: a library of a million files in at most 600 MB).
// bbolt never gives a page back to the file system and fills its pages by
// the order keys arrive in: the SHA-256 and path indexes are keyed by
// hashes, so their keys arrive in random order and every page that fills
// splits into two half-full ones; the records are rewritten as they are
// analysed. A 1M-file library held 548 MB of live bytes in a 669 MB file.
// What bbolt itself recommends is a compacted copy: every bucket written
// again in key order, pages filled whole. CompactIfSlack does that after a
// job, when the file is large and much of it is slack, and swaps the copy
// in so that a crash at any point leaves either the old file or the new
// one, whole:
//
//  1. the copy is written beside the library (<library>-compacting, which a
//     scan leaves out), under the library's exclusive lock, and compared
//     with the library key by key, value by value;
//  2. it is synced, then renamed over the library while this process still
//     holds the old file's lock and already holds the new one's, and the
//     folder is synced;
//  3. only then is the old file let go. Another Shoebox waiting for the lock
//     gets the old, now nameless, file: openBolt sees that the path no longer
//     names the file it locked and opens it again.
//
// Writes of this process during the copy make it stale: the swap is then
// given up (the epoch tells), and the next job tries again.

// compactSuffix names the copy being written beside the library.
const compactSuffix = "-compacting"

// keyCheckedSize, in meta, is the file's size when its slack was last
// measured (or when it was compacted): a library that has not grown by
// compactRecheck since is not measured again, so an unchanged rescan does
// not pay a walk of every page.
var keyCheckedSize = []byte("compact_checked_size")

// compactRecheck is how much a library grows before its slack is measured
// again: a twentieth.
const compactRecheck = 20

// compactTxBytes bounds the keys and values one transaction of the copy
// puts, and so what it holds in memory: bbolt keeps several times as much
// in nodes and pages until the commit. At a million files, 16 MiB took the
// copy to 272 MB resident (a heap of 100 MB live, 200 MB before each
// collection); 4 MiB, to 85 MB, in the same 10 s and a file 4 KiB larger.
const compactTxBytes = 4 << 20

// ErrBusy means a job or change run holds the library's writes: it is not
// compacted under them.
var ErrBusy = errors.New("a job or change run is in progress on the library")

// CompactOptions tune CompactIfSlack. Zero values mean the defaults.
type CompactOptions struct {
	// MinSize: a smaller library file is left as it is. Default 32 MiB.
	MinSize int64
	// MinSlack is the share of the file its pages do not use (free pages,
	// half-empty pages) from which it is compacted. Default 0.10.
	MinSlack float64
	// OnCompacting is called once the library is found worth compacting,
	// before the copy is written (the CLI prints "compacting the
	// library…"). Default nil.
	OnCompacting func(r CompactResult)
	// Step is called at each step of the copy and the swap ("copying",
	// "copied", "synced", "renamed", "swapped"), so crash tests can kill
	// the process at each one. Default nil.
	Step func(step string)
}

// CompactResult says what CompactIfSlack found and did.
type CompactResult struct {
	// Compacted says the library file was replaced by its compacted copy.
	Compacted bool
	// Measured says the pages were walked to measure the slack.
	Measured bool
	// Before and After are the file's sizes in bytes (After = Before when
	// nothing was done).
	Before, After int64
	// InUse is the bytes the buckets' pages hold, when Measured.
	InUse int64
}

func (o CompactOptions) withDefaults() CompactOptions {
	if o.MinSize <= 0 {
		o.MinSize = 32 << 20
	}
	if o.MinSlack <= 0 {
		o.MinSlack = 0.10
	}
	if o.Step == nil {
		o.Step = func(string) {}
	}
	return o
}

// CompactIfSlack compacts the library when its file is at least MinSize
// and at least MinSlack of it is slack, as the package comment above says.
// It refuses (ErrBusy) while anything holds writes (HoldWrites: a job or a
// change run) and on a library opened read-only.
func (db *DB) CompactIfSlack(opt CompactOptions) (CompactResult, error) {
	opt = opt.withDefaults()
	if db.mode == ReadOnly {
		return CompactResult{}, fmt.Errorf("the library %s is open only to read: it cannot be compacted", db.path)
	}
	if err := db.reserveWrites(); err != nil {
		return CompactResult{}, err
	}
	defer db.ReleaseWrites()
	fi, err := os.Stat(db.path)
	if err != nil {
		return CompactResult{}, fmt.Errorf("cannot read the size of the library %s: %w", db.path, err)
	}
	res := CompactResult{Before: fi.Size(), After: fi.Size()}
	if res.Before < opt.MinSize {
		return res, nil
	}
	checked, err := db.checkedSize()
	if err != nil || (checked > 0 && res.Before <= checked+checked/compactRecheck) {
		return res, err
	}
	if res.InUse, err = db.inUse(); err != nil {
		return res, err
	}
	res.Measured = true
	if float64(res.Before-res.InUse) < opt.MinSlack*float64(res.Before) {
		return res, db.updateKeepingGroups(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keyCheckedSize, u64(uint64(res.Before)))
		})
	}
	if opt.OnCompacting != nil {
		opt.OnCompacting(res)
	}
	return db.compact(res, opt)
}

// reserveWrites holds writes for the compaction, as HoldWrites does, but
// only when nothing else holds them; it takes the exclusive lock.
func (db *DB) reserveWrites() error {
	db.h.mu.Lock()
	if db.h.closed {
		db.h.mu.Unlock()
		return errClosed
	}
	if db.h.holds > 0 {
		db.h.mu.Unlock()
		return fmt.Errorf("cannot compact the library %s: %w", db.path, ErrBusy)
	}
	db.h.mu.Unlock()
	return db.HoldWrites()
}

// checkedSize is the file size the slack was last measured at; 0: never.
func (db *DB) checkedSize() (int64, error) {
	var n int64
	err := db.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyCheckedSize); len(v) == 8 {
			n = int64(be.Uint64(v))
		}
		return nil
	})
	return n, err
}

// longView is view for a transaction that lasts: it holds the handle's
// lock only to begin it. Held throughout, the lock would make every other
// reader of this process wait behind any writer that asks for it meanwhile
// (wrote, HoldWrites). The handle cannot be closed under the transaction:
// bbolt's Close waits for it.
func (db *DB) longView(fn func(*bolt.Tx) error) error {
	db.h.mu.RLock()
	b, closed := db.h.bolt, db.h.closed
	if closed || b == nil {
		db.h.mu.RUnlock()
		return errClosed
	}
	tx, err := b.Begin(false)
	db.h.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("cannot read the library %s: %w", db.path, err)
	}
	defer tx.Rollback()
	return db.noteDamage(guard(db.path, func() error { return fn(tx) }))
}

// inUse is the bytes the pages of every bucket hold, plus the two meta
// pages. It walks every page of the file with plain reads (walkTrees), not
// through bbolt's map, whose pages a walk of every bucket (Bucket.Stats)
// would leave counted against the process: 530 MB at a million files,
// on top of what the job before it left. Writes are held meanwhile
// (CompactIfSlack), so the file is what the map shows. A damaged file is
// not compacted.
func (db *DB) inUse() (int64, error) {
	w, err := walkTrees(db.path, nil)
	if err == nil && w.nProblem > 0 {
		err = errors.New(w.problems[0])
	}
	if err != nil {
		return 0, fmt.Errorf("cannot measure the library %s before compacting it: %w", db.path, err)
	}
	return w.inUse + 2*int64(w.meta.pageSize), nil
}

// compact writes the copy, checks it and swaps it in.
func (db *DB) compact(res CompactResult, opt CompactOptions) (CompactResult, error) {
	tmp := db.path + compactSuffix
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return res, fmt.Errorf("cannot remove the unfinished copy %s: %w", tmp, err)
	}
	start := db.Epoch()
	opt.Step("copying")
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: db.h.timeout, FreelistType: bolt.FreelistMapType, NoSync: true})
	if err != nil {
		return res, fmt.Errorf("cannot write the compacted copy %s: %w", tmp, err)
	}
	keep := false
	defer func() {
		if !keep {
			if dst != nil {
				dst.Close()
			}
			os.Remove(tmp)
		}
	}()
	err = db.longView(func(tx *bolt.Tx) error { return copyBuckets(dst, tx, pageDropper{db: db, tx: tx}) })
	if err == nil {
		opt.Step("copied")
		if db.Epoch() != start {
			return res, nil // written meanwhile: the copy is stale
		}
		err = db.longView(func(tx *bolt.Tx) error {
			return dst.View(func(dtx *bolt.Tx) error { return sameCopy(tx, dtx, tmp, pageDropper{db: db, tx: tx}) })
		})
	}
	if err == nil {
		dst, err = finishCopy(dst, tmp, db.h.timeout)
	}
	if err != nil {
		return res, fmt.Errorf("cannot write the compacted copy %s: %w", tmp, err)
	}
	opt.Step("synced")
	swapped, err := db.swapIn(dst, tmp, start, opt)
	if !swapped {
		return res, err
	}
	keep = true // dst is the library's handle now
	res.Compacted = true
	if fi, serr := os.Stat(db.path); serr == nil {
		res.After = fi.Size()
	}
	if err == nil {
		opt.Step("swapped")
	}
	return res, err
}

// finishCopy records the copy's size as measured (keyCheckedSize), cuts
// the room bbolt added at its end (grow), syncs it and opens it again as
// the library is opened (synced writes), still under its own lock: only
// this process, which holds the library's lock, ever opens the copy.
func finishCopy(dst *bolt.DB, tmp string, timeout time.Duration) (*bolt.DB, error) {
	var size int64
	err := dst.Update(func(tx *bolt.Tx) error {
		size = tx.Size()
		if err := tx.Bucket(bucketMeta).Put(keyCheckedSize, u64(uint64(size))); err != nil {
			return err
		}
		return markFoundCopied(tx)
	})
	if err == nil {
		err = dst.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Truncate(tmp, size)
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		return nil, err
	}
	return openBoltOnce(tmp, timeout, false)
}

// syncFile flushes the file at path to the disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// swapIn renames the synced copy over the library and makes it this
// handle's file, unless the library was written since the copy began or
// another job took hold of it meanwhile (then false: the copy is dropped).
func (db *DB) swapIn(dst *bolt.DB, tmp string, start uint64, opt CompactOptions) (bool, error) {
	h := &db.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || h.holds != 1 || h.shared || h.bolt == nil || db.epoch.Load() != start {
		return false, nil
	}
	if err := os.Rename(tmp, db.path); err != nil {
		return false, fmt.Errorf("cannot put the compacted copy in place of %s: %w", db.path, err)
	}
	opt.Step("renamed")
	// From the rename on, the library is the copy whatever happens: the
	// old file is let go even when the folder cannot be synced.
	serr := syncDir(filepath.Dir(db.path))
	old := h.bolt
	h.bolt = dst
	db.epoch.Add(1)
	old.Close()
	if serr != nil {
		return true, fmt.Errorf("the library %s was compacted, but its folder could not be synced: %w", db.path, serr)
	}
	return true, nil
}

// copyBuckets writes every bucket of tx into dst in key order, pages filled
// whole, committing every compactTxBytes so memory stays bounded. It reads
// the whole library through its map, and gives the pages back as it goes
// (pages, mapped.go) and after each commit, which copies the values put
// from the map (bbolt keeps them by reference until then).
func copyBuckets(dst *bolt.DB, tx *bolt.Tx, pages pageDropper) error {
	dtx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { dtx.Rollback() }()
	var size int
	// parent finds the destination bucket again after a commit.
	var copyInto func(path [][]byte, src *bolt.Bucket) error
	copyInto = func(path [][]byte, src *bolt.Bucket) error {
		b, err := bucketAt(dtx, path, src.Sequence())
		if err != nil {
			return err
		}
		c := src.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if err := copyInto(append(path[:len(path):len(path)], k), src.Bucket(k)); err != nil {
					return err
				}
				b, _ = bucketAt(dtx, path, src.Sequence())
				continue
			}
			if size += len(k) + len(v); size > compactTxBytes {
				if err := dtx.Commit(); err != nil {
					return err
				}
				pages.drop() // the commit read the values put again
				if dtx, err = dst.Begin(true); err != nil {
					return err
				}
				size = 0
				b, _ = bucketAt(dtx, path, src.Sequence())
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
			pages.read(len(k) + len(v))
		}
		return nil
	}
	err = tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		if leftOut(tx, name) {
			return nil
		}
		return copyInto([][]byte{name}, b)
	})
	if err != nil {
		return err
	}
	err = dtx.Commit()
	pages.drop()
	return err
}

// leftOut says a top-level bucket of tx is left out of the compacted copy
// and of its check: the duplicate groups found, unless they are current
// (dupsfound.go). They say through which transaction of this file they are
// current, and the copy counts its transactions from one again, so
// finishCopy marks those copied as current through the copy's last
// transaction (markFoundCopied).
func leftOut(tx *bolt.Tx, name []byte) bool {
	return bytes.Equal(name, bucketDupsFound) && !foundCurrentIn(tx)
}

// markFoundCopied marks the groups copied (only ever current ones) as
// current through tx, the compacted copy's last transaction.
func markFoundCopied(tx *bolt.Tx) error {
	if b := tx.Bucket(bucketDupsFound); b != nil {
		return b.Put(keyFoundThrough, u64(uint64(tx.ID())))
	}
	return nil
}

// bucketAt is the bucket at path in tx, made when missing with the
// sequence given, filled whole as keys arrive in order.
func bucketAt(tx *bolt.Tx, path [][]byte, seq uint64) (*bolt.Bucket, error) {
	b := tx.Bucket(path[0])
	if b == nil {
		var err error
		if b, err = tx.CreateBucket(path[0]); err != nil {
			return nil, err
		}
		if len(path) == 1 {
			if err := b.SetSequence(seq); err != nil {
				return nil, err
			}
		}
	}
	for i, name := range path[1:] {
		next := b.Bucket(name)
		if next == nil {
			var err error
			if next, err = b.CreateBucket(name); err != nil {
				return nil, err
			}
			if i == len(path)-2 {
				if err := next.SetSequence(seq); err != nil {
					return nil, err
				}
			}
		}
		b = next
	}
	b.FillPercent = 1.0
	return b, nil
}

// sameCopy checks that the copy at path (open as dtx) holds every bucket,
// sequence, key and value of tx, and nothing more. The keys and values are
// read from the copy's file with plain reads (walkFile, which also checks
// every page as an open of an unknown file does), not through its memory
// map: at a million files, mapping the copy as well as the library took
// the process's resident memory from 0.9 to 1.6 GB. The library's own
// pages, read twice through its map, are given back as they are read
// (pages, mapped.go).
func sameCopy(tx, dtx *bolt.Tx, path string, pages pageDropper) error {
	if err := sameShape(tx, dtx, pages); err != nil {
		return err
	}
	next, stop := iter.Pull(plainEntries(tx, pages))
	defer stop()
	var differ error
	problems, n, err := walkFile(path, func(bucket, k, v []byte) {
		if differ != nil {
			return
		}
		if e, ok := next(); !ok || !bytes.Equal(e.bucket, bucket) || !bytes.Equal(e.k, k) || !bytes.Equal(e.v, v) {
			differ = fmt.Errorf("the copy differs from the library at key %x of the bucket %s", k, bucket)
		}
	})
	switch {
	case err != nil:
		return err
	case n > 0:
		return fmt.Errorf("the copy is not sound: %s", problems[0])
	case differ != nil:
		return differ
	}
	if e, ok := next(); ok {
		return fmt.Errorf("the copy lacks the key %x of the bucket %s", e.k, e.bucket)
	}
	return nil
}

// entry is one key and value of a bucket.
type entry struct{ bucket, k, v []byte }

// plainEntries yields the plain entries of every top-level bucket of tx in
// the order walkFile visits them: buckets by name, keys in order, nested
// buckets left out (sameShape compares them).
func plainEntries(tx *bolt.Tx, pages pageDropper) iter.Seq[entry] {
	return func(yield func(entry) bool) {
		tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if leftOut(tx, name) {
				return nil
			}
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if v != nil && !yield(entry{name, k, v}) {
					return errStop
				}
				pages.read(len(k) + len(v))
			}
			return nil
		})
	}
}

var errStop = errors.New("stop")

// sameShape checks that dtx has the buckets of tx, by name and sequence,
// and that their nested buckets (which walkFile does not visit) are the
// same whole. Finding them reads every key of tx (pages).
func sameShape(tx, dtx *bolt.Tx, pages pageDropper) error {
	n := 0
	err := tx.ForEach(func(name []byte, x *bolt.Bucket) error {
		if leftOut(tx, name) {
			return nil
		}
		n++
		y := dtx.Bucket(name)
		if y == nil || x.Sequence() != y.Sequence() {
			return fmt.Errorf("the copy's bucket %s is missing or has another sequence", name)
		}
		c := x.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if err := sameBucket(string(name)+"/"+string(k), x.Bucket(k), y.Bucket(k)); err != nil {
					return err
				}
			}
			pages.read(len(k) + len(v))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return dtx.ForEach(func([]byte, *bolt.Bucket) error {
		if n--; n < 0 {
			return errors.New("the copy holds a bucket the library lacks")
		}
		return nil
	})
}

// sameBucket checks that y holds every bucket, key, value and sequence of
// x, and nothing more, through bbolt.
func sameBucket(name string, x, y *bolt.Bucket) error {
	if y == nil {
		return fmt.Errorf("the copy lacks the bucket %s", name)
	}
	if x.Sequence() != y.Sequence() {
		return fmt.Errorf("the copy's bucket %s has sequence %d, not %d", name, y.Sequence(), x.Sequence())
	}
	cx, cy := x.Cursor(), y.Cursor()
	kx, vx := cx.First()
	ky, vy := cy.First()
	for ; kx != nil || ky != nil; kx, vx, ky, vy = nextPair(cx, cy) {
		switch {
		case !bytes.Equal(kx, ky) || (vx == nil) != (vy == nil):
			return fmt.Errorf("the copy's bucket %s differs at key %x", name, kx)
		case vx == nil:
			if err := sameBucket(name+"/"+string(kx), x.Bucket(kx), y.Bucket(ky)); err != nil {
				return err
			}
		case !bytes.Equal(vx, vy):
			return fmt.Errorf("the copy's bucket %s holds another value at key %x", name, kx)
		}
	}
	return nil
}

func nextPair(cx, cy *bolt.Cursor) (kx, vx, ky, vy []byte) {
	kx, vx = cx.Next()
	ky, vy = cy.Next()
	return
}

// removeCompactLeftover deletes a copy left by a compaction that was cut
// short (the library itself is whole): called under the exclusive lock.
func removeCompactLeftover(path string) {
	os.Remove(path + compactSuffix)
}
