package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"shoebox/safefs"
	"shoebox/store"
)

// changeFolder writes real JPEGs in four groups of copies and one unique
// picture, scans them into a new library and returns the library file and
// the folder.
//
//	A: Pictures/a.jpg, Downloads/a.jpg, Pictures/a copy.jpg
//	B: Pictures/b.jpg, WhatsApp/b.jpg
//	C: Pictures/c.jpg, Export/c (1).jpg
//	D: Pictures/d.jpg, sub/deeper/d.jpg
//	E: x/e.jpg, y/e.jpg                  a tie: nothing tells them apart
//	   Pictures/unique.jpg
func changeFolder(t *testing.T) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	files := map[string]int{
		"Pictures/a.jpg": 1, "Downloads/a.jpg": 1, "Pictures/a copy.jpg": 1,
		"Pictures/b.jpg": 2, "WhatsApp/b.jpg": 2,
		"Pictures/c.jpg": 3, "Export/c (1).jpg": 3,
		"Pictures/d.jpg": 4, "sub/deeper/d.jpg": 4,
		"x/e.jpg": 6, "y/e.jpg": 6,
		"Pictures/unique.jpg": 5,
	}
	pics := map[int][]byte{}
	for rel, seed := range files {
		if pics[seed] == nil {
			pics[seed] = boldJPEG(t, seed, 90)
		}
		p := writeAt(t, dir, rel, pics[seed])
		// Distinct, old modification times: a move must keep each one.
		old := time.Date(2019, 6, seed, 10, len(rel), 0, 0, time.UTC)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	db = filepath.Join(t.TempDir(), "library.db")
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	return db, dir
}

