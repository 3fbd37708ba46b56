package app

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"shoebox/store"
)

// reportOf is the job's report as `shoebox report` writes it.
func reportOf(t *testing.T, lib *Library, id uint64) string {
	t.Helper()
	files, err := lib.Files(id)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, files, "jsonl"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// cleanRun scans src once with nothing failing, and returns its report and
// how many writes the scan made.
func cleanRun(t *testing.T, src string, s Settings) (report string, writes int64) {
	t.Helper()
	clean := openTestLibrary(t, &fakeAnalyzer{})
	j, st := runToEnd(t, clean, []string{src}, s)
	if st != store.StateCompleted {
		t.Fatalf("clean run: %s", st)
	}
	return reportOf(t, clean, j.ID), clean.Store().Writes()
}

// resumeToCompleted resumes the job, waits for it and checks that it
// completed with counts that agree with its files, which it returns.
func resumeToCompleted(t *testing.T, lib *Library, id uint64) store.FileCounts {
	t.Helper()
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		j, _ := lib.Job(id)
		t.Fatalf("resumed job %d ended %s: %q", id, st, j.ErrorMessage)
	}
	j, _ := lib.Job(id)
	return checkConsistent(t, lib, j)
}

// reopenAndResume opens the library again, as the next process does once
// the disk has room, and resumes the job to completion.
func reopenAndResume(t *testing.T, path string, id uint64) (*Library, store.FileCounts) {
	t.Helper()
	lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: (&fakeAnalyzer{}).analyze})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib, resumeToCompleted(t, lib, id)
}

// failWrite makes the n-th write transaction after open fail as a full disk does.
func failWrite(n int64) func(int64) error {
	return func(i int64) error {
		if i == n {
			return fmt.Errorf("write /lib.db: %w", syscall.ENOSPC)
		}
		return nil
	}
}

// writesAfterScan is the writes a completed scan's engine makes after it:
// its duplicate groups and its look-alike candidates, kept (dups_saved.go).
const writesAfterScan = 2

// TestAnyFailedCommitResumesToTheCleanReport fails the N-th write of a scan,
// for every N the scan makes, then resumes in a fresh process's library: the
// report must equal a clean run's, every file analysed exactly once more at
// most (the rolled-back batch), none twice in the counts.
func TestAnyFailedCommitResumesToTheCleanReport(t *testing.T) {
	src := t.TempDir()
	writeJPEGs(t, src, 23)
	makeFiles(t, src, 3, func(i int) string { return fmt.Sprintf("sub9/z%d-bad.jpg", i) })
	makeFiles(t, src, 2, func(i int) string { return fmt.Sprintf("notes%d.txt", i) })
	s := Settings{Workers: 2, BatchSize: 4, MaxErrorRate: 1}

	want, writes := cleanRun(t, src, s)
	if writes < 8 {
		t.Fatalf("a clean scan made only %d writes", writes)
	}

	for n := int64(1); n <= writes; n++ {
		t.Run(fmt.Sprint("write", n), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lib.db")
			lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: (&fakeAnalyzer{}).analyze, WriteFault: failWrite(n)})
			if err != nil {
				t.Fatal(err)
			}
			id, err := lib.Start([]string{src}, s)
			if err != nil {
				// The job record itself could not be created: nothing to resume.
				if !isDiskFull(err) {
					t.Fatalf("start: %v", err)
				}
				lib.Close()
				return
			}
			st := lib.Wait(id)
			j, _ := lib.Job(id)
			if st == store.StateCompleted && n > writes-writesAfterScan {
				// What is kept after the scan (its groups, its look-alike
				// candidates) is not the scan's: not kept, it is found again
				// when asked for.
				if got := reportOf(t, lib, id); got != want {
					t.Errorf("report after the failed write %d after the scan differs from a clean run's:\n%s\nwant\n%s", n, got, want)
				}
				lib.Close()
				return
			}
			if st != store.StateFailed || !strings.Contains(j.ErrorMessage, "is full") {
				t.Fatalf("after a failed write: %s %q", st, j.ErrorMessage)
			}
			lib.Close()
			lib, _ = reopenAndResume(t, path, id)
			if got := reportOf(t, lib, id); got != want {
				t.Errorf("report after the failed write %d and a resume differs from a clean run's:\n%s\nwant\n%s", n, got, want)
			}
		})
	}
}

