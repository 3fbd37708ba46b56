package app

import (
	"testing"

	"shoebox/store"
)

// The groups are found once while the library stays as it is: asking again
// gives the same groups (whatever the caller did to the first answer), and
// a change run that moves copies away is seen at once by the next answer.
func TestDuplicatesRememberedUntilTheLibraryChanges(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	first, err := lib.Duplicates(j.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	exact, near := filesIn(first.Exact), filesIn(first.Near)
	if exact == 0 {
		t.Fatal("the folder has no exact copies: the test proves nothing")
	}
	epoch := lib.db.Epoch()
	first.Exact[0].Files = first.Exact[0].Files[:1] // a caller's own filtering
	first.Exact = first.Exact[:0]

	again, err := lib.Duplicates(j.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	if filesIn(again.Exact) != exact || filesIn(again.Near) != near {
		t.Fatalf("asked again: %d exact and %d look-alike files, want %d and %d", filesIn(again.Exact), filesIn(again.Near), exact, near)
	}
	if lib.db.Epoch() != epoch {
		t.Fatal("asking for groups wrote to the library")
	}
	if _, ok := lib.dups.get(dupsMemoKey{job: j.ID, distance: lib.jobSettings(j.ID).NearDistance, scope: ScopeLibrary, epoch: epoch}); !ok {
		t.Fatal("the groups were not remembered")
	}

	plan := planFor(t, lib, PlanOptions{})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	after, err := lib.Duplicates(j.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	if got := filesIn(after.Exact) + filesIn(after.Near); got >= exact+near || plan.RemoveCount == 0 {
		t.Fatalf("after moving %d copies away: %d files in groups, was %d", plan.RemoveCount, got, exact+near)
	}
}
