//go:build linux

package trash

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	testMtime = time.Date(2015, 6, 7, 8, 9, 10, 0, time.UTC)
	testNow   = time.Date(2026, 3, 4, 5, 6, 7, 0, time.Local)
)

func fixedNow() time.Time { return testNow }

func homeOptions(t *testing.T) Options {
	t.Helper()
	return Options{DataHome: filepath.Join(t.TempDir(), "share"), Now: fixedNow}
}

// photo writes a file with its own bytes and a known mtime.
func photo(t *testing.T, dir, name, content string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, testMtime, testMtime); err != nil {
		t.Fatal(err)
	}
	return p
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func trashIt(t *testing.T, path string, opt Options) Entry {
	t.Helper()
	e, err := Prepare(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := Commit(e); err != nil {
		t.Fatal(err)
	}
	return e
}

func assertGone(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s should not exist: %v", p, err)
	}
}

// checkInfo reads a .trashinfo line by line against the specification.
func checkInfo(t *testing.T, infoFile, wantPath string) {
	t.Helper()
	lines := strings.Split(readFile(t, infoFile), "\n")
	if len(lines) != 4 || lines[3] != "" {
		t.Fatalf("trashinfo has %d lines: %q", len(lines), lines)
	}
	if lines[0] != "[Trash Info]" {
		t.Errorf("header %q", lines[0])
	}
	if want := "Path=" + escapePath(wantPath); lines[1] != want {
		t.Errorf("got %q, want %q", lines[1], want)
	}
	date, ok := strings.CutPrefix(lines[2], "DeletionDate=")
	if !ok {
		t.Fatalf("third line %q is not DeletionDate", lines[2])
	}
	d, err := time.ParseInLocation("2006-01-02T15:04:05", date, time.Local)
	if err != nil {
		t.Fatalf("DeletionDate %q: %v", date, err)
	}
	if !d.Equal(testNow) {
		t.Errorf("DeletionDate %v, want %v", d, testNow)
	}
	in, err := ParseInfo([]byte(strings.Join(lines, "\n")))
	if err != nil || in.Path != wantPath {
		t.Errorf("ParseInfo: %q, %v; want Path %q", in.Path, err, wantPath)
	}
}

func TestPrepareCommitHomeTrash(t *testing.T) {
	opt := homeOptions(t)
	dir := filepath.Join(t.TempDir(), "photos")
	src := photo(t, dir, "IMG_0001.jpg", "jpeg bytes")
	e, err := Prepare(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(opt.DataHome, "Trash")
	want := Entry{
		Original: src,
		File:     filepath.Join(home, "files", "IMG_0001.jpg"),
		Info:     filepath.Join(home, "info", "IMG_0001.jpg.trashinfo"),
		Trash:    home,
	}
	if e != want {
		t.Fatalf("Prepare = %+v\nwant %+v", e, want)
	}
	// Prepare touched only the trash: the file is where it was.
	if readFile(t, src) != "jpeg bytes" {
		t.Fatal("Prepare changed the file")
	}
	assertGone(t, e.File)
	if err := Commit(e); err != nil {
		t.Fatal(err)
	}
	assertGone(t, src)
	if got := readFile(t, e.File); got != "jpeg bytes" {
		t.Errorf("trashed bytes %q", got)
	}
	if fi, err := os.Stat(e.File); err != nil || !fi.ModTime().Equal(testMtime) {
		t.Errorf("trashed file mtime: %v, %v", fi, err)
	}
	checkInfo(t, e.Info, src)
	if fi, err := os.Stat(home); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("home trash mode: %v, %v", fi, err)
	}
}

func TestPathEscapesAndUnescapes(t *testing.T) {
	name := "a b%c#d\xff\xfe é.jpg"
	if got, want := escapePath("/x/"+name), "/x/a%20b%25c%23d%FF%FE%20%C3%A9.jpg"; got != want {
		t.Errorf("escapePath = %q, want %q", got, want)
	}
	opt := homeOptions(t)
	src := photo(t, t.TempDir(), name, "odd name")
	e := trashIt(t, src, opt)
	if filepath.Base(e.File) != name {
		t.Errorf("trashed as %q, want %q", filepath.Base(e.File), name)
	}
	checkInfo(t, e.Info, src)
	if err := Restore(e); err != nil {
		t.Fatal(err)
	}
	if readFile(t, src) != "odd name" {
		t.Error("restored bytes differ")
	}
	if _, err := unescapePath("bad%2"); err == nil {
		t.Error("a cut escape was accepted")
	}
	if _, err := unescapePath("bad%zz"); err == nil {
		t.Error("a non-hex escape was accepted")
	}
}

