package app

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/store"
)

// haltCounts reads "Stopped: E of N files failed" from a halt message.
var haltCounts = regexp.MustCompile(`Stopped: (\d+) of (?:the )?(\d+) files`)

// The files in flight when a scan halts still finish and count: the halt
// message must name the job's own error count, as the list of failed files
// does, not the count at the moment the threshold was crossed.
func TestHaltMessageCountsTheFilesThatWereInFlight(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 400, func(i int) string { return fmt.Sprintf("f%03d-bad.jpg", i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 4, BatchSize: 1, MinSample: 10, MaxErrorRate: 0.10})
	if st != store.StateHalted {
		t.Fatalf("%s", st)
	}
	m := haltCounts.FindStringSubmatch(j.ErrorMessage)
	if m == nil {
		t.Fatalf("halt message %q", j.ErrorMessage)
	}
	errs, processed := atoi(t, m[1]), atoi(t, m[2])
	recs, err := lib.Files(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, r := range recs {
		if r.Status == "error" {
			failed++
		}
	}
	if errs != j.ErrorCount || errs != failed || processed != j.ProgressCurrent {
		t.Errorf("the message says %d of %d failed; the job counts %d of %d, its files %d failed",
			errs, processed, j.ErrorCount, j.ProgressCurrent, failed)
	}
	// Go on anyway, and halt again: the message counts since then, and names the whole job's count too.
	if err := lib.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateHalted {
		t.Fatalf("resumed: %s", st)
	}
	j, _ = lib.Job(j.ID)
	if want := fmt.Sprintf("%d failed in all", j.ErrorCount); !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(j.ErrorMessage) {
		t.Errorf("after going on, the message %q does not say %q", j.ErrorMessage, want)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A failed file is told (OnFileError) after a progress report that counts
// it: the window shows the last error beside the error count, and the
// ticker's last report may be older than the failure. The ticker is slowed
// to an hour here, so only the report before the telling can count it.
func TestFileErrorsAreToldAfterAReportThatCountsThem(t *testing.T) {
	dir := t.TempDir()
	makeFiles(t, dir, 60, func(i int) string {
		if i%7 == 3 {
			return fmt.Sprintf("f%03d-bad.jpg", i)
		}
		return fmt.Sprintf("f%03d.jpg", i)
	})
	f := &fakeAnalyzer{}
	lib, err := OpenLibraryWith(filepath.Join(t.TempDir(), "lib.db"),
		LibraryOptions{ProgressInterval: time.Hour, Analyze: f.analyze})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	var mu sync.Mutex
	reported, told := 0, 0
	var late []string
	lib.SetCallbacks(Callbacks{
		OnProgress: func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			reported = max(reported, p.Errors)
		},
		OnFileError: func(_ uint64, name, _ string) {
			mu.Lock()
			defer mu.Unlock()
			told++
			if reported < told {
				late = append(late, fmt.Sprintf("%s told as failure %d after a report of %d", name, told, reported))
			}
		},
	})
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 2, BatchSize: 4, MaxErrorRate: 1})
	if st != store.StateCompleted {
		t.Fatalf("%s: %s", st, j.ErrorMessage)
	}
	mu.Lock()
	defer mu.Unlock()
	if told != j.ErrorCount || told != 9 {
		t.Fatalf("told %d failures, the job counts %d, want 9", told, j.ErrorCount)
	}
	if len(late) > 0 {
		t.Errorf("failures told before a report counted them:\n%s", strings.Join(late, "\n"))
	}
}
