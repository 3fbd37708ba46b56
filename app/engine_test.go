package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// fakeAnalyzer stands in for processing.Analyze where a test must control
// which files fail and when: it fails the files whose names contain "bad",
// skips the ones ending in .txt, and counts calls per path.
type fakeAnalyzer struct {
	mu     sync.Mutex
	calls  map[string]int
	before func(n int, path string) // called before each analysis with the call number
	n      int
}

func (f *fakeAnalyzer) analyze(ctx context.Context, in processing.Input, _ processing.AnalyzeOptions) (media.Result, error) {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[in.RelPath]++
	f.n++
	n, hook := f.n, f.before
	f.mu.Unlock()
	if hook != nil {
		hook(n, in.RelPath)
	}
	if err := ctx.Err(); err != nil {
		return media.Result{}, err
	}
	switch {
	case strings.Contains(in.RelPath, "bad"):
		return media.Result{Status: media.StatusError, Error: "damaged JPEG"}, nil
	case strings.HasSuffix(in.RelPath, ".txt"):
		return media.Result{Status: media.StatusSkipped}, nil
	}
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return media.Result{Status: media.StatusError, Error: err.Error()}, nil
	}
	return media.Result{Status: media.StatusDone, SHA256: sha256.Sum256(data), Size: int64(len(data)), MIME: "image/jpeg"}, nil
}

func (f *fakeAnalyzer) callCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

// makeFiles creates files named by the function of their index.
func makeFiles(t *testing.T, dir string, n int, name func(i int) string) []string {
	t.Helper()
	var names []string
	for i := range n {
		p := filepath.Join(dir, filepath.FromSlash(name(i)))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(fmt.Sprintf("file %d", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name(i))
	}
	return names
}

func openTestLibrary(t *testing.T, f *fakeAnalyzer) *Library {
	t.Helper()
	opt := LibraryOptions{ProgressInterval: 10 * time.Millisecond}
	if f != nil {
		opt.Analyze = f.analyze
	}
	lib, err := OpenLibraryWith(filepath.Join(t.TempDir(), "lib.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

func runToEnd(t *testing.T, lib *Library, roots []string, s Settings) (store.Job, store.JobState) {
	t.Helper()
	id, err := lib.Start(roots, s)
	if err != nil {
		t.Fatal(err)
	}
	st := lib.Wait(id)
	j, err := lib.Job(id)
	if err != nil {
		t.Fatal(err)
	}
	return j, st
}

// checkConsistent asserts that the job's counters agree with its files.
func checkConsistent(t *testing.T, lib *Library, j store.Job) store.FileCounts {
	t.Helper()
	c, err := lib.Store().CountFiles(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.ProgressTotal != c.Total || j.ProgressCurrent != c.Total-c.Pending || j.ErrorCount != c.Error || j.SkippedCount != c.Skipped {
		t.Fatalf("job counters %d/%d err %d skip %d disagree with files %+v",
			j.ProgressCurrent, j.ProgressTotal, j.ErrorCount, j.SkippedCount, c)
	}
	return c
}

func TestTransitionTable(t *testing.T) {
	allowed := map[[2]store.JobState]bool{}
	for from, tos := range transitions {
		for _, to := range tos {
			allowed[[2]store.JobState{from, to}] = true
		}
	}
	cases := []struct {
		from, to store.JobState
		ok       bool
	}{
		{store.StatePending, store.StateRunning, true},
		{store.StateRunning, store.StatePaused, true},
		{store.StateRunning, store.StateHalted, true},
		{store.StateRunning, store.StateCompleted, true},
		{store.StatePaused, store.StateRunning, true},
		{store.StateHalted, store.StateRunning, true},
		{store.StateCompleted, store.StateRunning, true}, // retry failed files
		{store.StatePaused, store.StateCompleted, false},
		{store.StateCancelled, store.StateRunning, false},
		{store.StateCompleted, store.StatePaused, false},
		{store.StateCompleted, store.StateCancelled, false},
		{store.StateHalted, store.StateCompleted, false},
		{store.StatePending, store.StateCompleted, false},
		{store.StateRunning, store.StatePending, false},
	}
	for _, c := range cases {
		if got := CanTransition(c.from, c.to); got != c.ok || allowed[[2]store.JobState{c.from, c.to}] != c.ok {
			t.Errorf("%s -> %s: got %v, want %v", c.from, c.to, got, c.ok)
		}
		j := store.Job{Status: c.from}
		if err := transition(&j, c.to); (err == nil) != c.ok {
			t.Errorf("transition %s -> %s: err %v", c.from, c.to, err)
		}
	}
}

func TestErrorThreshold(t *testing.T) {
	cases := []struct {
		name        string
		files       int
		bad         func(i int) bool
		want        store.JobState
		haltAtLeast int
	}{
		{"9 errors in 100 completes", 100, func(i int) bool { return (i+1)%11 == 0 }, store.StateCompleted, 0},
		{"11 errors in 100 halts", 100, func(i int) bool { return i%9 == 4 }, store.StateHalted, 10},
		{"3 errors in the first 5 wait for the minimum sample", 100, func(i int) bool { return i < 3 }, store.StateHalted, 10},
		{"3 errors in the first 5 then clean never halts with a sample of 30", 100, func(i int) bool { return i < 3 }, store.StateCompleted, 0},
		{"half PDFs complete", 40, func(int) bool { return false }, store.StateCompleted, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			makeFiles(t, dir, c.files, func(i int) string {
				switch {
				case c.bad(i):
					return fmt.Sprintf("f%03d-bad.jpg", i)
				case strings.HasPrefix(c.name, "half") && i%2 == 0:
					return fmt.Sprintf("f%03d.txt", i)
				}
				return fmt.Sprintf("f%03d.jpg", i)
			})
			f := &fakeAnalyzer{}
			lib := openTestLibrary(t, f)
			s := Settings{Workers: 1, MinSample: 10, MaxErrorRate: 0.10}
			if strings.Contains(c.name, "sample of 30") {
				s.MinSample = 30
			}
			j, st := runToEnd(t, lib, []string{dir}, s)
			if st != c.want {
				t.Fatalf("state %s, want %s (errors %d of %d; %s)", st, c.want, j.ErrorCount, j.ProgressCurrent, j.ErrorMessage)
			}
			checkConsistent(t, lib, j)
			if st == store.StateHalted {
				if j.ProgressCurrent < c.haltAtLeast {
					t.Errorf("halted after %d files, before the minimum sample", j.ProgressCurrent)
				}
				for _, want := range []string{"failed", "%", "f00", "damaged JPEG"} {
					if !strings.Contains(j.ErrorMessage, want) {
						t.Errorf("halt message %q lacks %q", j.ErrorMessage, want)
					}
				}
			}
			if st == store.StateCompleted {
				wantErrors := 0
				for i := range c.files {
					if c.bad(i) {
						wantErrors++
					}
				}
				if j.ProgressCurrent != c.files || j.ErrorCount != wantErrors {
					t.Errorf("completed with %d of %d files and %d errors, want %d", j.ProgressCurrent, c.files, j.ErrorCount, wantErrors)
				}
			}
		})
	}
}