func TestSameNameGetsDistinctNamesAndBothRestore(t *testing.T) {
	opt := homeOptions(t)
	root := t.TempDir()
	a := photo(t, filepath.Join(root, "a"), "IMG.jpg", "first")
	b := photo(t, filepath.Join(root, "b"), "IMG.jpg", "second")
	c := photo(t, filepath.Join(root, "c"), ".hidden", "third")
	d := photo(t, filepath.Join(root, "d"), ".hidden", "fourth")
	ea, eb, ec, ed := trashIt(t, a, opt), trashIt(t, b, opt), trashIt(t, c, opt), trashIt(t, d, opt)
	for _, c := range []struct {
		e    Entry
		want string
	}{{ea, "IMG.jpg"}, {eb, "IMG.2.jpg"}, {ec, ".hidden"}, {ed, ".hidden.2"}} {
		if got := filepath.Base(c.e.File); got != c.want {
			t.Errorf("trashed as %q, want %q", got, c.want)
		}
	}
	for _, e := range []Entry{eb, ea, ed, ec} {
		if err := Restore(e); err != nil {
			t.Fatal(err)
		}
		assertGone(t, e.Info)
		assertGone(t, e.File)
	}
	for p, want := range map[string]string{a: "first", b: "second", c: "third", d: "fourth"} {
		if got := readFile(t, p); got != want {
			t.Errorf("%s restored as %q, want %q", p, got, want)
		}
	}
}

