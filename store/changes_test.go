package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A library written before change runs has no changes bucket: read-only it
// opens and shows no change items; opened to write, the bucket is made.
func TestLibraryFromBeforeChangeRuns(t *testing.T) {
	db, path := openTemp(t)
	j := Job{Kind: KindScan, Status: StateCompleted}
	if err := db.CreateJob(&j); err != nil {
		t.Fatal(err)
	}
	if err := db.h.bolt.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketChanges) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatalf("read-only open of an older library: %v", err)
	}
	items, err := ro.Changes(j.ID)
	if err != nil || len(items) != 0 {
		t.Fatalf("changes of an older library: %v, %v", items, err)
	}
	if rep, err := Check(path, 0); err == nil && !rep.Healthy() {
		t.Errorf("check calls an older library damaged: %v", rep.Problems)
	}
	ro.Close()
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	run := Job{Kind: KindDups, Status: StatePending, Change: &ChangeRun{Action: "quarantine"}}
	if err := rw.CreateChangeRun(&run, []ChangeItem{{Op: "quarantine", Path: "/a", State: ChangePending}}, nil); err != nil {
		t.Fatalf("a change run in a reopened older library: %v", err)
	}
	if items, err := rw.Changes(run.ID); err != nil || len(items) != 1 || items[0].Seq != 1 || run.ProgressTotal != 1 {
		t.Fatalf("items %+v, %v", items, err)
	}
}

// The journal keeps a run's items in order and returns the unfinished ones
// after a key, as the engine's feeder reads them.
func TestUnfinishedChangesAfter(t *testing.T) {
	db, _ := openTemp(t)
	var items []ChangeItem
	for range 5 {
		items = append(items, ChangeItem{Op: "quarantine", State: ChangePending})
	}
	run := Job{Kind: KindDups, Status: StatePending, Change: &ChangeRun{}}
	if err := db.CreateChangeRun(&run, items, nil); err != nil {
		t.Fatal(err)
	}
	items[1].State, items[2].State = ChangeDone, ChangeStarted
	if err := db.CommitChanges(&run, items[1:3]); err != nil {
		t.Fatal(err)
	}
	got, last, err := db.UnfinishedChangesAfter(run.ID, nil, 2)
	if err != nil || len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 3 {
		t.Fatalf("first page: %+v %v", got, err)
	}
	got, _, err = db.UnfinishedChangesAfter(run.ID, last, 10)
	if err != nil || len(got) != 2 || got[0].Seq != 4 || got[1].Seq != 5 {
		t.Fatalf("second page: %+v %v", got, err)
	}
}
