//go:build unix

package store

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
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
