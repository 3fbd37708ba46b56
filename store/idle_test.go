package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// openIdle opens a library that lets its exclusive lock go when idle. The
// idle time is long: the tests call releaseIdle themselves rather than wait
// for the timer.
func openIdle(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lib.db")
	db, err := Open(path, Options{ReleaseWhenIdle: time.Hour, LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func openReader(path string) (*DB, error) {
	return Open(path, Options{Mode: ReadOnly, LockTimeout: 100 * time.Millisecond})
}

// A library idle in one process lets a reader in; the holder's next write
// waits for the reader, says why it cannot write while the reader stays, and
// writes once the reader is gone; both see the same jobs.
func TestIdleLibraryLetsReadersIn(t *testing.T) {
	db, path := openIdle(t)
	j := &Job{Status: StatePending}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	if db.h.timer == nil {
		t.Fatal("a write did not start the idle countdown")
	}
	if _, err := openReader(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("a reader got in while the library held the exclusive lock: %v", err)
	}
	db.releaseIdle()
	if !db.SharedNow() {
		t.Fatal("the idle library kept the exclusive lock")
	}
	reader, err := openReader(path)
	if err != nil {
		t.Fatalf("a reader was refused by an idle library: %v", err)
	}
	if reader.walked {
		t.Error("the reader walked the whole file: letting the lock go did not stamp it as sound")
	}
	if jobs, err := reader.Jobs(); err != nil || len(jobs) != 1 {
		t.Fatalf("the reader sees %v, %v", jobs, err)
	}
	if jobs, err := db.Jobs(); err != nil || len(jobs) != 1 { // the holder still reads, under the shared lock
		t.Fatalf("the holder sees %v, %v", jobs, err)
	}
	err = db.CreateJob(&Job{Status: StatePending})
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "another command is reading it") {
		t.Fatalf("a write while a reader holds the file: %v", err)
	}
	if !db.SharedNow() {
		t.Fatal("after a refused write the library is no longer readable")
	}
	reader.Close()
	if err := db.CreateJob(&Job{Status: StatePending}); err != nil {
		t.Fatalf("a write after the reader left: %v", err)
	}
	if db.SharedNow() {
		t.Fatal("a write did not take the exclusive lock back")
	}
	if jobs, _ := db.Jobs(); len(jobs) != 2 {
		t.Fatalf("%d jobs after the second write, want 2", len(jobs))
	}
}

// HoldWrites keeps the exclusive lock through idle time (a running job
// must never meet a reader at its next commit) and takes it back at once
// when the library had let it go.
func TestHeldWritesKeepTheLock(t *testing.T) {
	db, path := openIdle(t)
	if err := db.CreateJob(&Job{Status: StatePending}); err != nil {
		t.Fatal(err)
	}
	db.releaseIdle()
	if err := db.HoldWrites(); err != nil {
		t.Fatal(err)
	}
	if db.SharedNow() {
		t.Fatal("HoldWrites did not take the exclusive lock")
	}
	db.releaseIdle()
	if db.SharedNow() {
		t.Fatal("an idle countdown let go of a held library")
	}
	if _, err := openReader(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("a reader got in while writes were held: %v", err)
	}
	db.ReleaseWrites()
	db.releaseIdle()
	r, err := openReader(path)
	if err != nil {
		t.Fatalf("after ReleaseWrites the idle library refused a reader: %v", err)
	}
	defer r.Close()
	if err := db.HoldWrites(); !errors.Is(err, ErrLocked) {
		t.Fatalf("HoldWrites with a reader in: %v, want the lock refused at once", err)
	}
}

// The countdown starts at open: a window that only reads never writes, and
// must let readers in all the same.
func TestIdleCountdownStartsAtOpen(t *testing.T) {
	db, path := openIdle(t)
	if db.h.timer == nil {
		t.Fatal("opening did not start the idle countdown")
	}
	db.releaseIdle()
	r, err := openReader(path)
	if err != nil {
		t.Fatalf("a library never written since its open refused a reader: %v", err)
	}
	r.Close()
}

// Without ReleaseWhenIdle the lock is held until Close, as before.
func TestNoIdleReleaseByDefault(t *testing.T) {
	db, path := openTemp(t)
	if err := db.CreateJob(&Job{Status: StatePending}); err != nil {
		t.Fatal(err)
	}
	if db.h.timer != nil || db.SharedNow() {
		t.Fatal("a library opened without ReleaseWhenIdle counts down to release")
	}
	if _, err := Open(path, Options{Mode: ReadOnly, LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Fatalf("a reader got in: %v", err)
	}
}
