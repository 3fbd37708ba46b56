package app

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/store"
)

// rescanned runs a scan of dir through lib to its end and returns its job.
func rescanned(t *testing.T, lib *Library, dir string) store.Job {
	t.Helper()
	id, err := lib.Start([]string{dir}, Settings{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("rescan %s", st)
	}
	j, err := lib.db.Job(id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// countSearches counts the reports of lib's jobs searching for groups
// after they end (Progress.Grouping).
func countSearches(lib *Library) (searches func() int) {
	var mu sync.Mutex
	n := 0
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Grouping {
			n++
		}
	}})
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// A rescan that finds nothing changed stores no file of its own: the groups
// kept before it are its groups too, kept for it without a search (and
// without FindDuplicatesAfterJob, as the CLI runs), and those of the jobs
// before it are dropped, so that they do not pile up. A rescan that stored
// a file gets none carried: its groups are searched for and kept, the
// CLI's too since groups were kept before it.
func TestAnUnchangedRescanCarriesTheGroupsKept(t *testing.T) {
	db, dir := changeFolder(t)
	scanSecondFolder(t, db) // a job of another view, its groups kept too
	lib := openChangeLibrary(t, db, LibraryOptions{})
	jobs, err := lib.Jobs()
	if err != nil || len(jobs) != 2 {
		t.Fatalf("%d jobs, %v", len(jobs), err)
	}
	first, other := jobs[1], jobs[0] // newest first
	if first.Roots[0] != dir {
		first, other = other, first
	}
	dist := lib.jobSettings(first.ID).NearDistance
	for _, j := range []store.Job{other, first} {
		if _, err := lib.DuplicatesIn(j.ID, dist, ScopeLibrary); err != nil {
			t.Fatal(err)
		}
	}
	keptNow(t, lib, other.ID, ScopeJob, "after the search")
	keptNow(t, lib, first.ID, ScopeLibrary, "after the search")

	previous := first
	for _, step := range []string{"a rescan over the first scan", "a rescan over the same base"} {
		j := rescanned(t, lib, dir)
		if none, err := lib.db.OwnsNoFiles(j.ID); j.Base != first.ID || !none || err != nil {
			t.Fatalf("%s: base %d, stored nothing %v (%v): the test proves nothing", step, j.Base, none, err)
		}
		keptAsFound(t, lib, j.ID, step)
		if _, ok := lib.savedDuplicates(previous.ID, dist, ScopeLibrary); ok {
			t.Errorf("%s: the groups of the job before it are still kept: they would pile up", step)
		}
		if !lib.sameView(previous.ID, j) || lib.sameView(other.ID, j) || lib.sameView(j.ID, j) {
			t.Errorf("%s: the same view as the job before it %v, as the other folder's scan %v, as itself %v",
				step, lib.sameView(previous.ID, j), lib.sameView(other.ID, j), lib.sameView(j.ID, j))
		}
		previous = j
	}

	// The window finds the groups after every job (FindDuplicatesAfterJob):
	// carried, it has nothing to search. After a rescan that stored a file,
	// nothing is carried, and a search keeps them.
	lib.Close()
	lib = openChangeLibrary(t, db, LibraryOptions{FindDuplicatesAfterJob: true})
	searches := countSearches(lib)
	j := rescanned(t, lib, dir)
	keptNow(t, lib, j.ID, ScopeLibrary, "a rescan in the window")
	if n := searches(); n != 0 {
		t.Errorf("the window searched after a rescan that stored nothing (%d reports)", n)
	}

	pair, err := os.ReadFile(filepath.Join(dir, "Pictures", "b.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pictures", "b again.jpg"), pair, 0o640); err != nil {
		t.Fatal(err)
	}
	// The CLI (no FindDuplicatesAfterJob) searches too, since groups were
	// kept before the scan: the window's, just above.
	lib.Close()
	lib = openChangeLibrary(t, db, LibraryOptions{})
	searches = countSearches(lib)
	changed := rescanned(t, lib, dir)
	if none, _ := lib.db.OwnsNoFiles(changed.ID); none {
		t.Fatal("the rescan stored nothing: the test proves nothing")
	}
	if searches() == 0 {
		t.Error("no search after a rescan that stored a file, with groups kept before it")
	}
	found, _, err := lib.findDuplicates(changed.ID, dist, nil)
	if err != nil || !strings.Contains(groupsText(found), "b again.jpg") {
		t.Fatalf("%v\n%s", err, groupsText(found))
	}
	if got := groupsText(keptNow(t, lib, changed.ID, ScopeLibrary, "a rescan that stored a file")); got != groupsText(found) {
		t.Errorf("kept after a rescan that stored a file\n%s\nfound\n%s", got, groupsText(found))
	}
}

// Without FindDuplicatesAfterJob (the CLI), a change run keeps the newest
// scan's groups when groups were kept before it, without the copies it
// moved; when none were, it searches for nothing.
func TestAChangeRunKeepsGroupsWhenGroupsWereKept(t *testing.T) {
	for _, keptBefore := range []bool{true, false} {
		db, _ := changeFolder(t)
		lib := openChangeLibrary(t, db, LibraryOptions{})
		j, err := lib.LatestJob()
		if err != nil {
			t.Fatal(err)
		}
		dist := lib.jobSettings(j.ID).NearDistance
		plan := planFor(t, lib, PlanOptions{}) // which searches, and keeps what it found
		if !keptBefore {
			if err := lib.db.PutJob(&j); err != nil { // any write moves them out of date
				t.Fatal(err)
			}
			if _, ok := lib.savedDuplicates(j.ID, dist, ScopeLibrary); ok {
				t.Fatal("groups still kept after a write: the test proves nothing")
			}
		}
		id, err := lib.ApplyPlan(plan)
		if err != nil {
			t.Fatal(err)
		}
		runToState(t, lib, id, store.StateCompleted)
		kept, ok := lib.savedDuplicates(j.ID, dist, ScopeLibrary)
		if ok != keptBefore {
			t.Fatalf("groups kept before the run %v: kept after it %v", keptBefore, ok)
		}
		if !ok {
			continue
		}
		found, _, err := lib.findDuplicates(j.ID, dist, nil)
		if err != nil || groupsText(kept) != groupsText(found) {
			t.Errorf("kept after the run\n%s\nfound now (%v)\n%s", groupsText(kept), err, groupsText(found))
		}
		for _, g := range plan.Groups {
			for _, moved := range g.Remove {
				if strings.Contains(groupsText(kept), moved+" ") {
					t.Errorf("the groups kept after the run still hold %s, which it moved", moved)
				}
			}
		}
	}
}

// A rescan stores every file that differs from its base, so once one file
// changed, each rescan over that base stores it again: a rescan that found
// the folder as the rescan before it did stores the same files of its own,
// sees the same, and gets its groups carried; the base's are not its.
func TestARescanLikeTheOneBeforeItCarriesItsGroups(t *testing.T) {
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{FindDuplicatesAfterJob: true})
	first, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "Pictures", "b.jpg"), later, later); err != nil {
		t.Fatal(err)
	}
	touched := rescanned(t, lib, dir) // a search keeps its groups
	keptNow(t, lib, touched.ID, ScopeLibrary, "after the rescan that found a file changed")
	searches := countSearches(lib)
	again := rescanned(t, lib, dir)
	if none, _ := lib.db.OwnsNoFiles(again.ID); none || again.Base != first.ID || touched.Base != first.ID {
		t.Fatalf("bases %d and %d, the second stored nothing %v: the test proves nothing", touched.Base, again.Base, none)
	}
	if n := searches(); n != 0 {
		t.Errorf("a search after a rescan that found the folder as the one before it (%d reports)", n)
	}
	keptAsFound(t, lib, again.ID, "carried")
	if !lib.sameView(touched.ID, again) || lib.sameView(first.ID, again) {
		t.Errorf("the same view as the rescan before it %v, as the base %v", lib.sameView(touched.ID, again), lib.sameView(first.ID, again))
	}
	evenLater := later.Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "Pictures", "b.jpg"), evenLater, evenLater); err != nil {
		t.Fatal(err)
	}
	retouched := rescanned(t, lib, dir)
	if lib.sameView(again.ID, retouched) {
		t.Error("a rescan that stored the same path as another record is taken to see what the one before it saw")
	}
	if err := os.Chtimes(filepath.Join(dir, "Pictures", "c.jpg"), later, later); err != nil {
		t.Fatal(err)
	}
	other := rescanned(t, lib, dir)
	if lib.sameView(retouched.ID, other) {
		t.Error("a rescan that stored one more file is taken to see what the one before it saw")
	}
}