// The same in one process: the window keeps the library open, the disk is
// freed, and the person presses Resume.
func TestFailedCommitResumesInTheSameProcess(t *testing.T) {
	src := t.TempDir()
	makeFiles(t, src, 40, func(i int) string { return fmt.Sprintf("f%03d.jpg", i) })
	full := true
	lib, err := OpenLibraryWith(filepath.Join(t.TempDir(), "lib.db"), LibraryOptions{
		Analyze: (&fakeAnalyzer{}).analyze,
		WriteFault: func(n int64) error {
			if full && n >= 8 {
				return fmt.Errorf("write: %w", syscall.ENOSPC)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	id, err := lib.Start([]string{src}, Settings{Workers: 1, BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateFailed {
		t.Fatalf("%s", st)
	}
	j, _ := lib.Job(id)
	if !strings.Contains(j.ErrorMessage, "is full") || !strings.Contains(j.ErrorMessage, fmt.Sprintf("shoebox resume %d", id)) {
		t.Errorf("message %q", j.ErrorMessage)
	}
	stored, _ := lib.Store().Job(id)
	if stored.Status != store.StateRunning {
		t.Fatalf("the library could not store the end, yet says %s", stored.Status)
	}
	if j.ProgressCurrent != stored.ProgressCurrent || j.ProgressCurrent == 0 || j.ProgressCurrent%5 != 0 {
		t.Errorf("the failed job shows %d files done, the library holds %d (whole batches of 5)", j.ProgressCurrent, stored.ProgressCurrent)
	}
	full = false
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatal(st)
	}
	j, _ = lib.Job(id)
	if c := checkConsistent(t, lib, j); c.Done != 40 {
		t.Errorf("%+v", c)
	}
}

// TestCLISaysTheDiskIsFull runs the scan command against a library whose
// writes fail from the listing on, and checks its last line.
func TestCLISaysTheDiskIsFull(t *testing.T) {
	src := t.TempDir()
	makeFiles(t, src, 30, func(i int) string { return fmt.Sprintf("f%03d.jpg", i) })
	path := filepath.Join(t.TempDir(), "lib.db")
	lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: (&fakeAnalyzer{}).analyze, WriteFault: func(n int64) error {
		if n >= 3 { // 1: create, 2: running; 3: the listing
			return fmt.Errorf("write: %w", syscall.ENOSPC)
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	id, err := lib.Start([]string{src}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	code, _ := followJob(lib, id, &errOut)
	lib.Close()
	lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
	last := lines[len(lines)-1]
	if code != ExitFailure || !strings.Contains(last, "failed") || !strings.Contains(last, "is full") {
		t.Fatalf("exit %d, last line %q", code, last)
	}
	// Space is freed: the resume lists and finishes the whole folder.
	if _, c := reopenAndResume(t, path, id); c.Done != 30 || c.Total != 30 {
		t.Errorf("after resume: %+v", c)
	}
}

// A job interrupted by a crash on a disk that is now full: the library still
// opens, shows the job interrupted, and resumes it once there is room.
func TestInterruptedJobOnAFullDiskStillOpens(t *testing.T) {
	src := t.TempDir()
	makeFiles(t, src, 20, func(i int) string { return fmt.Sprintf("f%03d.jpg", i) })
	path := filepath.Join(t.TempDir(), "lib.db")
	// Leave a job RUNNING in the library, as a killed process does.
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := store.Job{Roots: []string{src}, Status: store.StateRunning}
	if err := db.CreateJob(&j); err != nil {
		t.Fatal(err)
	}
	db.Close()
	full := true
	lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: (&fakeAnalyzer{}).analyze, WriteFault: func(int64) error {
		if full {
			return fmt.Errorf("write: %w", syscall.ENOSPC)
		}
		return nil
	}})
	if err != nil {
		t.Fatalf("a full disk keeps the library from opening: %v", err)
	}
	defer lib.Close()
	ints, err := lib.Interrupted()
	if err != nil || len(ints) != 1 || ints[0].Status != store.StatePaused {
		t.Fatalf("interrupted: %+v %v", ints, err)
	}
	full = false
	if err := lib.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		t.Fatal(st)
	}
}
