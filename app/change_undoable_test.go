package app

import (
	"sync"
	"sync/atomic"
	"testing"

	"shoebox/store"
)

// A run that has stopped can be undone while the library still finds the
// groups after it (Progress.Grouping): the window reads the run's summary
// as soon as the run stops, and offered no Undo on the finished run's
// screen when that search was still going on.
func TestARunIsUndoableWhileTheGroupsAreFoundAfterIt(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{FindDuplicatesAfterJob: true})
	plan := planFor(t, lib, PlanOptions{})
	var mu sync.Mutex
	var during []string
	grouping := 0
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		if !p.Grouping {
			return
		}
		// Called by the run's goroutine before the search: the run is
		// still the library's.
		runs, err := lib.Runs()
		mu.Lock()
		defer mu.Unlock()
		grouping++
		if err != nil || len(runs) != 1 || !runs[0].Undoable {
			during = append(during, "Runs says not undoable")
		}
		if _, err := lib.undoTarget(p.JobID); err != nil {
			during = append(during, "Undo refuses: "+err.Error())
		}
	}})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	mu.Lock()
	defer mu.Unlock()
	if grouping == 0 {
		t.Fatal("no groups were searched for after the run: the test saw nothing")
	}
	for _, d := range during {
		t.Error(d)
	}

}

// While a run works on its items, neither Runs nor Undo offers to undo it.
func TestARunningRunIsNotUndoable(t *testing.T) {
	db, _ := changeFolder(t)
	var lib *Library
	var steps atomic.Int32
	var mu sync.Mutex
	var seen []string
	lib = openChangeLibrary(t, db, LibraryOptions{ChangeStep: func(step string) {
		if step != "done" || steps.Add(1) != 2 {
			return
		}
		runs, err := lib.Runs() // on a worker: no t.Fatal here
		mu.Lock()
		defer mu.Unlock()
		if err != nil || len(runs) != 1 {
			seen = append(seen, "no run listed")
			return
		}
		if runs[0].Undoable {
			seen = append(seen, "Runs offers to undo a run still working")
		}
		if _, err := lib.undoTarget(runs[0].ID); err == nil {
			seen = append(seen, "Undo takes a run still working")
		}
	}})
	plan := planFor(t, lib, PlanOptions{})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	mu.Lock()
	defer mu.Unlock()
	if steps.Load() < 2 {
		t.Fatalf("the run made %d steps: the test saw nothing", steps.Load())
	}
	for _, s := range seen {
		t.Error(s)
	}
}
