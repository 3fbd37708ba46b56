package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// A check decodes records a batch at a time on every core: a record that
// does not decode, or disagrees with an index, is found in the first
// batch, in one further on and in the last, short one, each named, and the
// others counted.
func TestCheckFindsDamageInEveryBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := &Job{Roots: []string{"/photos"}, Status: StateCompleted, Listed: true}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	const total = 2*checkBatch + 10
	name := func(i int) string { return fmt.Sprintf("IMG_%05d.jpg", i) }
	var recs []FileRecord
	for i := range total {
		sum := sha256.Sum256(fmt.Appendf(nil, "%d", i))
		recs = append(recs, rec(j.ID, 0, name(i), media.StatusDone, hex.EncodeToString(sum[:])))
	}
	j.ProgressTotal, j.ProgressCurrent = total, total
	if err := db.CommitBatch(j, recs); err != nil {
		t.Fatal(err)
	}
	db.Close()

	broken := []int{3, checkBatch + 5, total - 1} // keys sort as the names do
	unindexed := checkBatch + 100
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		for _, i := range broken {
			if err := files.Put(fileKey(j.ID, 0, name(i)), []byte("d\x00{\"job\":1,\"pa\xff")); err != nil {
				return err
			}
		}
		l := layoutOf(tx)
		sum, _ := hex.DecodeString(recs[unindexed].SHA256)
		return tx.Bucket(l.sha).Delete(l.shaKey(sum, fileKey(j.ID, 0, name(unindexed))))
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}

	rep, err := Check(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Healthy() || rep.BadFiles != len(broken) || rep.Files != total-len(broken) {
		t.Fatalf("%d bad, %d read of %d; want %d bad", rep.BadFiles, rep.Files, total, len(broken))
	}
	said := strings.Join(rep.Problems, "\n")
	for _, i := range broken {
		if !strings.Contains(said, name(i)+`" does not decode`) {
			t.Errorf("record %d's damage not named:\n%s", i, said)
		}
	}
	if !strings.Contains(said, name(unindexed)+`" is missing from the SHA-256 index`) {
		t.Errorf("the record missing from the index is not named:\n%s", said)
	}
}
