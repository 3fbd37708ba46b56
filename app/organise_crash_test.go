//go:build unix

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/store"
	"shoebox/trash"
)

// organiseCrashFixture is a scanned folder to move into a library.
type organiseCrashFixture struct {
	db, src, dest string
	before        map[string]string // the source as it was
	opt           OrganiseOptions
}

func newOrganiseCrashFixture(t *testing.T) organiseCrashFixture {
	t.Helper()
	lib, src := organiseFolder(t, map[string]string{
		"DCIM/IMG_1.jpg":    "2019-06-03T10:15:00 HIGH\none",
		"DCIM/IMG_1.xmp":    "<xmp>one</xmp>",
		"DCIM/IMG_2.jpg":    "2019-06-03T10:15:00 HIGH\ntwo, same second",
		"DCIM/IMG_3.jpg":    "no date",
		"Backup/IMG_1.jpg":  "2019-06-03T10:15:00 HIGH\none",
		"Other/IMG_2.jpg":   "2019-08-03T10:15:00 MEDIUM\nanother picture, same name",
		"Other/already.jpg": "2019-09-03T10:15:00 MEDIUM\nin the library before",
		"Other/notes.txt":   "left where it is",
		"Other/IMG_9.HEIC":  "2019-10-03T10:15:00 HIGH\nlive",
		"Other/IMG_9.MOV":   "2019-10-03T10:15:00 HIGH\nlive video",
		"Other/IMG_9.txt":   "not a sidecar: left",
	})
	f := organiseCrashFixture{db: lib.Path(), src: src, dest: filepath.Join(t.TempDir(), "Library"), before: snapshot(t, src)}
	lib.Close()
	writeTree(t, f.dest, map[string]string{"old/already.jpg": "2019-09-03T10:15:00 MEDIUM\nin the library before"})
	f.opt = OrganiseOptions{Dest: f.dest, Move: true}
	return f
}

// check looks at the disk after a kill: every source's bytes are at its
// path, in the library or in the quarantine; no file in the library under a
// final name holds bytes that are not a source's whole; and each journal
// entry agrees with the disk.
func (f organiseCrashFixture) check(t *testing.T, lib *Library, run uint64, at int64) {
	t.Helper()
	inLib := map[string]bool{}
	for p, entry := range snapshot(t, f.dest) {
		if strings.HasPrefix(filepath.Base(p), ".shoebox-copy-") {
			continue // a temporary copy: never a final name
		}
		inLib[contentOf(entry)] = true
	}
	sources := map[string]bool{}
	for path, was := range f.before {
		sources[contentOf(was)] = true
		if data, err := os.ReadFile(path); err == nil && string(data) == contentOf(was) {
			continue
		}
		if inLib[contentOf(was)] {
			if data, err := os.ReadFile(inQuarantine(f.db, run, path)); err == nil && string(data) == contentOf(was) {
				continue
			}
		}
		t.Fatalf("step %d: %s is lost: neither at its path nor in the library and the quarantine", at, path)
	}
	for content := range inLib {
		if !sources[content] {
			t.Fatalf("step %d: the library holds bytes that are no source's: %q", at, content)
		}
	}
	items, err := lib.ChangeItems(run)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		want := contentOf(f.before[it.Path])
		switch {
		case it.Op == "copy" && it.State == store.ChangeDone:
			if data, err := os.ReadFile(it.Dest); err != nil || string(data) != want {
				t.Fatalf("step %d: the journal says %s was copied to %s, the disk does not (%v)", at, it.Path, it.Dest, err)
			}
		case it.Op == "copy" && it.State == store.ChangePending:
			if _, err := os.Lstat(it.Dest); err == nil {
				t.Fatalf("step %d: %s exists, the journal says its copy never started", at, it.Dest)
			}
		case it.Op == "quarantine" && it.State == store.ChangeDone:
			if _, err := os.Lstat(it.Path); err == nil {
				t.Fatalf("step %d: the journal says %s was moved, it is still there", at, it.Path)
			}
		case it.Op == "quarantine" && it.State == store.ChangePending:
			if data, err := os.ReadFile(it.Path); err != nil || string(data) != want {
				t.Fatalf("step %d: %s is gone, the journal says it was never moved (%v)", at, it.Path, err)
			}
		}
	}
}

// A kill -9 at every step of a move run loses nothing and leaves no
// half-written file under a final name; the journal agrees with the disk.
// Resuming then completes the run (every source in the quarantine, the
// source safe to wipe), and undo restores the source byte for byte and
// empties the library of what the run put there; or undo straight away does.
func TestOrganiseMoveSurvivesKill9(t *testing.T) {
	f := newOrganiseCrashFixture(t)
	_, steps := crashChild(t, crashOrder{DB: f.db, Organise: &f.opt})
	if steps < 30 {
		t.Fatalf("only %d steps in a whole move run", steps)
	}
	for at := int64(1); at <= int64(steps); at++ {
		f := newOrganiseCrashFixture(t)
		libBefore := snapshot(t, f.dest)
		if killed, _ := crashChild(t, crashOrder{DB: f.db, Organise: &f.opt, At: at}); !killed {
			continue
		}
		lib := openChangeLibrary(t, f.db, LibraryOptions{})
		run := theRun(t, lib, store.KindOrganise)
		f.check(t, lib, run.ID, at)
		if at%2 == 0 && run.Status != store.StateCompleted {
			if err := lib.Resume(run.ID); err != nil {
				t.Fatalf("step %d: resume: %v", at, err)
			}
			runToState(t, lib, run.ID, store.StateCompleted)
			f.check(t, lib, run.ID, at)
			_, entries, err := lib.Ledger(run.ID)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range entries {
				if e.Fate == store.FateLeft {
					n++
				} else if !e.Verified {
					t.Fatalf("step %d: resumed, %s is %s but not proven in the library: %s", at, e.Source, e.Fate, e.Reason)
				}
			}
			if n != 2 {
				t.Errorf("step %d: %d files left, want 2", at, n)
			}
		}
		undo, err := lib.Undo(run.ID)
		if err != nil {
			t.Fatalf("step %d: undo: %v", at, err)
		}
		runToState(t, lib, undo, store.StateCompleted)
		if got := snapshot(t, f.src); !equalSnapshots(got, f.before) {
			t.Fatalf("step %d: after undo the source differs: %v", at, diffSnapshots(f.before, got))
		}
		if got := snapshot(t, f.dest); !equalSnapshots(got, libBefore) {
			t.Fatalf("step %d: after undo the library differs: %v", at, diffSnapshots(libBefore, got))
		}
		lib.Close()
	}
}

