package store

import "testing"

// Epoch stands still while the library is only read, and moves with a
// write and with every swap of the lock (another program may have written
// while the handle let go).
func TestEpochMovesWithWritesAndLockSwaps(t *testing.T) {
	db, _ := openIdle(t)
	j := &Job{Status: StatePending}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	e := db.Epoch()
	if _, err := db.Jobs(); err != nil {
		t.Fatal(err)
	}
	if db.Epoch() != e {
		t.Fatal("a read moved the epoch")
	}
	if err := db.PutJob(j); err != nil {
		t.Fatal(err)
	}
	if db.Epoch() == e {
		t.Fatal("a write left the epoch where it was")
	}
	e = db.Epoch()
	db.releaseIdle()
	if !db.SharedNow() || db.Epoch() == e {
		t.Fatalf("letting the lock go: shared %v, epoch %d then %d", db.SharedNow(), e, db.Epoch())
	}
	e = db.Epoch()
	if _, err := db.Jobs(); err != nil || db.Epoch() != e {
		t.Fatalf("a read under the shared lock: %v, epoch %d then %d", err, e, db.Epoch())
	}
}
