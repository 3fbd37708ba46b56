package app

import (
	"runtime"
	"testing"
	"time"

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

// While a search for a job's groups is under way (the engine's, after the
// job), others asking for the same groups (the window, in either scope)
// wait for it and read what it kept instead of searching beside it; when
// it kept nothing, one of them searches. Another distance does not wait.
func TestOneSearchForTheSameGroupsAtATime(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	// Distances whose groups the scan did not keep (it kept its own's).
	const distance, later = 5, 4
	if own := lib.jobSettings(j.ID).NearDistance; own == distance || own == later {
		t.Fatal("the scan's own distance: its groups are kept and no search runs")
	}
	other := lib.searches.enter(searchKey{job: j.ID, distance: distance + 1})
	if other == nil {
		t.Fatal("a search at another distance waited")
	}
	defer other()

	type answer struct {
		d   Duplicates
		err error
	}
	ask := func(distance int, scope DupScope, answers chan<- answer) {
		d, err := lib.DuplicatesIn(j.ID, distance, scope)
		answers <- answer{d, err}
	}
	waitForAskers := func(n int) {
		t.Helper()
		for give := time.Now().Add(30 * time.Second); time.Now().Before(give); runtime.Gosched() {
			if _, waited := lib.searches.counts(); waited >= n {
				return
			}
		}
		_, waited := lib.searches.counts()
		t.Fatalf("%d askers waited for the search under way, want %d", waited, n)
	}

	// A search that ends keeping nothing: the asker searches itself.
	leave := lib.searches.enter(searchKey{job: j.ID, distance: distance})
	answers := make(chan answer, 2)
	go ask(distance, ScopeLibrary, answers)
	waitForAskers(1)
	leave()
	if a := <-answers; a.err != nil || filesIn(a.d.Exact) == 0 {
		t.Fatalf("after a search that kept nothing: %d exact files, %v", filesIn(a.d.Exact), a.err)
	}
	if searched, _ := lib.searches.counts(); searched != 3 {
		t.Errorf("%d searches let in, want 3 (the other distance's, the first, the asker's own)", searched)
	}

	// A search that keeps the groups, as the engine's after a job: both
	// askers read them.
	leave = lib.searches.enter(searchKey{job: j.ID, distance: later})
	for _, scope := range []DupScope{ScopeLibrary, ScopeJob} {
		go ask(later, scope, answers)
	}
	waitForAskers(3)
	select {
	case a := <-answers:
		t.Fatalf("answered while the search ran: %d exact files, %v", filesIn(a.d.Exact), a.err)
	default:
	}
	seen, err := lib.db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	all, cands, err := lib.findDuplicates(j.ID, later, nil)
	if err != nil {
		t.Fatal(err)
	}
	lib.keepDuplicates(seen, j.ID, later, all)
	lib.keepCandidates(cands)
	leave()
	for range 2 {
		if a := <-answers; a.err != nil || filesIn(a.d.Exact) == 0 {
			t.Fatalf("after the search kept its groups: %d exact files, %v", filesIn(a.d.Exact), a.err)
		}
	}
	if searched, waited := lib.searches.counts(); searched != 4 || waited != 3 {
		t.Errorf("%d searches let in and %d askers waited, want 4 and 3: the askers searched beside the one kept", searched, waited)
	}
}
