package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"shoebox/store"
)

// groupsText is every group with what the window and the CLI show of its
// files, one line each, to compare two answers.
func groupsText(d Duplicates) string {
	var b strings.Builder
	for _, g := range append(append([]store.DupGroup(nil), d.Exact...), d.Near...) {
		fmt.Fprintf(&b, "near=%v sha=%s max=%d evidence=%q\n", g.Near, g.SHA256, g.MaxDistance, g.Evidence)
		for _, f := range g.Files {
			fmt.Fprintf(&b, "  job %d %s %d %s %s %v\n", f.JobID, f.AbsPath(), f.Size, f.SHA256, f.Time.Value, f.PHash)
		}
	}
	return b.String()
}

// A search keeps its groups, for both scopes, in the library: another
// process, even one that only reads, gets them back without searching,
// until the library changes; then they are found again.
func TestDuplicatesAreKeptInTheLibraryUntilItChanges(t *testing.T) {
	db, _ := changeFolder(t)
	second := scanSecondFolder(t, db)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	dist := lib.jobSettings(j.ID).NearDistance
	all, err := lib.DuplicatesIn(j.ID, dist, ScopeLibrary)
	if err != nil {
		t.Fatal(err)
	}
	if filesIn(all.Exact) < 6 {
		t.Fatalf("%d files in exact groups: the test proves nothing", filesIn(all.Exact))
	}
	lib.Close()

	reader := openChangeLibrary(t, db, LibraryOptions{Mode: store.ReadOnly})
	found, _, err := reader.findDuplicates(j.ID, dist, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, scope := range []DupScope{ScopeLibrary, ScopeJob} {
		kept, ok := reader.savedDuplicates(j.ID, dist, scope)
		if !ok {
			t.Fatalf("scope %d: no groups kept in the library", scope)
		}
		if got, want := groupsText(kept), groupsText(inScope(found, j.ID, scope)); got != want {
			t.Errorf("scope %d: kept\n%s\nfound now\n%s", scope, got, want)
		}
		if k, ok := reader.KeptDuplicates(j.ID, -1, scope); !ok || groupsText(k) != groupsText(kept) {
			t.Errorf("scope %d: KeptDuplicates %v", scope, ok)
		}
		asked, err := reader.DuplicatesIn(j.ID, dist, scope)
		if err != nil || groupsText(asked) != groupsText(kept) {
			t.Errorf("scope %d: asked %v\n%s", scope, err, groupsText(asked))
		}
	}
	// Another distance up to the candidates' reach is found among them, as
	// a search finds it; beyond it, it would take a whole search.
	if k, ok := reader.KeptDuplicates(j.ID, dist-2, ScopeLibrary); !ok || groupsText(k) != groupsText(mustDups(t, reader, j.ID, dist-2)) {
		t.Errorf("KeptDuplicates at distance %d, among the candidates: %v\n%s", dist-2, ok, groupsText(k))
	}
	if _, ok := reader.KeptDuplicates(j.ID, candidateReach+2, ScopeLibrary); ok {
		t.Error("KeptDuplicates answered for a distance beyond the candidates, never searched")
	}
	if _, ok := reader.savedDuplicates(j.ID, dist+1, ScopeLibrary); ok {
		t.Error("groups of another distance were taken for these")
	}
	reader.Close()

	// One more copy of the second folder's pair, and a rescan.
	pair, err := os.ReadFile(filepath.Join(second, "own", "g.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(second, "own", "g3.jpg"), pair, 0o640); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, second, "--workers", "2"); code != ExitCompleted {
		t.Fatalf("rescan exit %d: %s", code, stderr)
	}
	lib = openChangeLibrary(t, db, LibraryOptions{})
	if _, ok := lib.savedDuplicates(j.ID, dist, ScopeLibrary); ok {
		t.Fatal("groups kept before a rescan are still taken as current")
	}
	// The first scan's candidates still stand (its files did not change);
	// its exact copies are found again, the new one among them.
	if k, ok := lib.KeptDuplicates(j.ID, dist, ScopeLibrary); !ok || !strings.Contains(groupsText(k), "g3.jpg") {
		t.Fatalf("KeptDuplicates after a rescan: %v\n%s", ok, groupsText(k))
	}
	again, err := lib.DuplicatesIn(j.ID, dist, ScopeLibrary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(groupsText(again), "g3.jpg") {
		t.Errorf("the new copy is not in the groups found again:\n%s", groupsText(again))
	}
}

// While a job runs, groups found are not written into the library: the
// compaction after the job gives up when the library is written during its
// copy. Once nothing runs, they are.
func TestDuplicatesAreNotKeptWhileAJobRuns(t *testing.T) {
	db, _ := changeFolder(t)
	started, release := make(chan struct{}), make(chan struct{})
	f := &fakeAnalyzer{before: func(n int, _ string) {
		if n == 1 {
			close(started)
			<-release
		}
	}}
	lib := openChangeLibrary(t, db, LibraryOptions{Analyze: f.analyze})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	makeFiles(t, other, 2, func(i int) string { return fmt.Sprintf("%d.jpg", i) })
	id, err := lib.Start([]string{other}, Settings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	dist := lib.jobSettings(j.ID).NearDistance
	during, err := lib.DuplicatesIn(j.ID, dist, ScopeLibrary)
	if err != nil || filesIn(during.Exact) == 0 {
		t.Fatalf("groups during a job: %v, %d files", err, filesIn(during.Exact))
	}
	if _, ok := lib.savedDuplicates(j.ID, dist, ScopeLibrary); ok {
		t.Error("groups were written into the library while a job ran")
	}
	close(release)
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("state %s", st)
	}
	after, err := lib.DuplicatesIn(j.ID, dist, ScopeLibrary)
	if err != nil {
		t.Fatal(err)
	}
	if kept, ok := lib.savedDuplicates(j.ID, dist, ScopeLibrary); !ok || groupsText(kept) != groupsText(after) {
		t.Errorf("groups found once nothing runs were not kept (%v)", ok)
	}
}

// keptAsFound checks that the job's kept groups, in both scopes, are those
// a search finds now; a search that finds fewer than 6 files in exact
// groups proves nothing.
func keptAsFound(t *testing.T, lib *Library, jobID uint64, when string) {
	t.Helper()
	found, _, err := lib.findDuplicates(jobID, lib.jobSettings(jobID).NearDistance, nil)
	if err != nil || filesIn(found.Exact) < 6 {
		t.Fatalf("%s: %v, %d files in exact groups: the test proves nothing", when, err, filesIn(found.Exact))
	}
	for _, scope := range []DupScope{ScopeLibrary, ScopeJob} {
		if got, want := groupsText(keptNow(t, lib, jobID, scope, when)), groupsText(inScope(found, jobID, scope)); got != want {
			t.Errorf("%s, scope %d: kept\n%s\nfound\n%s", when, scope, got, want)
		}
	}
}

// keptNow is the job's kept groups in scope at its own distance, which must
// be there without a search.
func keptNow(t *testing.T, lib *Library, jobID uint64, scope DupScope, when string) Duplicates {
	t.Helper()
	kept, ok := lib.savedDuplicates(jobID, lib.jobSettings(jobID).NearDistance, scope)
	if !ok {
		t.Fatalf("%s: no groups kept for scope %d", when, scope)
	}
	return kept
}

// mustDups is DuplicatesIn's answer, without an error.
func mustDups(t *testing.T, lib *Library, jobID uint64, distance int) Duplicates {
	t.Helper()
	d, err := lib.DuplicatesIn(jobID, distance, ScopeLibrary)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A job that completes leaves the newest scan's groups kept in the
// library, found as a search would find them: after a scan, its own; after
// a change run, without the copies it moved. A date decision then leaves
// them current. The job reports the search while it goes on. Without
// FindDuplicatesAfterJob (the CLI), a scan still keeps its groups when it
// keeps its look-alike candidates (its view had none).
func TestACompletedJobKeepsTheNewestScansGroups(t *testing.T) {
	db, dir := changeFolder(t) // a CLI scan
	lib := openChangeLibrary(t, db, LibraryOptions{})
	first, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lib.KeptDuplicates(first.ID, -1, ScopeLibrary); !ok {
		t.Error("a CLI scan kept neither its groups nor its look-alike candidates")
	}
	if _, ok, err := lib.db.NearCandidatesReach(first.ID); !ok || err != nil {
		t.Errorf("a CLI scan kept no look-alike candidates: %v", err)
	}
	lib.Close()
	// A file more: the rescan sees another view, and its groups are searched
	// for, not carried over it.
	unique, err := os.ReadFile(filepath.Join(dir, "Pictures", "unique.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pictures", "unique again.jpg"), unique, 0o640); err != nil {
		t.Fatal(err)
	}
	lib = openChangeLibrary(t, db, LibraryOptions{FindDuplicatesAfterJob: true})
	var mu sync.Mutex
	var phases []string
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Finished() && (len(phases) == 0 || phases[len(phases)-1] != fmt.Sprint(p.Grouping)) {
			phases = append(phases, fmt.Sprint(p.Grouping))
		}
	}})
	rescan, err := lib.Start([]string{dir}, Settings{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(rescan); st != store.StateCompleted {
		t.Fatalf("rescan %s", st)
	}
	j, err := lib.LatestJob()
	if err != nil || j.ID != rescan {
		t.Fatalf("latest %d, %v; want the rescan %d", j.ID, err, rescan)
	}
	keptAsFound(t, lib, j.ID, "after the rescan")

	plan := planFor(t, lib, PlanOptions{})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	after := groupsText(keptNow(t, lib, j.ID, ScopeLibrary, "after the run"))
	for _, g := range plan.Groups {
		for _, moved := range g.Remove {
			if strings.Contains(after, moved+" ") {
				t.Errorf("the groups kept after the run still hold %s, which it moved", moved)
			}
		}
	}
	if again, _, err := lib.findDuplicates(j.ID, lib.jobSettings(j.ID).NearDistance, nil); err != nil || groupsText(again) != after {
		t.Errorf("kept after the run\n%s\nfound now (%v)\n%s", after, err, groupsText(again))
	}
	mu.Lock()
	if strings.Join(phases, " ") != "false true false true false" {
		t.Errorf("the run reported grouping as %q, want, for the rescan and then the run: the end, the search, and the end again", phases)
	}
	mu.Unlock()

	before, _ := lib.db.ReadID()
	if ds, err := lib.SetDate(DatesSelection{Paths: []string{plan.Groups[0].Keep[0]}}, "2004-05-06"); err != nil || len(ds) != 1 {
		t.Fatalf("%v %+v", err, ds)
	}
	if now, _ := lib.db.ReadID(); now == before {
		t.Fatal("the date decision wrote nothing: the test proves nothing")
	}
	if got := groupsText(keptNow(t, lib, j.ID, ScopeLibrary, "after a date decision")); got != after {
		t.Errorf("a date decision changed the groups kept:\n%s", got)
	}
}
