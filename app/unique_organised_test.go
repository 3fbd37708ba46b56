package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/store"
)

// A folder organised into a dated library that was never scanned has its
// files' verified copies there: the safe-to-wipe check agrees with the
// organise run's summary. A copy changed since counts for nothing, and
// neither does a run undone (its copies are gone).
func TestUniqueCountsTheCopiesAnOrganiseRunVerified(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"a.jpg": "2019-06-03T10:15:00 HIGH\na",
		"b.jpg": "2019-06-04T10:15:00 HIGH\nb",
		"c.jpg": "2019-06-05T10:15:00 LOW\nc", // to Unsorted: copied all the same
	})
	ctx := context.Background()
	before, err := lib.Unique(ctx, src, UniqueOptions{})
	if err != nil || len(before.Files) != 3 {
		t.Fatalf("before organising: %d of %d files without a copy (%v); want all 3", len(before.Files), before.Total, err)
	}
	dest := filepath.Join(t.TempDir(), "Library")
	run, entries := organise(t, lib, OrganiseOptions{Dest: dest, Sources: []string{src}})
	rep, err := lib.Unique(ctx, src, UniqueOptions{Rehash: true})
	if err != nil || rep.Total != 3 || len(rep.Files) != 0 {
		t.Fatalf("after organising: %+v, %v; want every file with its copy in %s", rep.Files, err, dest)
	}

	b := bySource(t, src, entries)["b.jpg"]
	if err := os.WriteFile(b.Dest, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = lib.Unique(ctx, src, UniqueOptions{})
	if err != nil || len(rep.Files) != 1 || filepath.Base(rep.Files[0].Path) != "b.jpg" ||
		!strings.Contains(rep.Files[0].Reason, "has changed since") {
		t.Fatalf("with b.jpg's copy changed: %+v, %v", rep.Files, err)
	}
	if err := os.Remove(b.Dest); err != nil {
		t.Fatal(err)
	}

	undo, err := lib.Undo(run)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	rep, err = lib.Unique(ctx, src, UniqueOptions{})
	if err != nil || len(rep.Files) != 3 {
		t.Errorf("after the organise run was undone: %d files without a copy (%v); want all 3", len(rep.Files), err)
	}
}
