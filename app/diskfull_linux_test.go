package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"shoebox/store"
)

// mountTmpfs mounts a tmpfs of the given size (mount(8) syntax) for the test,
// or skips it saying why: it needs root and a kernel that lets this process
// mount (not a locked-down container).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a real full disk needs a tmpfs, which only root can mount; the WriteFault tests cover the logic")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); the WriteFault tests cover the logic", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

func growTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, "size="+size); err != nil {
		t.Fatalf("remount: %v", err)
	}
}

// TestRealFullDisk puts the library on a tiny tmpfs, scans until the disk is
// full (while listing, and while committing results), frees space and
// resumes: the report must equal a clean run's.
func TestRealFullDisk(t *testing.T) {
	src := t.TempDir()
	writeJPEGs(t, src, 12)
	makeFiles(t, src, 1500, func(i int) string { return fmt.Sprintf("many/%04d-some-long-folder-name/IMG_%04d.jpg", i/50, i) })
	s := Settings{Workers: 2, BatchSize: 10, MaxErrorRate: 1}
	want, _ := cleanRun(t, src, s)

	// The sizes put the full disk in each phase for 1,512 files; compressed
	// records (schema 3) fill 800k while committing where they took 2m
	// before, with compact indexes (schema 4) 600k (550k-650k did), and with
	// the look-alike index beside them (schema 5) 800k (750k-900k do; 1000k
	// holds the whole library).
	for _, c := range []struct {
		size, when string
	}{{"200k", "listing"}, {"800k", "committing"}} {
		t.Run(c.when, func(t *testing.T) {
			mnt := mountTmpfs(t, c.size)
			path := filepath.Join(mnt, "lib.db")
			lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: (&fakeAnalyzer{}).analyze})
			if err != nil {
				t.Fatal(err)
			}
			id, err := lib.Start([]string{src}, s)
			if err != nil {
				t.Fatal(err)
			}
			st := lib.Wait(id)
			j, _ := lib.Job(id)
			stored, _ := lib.Store().Job(id)
			lib.Close()
			if st != store.StateFailed || !strings.Contains(j.ErrorMessage, "is full") {
				t.Fatalf("on a full disk: %s %q", st, j.ErrorMessage)
			}
			listed := stored.Listed && stored.ProgressTotal > 0
			if (c.when == "listing") == listed {
				t.Fatalf("the disk filled at the wrong moment for this case: listed=%v, %d of %d stored", listed, stored.ProgressCurrent, stored.ProgressTotal)
			}
			growTmpfs(t, mnt, "64m")
			lib, _ = reopenAndResume(t, path, id)
			if got := reportOf(t, lib, id); got != want {
				t.Errorf("report after a full disk and a resume differs from a clean run's")
			}
		})
	}
}
