package store

import (
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Letting readers in while idle (issue 14, item 8). bbolt locks the file
// with flock: a writer holds it exclusively, readers share it. A window kept
// open all day would hold the exclusive lock all day, and `shoebox report`
// or `jobs` in a terminal would be refused. So a library opened with
// Options.ReleaseWhenIdle holds the exclusive lock only while it writes: after
// that long without a write (and while nothing holds writes, see HoldWrites)
// it reopens the file read-only under a shared lock, and the next write takes
// the exclusive lock again, waiting up to LockTimeout for readers to finish.
// A process cannot hold both locks (flock locks of one process on two
// descriptors conflict), so each swap closes one handle before opening the
// other; another writer may take the file in between, and then this library
// says it is in use, as Open would.

// handle is the bbolt handle and how it is held. Every transaction holds mu
// for reading; a swap holds it for writing.
type handle struct {
	mu      sync.RWMutex
	bolt    *bolt.DB // nil after a swap failed: the next use opens again
	shared  bool     // opened read-only, under the shared lock
	closed  bool
	idle    time.Duration // Options.ReleaseWhenIdle; 0: never swap
	timeout time.Duration
	holds   int
	timer   *time.Timer
}

// errClosed is returned for a use after Close.
var errClosed = errors.New("the library is closed")

// view runs fn in a read transaction on whichever handle is open.
func (db *DB) view(fn func(*bolt.Tx) error) error {
	db.h.mu.RLock()
	b, closed := db.h.bolt, db.h.closed
	if b != nil && !closed {
		defer db.h.mu.RUnlock()
		return db.noteDamage(guard(db.path, func() error { return b.View(fn) }))
	}
	db.h.mu.RUnlock()
	if closed {
		return errClosed
	}
	if err := db.reopen(db.h.shared); err != nil {
		return err
	}
	return db.view(fn)
}

// update runs fn in a write transaction, guarded like view (damage.go),
// taking the exclusive lock first when the library let it go while idle.
// Every write of the library goes through here, so a test can make any one
// of them fail the way a full disk or a failing drive would
// (Options.WriteFault) and check that the engine loses nothing.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	db.h.mu.RLock()
	// Opened only to read, the handle is used as it is: bbolt refuses the
	// write, as it always has.
	if b := db.h.bolt; b != nil && (!db.h.shared || db.mode == ReadOnly) && !db.h.closed {
		err := db.noteDamage(guard(db.path, func() error { return b.Update(db.faulty(fn)) }))
		db.epoch.Add(1)
		db.h.mu.RUnlock()
		db.wrote()
		return err
	}
	closed := db.h.closed
	db.h.mu.RUnlock()
	if closed {
		return errClosed
	}
	if err := db.reopen(false); err != nil {
		return err
	}
	return db.update(fn)
}

// reopen swaps the handle for one under the lock wanted (shared: the
// read-only one). When the wanted lock cannot be had, it goes back to the
// other, so the library stays readable when it can.
func (db *DB) reopen(shared bool) error {
	h := &db.h
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errClosed
	}
	if h.bolt != nil && h.shared == shared {
		return nil // another goroutine swapped first
	}
	if h.bolt != nil {
		if !h.shared {
			db.stampSound() // letting the writer's lock go, as Close does
		}
		if err := h.bolt.Close(); err != nil {
			return fmt.Errorf("cannot let go of the library %s: %w", db.path, err)
		}
		h.bolt = nil
	}
	db.epoch.Add(1) // between the two handles, another program may have written
	b, err := openBolt(db.path, h.timeout, shared)
	if err != nil {
		if back, berr := openBolt(db.path, h.timeout, !shared); berr == nil {
			h.bolt, h.shared = back, !shared
		}
		if errors.Is(err, ErrLocked) && !shared {
			return fmt.Errorf("%w: another command is reading it; try again when it is done", err)
		}
		return err
	}
	h.bolt, h.shared = b, shared
	return nil
}

// Epoch is a number that changes whenever what the library holds may have
// changed for this handle: after every write through it (committed or
// not), and whenever its lock was let go and taken again (another program
// may have written in between). A result computed from the library at one
// epoch still holds while Epoch returns the same number.
func (db *DB) Epoch() uint64 { return db.epoch.Load() }

// wrote starts the idle countdown after a write.
func (db *DB) wrote() {
	h := &db.h
	if h.idle <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.holds > 0 || h.closed {
		return
	}
	if h.timer == nil {
		h.timer = time.AfterFunc(h.idle, db.releaseIdle)
		return
	}
	h.timer.Reset(h.idle)
}

// ReleaseNow lets the exclusive lock go now for the shared one, when
// nothing holds writes, as the idle countdown does when it ends; the next
// write takes it back.
func (db *DB) ReleaseNow() { db.releaseIdle() }

// releaseIdle goes to the shared lock when nothing holds writes.
func (db *DB) releaseIdle() {
	db.h.mu.RLock()
	skip := db.h.holds > 0 || db.h.closed || db.h.shared
	db.h.mu.RUnlock()
	if !skip {
		db.reopen(true) // failing leaves the library as reopen says; the next use tries again
	}
}

// HoldWrites keeps the exclusive lock until the matching ReleaseWrites,
// however long the holder goes without writing: a job that is running must
// never find a reader in its way at its next commit. It takes the lock now,
// so a job that cannot have it fails at its start, not half-way.
func (db *DB) HoldWrites() error {
	db.h.mu.Lock()
	db.h.holds++
	if db.h.timer != nil {
		db.h.timer.Stop()
	}
	shared := db.h.shared || db.h.bolt == nil
	db.h.mu.Unlock()
	if !shared || db.mode == ReadOnly {
		return nil
	}
	if err := db.reopen(false); err != nil {
		db.ReleaseWrites()
		return err
	}
	return nil
}

// ReleaseWrites ends a HoldWrites; the idle countdown starts again.
func (db *DB) ReleaseWrites() {
	db.h.mu.Lock()
	if db.h.holds > 0 {
		db.h.holds--
	}
	db.h.mu.Unlock()
	db.wrote()
}

// SharedNow says whether the library holds only the shared lock now (it
// let the exclusive one go while idle), for tests and the window's status.
func (db *DB) SharedNow() bool {
	db.h.mu.RLock()
	defer db.h.mu.RUnlock()
	return db.h.shared
}

// stampSound marks the file as sound for the next open (verified.go) when
// this handle wrote it and met no damage; called under the exclusive lock,
// just before it is let go.
func (db *DB) stampSound() {
	if db.mode == ReadWrite && !db.damaged.Load() {
		writeStamp(db.path)
	}
}

// Close closes the library. A library opened to write, in which no damage
// was met, is stamped as sound first, under the lock, so the next open need
// not walk it.
func (db *DB) Close() error {
	db.h.mu.Lock()
	defer db.h.mu.Unlock()
	if db.h.closed {
		return nil
	}
	db.h.closed = true
	if db.h.timer != nil {
		db.h.timer.Stop()
	}
	if db.h.bolt == nil {
		return nil
	}
	if !db.h.shared {
		db.stampSound()
	}
	return db.h.bolt.Close()
}
