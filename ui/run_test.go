package ui

import (
	"os"
	"path/filepath"
	"testing"

	"shoebox/app"
	"shoebox/internal/testimg"
	"shoebox/store"
)

// The window's library keeps the groups of a scan it ran, so Duplicates
// reads them instead of searching.
func TestTheWindowsLibraryKeepsTheGroupsOfAScan(t *testing.T) {
	dir := t.TempDir()
	pic := testimg.SyntheticJPEG(64, 48, 90)
	for _, name := range []string{"a.jpg", "copy of a.jpg"} {
		if err := os.WriteFile(filepath.Join(dir, name), pic, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := app.OpenLibraryWith(filepath.Join(t.TempDir(), "library.db"), libraryOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	id, err := lib.Start([]string{dir}, app.Settings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("scan %s", st)
	}
	d, ok := lib.KeptDuplicates(id, -1, app.ScopeJob)
	if !ok || len(d.Exact) != 1 || len(d.Exact[0].Files) != 2 {
		t.Errorf("kept %v: %+v", ok, d)
	}
}
