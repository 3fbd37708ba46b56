package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

func TestReadingCommandsNeverCreateALibrary(t *testing.T) {
	base := t.TempDir()
	db := filepath.Join(base, "typo", "a", "b", "lib.db")
	for _, cmd := range []string{"jobs", "report", "dups", "check"} {
		code, _, stderr := runCLI(t, cmd, "--db", db)
		if code != ExitFailure || !strings.Contains(stderr, "no library at "+db) {
			t.Errorf("%s: exit %d, %q", cmd, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "typo")); !os.IsNotExist(err) {
		t.Error("a reading command created folders")
	}
}

// markRunning leaves job 1 RUNNING as if its process had died.
func markRunning(t *testing.T, db string) {
	t.Helper()
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	j, err := s.Job(1)
	if err != nil {
		t.Fatal(err)
	}
	j.Status = store.StateRunning
	if err := s.PutJob(&j); err != nil {
		t.Fatal(err)
	}
}

// Reading commands open the library read-only: its bytes and its
// modification time stay as they were, even with a job to show as
// interrupted (which a read-write open would write). This holds as root too.
func TestReadingCommandsDoNotWrite(t *testing.T) {
	db, _ := buildCLILibrary(t)
	markRunning(t, db)
	before, _ := os.ReadFile(db)
	fi, _ := os.Stat(db)
	for _, args := range [][]string{{"jobs"}, {"jobs", "--json"}, {"report", "--job", "1"}, {"dups"}, {"check"}, {"backups"}} {
		code, out, stderr := runCLI(t, append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, stderr)
		}
		if args[0] == "jobs" && len(args) == 1 && !strings.Contains(out, "PAUSED (interrupted)") {
			t.Errorf("the dead job is not shown interrupted:\n%s", out)
		}
		if len(args) == 2 && args[1] == "--json" && !strings.Contains(out, `"status": "PAUSED"`) {
			t.Errorf("jobs --json: %s", out)
		}
	}
	after, _ := os.ReadFile(db)
	fa, _ := os.Stat(db)
	if string(after) != string(before) || !fa.ModTime().Equal(fi.ModTime()) {
		t.Error("a reading command wrote to the library")
	}
	// A read-write open still moves the job to PAUSED for good.
	lib, err := OpenLibrary(db)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if j, _ := lib.Job(1); j.Status != store.StatePaused || !j.Interrupted {
		t.Errorf("after a read-write open job 1 is %s", j.Status)
	}
}

func TestReadOnlyLibraryFileCanBeListed(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which ignores the file mode bits: a 0444 library is writable for root " +
			"(TestReadingCommandsDoNotWrite checks that reading commands do not write)")
	}
	db, _ := buildCLILibrary(t)
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"jobs"}, {"report"}, {"dups"}, {"check"}} {
		if code, _, stderr := runCLI(t, append(args, "--db", db)...); code != 0 {
			t.Errorf("%v on a read-only library: exit %d %s", args, code, stderr)
		}
	}
}

// A library held by a window that is idle (ReleaseWhenIdle) lets `jobs`,
// `report` and `runs` in from another process; a scan in the window then
// takes the lock back, and while it runs a reader is refused with who holds
// the library.
func TestReadingCommandsWhileTheWindowIsIdle(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 3, func(i int) string { return fmt.Sprintf("f%d.txt", i) })
	path := filepath.Join(t.TempDir(), "lib.db")
	gate := make(chan struct{})
	f := &fakeAnalyzer{}
	lib, err := OpenLibraryWith(path, LibraryOptions{Purpose: "the Shoebox window", ReleaseWhenIdle: time.Hour,
		LockTimeout: 100 * time.Millisecond, Analyze: func(ctx context.Context, in processing.Input, o processing.AnalyzeOptions) (media.Result, error) {
			<-gate
			return f.analyze(ctx, in, o)
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	close(gate)
	if _, st := runToEnd(t, lib, []string{dir}, Settings{}); st != store.StateCompleted {
		t.Fatalf("scan ended %s", st)
	}
	if code, _, stderr := runCLI(t, "jobs", "--db", path); code == ExitCompleted {
		t.Fatal("a reader got in while the window held the library after its scan") // the countdown has not ended
	} else if !strings.Contains(stderr, "the Shoebox window") {
		t.Errorf("the refusal does not say who holds the library: %q", stderr)
	}
	lib.Store().ReleaseNow() // as the idle countdown does
	for _, cmd := range []string{"jobs", "report", "runs"} {
		if code, out, stderr := runCLI(t, cmd, "--db", path); code != ExitCompleted {
			t.Errorf("%s while the window is idle: exit %d: %s %s", cmd, code, out, stderr)
		}
	}
	gate = make(chan struct{})
	id, err := lib.Start([]string{dir}, Settings{Rehash: true})
	if err != nil {
		t.Fatalf("a scan after readers left: %v", err)
	}
	if code, _, _ := runCLI(t, "jobs", "--db", path); code == ExitCompleted {
		t.Error("a reader got in while a scan was running in the window")
	}
	close(gate)
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("the second scan ended %s", st)
	}
}
