package app

import (
	"fmt"
	"strings"
	"testing"

	"shoebox/store"
)

// A rescan reuses the good files' analysis and analyses only the broken ones
// again: the verdict must be the one the first scan gave, 10 of 110.
func TestRescanOfAnUnchangedFolderGivesTheSameVerdict(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 110, func(i int) string {
		if i >= 100 {
			return fmt.Sprintf("x%03d-bad.jpg", i)
		}
		return fmt.Sprintf("f%03d.jpg", i)
	})
	lib := openTestLibrary(t, &fakeAnalyzer{})
	s := Settings{Workers: 2, MinSample: 10, MaxErrorRate: 0.10}
	first, st := runToEnd(t, lib, []string{dir}, s)
	if st != store.StateCompleted {
		t.Fatalf("first scan %s: %s", st, first.ErrorMessage)
	}
	again, st := runToEnd(t, lib, []string{dir}, s)
	if st != store.StateCompleted {
		t.Fatalf("rescan of the same folder %s: %s", st, again.ErrorMessage)
	}
	if again.ReusedCount != 100 || again.ErrorCount != 10 || again.ProgressCurrent != 110 {
		t.Errorf("rescan counts: %d reused, %d errors, %d of %d", again.ReusedCount, again.ErrorCount, again.ProgressCurrent, again.ProgressTotal)
	}
	checkConsistent(t, lib, again)
}

// A clean pause after 164 files with 5 errors, then resume: the next files
// hold 2 more errors. The job has 7 of 200 failed (3.5%) and must complete,
// not halt at "2 of 18" as a fresh count would.
func TestResumedJobKeepsCountingTheWholeJob(t *testing.T) {
	for _, how := range []string{"pause", "reopen"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			bad := map[int]bool{10: true, 40: true, 80: true, 120: true, 150: true, 170: true, 175: true}
			makeFiles(t, dir, 200, func(i int) string {
				if bad[i] {
					return fmt.Sprintf("f%03d-bad.jpg", i)
				}
				return fmt.Sprintf("f%03d.jpg", i)
			})
			f := &fakeAnalyzer{}
			path := t.TempDir() + "/lib.db"
			lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: f.analyze})
			if err != nil {
				t.Fatal(err)
			}
			var id uint64
			pauseAt, paused := make(chan struct{}), make(chan struct{})
			f.before = func(n int, _ string) {
				if n == 164 {
					close(pauseAt)
					<-paused // file 164 finishes only once the pause is asked
				}
			}
			id, err = lib.Start([]string{dir}, Settings{Workers: 1, MinSample: 10, MaxErrorRate: 0.10})
			if err != nil {
				t.Fatal(err)
			}
			<-pauseAt
			if err := lib.Pause(id); err != nil {
				t.Fatal(err)
			}
			close(paused)
			if st := lib.Wait(id); st != store.StatePaused {
				t.Fatalf("after pause: %s", st)
			}
			j, _ := lib.Job(id)
			if j.ProgressCurrent > 170 || j.ErrorCount != 5 {
				t.Fatalf("paused at %d files with %d errors; the test needs the pause before file 170", j.ProgressCurrent, j.ErrorCount)
			}
			if how == "reopen" {
				lib.Close()
				if lib, err = OpenLibraryWith(path, LibraryOptions{Analyze: f.analyze}); err != nil {
					t.Fatal(err)
				}
			}
			defer lib.Close()
			if c := resumeToCompleted(t, lib, id); c.Error != 7 || c.Done != 193 {
				t.Errorf("%+v", c)
			}
		})
	}
}

// Retrying 30 known-bad files that fail again must not halt (they were
// counted when they first failed), and the counts must end where they were.
func TestRetryOfKnownBadFilesNeverHaltsAndCountsStay(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 400, func(i int) string {
		if i%13 == 12 && i < 390 {
			return fmt.Sprintf("f%03d-bad.jpg", i)
		}
		return fmt.Sprintf("f%03d.jpg", i)
	})
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 2, MinSample: 10, MaxErrorRate: 0.10})
	if st != store.StateCompleted || j.ErrorCount != 30 {
		t.Fatalf("%s with %d errors: %s", st, j.ErrorCount, j.ErrorMessage)
	}
	if err := lib.RetryFailed(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		j, _ := lib.Job(j.ID)
		t.Fatalf("retry %s: %s", st, j.ErrorMessage)
	}
	j, _ = lib.Job(j.ID)
	checkConsistent(t, lib, j)
	if j.ProgressCurrent != 400 || j.ProgressTotal != 400 || j.ErrorCount != 30 {
		t.Errorf("after retry: %d of %d files, %d errors", j.ProgressCurrent, j.ProgressTotal, j.ErrorCount)
	}
	// A second retry is the same again.
	if err := lib.RetryFailed(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		t.Fatal(st)
	}
	j, _ = lib.Job(j.ID)
	if checkConsistent(t, lib, j); j.ProgressCurrent != 400 || j.ErrorCount != 30 {
		t.Errorf("after second retry: %d of %d files, %d errors", j.ProgressCurrent, j.ProgressTotal, j.ErrorCount)
	}
}

// After "Resume anyway" the threshold still stops a run whose new files go
// wrong, counting from the moment the person chose to go on.
func TestHaltedJobResumedHaltsAgainOnNewFailures(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 100, func(i int) string {
		if i < 5 || (i >= 50 && i < 70) {
			return fmt.Sprintf("f%03d-bad.jpg", i)
		}
		return fmt.Sprintf("f%03d.jpg", i)
	})
	lib := openTestLibrary(t, &fakeAnalyzer{})
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 1, MinSample: 10, MaxErrorRate: 0.10})
	if st != store.StateHalted {
		t.Fatalf("%s", st)
	}
	if err := lib.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateHalted {
		t.Fatalf("resumed job with 20 new failures in a row ended %s", st)
	}
	j, _ = lib.Job(j.ID)
	checkConsistent(t, lib, j)
	if j.ProgressCurrent < 55 || !strings.Contains(j.ErrorMessage, "since you chose to go on") {
		t.Errorf("halted again at %d files: %q", j.ProgressCurrent, j.ErrorMessage)
	}
}
