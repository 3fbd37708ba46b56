//go:build linux

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/safefs"
	"shoebox/store"
	"shoebox/trash"
)

// otherVolume is a fresh folder on a filesystem other than the library's
// (/dev/shm, a tmpfs), or the test is skipped with the reason.
func otherVolume(t *testing.T, than string) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "shoebox-volume-")
	if err != nil {
		t.Skip("no /dev/shm to stand for a second volume:", err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if same, err := safefs.SameVolume(dir, than); err != nil || same {
		t.Skip("/dev/shm is on the library's volume here")
	}
	return dir
}

// Copies on another volume than the library's go to that volume's own
// .shoebox-quarantine (a rename, never a copy across volumes), or to its
// $topdir/.Trash-$uid; undo brings them back from there.
func TestApplyOnAnotherVolume(t *testing.T) {
	libDir := t.TempDir()
	dir := otherVolume(t, libDir)
	for _, action := range []string{"quarantine", "trash"} {
		t.Run(action, func(t *testing.T) {
			photos := filepath.Join(dir, action)
			pic := boldJPEG(t, 7, 90)
			for _, rel := range []string{"Camera/IMG_1.jpg", "Downloads/IMG_1.jpg"} {
				mustWrite(t, filepath.Join(photos, rel), string(pic))
			}
			before := snapshot(t, photos)
			db := filepath.Join(libDir, action+".db")
			if code, _, stderr := runCLI(t, "scan", "--db", db, photos); code != 0 {
				t.Fatal(stderr)
			}
			lib := openChangeLibrary(t, db, LibraryOptions{Trash: trash.Options{DataHome: t.TempDir()}})
			id, err := lib.ApplyPlan(planFor(t, lib, PlanOptions{Action: action}))
			if err != nil {
				t.Fatal(err)
			}
			runToState(t, lib, id, store.StateCompleted)
			items, _ := lib.ChangeItems(id)
			if len(items) != 1 || items[0].State != store.ChangeDone {
				t.Fatalf("items: %+v", items)
			}
			top, _ := safefs.VolumeTop(photos)
			want := filepath.Join(top, VolumeQuarantineName)
			if action == "trash" {
				want = filepath.Join(top, ".Trash-")
			}
			if !strings.HasPrefix(items[0].Dest, want) {
				t.Fatalf("moved to %s, want under %s", items[0].Dest, want)
			}
			if same, _ := safefs.SameVolume(items[0].Dest, photos); !same {
				t.Fatalf("%s is not on the file's volume", items[0].Dest)
			}
			undoRestoresAll(t, lib, id, photos, before)
		})
	}
}
