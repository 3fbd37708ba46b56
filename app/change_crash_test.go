//go:build unix

package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"shoebox/internal/testproc"
	"shoebox/store"
	"shoebox/trash"
)

// crashOrder tells the child what to run and at which step to die.
type crashOrder struct {
	DB   string `json:"db"`
	Plan string `json:"plan,omitempty"` // apply this plan file
	Undo uint64 `json:"undo,omitempty"` // or undo this run
	At   int64  `json:"at"`             // SIGKILL itself at this ChangeStep (0: never)
	// Trash is the base of the home trash (trash.Options.DataHome).
	Trash string `json:"trash"`
	// Organise, when set, starts an organise run instead (organise_crash_test.go).
	Organise *OrganiseOptions `json:"organise,omitempty"`
	// Dates, when set, starts a dates write run instead (dates_crash_test.go).
	Dates *DatesWriteOptions `json:"dates,omitempty"`
}

// TestChangeRunCrashChild applies a plan or undoes a run in a child process
// and kills itself with SIGKILL at one step of it, for the tests below.
func TestChangeRunCrashChild(t *testing.T) {
	raw := os.Getenv("SHOEBOX_CRASH")
	if raw == "" {
		t.Skip("run by TestChangeRunsSurviveKill9 in a child process")
	}
	var c crashOrder
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	var steps atomic.Int64
	lib, err := OpenLibraryWith(c.DB, LibraryOptions{Trash: trash.Options{DataHome: c.Trash}, EXIFWriter: fakeEXIFWriter, ChangeStep: func(string) {
		if steps.Add(1) == c.At {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way: take no further step
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	var id uint64
	if c.Dates != nil {
		if id, _, err = lib.WriteDates(*c.Dates); err != nil {
			t.Fatal(err)
		}
	} else if c.Organise != nil {
		if id, _, err = lib.Organise(context.Background(), *c.Organise); err != nil {
			t.Fatal(err)
		}
	} else if c.Plan != "" {
		p, err := readPlan(c.Plan)
		if err == nil {
			id, err = lib.ApplyPlan(p)
		}
		if err != nil {
			t.Fatal(err)
		}
	} else if id, err = lib.Undo(c.Undo); err != nil {
		t.Fatal(err)
	}
	st := lib.Wait(id)
	lib.Close()
	fmt.Printf("steps %d %s\n", steps.Load(), st)
	os.Exit(0)
}

// crashChild runs the child with order and says whether it was killed.
func crashChild(t *testing.T, c crashOrder) (killed bool, steps int) {
	t.Helper()
	raw, _ := json.Marshal(c)
	code, stdout, stderr := testproc.Run(t, "TestChangeRunCrashChild", nil, "SHOEBOX_CRASH="+string(raw))
	if code == 0 {
		fmt.Sscanf(stdout[strings.Index(stdout, "steps "):], "steps %d", &steps)
		return false, steps
	}
	if code != -1 { // -1: ended by a signal
		t.Fatalf("child exit %d:\n%s\n%s", code, stdout, stderr)
	}
	return true, 0
}

// crashFixture is a scanned folder and a plan file for it.
type crashFixture struct {
	db, dir, planFile string
	trash             string // the home trash's base folder
	plan              Plan
	before            map[string]string
}

func (f crashFixture) order(at int64) crashOrder {
	return crashOrder{DB: f.db, Plan: f.planFile, Trash: f.trash, At: at}
}

func (f crashFixture) options() LibraryOptions {
	return LibraryOptions{Trash: trash.Options{DataHome: f.trash}}
}

func newCrashFixture(t *testing.T, action string) crashFixture {
	t.Helper()
	db, dir := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	p := planFor(t, lib, PlanOptions{Action: action})
	lib.Close()
	f := crashFixture{db: db, dir: dir, plan: p, planFile: filepath.Join(t.TempDir(), "plan.json"), before: snapshot(t, dir),
		trash: t.TempDir()}
	var buf bytes.Buffer
	if err := writePlan(p, "", &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.planFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// nothingLost checks that every file's bytes are at its own path or, when
// its run moved it, at its place in the quarantine.
func (f crashFixture) nothingLost(t *testing.T, run uint64) {
	t.Helper()
	now := snapshot(t, f.dir)
	inTrash := trashedFiles(t, f.trash)
	for path, was := range f.before {
		if inTrash[path] == was {
			continue
		}
		if now[path] == was || contentOf(now[path]) == contentOf(was) {
			continue // in place (a hard link shows the kept file's mtime)
		}
		q := inQuarantine(f.db, run, path)
		if data, err := os.ReadFile(q); err == nil && string(data) == contentOf(was) {
			continue
		}
		t.Fatalf("%s is lost: neither at its path nor in the quarantine", path)
	}
}

// theRun is the one change run of kind in the library.
func theRun(t *testing.T, lib *Library, kind store.JobKind) store.Job {
	t.Helper()
	jobs, err := lib.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Kind == kind {
			return j
		}
	}
	t.Fatalf("no %s run in the library", kind)
	return store.Job{}
}

// A kill -9 at every step of an apply (checked, intent stored, moved or
// linked, verified, committing) leaves every file's bytes at its path or in
// the quarantine; then resuming completes the run and undo restores every
// path byte for byte, or undo straight away does.
func TestChangeRunsSurviveKill9(t *testing.T) {
	for _, action := range []string{"quarantine", "hardlink", "trash"} {
		t.Run(action, func(t *testing.T) {
			f := newCrashFixture(t, action)
			_, steps := crashChild(t, f.order(0))
			if steps < 10 {
				t.Fatalf("only %d steps in a whole apply", steps)
			}
			for at := int64(1); at <= int64(steps); at++ {
				f := newCrashFixture(t, action)
				killed, _ := crashChild(t, f.order(at))
				if !killed {
					continue // fewer steps this time (batches commit by timing)
				}
				lib := openChangeLibrary(t, f.db, f.options())
				run := theRun(t, lib, store.KindDups)
				f.nothingLost(t, run.ID)
				if at%2 == 0 && run.Status != store.StateCompleted {
					if err := lib.Resume(run.ID); err != nil {
						t.Fatalf("step %d: resume: %v", at, err)
					}
					j := runToState(t, lib, run.ID, store.StateCompleted)
					if done := j.ProgressCurrent - j.ErrorCount - j.SkippedCount; done != f.plan.RemoveCount {
						n, reasons := itemsByState(t, lib, run.ID)
						t.Fatalf("step %d: resumed run did %d of %d: %v %v", at, done, f.plan.RemoveCount, n, reasons)
					}
				}
				undoRestoresAll(t, lib, run.ID, f.dir, f.before)
				// No .trashinfo is left naming no file (a desktop would list it);
				// a reservation's temporary file may be, which desktops never read.
				if left, _ := filepath.Glob(filepath.Join(f.trash, "Trash", "info", "*.trashinfo")); len(left) != 0 {
					t.Fatalf("step %d: after undo the trash still holds %d info files: %v", at, len(left), left)
				}
				lib.Close()
			}
		})
	}
}

// A kill -9 at every step of an undo leaves every file at its path or in
// the quarantine; undo again finishes the interrupted undo run.
func TestUndoSurvivesKill9(t *testing.T) {
	for _, action := range []string{"quarantine", "hardlink", "trash"} {
		t.Run(action, func(t *testing.T) {
			steps := 0
			for at := int64(1); steps == 0 || at <= int64(steps); at++ {
				f := newCrashFixture(t, action)
				lib := openChangeLibrary(t, f.db, f.options())
				id, err := lib.ApplyPlan(f.plan)
				if err != nil {
					t.Fatal(err)
				}
				runToState(t, lib, id, store.StateCompleted)
				lib.Close()
				if steps == 0 {
					_, steps = crashChild(t, crashOrder{DB: f.db, Undo: id, Trash: f.trash})
					if steps < 8 {
						t.Fatalf("only %d steps in a whole undo", steps)
					}
					at--
					continue
				}
				if killed, _ := crashChild(t, crashOrder{DB: f.db, Undo: id, At: at, Trash: f.trash}); !killed {
					continue
				}
				lib = openChangeLibrary(t, f.db, f.options())
				f.nothingLost(t, id)
				if orig, _ := lib.Job(id); !orig.Change.Undone { // killed after the undo's last commit: done
					undo, err := lib.Undo(id)
					if err != nil {
						t.Fatalf("step %d: undo again: %v", at, err)
					}
					runToState(t, lib, undo, store.StateCompleted)
				}
				if got := snapshot(t, f.dir); !equalSnapshots(got, f.before) {
					t.Fatalf("step %d: after undo: %v", at, diffSnapshots(f.before, got))
				}
				lib.Close()
			}
		})
	}
}

// trashedFiles reads the home trash under dataHome as a desktop would:
// original path -> snapshot entry of the file in files/.
func trashedFiles(t *testing.T, dataHome string) map[string]string {
	t.Helper()
	out := map[string]string{}
	infos, _ := filepath.Glob(filepath.Join(dataHome, "Trash", "info", "*.trashinfo"))
	for _, info := range infos {
		raw, err := os.ReadFile(info)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := trash.ParseInfo(raw)
		if err != nil {
			t.Fatalf("%s: %v", info, err)
		}
		file := filepath.Join(dataHome, "Trash", "files", strings.TrimSuffix(filepath.Base(info), ".trashinfo"))
		if snap := snapshot(t, filepath.Dir(file))[file]; snap != "" {
			out[parsed.Path] = snap
		}
	}
	return out
}
