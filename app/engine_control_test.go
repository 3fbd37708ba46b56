package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

func TestBatchingCountsTransactions(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 95, func(i int) string { return fmt.Sprintf("a/%03d.jpg", i) })
	lib := openTestLibrary(t, &fakeAnalyzer{})
	before := lib.Store().Commits()
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 2, BatchSize: 10, FlushInterval: Duration(time.Hour)})
	if st != store.StateCompleted {
		t.Fatalf("state %s", st)
	}
	// 9 full batches of 10, then the last 5 with the final state: 10 commits.
	if got := lib.Store().Commits() - before; got != 10 {
		t.Errorf("%d result transactions for 95 files in batches of 10, want 10", got)
	}
	c := checkConsistent(t, lib, j)
	if c.Done != 95 {
		t.Errorf("done %d", c.Done)
	}
}

func TestFlushIntervalCommitsASlowTrickle(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 3, func(i int) string { return fmt.Sprintf("%d.jpg", i) })
	release := make(chan struct{})
	f := &fakeAnalyzer{before: func(n int, _ string) {
		if n == 2 {
			<-release // the second file takes "forever"
		}
	}}
	lib := openTestLibrary(t, f)
	id, err := lib.Start([]string{dir}, Settings{Workers: 1, BatchSize: 100, FlushInterval: Duration(50 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	// The first result must be committed by the flush timer although the batch is far from full.
	deadline := time.After(5 * time.Second)
	for {
		j, err := lib.Job(id)
		if err != nil {
			t.Fatal(err)
		}
		if j.ProgressCurrent == 1 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("the first result was never committed while the second file was slow")
		case <-time.After(10 * time.Millisecond):
		}
	}
	close(release)
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("state %s", st)
	}
}

