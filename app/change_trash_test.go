//go:build linux

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/store"
	"shoebox/trash"
)

// trashed reads a freedesktop home trash: original path -> the file's
// snapshot entry (mtime and bytes), from the .trashinfo files as a desktop
// would, checking each against the specification's format.
func trashed(t *testing.T, dataHome string) map[string]string {
	t.Helper()
	infos, _ := filepath.Glob(filepath.Join(dataHome, "Trash", "info", "*.trashinfo"))
	for _, info := range infos {
		raw, err := os.ReadFile(info)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
		if len(lines) != 3 || lines[0] != "[Trash Info]" || !strings.HasPrefix(lines[1], "Path=/") || !strings.HasPrefix(lines[2], "DeletionDate=") {
			t.Fatalf("%s is not a .trashinfo as the specification writes it:\n%s", info, raw)
		}
		if _, err := time.ParseInLocation("2006-01-02T15:04:05", strings.TrimPrefix(lines[2], "DeletionDate="), time.Local); err != nil {
			t.Errorf("%s: DeletionDate: %v", info, err)
		}
	}
	return trashedFiles(t, dataHome)
}

// Moving copies to the trash puts each in the home trash with a .trashinfo
// naming its path, so the desktop's Restore works; undo takes them back
// out and leaves the trash as it was.
func TestApplyTrashThenUndo(t *testing.T) {
	db, dir := changeFolder(t)
	before := snapshot(t, dir)
	dataHome := t.TempDir()
	lib := openChangeLibrary(t, db, LibraryOptions{Trash: trash.Options{DataHome: dataHome}})
	plan := planFor(t, lib, PlanOptions{Action: "trash"})
	id, err := lib.ApplyPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	j := runToState(t, lib, id, store.StateCompleted)
	if j.ProgressCurrent != plan.RemoveCount || j.ErrorCount+j.SkippedCount != 0 || j.Change.Bytes != plan.BytesFreed {
		n, reasons := itemsByState(t, lib, id)
		t.Fatalf("run: %+v %v %v", j, n, reasons)
	}
	inTrash := trashed(t, dataHome)
	if len(inTrash) != plan.RemoveCount {
		t.Fatalf("%d files in the trash, want %d", len(inTrash), plan.RemoveCount)
	}
	for _, g := range plan.Groups {
		for _, r := range g.Remove {
			if inTrash[r] != before[r] {
				t.Errorf("%s: not in the trash with its bytes and mtime", r)
			}
			if _, err := os.Lstat(r); err == nil {
				t.Errorf("%s is still in place", r)
			}
		}
	}
	undoRestoresAll(t, lib, id, dir, before)
	for _, sub := range []string{"files", "info"} {
		if left, _ := os.ReadDir(filepath.Join(dataHome, "Trash", sub)); len(left) != 0 {
			t.Errorf("the trash's %s still holds %d entries after undo", sub, len(left))
		}
	}
}

// `shoebox apply` with a trash plan honours XDG_DATA_HOME for the home
// trash, as the specification says.
func TestCLIApplyTrashHonoursXDGDataHome(t *testing.T) {
	db, _ := changeFolder(t)
	dataHome := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dataHome)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	if code, _, stderr := runCLI(t, "plan", "dups", "--db", db, "--action", "trash", "--out", planFile); code != 0 {
		t.Fatalf("plan: %s", stderr)
	}
	code, _, stderr := runCLI(t, "apply", "--db", db, planFile)
	if code != ExitCompleted || !strings.Contains(stderr, "5 of 5 files moved to the trash") {
		t.Fatalf("apply exit %d: %s", code, stderr)
	}
	if n := len(trashed(t, dataHome)); n != 5 {
		t.Fatalf("%d files in $XDG_DATA_HOME/Trash, want 5", n)
	}
}
