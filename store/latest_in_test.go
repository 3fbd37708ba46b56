package store

import (
	"slices"
	"strings"
	"testing"

	"shoebox/media"
)

// TestLatestInIsLatestFilesUnderThePaths: for every question, LatestIn
// answers what LatestFiles answers for the files at or under the paths,
// however the paths and the roots nest.
func TestLatestInIsLatestFilesUnderThePaths(t *testing.T) {
	db, _ := openTemp(t)
	jobs := newJobs(t, db, 3)
	mustCommit := func(j *Job, recs ...FileRecord) {
		t.Helper()
		if err := db.CommitBatch(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	mustCommit(jobs[0],
		rec(1, 0, "a/changed.jpg", media.StatusDone, shaA),
		rec(1, 0, "a/failed-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "a2/lookalike-name.jpg", media.StatusDone, shaA),
		rec(1, 0, "never.jpg", media.StatusPending, ""),
		rec(1, 1, "x/y.jpg", media.StatusDone, shaB),
	)
	mustCommit(jobs[1],
		rec(2, 0, "a/changed.jpg", media.StatusDone, shaB),
		rec(2, 0, "a/failed-later.jpg", media.StatusError, ""),
		rec(2, 0, "never.jpg", media.StatusError, ""),
		rec(2, 1, "x/z.jpg", media.StatusSkipped, shaB),
	)
	// A later job whose root is a folder inside job 1's root 0.
	inner := rec(3, 0, "deep.jpg", media.StatusDone, shaB)
	inner.Root = "/photos0/a"
	mustCommit(jobs[2], inner)

	all, err := db.LatestFiles()
	if err != nil {
		t.Fatal(err)
	}
	paths := func(recs []FileRecord) []string {
		var out []string
		for _, r := range recs {
			out = append(out, r.AbsPath())
		}
		return out
	}
	for _, ask := range [][]string{
		{"/photos0"},
		{"/photos0/a"},
		{"/photos0/a/changed.jpg"},
		{"/photos0/a", "/photos1/x"},
		{"/"},
		{"/photos1/x/z.jpg", "/photos0/never.jpg"},
		{"/elsewhere"},
		{"/photos0/a/deep.jpg"},
	} {
		var want []FileRecord
		for _, r := range all {
			for _, p := range ask {
				if PathWithin(r.AbsPath(), p) {
					want = append(want, r)
					break
				}
			}
		}
		got, err := db.LatestIn(ask, nil)
		if err != nil {
			t.Fatalf("%v: %v", ask, err)
		}
		if !slices.Equal(paths(got), paths(want)) {
			t.Errorf("%v: got %v, want %v", ask, paths(got), paths(want))
			continue
		}
		for i := range got {
			if got[i].JobID != want[i].JobID || got[i].Status != want[i].Status {
				t.Errorf("%v: %s is job %d %s, want job %d %s", ask, got[i].AbsPath(), got[i].JobID, got[i].Status, want[i].JobID, want[i].Status)
			}
		}
	}
	if len(all) < 7 {
		t.Fatalf("the fixture lost files: %v", paths(all))
	}

	// Roots recorded through a link are matched as resolve maps them.
	got, err := db.LatestIn([]string{"/real/x"}, func(root string) string {
		return strings.Replace(root, "/photos1", "/real", 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/photos1/x/y.jpg", "/photos1/x/z.jpg"}; !slices.Equal(paths(got), want) {
		t.Errorf("through resolve: got %v, want %v", paths(got), want)
	}
}

// TestLatestCopiesAreTheLatestAnalyses: the copies of a content are the
// files whose latest analysis has those bytes; a file analysed again with
// other bytes is not one, a later failure does not undo an analysis.
func TestLatestCopiesAreTheLatestAnalyses(t *testing.T) {
	db, _ := openTemp(t)
	jobs := newJobs(t, db, 2)
	j1, j2 := jobs[0], jobs[1]
	if err := db.CommitBatch(j1, []FileRecord{
		rec(1, 0, "changed.jpg", media.StatusDone, shaA),
		rec(1, 0, "failed-later.jpg", media.StatusDone, shaA),
		rec(1, 0, "kept.jpg", media.StatusDone, shaA),
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.CommitBatch(j2, []FileRecord{
		rec(2, 0, "changed.jpg", media.StatusDone, shaB),
		rec(2, 0, "failed-later.jpg", media.StatusError, ""),
		rec(2, 1, "kept.jpg", media.StatusDone, shaA),
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sum  string
		want []string
	}{
		{shaA, []string{"/photos0/failed-later.jpg", "/photos0/kept.jpg", "/photos1/kept.jpg"}},
		{shaB, []string{"/photos0/changed.jpg"}},
	} {
		got, err := db.LatestCopies(c.sum)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, r := range got {
			paths = append(paths, r.AbsPath())
		}
		if !slices.Equal(paths, c.want) {
			t.Errorf("%.6s…: got %v, want %v", c.sum, paths, c.want)
		}
	}
	if _, err := db.LatestCopies("not-hex"); err == nil {
		t.Error("a bad sum was taken")
	}
}