// openChangeLibrary opens the library at db for a test.
func openChangeLibrary(t *testing.T, db string, opt LibraryOptions) *Library {
	t.Helper()
	opt.ProgressInterval = 10 * time.Millisecond
	lib, err := OpenLibraryWith(db, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

// planFor plans the latest scan's duplicates with opt.
func planFor(t *testing.T, lib *Library, opt PlanOptions) Plan {
	t.Helper()
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lib.PlanDuplicates(j.ID, opt)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runToState waits for a change run and returns it.
func runToState(t *testing.T, lib *Library, id uint64, want store.JobState) store.Job {
	t.Helper()
	if st := lib.Wait(id); st != want {
		j, _ := lib.Job(id)
		t.Fatalf("run %d ended %s (%s), want %s", id, st, j.ErrorMessage, want)
	}
	j, err := lib.Job(id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// itemsByState counts a run's items by state, with their reasons.
func itemsByState(t *testing.T, lib *Library, id uint64) (map[store.ChangeState]int, []string) {
	t.Helper()
	items, err := lib.ChangeItems(id)
	if err != nil {
		t.Fatal(err)
	}
	n := map[store.ChangeState]int{}
	var reasons []string
	for _, it := range items {
		n[it.State]++
		if it.Reason != "" {
			reasons = append(reasons, filepath.Base(it.Path)+": "+it.Reason)
		}
	}
	sort.Strings(reasons)
	return n, reasons
}

// inQuarantine is where a quarantined path is, for a library file and run.
func inQuarantine(db string, run uint64, path string) string {
	return filepath.Join(QuarantineDir(db), fmt.Sprintf("run-%d", run), strings.TrimLeft(path, "/"))
}

// A quarantine run moves every planned copy, and only those, into the
// quarantine with its path and mtime; the dry run's counts are what it
// does; undo puts every file back byte for byte with its mtime.
func TestApplyQuarantineThenUndo(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{})
	if plan.RemoveCount != 5 || len(plan.Groups) != 5 || plan.Ties != 1 {
		t.Fatalf("plan: %d groups, %d to remove, %d ties; want 5, 5 and 1", len(plan.Groups), plan.RemoveCount, plan.Ties)
	}
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	j := runToState(t, lib, id, store.StateCompleted)
	if j.Kind != store.KindDups || j.Change.Bytes != plan.BytesFreed || j.ProgressCurrent != plan.RemoveCount || j.ErrorCount+j.SkippedCount != 0 {
		t.Fatalf("run: kind %s, %d bytes of %d planned, %d of %d files, %d errors, %d skipped",
			j.Kind, j.Change.Bytes, plan.BytesFreed, j.ProgressCurrent, plan.RemoveCount, j.ErrorCount, j.SkippedCount)
	}
	after := snapshot(t, dir)
	for _, g := range plan.Groups {
		for _, k := range g.Keep {
			if after[k] != before[k] {
				t.Errorf("kept file %s changed", k)
			}
		}
		for _, r := range g.Remove {
			if _, ok := after[r]; ok {
				t.Errorf("%s is still there", r)
			}
			q := inQuarantine(db, id, r)
			got := snapshot(t, filepath.Dir(q))[q]
			if got != before[r] {
				t.Errorf("%s in the quarantine: bytes or mtime differ (%d bytes, want %d)", r, len(got), len(before[r]))
			}
		}
	}
	if len(after) != len(before)-plan.RemoveCount {
		t.Errorf("%d files left of %d: only the %d planned copies may go", len(after), len(before), plan.RemoveCount)
	}
	runs, err := lib.Runs()
	if err != nil || len(runs) != 1 || !runs[0].Undoable || runs[0].Done != 5 || runs[0].Bytes != plan.BytesFreed {
		t.Fatalf("runs: %+v, %v", runs, err)
	}

	undo, err := lib.Undo(0)
	if err != nil {
		t.Fatal(err)
	}
	u := runToState(t, lib, undo, store.StateCompleted)
	if u.Kind != store.KindUndo || u.ProgressCurrent != 5 || u.ErrorCount != 0 {
		t.Fatalf("undo: %+v", u)
	}
	if got := snapshot(t, dir); !equalSnapshots(got, before) {
		t.Fatalf("after undo the folder differs from before: %v", diffSnapshots(before, got))
	}
	if left, err := os.ReadDir(QuarantineDir(db)); err != nil || len(left) != 0 {
		t.Errorf("undo left %d entries in the quarantine (%v)", len(left), err)
	}
	orig, _ := lib.Job(id)
	if !orig.Change.Undone || orig.Change.UndoneBy != undo {
		t.Errorf("the run undone is not marked so: %+v", orig.Change)
	}
	if _, err := lib.Undo(id); err == nil {
		t.Error("a run was undone twice")
	}
}

func equalSnapshots(a, b map[string]string) bool { return len(diffSnapshots(a, b)) == 0 }

// diffSnapshots names the paths whose content or mtime differ.
func diffSnapshots(want, got map[string]string) []string {
	var diff []string
	for p, w := range want {
		if got[p] != w {
			diff = append(diff, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diff = append(diff, "extra "+p)
		}
	}
	sort.Strings(diff)
	return diff
}

// A plan edited to remove a protected file, to keep nothing, or to remove a
// keeper under another name, is refused whole: nothing moves.
func TestApplyRefusesUnsafePlans(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	base := planFor(t, lib, PlanOptions{})
	group := func(p *Plan, keep string) *PlanGroup {
		for i := range p.Groups {
			for _, k := range p.Groups[i].Keep {
				if strings.HasSuffix(k, keep) {
					return &p.Groups[i]
				}
			}
		}
		t.Fatalf("no group keeps %s", keep)
		return nil
	}
	cases := map[string]func(t *testing.T, p *Plan){
		"nothing kept": func(t *testing.T, p *Plan) {
			g := group(p, "Pictures/b.jpg")
			g.Remove, g.Keep = append(g.Remove, g.Keep...), []string{}
		},
		"protected in remove": func(t *testing.T, p *Plan) {
			p.Protect = []string{filepath.Join(dir, "WhatsApp")}
		},
		"keeper's hard link in remove": func(t *testing.T, p *Plan) {
			link := filepath.Join(dir, "Pictures", "b-link.jpg")
			if err := os.Link(filepath.Join(dir, "Pictures", "b.jpg"), link); err != nil {
				t.Skip("no hard links:", err)
			}
			t.Cleanup(func() { os.Remove(link) })
			g := group(p, "Pictures/b.jpg")
			g.Remove = append(g.Remove, link)
			g.Files[link] = g.Files[g.Keep[0]]
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			p := clonePlan(t, base)
			edit(t, &p)
			p.Recount()
			_, err := lib.ApplyPlan(p)
			var refused *PlanRefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("applied: %v", err)
			}
			for _, r := range mustRuns(t, lib) {
				t.Errorf("a run was made: %+v", r)
			}
		})
	}
	// A folder protected in the library after the plan was made is refused too.
	if err := lib.SetChangePreferences(ChangePreferences{Protect: []string{filepath.Join(dir, "Downloads")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.ApplyPlan(base); err == nil || !strings.Contains(err.Error(), "protected") {
		t.Fatalf("a plan removing a file the library protects was applied: %v", err)
	}
	if got := snapshot(t, dir); !equalSnapshots(got, before) {
		t.Fatalf("files changed: %v", diffSnapshots(before, got))
	}
}

func mustRuns(t *testing.T, lib *Library) []RunSummary {
	t.Helper()
	runs, err := lib.Runs()
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// The core refuses to act under a protected folder whatever it is handed:
// an item stored by hand, bypassing ApplyPlan, is an error and its file
// stays.
func TestChangeRunRefusesProtectedItem(t *testing.T) {
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{})
	items, _ := changeItems(plan)
	j := store.Job{Kind: store.KindDups, Status: store.StatePending,
		Change: &store.ChangeRun{Action: "quarantine", Protect: []string{dir}}}
	id, err := lib.startChangeRun(j, items, nil)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted) // fewer items than the error threshold's sample
	n, reasons := itemsByState(t, lib, id)
	if n[store.ChangeError] != len(items) || len(reasons) != len(items) || !strings.Contains(reasons[0], "protected") {
		t.Fatalf("items: %v %v", n, reasons)
	}
	for _, it := range items {
		if _, err := os.Stat(it.Path); err != nil {
			t.Errorf("%s moved: %v", it.Path, err)
		}
	}
}

// A copy, or the file kept, changed between the plan and the apply is
// skipped with "changed since the scan", and left as it is; a copy that
// became a link is never followed.
func TestApplySkipsFilesChangedSinceThePlan(t *testing.T) {
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{})
	// Same size and mtime, other bytes: only the SHA-256 tells.
	sneaky := filepath.Join(dir, "WhatsApp", "b.jpg")
	info, _ := os.Stat(sneaky)
	data, _ := os.ReadFile(sneaky)
	data[len(data)/2] ^= 0xff
	os.WriteFile(sneaky, data, 0o640)
	os.Chtimes(sneaky, info.ModTime(), info.ModTime())
	// The kept file of group C changes: its copy must stay.
	keptC := filepath.Join(dir, "Pictures", "c.jpg")
	os.WriteFile(keptC, []byte("not the picture any more"), 0o640)
	// A copy replaced by a link to somewhere else.
	linked := filepath.Join(dir, "sub", "deeper", "d.jpg")
	os.Remove(linked)
	if err := os.Symlink(filepath.Join(dir, "Pictures", "unique.jpg"), linked); err != nil {
		t.Skip("no symlinks:", err)
	}
	id, err := lib.ApplyPlan(plan)
	if err == nil {
		runToState(t, lib, id, store.StateCompleted)
	} else {
		// The keeper of C no longer matching is for the run to find; a plan
		// refused at the door is fine too, as long as nothing moved.
		t.Logf("refused: %v", err)
	}
	for _, p := range []string{sneaky, filepath.Join(dir, "Export", "c (1).jpg")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was acted on although it changed: %v", p, err)
		}
	}
	if fi, err := os.Lstat(linked); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link that replaced a copy was acted on: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Pictures", "unique.jpg")); err != nil {
		t.Errorf("the link's target moved: %v", err)
	}
	if err == nil {
		n, reasons := itemsByState(t, lib, id)
		if n[store.ChangeSkipped] != 3 || n[store.ChangeDone] != 2 {
			t.Fatalf("items %v: %v", n, reasons)
		}
		for _, r := range reasons {
			if !strings.Contains(r, "changed since the scan") {
				t.Errorf("reason %q", r)
			}
		}
	}
}

// Two paths to one file in remove are acted on once; a symlinked folder
// leading to the kept file is the kept file and is refused.
func TestApplyTwoPathsToOneFile(t *testing.T) {
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{})
	// Group A removes Downloads/a.jpg; add a second name for it.
	second := filepath.Join(dir, "Downloads", "a-again.jpg")
	if err := os.Link(filepath.Join(dir, "Downloads", "a.jpg"), second); err != nil {
		t.Skip("no hard links:", err)
	}
	p := clonePlan(t, plan)
	for i := range p.Groups {
		g := &p.Groups[i]
		if strings.HasSuffix(g.Keep[0], "Pictures/a.jpg") {
			g.Remove = append(g.Remove, second)
			g.Files[second] = g.Files[filepath.Join(dir, "Downloads", "a.jpg")]
		}
	}
	p.Recount()
	id, err := lib.ApplyPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	j := runToState(t, lib, id, store.StateCompleted)
	if j.ProgressTotal != plan.RemoveCount || !strings.Contains(j.Change.LeftAlone, "1 other names") {
		t.Fatalf("run of %d items (want %d), left alone %q", j.ProgressTotal, plan.RemoveCount, j.Change.LeftAlone)
	}
	if _, err := os.Stat(second); err != nil {
		t.Errorf("the second name was acted on too: %v", err)
	}

	// A folder that is a link to the folder of a kept file.
	link := filepath.Join(dir, "Pictures-link")
	if err := os.Symlink(filepath.Join(dir, "Pictures"), link); err != nil {
		t.Skip("no symlinks:", err)
	}
	lib.Undo(id)
	lib.Wait(j.Change.UndoneBy)
	q := clonePlan(t, plan)
	for i := range q.Groups {
		g := &q.Groups[i]
		if strings.HasSuffix(g.Keep[0], "Pictures/b.jpg") {
			through := filepath.Join(link, "b.jpg")
			g.Remove = append(g.Remove, through)
			g.Files[through] = g.Files[g.Keep[0]]
		}
	}
	q.Recount()
	if _, err := lib.ApplyPlan(q); err == nil || !strings.Contains(err.Error(), "same file as a kept one") {
		t.Fatalf("a kept file reached through a linked folder was not refused: %v", err)
	}
}

// Hard links replace each copy with the kept file's inode, bytes equal;
// undo gives each path a file of its own again, with its mtime.
func TestApplyHardlinkThenUndo(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{Action: "hardlink"})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	j := runToState(t, lib, id, store.StateCompleted)
	if j.ProgressCurrent != plan.RemoveCount || j.ErrorCount+j.SkippedCount != 0 {
		n, reasons := itemsByState(t, lib, id)
		t.Fatalf("run: %d done of %d: %v %v", j.ProgressCurrent, plan.RemoveCount, n, reasons)
	}
	for _, g := range plan.Groups {
		kid, _ := safefs.IDOf(g.Keep[0])
		for _, r := range g.Remove {
			if id, err := safefs.IDOf(r); err != nil || id != kid {
				t.Errorf("%s is not a link to %s", r, g.Keep[0])
			}
		}
	}
	undoRestoresAll(t, lib, id, dir, before)
	for _, g := range plan.Groups {
		kid, _ := safefs.IDOf(g.Keep[0])
		for _, r := range g.Remove {
			if id, _ := safefs.IDOf(r); id == kid {
				t.Errorf("%s still shares the kept file's inode", r)
			}
		}
	}
}

