package store

import (
	"errors"
	"os"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/internal/testdamage"
)

// headerOf reads the meta page bbolt would use.
func headerOf(t *testing.T, path string) boltMeta {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	w := newPageWalk(f, fi.Size())
	if err := w.readMeta(); err != nil {
		t.Fatal(err)
	}
	return w.meta
}

// A library Shoebox closed is opened without reading its pages: its free
// list is written (bbolt reads that page instead of every page to rebuild
// it) and the stamp beside it lets Open skip the walk. Any change from
// outside brings the walk back, and damage is refused as before.
func TestOpeningASoundLibraryDoesNotReadEveryPage(t *testing.T) {
	path := buildLibrary(t)
	if m := headerOf(t, path); m.freelist == noFreelist {
		t.Fatal("the free list is not written: every open would rebuild it from every page")
	}
	for _, mode := range []Mode{ReadOnly, ReadWrite} {
		db, err := Open(path, Options{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if db.walked {
			t.Errorf("mode %d: the open of a library as Shoebox left it walked every page", mode)
		}
		if n, err := db.CountFiles(2); err != nil || n.Total != 150 {
			t.Fatalf("mode %d: %+v, %v", mode, n, err)
		}
		db.Close()
	}

	// Touched from outside: walked again, and still sound.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	if !db.walked {
		t.Error("a library changed from outside was opened without a walk")
	}
	db.Close()

	// Damaged in place after a clean close: refused at open.
	testdamage.FlipMiddleLeaf(t, path)
	if _, err := Open(path, Options{Mode: ReadOnly}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("a library damaged in place opened: %v", err)
	}
}

// A library written without a free list (by Shoebox before this one) is
// walked, opened, and gets its free list at its first read-write open, so
// the opens after it are cheap.
func TestLibraryWithoutAFreeListGetsOne(t *testing.T) {
	path := buildLibrary(t)
	os.Remove(stampPath(path))
	b, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put([]byte("x"), []byte("y")) }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if m := headerOf(t, path); m.freelist != noFreelist {
		t.Fatal("the old layout was not written")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !db.walked {
		t.Error("a library without a stamp was not walked")
	}
	db.Close()
	if m := headerOf(t, path); m.freelist == noFreelist {
		t.Error("the free list was not written at the read-write open")
	}
	if rep, err := Check(path, 0); err != nil || !rep.Healthy() {
		t.Fatalf("check: %+v, %v", rep, err)
	}
}