// A move run moves each source to the quarantine (or the trash) after its verified copy
// (and the duplicates once their bytes are filed); undo brings every source
// back byte for byte with its mtime and removes the copies. A copy changed
// in the library since is kept by undo.
func TestOrganiseMoveThenUndo(t *testing.T) {
	for _, to := range []string{"quarantine", "trash"} {
		t.Run(to, func(t *testing.T) { organiseMoveThenUndo(t, to) })
	}
}

func organiseMoveThenUndo(t *testing.T, moveTo string) {
	lib, src := organiseFolder(t, map[string]string{
		"a.jpg":      "2019-06-03T10:15:00 HIGH\na",
		"a copy.jpg": "2019-06-03T10:15:00 HIGH\na",
		"b.jpg":      "2019-07-03T10:15:00 HIGH\nb",
		"b.xmp":      "<xmp/>",
	})
	before := snapshot(t, src)
	home := t.TempDir()
	lib.Close()
	lib = openChangeLibrary(t, lib.Path(), LibraryOptions{Analyze: dateAnalyze, Trash: trash.Options{DataHome: home}})
	dest := filepath.Join(t.TempDir(), "Library")
	run, entries := organise(t, lib, OrganiseOptions{Dest: dest, Move: true, MoveTo: moveTo})
	if !SafeToWipe(entries) {
		t.Fatalf("not safe to wipe: %+v", entries)
	}
	if left := snapshot(t, src); len(left) != 0 {
		t.Fatalf("files left in the source after a move: %v", left)
	}
	inTrash := trashedFiles(t, home)
	for path, was := range before {
		q := inQuarantine(lib.Path(), run, path)
		_, content, _ := strings.Cut(was, " ")
		if moveTo == "trash" && inTrash[path] != was || moveTo == "quarantine" && !fileHolds(q, content) {
			t.Fatalf("%s is not in the %s", path, moveTo)
		}
	}
	undo, err := lib.Undo(run)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("after undo: %v", diffSnapshots(before, got))
	}
	if got := snapshot(t, dest); len(got) != 0 {
		t.Fatalf("undo left copies: %v", got)
	}

	// Organise again, change a copy in the library, undo: it is kept.
	run2, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	changed := bySource(t, src, entries)["b.jpg"].Dest
	if err := os.WriteFile(changed, []byte("edited in the library"), 0o644); err != nil {
		t.Fatal(err)
	}
	undo, err = lib.Undo(run2)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if data, err := os.ReadFile(changed); err != nil || string(data) != "edited in the library" {
		t.Errorf("undo removed a copy changed since (%v)", err)
	}
	if n, _ := itemsByState(t, lib, undo); n[store.ChangeError] != 1 {
		t.Errorf("undo items %v, want one error (the changed copy)", n)
	}
}

// A kill -9 at every step of undoing a move run loses nothing (every
// source's bytes at its path, in the library or in the quarantine); undo
// again finishes it: the source as it was, the library as it was.
func TestOrganiseUndoSurvivesKill9(t *testing.T) {
	steps := 0
	for at := int64(0); steps == 0 || at <= int64(steps); at++ {
		f := newOrganiseCrashFixture(t)
		libBefore := snapshot(t, f.dest)
		lib := openChangeLibrary(t, f.db, LibraryOptions{})
		run, _ := organise(t, lib, f.opt)
		lib.Close()
		if steps == 0 {
			if _, steps = crashChild(t, crashOrder{DB: f.db, Undo: run}); steps < 20 {
				t.Fatalf("only %d steps in a whole undo", steps)
			}
			continue
		}
		if killed, _ := crashChild(t, crashOrder{DB: f.db, Undo: run, At: at}); !killed {
			continue
		}
		lib = openChangeLibrary(t, f.db, LibraryOptions{})
		for path, was := range f.before {
			content := contentOf(was)
			if fileHolds(path, content) || fileHolds(inQuarantine(f.db, run, path), content) {
				continue
			}
			t.Fatalf("step %d: %s is lost", at, path)
		}
		if orig, _ := lib.Job(run); !orig.Change.Undone {
			undo, err := lib.Undo(run)
			if err != nil {
				t.Fatalf("step %d: undo again: %v", at, err)
			}
			runToState(t, lib, undo, store.StateCompleted)
		}
		if got := snapshot(t, f.src); !equalSnapshots(got, f.before) {
			t.Fatalf("step %d: after undo the source differs: %v", at, diffSnapshots(f.before, got))
		}
		if got := snapshot(t, f.dest); !equalSnapshots(got, libBefore) {
			t.Fatalf("step %d: after undo the library differs: %v", at, diffSnapshots(libBefore, got))
		}
		lib.Close()
	}
}
