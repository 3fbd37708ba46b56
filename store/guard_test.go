//go:build unix

package store

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A read of a memory map past the end of its truncated file (what bbolt
// does on a library cut short) is a SIGBUS; guard turns it into an error.
func TestGuardTurnsAMapFaultIntoDamaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, 8192, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		t.Skip("mmap:", err)
	}
	defer syscall.Munmap(m)
	os.Truncate(path, 0)
	var sink byte
	err = guard(path, func() error { sink = m[4096]; return nil })
	if !errors.Is(err, ErrDamaged) {
		t.Fatalf("got %v (read %d)", err, sink)
	}
}

// A panic of our own is a bug, not damage: guard lets it go on.
func TestGuardDoesNotHideOurPanics(t *testing.T) {
	defer func() {
		if p := recover(); p != "ours" {
			t.Fatalf("recovered %v", p)
		}
	}()
	guard("x", func() error { panic("ours") })
	t.Fatal("the panic was swallowed")
}

// bbolt asserts on what it reads and panics when an assertion fails (a
// corrupt page); guard turns a panic raised inside bbolt into an error.
// A cursor used after its transaction ended trips one of those assertions.
func TestGuardTurnsABboltPanicIntoDamaged(t *testing.T) {
	db, path := openTemp(t)
	err := guard(path, func() error {
		var c *bolt.Cursor
		db.h.bolt.View(func(tx *bolt.Tx) error { c = tx.Bucket(bucketJobs).Cursor(); return nil })
		c.First()
		return nil
	})
	var d *DamagedError
	if !errors.As(err, &d) || d.Path != path {
		t.Fatalf("got %v", err)
	}
}
