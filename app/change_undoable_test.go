package app

import (
	"sync"
	"sync/atomic"
	"testing"

	"shoebox/store"
)

// seenWrong collects what a callback on an engine goroutine saw wrong,
// for the test to report once the run is over (no t.Fatal there).
type seenWrong struct {
	mu   sync.Mutex
	list []string
}

func (s *seenWrong) add(what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, what)
}

func (s *seenWrong) report(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.list {
		t.Error(w)
	}
}

// applyToEnd applies plan and waits for its run to complete.
func applyToEnd(t *testing.T, lib *Library, plan Plan) uint64 {
	t.Helper()
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	return id
}

// A run that has stopped can be undone while the library still finds the
// groups after it (Progress.Grouping): the window reads the run's summary
// as soon as the run stops, and offered no Undo on the finished run's
// screen when that search was still going on.
func TestARunIsUndoableWhileTheGroupsAreFoundAfterIt(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{FindDuplicatesAfterJob: true})
	plan := planFor(t, lib, PlanOptions{})
	var wrong seenWrong
	var grouping atomic.Int32
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		if !p.Grouping {
			return
		}
		// Called by the run's goroutine before the search: the run is
		// still the library's.
		grouping.Add(1)
		if runs, err := lib.Runs(); err != nil || len(runs) != 1 || !runs[0].Undoable {
			wrong.add("Runs says not undoable")
		}
		if _, err := lib.undoTarget(p.JobID); err != nil {
			wrong.add("Undo refuses: " + err.Error())
		}
	}})
	applyToEnd(t, lib, plan)
	if grouping.Load() == 0 {
		t.Fatal("no groups were searched for after the run: the test saw nothing")
	}
	wrong.report(t)
}

// While a run works on its items, neither Runs nor Undo offers to undo it.
func TestARunningRunIsNotUndoable(t *testing.T) {
	db, _ := changeFolder(t)
	var lib *Library
	var steps atomic.Int32
	var wrong seenWrong
	lib = openChangeLibrary(t, db, LibraryOptions{ChangeStep: func(step string) {
		if step != "done" || steps.Add(1) != 2 {
			return
		}
		runs, err := lib.Runs()
		if err != nil || len(runs) != 1 {
			wrong.add("no run listed")
			return
		}
		if runs[0].Undoable {
			wrong.add("Runs offers to undo a run still working")
		}
		if _, err := lib.undoTarget(runs[0].ID); err == nil {
			wrong.add("Undo takes a run still working")
		}
	}})
	applyToEnd(t, lib, planFor(t, lib, PlanOptions{}))
	if steps.Load() < 2 {
		t.Fatalf("the run made %d steps: the test saw nothing", steps.Load())
	}
	wrong.report(t)
}
