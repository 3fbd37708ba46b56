package app

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

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
