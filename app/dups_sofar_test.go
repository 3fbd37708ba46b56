package app

import (
	"path/filepath"
	"slices"
	"testing"

	"shoebox/store"
)

// soFarFolder is a scanned folder of 20 pictures: in the walk's first four
// files (a/), a picture saved at two qualities; further on, a third save of
// it and another pair of saves (z/), an exact copy (b/), and distinct
// pictures between. It returns the library's path.
func soFarFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{
		"a/1.jpg": boldJPEG(t, 11, 90), "a/2.jpg": boldJPEG(t, 11, 60), "a/3.jpg": boldJPEG(t, 20, 85), "a/4.jpg": boldJPEG(t, 21, 85),
		"z/again.jpg": boldJPEG(t, 11, 70), "z/p1.jpg": boldJPEG(t, 12, 90), "z/p2.jpg": boldJPEG(t, 12, 50),
		"b/copy.jpg": boldJPEG(t, 22, 85),
	}
	for seed := 22; seed < 34; seed++ {
		files[filepath.Join("b", string(rune('a'+seed-22))+".jpg")] = boldJPEG(t, seed, 85)
	}
	for rel, data := range files {
		writeAt(t, dir, rel, data)
	}
	db := filepath.Join(t.TempDir(), "library.db")
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	return db
}

// groupNames is groupPaths in sorted order: the parts told and the answer
// need not list their groups alike.
func groupNames(groups []store.DupGroup) []string {
	return slices.Sorted(slices.Values(groupPaths(groups)))
}

// A whole search tells what it has found before it ends: the exact groups
// (the answer's), then those with the look-alikes among the files the walk
// read first, each inside a group of the answer; the answer follows. A job
// too small for a first look, and a search answered from the groups kept,
// tell no look-alikes.
func TestASearchTellsWhatItFoundSoFar(t *testing.T) {
	db := soFarFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil || j.ProgressTotal != 20 {
		t.Fatalf("job of %d files, %v", j.ProgressTotal, err)
	}
	// Above the distance the scan kept candidates for, and each distance
	// not searched before: a whole search.
	distance := candidateReach + 1
	search := func(look int) (parts []Duplicates, d Duplicates) {
		t.Helper()
		lib.firstLookFiles = look
		d, err := lib.SearchDuplicates(j.ID, distance, ScopeJob, func(p Duplicates) { parts = append(parts, p) })
		if err != nil {
			t.Fatal(err)
		}
		lib.dups = dupsMemo{} // forgotten, so that the next search searches
		return parts, d
	}

	parts, d := search(4) // after the first 4 files of the walk (a/)
	wantExact := []string{"b/a.jpg+b/copy.jpg"}
	wantNear := []string{"a/1.jpg+a/2.jpg+z/again.jpg", "z/p1.jpg+z/p2.jpg"}
	if !slices.Equal(groupNames(d.Exact), wantExact) || !slices.Equal(groupNames(d.Near), wantNear) {
		t.Fatalf("the answer: exact %q, look-alikes %q; want %q and %q", groupNames(d.Exact), groupNames(d.Near), wantExact, wantNear)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts told, want the exact groups, then with the first look-alikes", len(parts))
	}
	for n, p := range parts {
		if got := groupNames(p.Exact); !slices.Equal(got, wantExact) {
			t.Errorf("part %d's exact groups %q, want %q", n, got, wantExact)
		}
	}
	if len(parts[0].Near) != 0 {
		t.Errorf("the first part has look-alikes: %q", groupNames(parts[0].Near))
	}
	if got, want := groupNames(parts[1].Near), []string{"a/1.jpg+a/2.jpg"}; !slices.Equal(got, want) {
		t.Errorf("the first look found %q, want %q (the first four files' look-alikes)", got, want)
	}
	for _, g := range parts[1].Near {
		if g.MaxDistance > distance || len(g.Evidence) == 0 {
			t.Errorf("a look-alike group told has distance %d and evidence %q", g.MaxDistance, g.Evidence)
		}
	}

	// Kept by the search before, the groups are read, not searched for.
	if p, _ := search(4); len(p) != 0 {
		t.Fatalf("groups kept: %d parts told, want none", len(p))
	}

	distance++
	parts, _ = search(6) // 20 files: too few for a look after 6
	if len(parts) != 1 || len(parts[0].Near) != 0 || !slices.Equal(groupNames(parts[0].Exact), wantExact) {
		t.Fatalf("a small job told %d parts; want the exact groups alone", len(parts))
	}
}
