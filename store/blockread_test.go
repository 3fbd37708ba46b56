package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// scatteredFile writes a bbolt file as a scan leaves its hashed indexes:
// keys arriving in random order over many transactions, so that pages
// split and lie about the file out of key order. The bucket "top" holds
// n keys, each value derived from its key, and three nested buckets
// ("nest0".."nest2") of n/10 keys each.
func scatteredFile(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scattered.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.NoSync = true // a test file: the walk reads it back from the page cache
	rng := rand.New(rand.NewPCG(1, 2))
	const perTx = 200
	for done := 0; done < n; done += perTx {
		err := db.Update(func(tx *bolt.Tx) error {
			top, err := tx.CreateBucketIfNotExists([]byte("top"))
			if err != nil {
				return err
			}
			for i := range perTx {
				k := scatteredKey(rng.Uint64())
				if err := top.Put(k, valueOfKey(k)); err != nil {
					return err
				}
				if (done+i)%10 == 0 {
					nest, err := top.CreateBucketIfNotExists(fmt.Appendf(nil, "nest%d", (done+i)%3))
					if err != nil {
						return err
					}
					if err := nest.Put(k, valueOfKey(k)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func scatteredKey(x uint64) []byte {
	k := sha256.Sum256(binary.BigEndian.AppendUint64(nil, x))
	return k[:]
}

func valueOfKey(k []byte) []byte {
	return bytes.Repeat(k[:8], 40)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	f    *os.File
	read int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.f.ReadAt(p, off)
	c.read += int64(n)
	return n, err
}

// The walk of a file whose pages lie out of order (a library after a scan,
// before its compaction) reads each page whole and in key order, and reads
// the file only a few times over (2.5 times here): with a new 1 MiB block
// for every page that missed its cache, it read and allocated 37 times the
// file.
func TestAWalkOfAScatteredFileReadsItAFewTimesAtMost(t *testing.T) {
	const n = 120000 // a file of about 60 MB: more than the blocks a walk keeps
	path := scatteredFile(t, n)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	counted := &countingReader{f: f}
	w := newPageWalk(counted, fi.Size())
	var last []byte
	keys := 0
	w.visit = func(bucket, k, v []byte) {
		if string(bucket) != "top" {
			t.Fatalf("visited bucket %q", bucket)
		}
		if last != nil && bytes.Compare(last, k) >= 0 {
			t.Fatalf("key %x after %x: not in order", k, last)
		}
		if !bytes.Equal(v, valueOfKey(k)) {
			t.Fatalf("key %x has the value %x", k, v)
		}
		last = append(last[:0], k...)
		keys++
	}
	if err := w.walkAll(); err != nil {
		t.Fatal(err)
	}
	if w.nProblem != 0 {
		t.Fatalf("%d problems in a sound file: %v", w.nProblem, w.problems)
	}
	if keys != n {
		t.Fatalf("visited %d keys of %d", keys, n)
	}
	if times := float64(counted.read) / float64(fi.Size()); times > 4 {
		t.Fatalf("read %d bytes for a file of %d: %.1f times", counted.read, fi.Size(), times)
	}
	t.Logf("read %.1f MB for a file of %.1f MB", float64(counted.read)/1e6, float64(fi.Size())/1e6)
}
