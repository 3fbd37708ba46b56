//go:build linux

package safefs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, path, content string, mtime time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if !mtime.IsZero() {
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renameFuncs are the exclusive rename and each fallback, which must all keep
// the same promises.
var renameFuncs = []struct {
	name string
	fn   func(from, to string) error
}{
	{"RenameNoReplace", RenameNoReplace},
	{"renameByLink", renameByLink},
	{"renameAfterLstat", renameAfterLstat},
}

func TestRenameRefusesExistingTarget(t *testing.T) {
	for _, rf := range renameFuncs {
		t.Run(rf.name, func(t *testing.T) {
			dir := t.TempDir()
			from, to := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "b.jpg")
			write(t, from, "the source bytes", time.Time{})
			write(t, to, "the target bytes", time.Time{})
			err := rf.fn(from, to)
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("moving onto an existing file: got %v, want an fs.ErrExist error", err)
			}
			if !strings.Contains(err.Error(), from) || !strings.Contains(err.Error(), to) {
				t.Errorf("the error %q does not name both paths", err)
			}
			if got := mustRead(t, from); !bytes.Equal(got, []byte("the source bytes")) {
				t.Errorf("source changed: %q", got)
			}
			if got := mustRead(t, to); !bytes.Equal(got, []byte("the target bytes")) {
				t.Errorf("target changed: %q", got)
			}
		})
	}
}

func TestRenameMovesKeepingMtime(t *testing.T) {
	mtime := time.Date(2009, 7, 4, 12, 30, 0, 0, time.UTC)
	for _, rf := range renameFuncs {
		t.Run(rf.name, func(t *testing.T) {
			dir := t.TempDir()
			from, to := filepath.Join(dir, "a.jpg"), filepath.Join(dir, "sub", "b.jpg")
			if err := os.Mkdir(filepath.Dir(to), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, from, "photo bytes", mtime)
			before, _ := IDOf(from)
			if err := rf.fn(from, to); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Lstat(from); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the source name is still there: %v", err)
			}
			fi, err := os.Stat(to)
			if err != nil {
				t.Fatal(err)
			}
			if !fi.ModTime().Equal(mtime) {
				t.Errorf("mtime %v, want %v", fi.ModTime(), mtime)
			}
			if got := mustRead(t, to); string(got) != "photo bytes" {
				t.Errorf("moved bytes %q", got)
			}
			if after, _ := IDOf(to); after != before {
				t.Errorf("the moved file is a different inode: %v then %v", before, after)
			}
		})
	}
}

// The link fallback cannot link a folder, so a folder goes on to the last
// resort, which still refuses an existing target.
func TestRenameByLinkMovesAFolder(t *testing.T) {
	dir := t.TempDir()
	from, to, other := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, d := range []string{from, other} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(from, "x"), "x", time.Time{})
	if err := renameByLink(from, other); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("folder onto an existing folder: got %v, want fs.ErrExist", err)
	}
	if err := renameByLink(from, to); err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, filepath.Join(to, "x")); string(got) != "x" {
		t.Errorf("the folder's file reads %q", got)
	}
}

func TestRenameAcrossDevices(t *testing.T) {
	const shm = "/dev/shm"
	dir := t.TempDir()
	same, err := SameVolume(shm, dir)
	if err != nil {
		t.Skipf("no %s to move to: %v", shm, err)
	}
	if same {
		t.Skipf("%s and %s are on one device, so no move between them crosses devices", shm, dir)
	}
	target, err := os.MkdirTemp(shm, "safefs-test-")
	if err != nil {
		t.Skipf("%s is not writable: %v", shm, err)
	}
	t.Cleanup(func() { os.RemoveAll(target) })
	from := filepath.Join(dir, "a.jpg")
	mtime := time.Date(2011, 1, 2, 3, 4, 5, 0, time.UTC)
	write(t, from, "stays here", mtime)
	for _, rf := range renameFuncs {
		to := filepath.Join(target, rf.name)
		err := rf.fn(from, to)
		if !errors.Is(err, ErrCrossDevice) {
			t.Errorf("%s across devices: got %v, want ErrCrossDevice", rf.name, err)
		}
		if _, err := os.Lstat(to); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left something at the target: %v", rf.name, err)
		}
	}
	fi, err := os.Stat(from)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRead(t, from); string(got) != "stays here" || !fi.ModTime().Equal(mtime) {
		t.Errorf("the source changed: %q, mtime %v", got, fi.ModTime())
	}
}

func TestIDOf(t *testing.T) {
	dir := t.TempDir()
	a, link, cp, sym := filepath.Join(dir, "a"), filepath.Join(dir, "link"), filepath.Join(dir, "copy"), filepath.Join(dir, "sym")
	write(t, a, "same bytes", time.Time{})
	write(t, cp, "same bytes", time.Time{})
	if err := os.Link(a, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, sym); err != nil {
		t.Fatal(err)
	}
	ids := map[string]FileID{}
	for _, p := range []string{a, link, cp, sym} {
		id, err := IDOf(p)
		if err != nil {
			t.Fatal(err)
		}
		ids[filepath.Base(p)] = id
	}
	if ids["a"] != ids["link"] {
		t.Errorf("two hard links give two IDs: %v %v", ids["a"], ids["link"])
	}
	if ids["a"] == ids["copy"] {
		t.Errorf("a copy has the original's ID %v", ids["a"])
	}
	if ids["sym"] == ids["a"] {
		t.Errorf("a symlink's ID is its target's %v; it must be its own", ids["a"])
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := IDOfInfo(fi); !ok || id != ids["a"] {
		t.Errorf("IDOfInfo = %v, %v; want %v, true", id, ok, ids["a"])
	}
	if _, err := IDOf(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("IDOf a missing file: got %v, want fs.ErrNotExist", err)
	}
}

func TestVolumeTop(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "f")
	write(t, file, "x", time.Time{})
	top, err := VolumeTop(file)
	if err != nil {
		t.Fatal(err)
	}
	if top != "/" && !strings.HasPrefix(file, top+"/") {
		t.Fatalf("VolumeTop(%s) = %s, not an ancestor", file, top)
	}
	fdev, _ := devOf(file)
	tdev, _ := devOf(top)
	if fdev != tdev {
		t.Errorf("VolumeTop %s is on device %d, the file on %d", top, tdev, fdev)
	}
	if top != "/" {
		if pdev, _ := devOf(filepath.Dir(top)); pdev == tdev {
			t.Errorf("the parent of %s is on the same device, so it is not the top", top)
		}
	}
	if same, err := SameVolume(file, top); err != nil || !same {
		t.Errorf("SameVolume(file, its top) = %v, %v", same, err)
	}
}

func TestSyncDir(t *testing.T) {
	if err := SyncDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := SyncDir(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SyncDir of a missing folder: got %v", err)
	}
}
