// Package testdamage damages a library file the ways a failing disk or a
// cut copy would, for the tests of the store and the app that prove a
// damaged library gets a message and a way to recover, never a panic.
package testdamage

import (
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// pageHeaderSize is bbolt's page header (id, flags, count, overflow): the
// element headers of a leaf page start after it.
const pageHeaderSize = 16

// TruncateHalf cuts the file to half its size, as an interrupted copy does.
func TruncateHalf(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
}

// FlipMiddleLeaf flips 20 bytes at the start of the middle one of the
// file's live leaf pages (their element headers). A live page, because the
// middle of the file may be a free page, where flipping damages nothing.
func FlipMiddleLeaf(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	var leaves []int
	err = b.View(func(tx *bolt.Tx) error {
		for id := 2; ; id++ {
			p, err := tx.Page(id)
			if err != nil || p == nil {
				return err
			}
			if p.Type == "leaf" {
				leaves = append(leaves, id)
			}
		}
	})
	pageSize := b.Info().PageSize
	b.Close()
	if err != nil || len(leaves) == 0 {
		t.Fatalf("no leaf page found: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := leaves[len(leaves)/2]*pageSize + pageHeaderSize
	for i := range 20 {
		data[at+i] ^= 0xff
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