func TestRestoreRefusesWhatStandsThere(t *testing.T) {
	opt := homeOptions(t)
	src := photo(t, t.TempDir(), "IMG.jpg", "trashed")
	e := trashIt(t, src, opt)
	if err := os.WriteFile(src, []byte("newcomer"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Restore(e)
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Restore onto a file: got %v, want fs.ErrExist", err)
	}
	if readFile(t, src) != "newcomer" || readFile(t, e.File) != "trashed" {
		t.Error("a refused Restore changed a file")
	}
	if _, err := os.Stat(e.Info); err != nil {
		t.Errorf("a refused Restore removed the trashinfo: %v", err)
	}
	if err := os.Remove(src); err != nil {
		t.Fatal(err)
	}
	if err := Restore(e); err != nil {
		t.Fatal(err)
	}
	if readFile(t, src) != "trashed" {
		t.Error("restored bytes differ")
	}
	assertGone(t, e.Info)
}

func TestRestoreRecreatesTheFolder(t *testing.T) {
	opt := homeOptions(t)
	dir := filepath.Join(t.TempDir(), "trip")
	src := photo(t, dir, "IMG.jpg", "x")
	e := trashIt(t, src, opt)
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := Restore(e); err != nil {
		t.Fatal(err)
	}
	if readFile(t, src) != "x" {
		t.Error("restored bytes differ")
	}
}

func TestAbandon(t *testing.T) {
	opt := homeOptions(t)
	src := photo(t, t.TempDir(), "IMG.jpg", "kept")
	e, err := Prepare(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := Abandon(e); err != nil {
		t.Fatal(err)
	}
	assertGone(t, e.Info)
	if readFile(t, src) != "kept" {
		t.Error("Abandon changed the file")
	}
	// Once committed, abandoning would hide the file from Restore.
	e = trashIt(t, src, opt)
	if err := Abandon(e); err == nil {
		t.Error("Abandon of a committed entry was accepted")
	}
	if _, err := os.Stat(e.Info); err != nil {
		t.Errorf("Abandon of a committed entry removed its trashinfo: %v", err)
	}
}

func TestCommitRefusesATakenName(t *testing.T) {
	opt := homeOptions(t)
	src := photo(t, t.TempDir(), "IMG.jpg", "mine")
	e, err := Prepare(src, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.File, []byte("someone else's"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Commit(e); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Commit onto a taken name: got %v, want fs.ErrExist", err)
	}
	if readFile(t, src) != "mine" || readFile(t, e.File) != "someone else's" {
		t.Error("a refused Commit changed a file")
	}
}

func TestDataHomeDefaults(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	src := photo(t, t.TempDir(), "IMG.jpg", "x")
	e, err := Prepare(src, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(xdg, "Trash"); e.Trash != want {
		t.Errorf("with XDG_DATA_HOME the trash is %s, want %s", e.Trash, want)
	}
	if err := Abandon(e); err != nil {
		t.Fatal(err)
	}
	// A relative XDG_DATA_HOME is ignored, as the specification says.
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "relative/share")
	e, err = Prepare(src, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, ".local", "share", "Trash"); e.Trash != want {
		t.Errorf("with a relative XDG_DATA_HOME the trash is %s, want %s", e.Trash, want)
	}
}

func TestCandidateNames(t *testing.T) {
	for _, c := range []struct {
		base string
		n    int
		want string
	}{
		{"a.jpg", 1, "a.jpg"}, {"a.jpg", 2, "a.jpg"[:1] + ".2.jpg"}, {"a.tar.gz", 3, "a.tar.3.gz"},
		{"noext", 2, "noext.2"}, {".hidden", 2, ".hidden.2"},
	} {
		if got := candidate(c.base, c.n); got != c.want {
			t.Errorf("candidate(%q, %d) = %q, want %q", c.base, c.n, got, c.want)
		}
	}
	long := strings.Repeat("é", 127) + ".jpg" // 258 bytes
	got := candidate(long, 12)
	if len(got) > maxName || !strings.HasSuffix(got, ".12.jpg") || !strings.HasPrefix(got, "éé") {
		t.Errorf("long name became %q (%d bytes)", got, len(got))
	}
	if strings.ContainsRune(got, '\uFFFD') || !utf8Valid(got) {
		t.Errorf("long name was cut inside a character: %q", got)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// tmpfsDir is a writable folder on another device than the home trash, or
// the test is skipped.
func tmpfsDir(t *testing.T, opt Options) string {
	t.Helper()
	const shm = "/dev/shm"
	home, err := nearestDev(opt.DataHome)
	if err != nil {
		t.Fatal(err)
	}
	shmDev, err := nearestDev(shm)
	if err != nil || shmDev == home {
		t.Skipf("%s is not a second device beside %s (%v), so no volume trash can be tried", shm, opt.DataHome, err)
	}
	dir, err := os.MkdirTemp(shm, "trash-test-")
	if err != nil {
		t.Skipf("%s is not writable: %v", shm, err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// claim makes path for this test and removes it after; the test is skipped
// if it already exists, since it would belong to someone else.
func claim(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if _, err := os.Lstat(path); err == nil {
		t.Skipf("%s already exists; this test will not touch another's trash", path)
	}
	if mode != 0 {
		if err := os.Mkdir(path, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil { // past the umask
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.RemoveAll(path) })
}

func TestVolumeTrash(t *testing.T) {
	opt := homeOptions(t)
	dir := tmpfsDir(t, opt)
	top := filepath.Dir(dir) // /dev/shm is a mount point
	uid := strconv.Itoa(os.Getuid())
	rel := filepath.Join(filepath.Base(dir), "IMG.jpg")
	cases := []struct {
		name  string
		setup func(t *testing.T)
		trash string
	}{
		{"no .Trash: .Trash-uid", func(t *testing.T) {}, filepath.Join(top, ".Trash-"+uid)},
		{".Trash with the sticky bit is preferred", func(t *testing.T) {
			claim(t, filepath.Join(top, ".Trash"), 0o777|fs.ModeSticky)
		}, filepath.Join(top, ".Trash", uid)},
		{".Trash without the sticky bit is skipped", func(t *testing.T) {
			claim(t, filepath.Join(top, ".Trash"), 0o777)
		}, filepath.Join(top, ".Trash-"+uid)},
		{".Trash as a symlink is skipped", func(t *testing.T) {
			real := filepath.Join(dir, "sticky")
			if err := os.Mkdir(real, 0o777|fs.ModeSticky); err != nil {
				t.Fatal(err)
			}
			claim(t, filepath.Join(top, ".Trash"), 0)
			if err := os.Symlink(real, filepath.Join(top, ".Trash")); err != nil {
				t.Fatal(err)
			}
		}, filepath.Join(top, ".Trash-"+uid)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			claim(t, filepath.Join(top, ".Trash-"+uid), 0)
			c.setup(t)
			src := photo(t, dir, "IMG.jpg", c.name)
			e := trashIt(t, src, opt)
			if e.Trash != c.trash {
				t.Fatalf("trash %s, want %s", e.Trash, c.trash)
			}
			if fi, err := os.Lstat(e.Trash); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("volume trash mode: %v, %v", fi, err)
			}
			checkInfo(t, e.Info, rel)
			if readFile(t, e.File) != c.name {
				t.Error("trashed bytes differ")
			}
			if err := Restore(e); err != nil {
				t.Fatal(err)
			}
			if readFile(t, src) != c.name {
				t.Error("restored bytes differ")
			}
			if err := os.Remove(src); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A .Trash-uid that is not ours (here: a symlink) is refused, never used.
func TestVolumeTrashRefusesASymlink(t *testing.T) {
	top := t.TempDir()
	elsewhere := t.TempDir()
	uid := os.Getuid()
	if err := os.Symlink(elsewhere, filepath.Join(top, ".Trash-"+strconv.Itoa(uid))); err != nil {
		t.Fatal(err)
	}
	if _, err := topdirTrash(top, uid); !errors.Is(err, ErrNoTrash) {
		t.Fatalf("a symlinked .Trash-uid: got %v, want ErrNoTrash", err)
	}
	if _, err := topdirTrash(top, uid+1); err == nil {
		t.Error("a trash owned by another user was accepted")
	}
	ents, _ := os.ReadDir(elsewhere)
	if len(ents) != 0 {
		t.Errorf("something was made through the symlink: %v", ents)
	}
}

func TestParseInfoNeedsBothKeys(t *testing.T) {
	if _, err := ParseInfo([]byte("[Trash Info]\nPath=/a\n")); err == nil {
		t.Error("an info without DeletionDate was accepted")
	}
	in, err := ParseInfo([]byte("[Other]\nPath=/wrong\n[Trash Info]\r\nPath=/a%20b\r\nDeletionDate=2020-01-02T03:04:05\r\n"))
	if err != nil || in.Path != "/a b" || !bytes.Equal([]byte(in.Deleted.Format(infoDateLayout)), []byte("2020-01-02T03:04:05")) {
		t.Errorf("ParseInfo = %+v, %v", in, err)
	}
}

func TestRestoreOfAMissingFileChangesNothing(t *testing.T) {
	opt := homeOptions(t)
	src := photo(t, filepath.Join(t.TempDir(), "trip"), "IMG.jpg", "x")
	e := trashIt(t, src, opt)
	if err := os.Remove(e.File); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Dir(src)); err != nil {
		t.Fatal(err)
	}
	if err := Restore(e); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Restore of an emptied entry: got %v, want fs.ErrNotExist", err)
	}
	assertGone(t, filepath.Dir(src))
	if _, err := os.Stat(e.Info); err != nil {
		t.Errorf("the trashinfo of a failed Restore was removed: %v", err)
	}
}

// Many files with one name trashed at once each get their own name: the
// O_EXCL reservation, not a look before, decides.
func TestConcurrentPreparesReserveDistinctNames(t *testing.T) {
	opt := homeOptions(t)
	root := t.TempDir()
	const n = 8
	srcs := make([]string, n)
	for i := range srcs {
		srcs[i] = photo(t, filepath.Join(root, strconv.Itoa(i)), "IMG.jpg", strconv.Itoa(i))
	}
	entries := make([]Entry, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range srcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries[i], errs[i] = Prepare(srcs[i], opt)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, e := range entries {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[e.File] {
			t.Fatalf("two files reserved %s", e.File)
		}
		seen[e.File] = true
		if err := Commit(e); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, e.File); got != strconv.Itoa(i) {
			t.Errorf("%s holds %q, want %q", e.File, got, strconv.Itoa(i))
		}
	}
}

// A reservation whose file never went in (its process was killed before it
// could journal it) is reused by the next Prepare of the same path, so the
// trash never keeps an info file that names no file; a reservation of
// another path, or one whose file is in, is never reused.
func TestPrepareReusesItsOwnStaleReservation(t *testing.T) {
	opt := homeOptions(t)
	dir := t.TempDir()
	p := photo(t, dir, "IMG.jpg", "one")
	first, err := Prepare(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Prepare(p, opt)
	if err != nil || again != first {
		t.Fatalf("second Prepare: %+v, %v; want the stale reservation %+v", again, err, first)
	}
	other := photo(t, filepath.Join(dir, "other"), "IMG.jpg", "two")
	o, err := Prepare(other, opt)
	if err != nil || o.File == first.File {
		t.Fatalf("another path took the reservation: %+v, %v", o, err)
	}
	if err := Commit(first); err != nil {
		t.Fatal(err)
	}
	p2 := photo(t, dir, "IMG.jpg", "a new file at the same path")
	next, err := Prepare(p2, opt)
	if err != nil || next.File == first.File || next.File == o.File {
		t.Fatalf("a used reservation was reused: %+v, %v", next, err)
	}
	infos, _ := filepath.Glob(filepath.Join(first.Trash, "info", "*.trashinfo"))
	if len(infos) != 3 {
		t.Fatalf("%d info files, want 3 (first, other, next): %v", len(infos), infos)
	}
}

// DropStaleReservations removes only the reservations of that path whose
// file never went in: not a trashed file's info, not another path's.
func TestDropStaleReservations(t *testing.T) {
	opt := homeOptions(t)
	dir := t.TempDir()
	p := photo(t, dir, "IMG.jpg", "one")
	stale, err := Prepare(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	other := photo(t, filepath.Join(dir, "other"), "IMG.jpg", "two")
	otherStale, err := Prepare(other, opt)
	if err != nil {
		t.Fatal(err)
	}
	gone := photo(t, filepath.Join(dir, "gone"), "IMG.jpg", "three")
	trashed := trashIt(t, gone, opt)
	n, err := DropStaleReservations(p, opt)
	if err != nil || n != 1 {
		t.Fatalf("dropped %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(stale.Info); !os.IsNotExist(err) {
		t.Errorf("the stale reservation is still there: %v", err)
	}
	for _, keep := range []string{otherStale.Info, trashed.Info, trashed.File} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", keep, err)
		}
	}
}