func TestPauseResumeLosesAndRepeatsNothing(t *testing.T) {
	dir := t.TempDir()
	names := makeFiles(t, dir, 120, func(i int) string { return fmt.Sprintf("d%d/%03d.jpg", i%3, i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	var id uint64
	started := make(chan struct{})
	f.before = func(n int, _ string) {
		if n == 1 {
			<-started
		}
		if n == 30 {
			if err := lib.Pause(id); err != nil {
				t.Error(err)
			}
		}
	}
	id, err := lib.Start([]string{dir}, Settings{Workers: 3, BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	close(started)
	if st := lib.Wait(id); st != store.StatePaused {
		t.Fatalf("after pause: %s", st)
	}
	j, _ := lib.Job(id)
	c := checkConsistent(t, lib, j)
	if c.Pending == 0 || c.Done < 30 {
		t.Fatalf("pause did not stop the job midway: %+v", c)
	}
	f.before = nil
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("after resume: %s", st)
	}
	j, _ = lib.Job(id)
	c = checkConsistent(t, lib, j)
	if c.Done != len(names) {
		t.Fatalf("done %d of %d", c.Done, len(names))
	}
	calls := f.callCounts()
	for _, n := range names {
		if calls[n] != 1 {
			t.Errorf("%s analysed %d times", n, calls[n])
		}
	}
	if err := lib.Resume(id); err == nil {
		t.Error("resuming a completed job without --retry-errors should be refused")
	}
}

func TestCancelIsPromptAndKeepsCommittedWork(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 50, func(i int) string { return fmt.Sprintf("%03d.jpg", i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	inHugeFile := make(chan struct{})
	lib.opt.Analyze = func(ctx context.Context, in processing.Input, o processing.AnalyzeOptions) (media.Result, error) {
		if in.RelPath == "020.jpg" { // a large video: hashing takes "minutes" unless cancelled
			close(inHugeFile)
			<-ctx.Done()
			return media.Result{}, ctx.Err()
		}
		return f.analyze(ctx, in, o)
	}
	id, err := lib.Start([]string{dir}, Settings{Workers: 1, BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	<-inHugeFile
	start := time.Now()
	if err := lib.Cancel(id); err != nil {
		t.Fatal(err)
	}
	st := lib.Wait(id)
	if took := time.Since(start); took > time.Second {
		t.Errorf("cancel took %s", took)
	}
	if st != store.StateCancelled {
		t.Fatalf("state %s", st)
	}
	j, _ := lib.Job(id)
	c := checkConsistent(t, lib, j)
	if c.Done != 20 || c.Pending != 30 {
		t.Errorf("after cancel %+v, want the 20 analysed files kept and 30 pending", c)
	}
	if j.CompletedAt.IsZero() {
		t.Error("completed_at not recorded on cancel")
	}
	if err := lib.Resume(id); err == nil {
		t.Error("a cancelled job must not resume")
	}
}

func TestRescanReusesUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	names := makeFiles(t, dir, 40, func(i int) string { return fmt.Sprintf("%03d.jpg", i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	if _, st := runToEnd(t, lib, []string{dir}, Settings{}); st != store.StateCompleted {
		t.Fatal(st)
	}
	// Change one file's content (and size); touch another to a new mtime.
	if err := os.WriteFile(filepath.Join(dir, "007.jpg"), []byte("new content, longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "008.jpg"), later, later); err != nil {
		t.Fatal(err)
	}
	j2, st := runToEnd(t, lib, []string{dir}, Settings{})
	if st != store.StateCompleted {
		t.Fatal(st)
	}
	calls := f.callCounts()
	for _, n := range names {
		want := 1
		if n == "007.jpg" || n == "008.jpg" {
			want = 2
		}
		if calls[n] != want {
			t.Errorf("%s analysed %d times, want %d", n, calls[n], want)
		}
	}
	c := checkConsistent(t, lib, j2)
	if c.Reused != 38 || j2.ReusedCount != 38 {
		t.Errorf("reused %d (job says %d), want 38", c.Reused, j2.ReusedCount)
	}
	// The reused records carry the analysis.
	files, _ := lib.Files(j2.ID)
	for _, r := range files {
		if r.SHA256 == "" {
			t.Errorf("%s has no sha256 after rescan", r.RelPath)
		}
	}
	// --rehash analyses everything again.
	_, st = runToEnd(t, lib, []string{dir}, Settings{Rehash: true})
	if st != store.StateCompleted {
		t.Fatal(st)
	}
	for n, c := range f.callCounts() {
		if want := map[bool]int{true: 3, false: 2}[n == "007.jpg" || n == "008.jpg"]; c != want {
			t.Errorf("after rehash %s analysed %d times, want %d", n, c, want)
		}
	}
}

func TestRetryErrorsAnalysesOnlyTheFailedFiles(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 30, func(i int) string {
		if i%10 == 3 {
			return fmt.Sprintf("%03d-bad.jpg", i)
		}
		return fmt.Sprintf("%03d.jpg", i)
	})
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	j, st := runToEnd(t, lib, []string{dir}, Settings{MaxErrorRate: 0.5})
	if st != store.StateCompleted || j.ErrorCount != 3 {
		t.Fatalf("%s with %d errors", st, j.ErrorCount)
	}
	// The person fixes nothing: the retry analyses exactly the 3 failed files again.
	if err := lib.RetryFailed(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		t.Fatal(st)
	}
	for n, c := range f.callCounts() {
		want := 1
		if n[3:] == "-bad.jpg" {
			want = 2
		}
		if c != want {
			t.Errorf("%s analysed %d times, want %d", n, c, want)
		}
	}
	j, _ = lib.Job(j.ID)
	if checkConsistent(t, lib, j); j.ErrorCount != 3 || j.ProgressCurrent != 30 {
		t.Errorf("after retry: %d errors, %d processed", j.ErrorCount, j.ProgressCurrent)
	}
}

func TestHaltedJobResumesWhenThePersonDecides(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 40, func(i int) string {
		if i < 5 {
			return fmt.Sprintf("%03d-bad.jpg", i)
		}
		return fmt.Sprintf("%03d.jpg", i)
	})
	lib := openTestLibrary(t, &fakeAnalyzer{})
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 1})
	if st != store.StateHalted {
		t.Fatalf("%s", st)
	}
	if err := lib.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		t.Fatalf("resumed halted job ended %s", st)
	}
	j, _ = lib.Job(j.ID)
	if c := checkConsistent(t, lib, j); c.Error != 5 || c.Done != 35 {
		t.Errorf("%+v", c)
	}
}

func TestUnreadableAndClutter(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 3, func(i int) string { return fmt.Sprintf("ok%d.jpg", i) })
	for _, n := range []string{".DS_Store", "Thumbs.db", "desktop.ini", "._ok0.jpg", "@eaDir/ok0.jpg/SYNOPHOTO_THUMB_XL.jpg", ".thumbnails/x.png"} {
		p := filepath.Join(dir, filepath.FromSlash(n))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	// A link loop must not hang the walk.
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked")
	os.MkdirAll(locked, 0o755)
	os.WriteFile(filepath.Join(locked, "x.jpg"), []byte("x"), 0o644)
	os.Chmod(locked, 0)
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	lib := openTestLibrary(t, &fakeAnalyzer{})
	j, st := runToEnd(t, lib, []string{dir}, Settings{MinSample: 100})
	if st != store.StateCompleted {
		t.Fatalf("%s: %s", st, j.ErrorMessage)
	}
	files, _ := lib.Files(j.ID)
	var got []string
	for _, f := range files {
		got = append(got, f.RelPath+"="+string(f.Status))
	}
	want := []string{"locked=error", "ok0.jpg=done", "ok1.jpg=done", "ok2.jpg=done"}
	if os.Geteuid() == 0 { // root reads any folder
		want[0] = "locked/x.jpg=done"
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("listed %v, want %v", got, want)
	}
}

func TestSecondOpenIsRefusedQuickly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	lib, err := OpenLibrary(path)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	start := time.Now()
	_, err = OpenLibraryWith(path, LibraryOptions{LockTimeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrLibraryLocked) {
		t.Fatalf("second open: %v", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s", took)
	}
}

// TestRescanRedoesOlderAnalyses: an unchanged file whose stored analysis was
// made by an older media.AnalysisVersion (before the mean colour was
// measured) is analysed again, not reused.
func TestRescanRedoesOlderAnalyses(t *testing.T) {
	rescanRedoes002And005(t, func(t *testing.T, files []store.FileRecord) []store.FileRecord {
		var old []store.FileRecord
		for _, r := range files {
			if r.Analysis != media.AnalysisVersion {
				t.Fatalf("%s stored with analysis version %d", r.RelPath, r.Analysis)
			}
			if r.RelPath == "002.jpg" || r.RelPath == "005.jpg" {
				r.Analysis = 1
				old = append(old, r)
			}
		}
		return old
	})
}

// rescanRedoes002And005 scans ten unchanged files, stores again the records
// alter returns (made from the first scan's), then rescans: 002.jpg and
// 005.jpg, which alter made stale, must be analysed again and the other
// eight reused. alter may also change the rescan's surroundings (PATH).
func rescanRedoes002And005(t *testing.T, alter func(t *testing.T, files []store.FileRecord) []store.FileRecord) {
	t.Helper()
	dir := t.TempDir()
	makeFiles(t, dir, 10, func(i int) string { return fmt.Sprintf("%03d.jpg", i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	j1, st := runToEnd(t, lib, []string{dir}, Settings{})
	if st != store.StateCompleted {
		t.Fatal(st)
	}
	files, err := lib.Files(j1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.db.CommitBatch(&j1, alter(t, files)); err != nil {
		t.Fatal(err)
	}
	j2, st := runToEnd(t, lib, []string{dir}, Settings{})
	if st != store.StateCompleted {
		t.Fatal(st)
	}
	for n, c := range f.callCounts() {
		want := 1
		if n == "002.jpg" || n == "005.jpg" {
			want = 2
		}
		if c != want {
			t.Errorf("%s analysed %d times, want %d", n, c, want)
		}
	}
	if j2.ReusedCount != 8 {
		t.Errorf("reused %d, want 8", j2.ReusedCount)
	}
}

// Thumbnails for the window decode within the scan's memory budget, so the
// window and a running scan together stay within it.
func TestThumbnailsShareTheScanBudget(t *testing.T) {
	dir := t.TempDir()
	writeJPEGs(t, dir, 1)
	lib := openTestLibrary(t, nil)
	rec := store.FileRecord{Root: dir, RelPath: "sub0/IMG_0000.jpg", MIME: "image/jpeg"}
	if lib.budget.Peak() != 0 {
		t.Fatal("the budget was used before the test")
	}
	img, err := lib.Thumbnail(rec, 32)
	if err != nil || img == nil {
		t.Fatal(err)
	}
	if lib.budget.Peak() == 0 || lib.budget.InUse() != 0 {
		t.Errorf("the thumbnail did not go through the library's budget (peak %d, in use %d)", lib.budget.Peak(), lib.budget.InUse())
	}
}