// Undo never overwrites: a file now standing at a path is left alone, its
// item is an error that says so, and the moved file stays in the quarantine.
func TestUndoNeverOverwrites(t *testing.T) {
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	plan := planFor(t, lib, PlanOptions{})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	taken := filepath.Join(dir, "WhatsApp", "b.jpg")
	if err := os.WriteFile(taken, []byte("a new file by the same name"), 0o644); err != nil {
		t.Fatal(err)
	}
	undo, err := lib.Undo(id)
	if err != nil {
		t.Fatal(err)
	}
	u := runToState(t, lib, undo, store.StateCompleted)
	n, reasons := itemsByState(t, lib, undo)
	if u.ErrorCount != 1 || n[store.ChangeDone] != 4 || len(reasons) != 1 || !strings.Contains(reasons[0], "nothing was overwritten") {
		t.Fatalf("undo: %v %v", n, reasons)
	}
	if data, _ := os.ReadFile(taken); string(data) != "a new file by the same name" {
		t.Error("the new file was overwritten")
	}
	if _, err := os.Stat(inQuarantine(db, id, taken)); err != nil {
		t.Errorf("the moved file left the quarantine: %v", err)
	}
}

// A library recovered by `shoebox recover` keeps the change runs' journal
// and the protected folders: a run applied before the damage can still be
// undone from the new library.
func TestRecoveredLibraryCanStillUndo(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	protect := filepath.Join(dir, "Pictures")
	if err := lib.SetChangePreferences(ChangePreferences{Protect: []string{protect}}); err != nil {
		t.Fatal(err)
	}
	id, err := lib.ApplyPlan(planFor(t, lib, PlanOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	lib.Close()
	out := filepath.Join(t.TempDir(), "recovered.db")
	rep, err := store.Recover(db, out)
	if err != nil || rep.Changes != 4 || len(rep.MissingByJob) != 0 {
		t.Fatalf("recover: %+v, %v", rep, err)
	}
	rlib := openChangeLibrary(t, out, LibraryOptions{})
	if p, _ := rlib.ChangePreferences(); len(p.Protect) != 1 || p.Protect[0] != protect {
		t.Errorf("protected folders after recovery: %v", p.Protect)
	}
	runs := mustRuns(t, rlib)
	if len(runs) != 1 || runs[0].Done != 4 || !runs[0].Undoable {
		t.Fatalf("runs after recovery: %+v", runs)
	}
	undoRestoresAll(t, rlib, id, dir, before)
}

// A change run pauses and resumes, and is cancelled, like a scan: a paused
// run resumes to every file once; a cancelled one keeps what it did, which
// undo puts back.
func TestChangeRunPauseResumeCancel(t *testing.T) {
	for _, stop := range []string{"pause", "cancel"} {
		t.Run(stop, func(t *testing.T) {
			db, dir := changeFolder(t)
			before := snapshot(t, dir)
			var lib *Library
			var steps atomic.Int32
			lib = openChangeLibrary(t, db, LibraryOptions{ChangeStep: func(step string) {
				if step != "done" || steps.Add(1) != 2 {
					return
				}
				runs, _ := lib.Runs() // on a worker: no t.Fatal here
				for _, r := range runs {
					if r.Status == store.StateRunning && stop == "pause" {
						lib.Pause(r.ID)
					} else if r.Status == store.StateRunning {
						lib.Cancel(r.ID)
					}
				}
			}})
			plan := planFor(t, lib, PlanOptions{})
			runID, err := lib.ApplyPlan(plan)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]store.JobState{"pause": store.StatePaused, "cancel": store.StateCancelled}[stop]
			j := runToState(t, lib, runID, want)
			if j.ProgressCurrent < 1 || j.ProgressCurrent >= plan.RemoveCount {
				t.Fatalf("%s after %d of %d items", stop, j.ProgressCurrent, plan.RemoveCount)
			}
			if stop == "pause" {
				if err := lib.Resume(runID); err != nil {
					t.Fatal(err)
				}
				j = runToState(t, lib, runID, store.StateCompleted)
				if j.ProgressCurrent != plan.RemoveCount || j.ErrorCount+j.SkippedCount != 0 {
					n, reasons := itemsByState(t, lib, runID)
					t.Fatalf("resumed: %d of %d: %v %v", j.ProgressCurrent, plan.RemoveCount, n, reasons)
				}
			}
			undoRestoresAll(t, lib, runID, dir, before)
		})
	}
}

// After a run, the duplicate groups no longer show the copies it moved (the
// library still holds their scan records); after undo they show again.
func TestDuplicatesLeaveOutWhatARunMoved(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	scan, _ := lib.LatestJob()
	count := func() (groups, files int) {
		d, err := lib.Duplicates(scan.ID, -1)
		if err != nil {
			t.Fatal(err)
		}
		exactAloneAgrees(t, lib, scan.ID, ScopeLibrary, d)
		for _, g := range d.Exact {
			groups++
			files += len(g.Files)
		}
		return
	}
	g0, f0 := count()
	plan := planFor(t, lib, PlanOptions{})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	if g, f := count(); g != 1 || f != 2 { // only the tie is left
		t.Fatalf("after the run: %d groups of %d files; before %d of %d", g, f, g0, f0)
	}
	undo, _ := lib.Undo(id)
	runToState(t, lib, undo, store.StateCompleted)
	if g, f := count(); g != g0 || f != f0 {
		t.Fatalf("after undo: %d groups of %d files, want %d of %d", g, f, g0, f0)
	}
}

// undoRestoresAll undoes run and checks that dir is byte for byte, mtime for
// mtime, as it was before (no file missing, none extra).
func undoRestoresAll(t *testing.T, lib *Library, run uint64, dir string, before map[string]string) {
	t.Helper()
	undo, err := lib.Undo(run)
	if err != nil {
		t.Fatalf("undo of run %d: %v", run, err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if got := snapshot(t, dir); !equalSnapshots(got, before) {
		t.Fatalf("after undo of run %d: %v", run, diffSnapshots(before, got))
	}
}

// contentOf drops the mtime from a snapshot entry.
func contentOf(entry string) string {
	if i := strings.IndexByte(entry, ' '); i >= 0 {
		return entry[i+1:]
	}
	return entry
}
