package store

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// EachFileBatch never hands over (so never holds) more than a batch, walks
// the whole view in order, lets the caller write between batches (its read
// transaction is closed), and counts a damaged record without stopping.
func TestEachFileHoldsOneBatchAtATime(t *testing.T) {
	db, _ := openTemp(t)
	var first []FileRecord
	for i := range 95 {
		first = append(first, doneRec(fmt.Sprintf("IMG_%03d.jpg", i), fmt.Sprint(i)))
	}
	scanOver(t, db, first)
	var again []FileRecord
	for i := range 95 {
		if i != 40 { // gone in the rescan
			again = append(again, reusedFrom(t, db, fmt.Sprintf("IMG_%03d.jpg", i)))
		}
	}
	j := scanOver(t, db, again)
	if j.Base == 0 {
		t.Fatal("the rescan is stored whole")
	}
	if err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFiles).Put(fileKey(1, 0, "IMG_007.jpg"), []byte("d\x00{bad"))
	}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	var sizes []int
	err := db.EachFileBatch(j.ID, 10, func(batch []FileRecord) error {
		if len(batch) > 10 {
			t.Errorf("a batch of %d", len(batch))
		}
		sizes = append(sizes, len(batch))
		for _, r := range batch {
			seen = append(seen, r.RelPath)
		}
		return db.PutJob(j) // a write between batches: the read transaction is closed
	})
	var d *DamagedRecords
	if !errors.As(err, &d) || d.Count != 1 {
		t.Fatalf("got %v, want one damaged record", err)
	}
	if len(seen) != 93 || seen[0] != "IMG_000.jpg" || seen[92] != "IMG_094.jpg" {
		t.Fatalf("walked %d files: %v", len(seen), seen)
	}
	// The damaged record (decoded apart from the others) leaves no batch short.
	if want := []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 3}; !slices.Equal(sizes, want) {
		t.Errorf("batches of %v, want %v", sizes, want)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i-1] >= seen[i] {
			t.Fatalf("out of order: %s then %s", seen[i-1], seen[i])
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := db.EachFile(j.ID, func(FileRecord) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("an error from fn: %v after %d", err, n)
	}
}
