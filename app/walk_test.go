package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// listed maps "path=status" for each record, sorted, to compare listings.
func listed(recs []store.FileRecord) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.RelPath+"="+string(r.Status))
	}
	sort.Strings(out)
	return out
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

// A link out of the scanned folders is not followed (a link to / would list
// the whole machine); a link to a folder inside them is not walked a second
// time: its files are listed once, at their own path. A link to a file
// outside is listed as that file; a link to a file inside is not listed twice.
func TestListingLinksOutOfTheFoldersAreNotFollowed(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	mustWrite(t, filepath.Join(root, "a.jpg"), "a")
	mustWrite(t, filepath.Join(root, "inside", "b.jpg"), "b")
	mustWrite(t, filepath.Join(outside, "c.jpg"), "c")
	mustWrite(t, filepath.Join(outside, "sub", "d.jpg"), "d")
	mustLink(t, "/", filepath.Join(root, "everything"))
	mustLink(t, outside, filepath.Join(root, "elsewhere"))
	mustLink(t, filepath.Join(root, "inside"), filepath.Join(root, "again"))
	mustLink(t, filepath.Join(outside, "c.jpg"), filepath.Join(root, "c-link.jpg"))
	mustLink(t, filepath.Join(root, "a.jpg"), filepath.Join(root, "a-link.jpg"))
	mustLink(t, filepath.Join(root, "gone.jpg"), filepath.Join(root, "broken.jpg"))

	// Bounded, so that a walk that does follow / ends instead of taking hours.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	recs, err := listFiles(ctx, []string{root}, walkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.jpg=pending", "broken.jpg=error", "c-link.jpg=pending", "elsewhere=skipped",
		"everything=skipped", "inside/b.jpg=pending"}
	if got := listed(recs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("listed %v\nwant   %v", got, want)
	}
	for _, r := range recs {
		if r.Status == media.StatusSkipped && !strings.Contains(r.Note, "outside the scanned folders") {
			t.Errorf("%s: note %q does not say why the link was not followed", r.RelPath, r.Note)
		}
		if r.RelPath == "c-link.jpg" && r.Size != 1 {
			t.Errorf("a link to a file is listed with the size of the file, got %d", r.Size)
		}
	}

	// The same outside folder given as a second root is scanned, through its
	// own root; the link to it still lists nothing twice.
	recs, err = listFiles(ctx, []string{root, outside}, walkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.RootIndex == 1 {
			n++
		}
		if r.RootIndex == 0 && (r.RelPath == "elsewhere" || r.RelPath == "c-link.jpg") {
			t.Errorf("%s listed although its target is scanned as a folder of its own", r.RelPath)
		}
	}
	if n != 2 {
		t.Errorf("the second root listed %d files, want 2", n)
	}
}

// Listing a huge folder stops within a second of a cancel: the context is
// checked between entries, not once per folder.
func TestListingCancelsWithinASecond(t *testing.T) {
	dir := t.TempDir()
	const n = 50_000
	for i := range n {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%05d.jpg", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	begun, cancelled := make(chan struct{}), make(chan struct{})
	calls := 0
	stop := func() error {
		calls++
		if calls == 100 { // the walk is well inside the folder: cancel it from outside
			close(begun)
			<-cancelled
		}
		return nil
	}
	type result struct {
		recs []store.FileRecord
		err  error
		at   time.Time
	}
	done := make(chan result, 1)
	go func() {
		recs, err := listFiles(ctx, []string{dir}, walkOptions{stop: stop})
		done <- result{recs, err, time.Now()}
	}()
	<-begun
	cancel()
	at := time.Now()
	close(cancelled)
	r := <-done
	if !errors.Is(r.err, context.Canceled) {
		t.Fatalf("listing returned %d records and %v, want context.Canceled", len(r.recs), r.err)
	}
	if took := r.at.Sub(at); took > time.Second {
		t.Errorf("listing returned %s after the cancel", took)
	}
}

// A pause while the folders are being listed stops the listing: the job is
// PAUSED and not yet listed; resuming lists again and completes with every
// file exactly once.
func TestPauseDuringListingResumesToEveryFileOnce(t *testing.T) {
	dir := t.TempDir()
	names := makeFiles(t, dir, 6000, func(i int) string { return fmt.Sprintf("d%d/%04d.jpg", i%4, i) })
	f := &fakeAnalyzer{}
	lib := openTestLibrary(t, f)
	id, err := lib.Start([]string{dir}, Settings{Workers: 2, BatchSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Pause(id); err != nil { // long before 6000 files are listed
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StatePaused {
		t.Fatalf("after a pause during listing: %s", st)
	}
	j, _ := lib.Job(id)
	if j.Listed {
		t.Fatalf("the listing went on after the pause (%d files listed)", j.ProgressTotal)
	}
	checkConsistent(t, lib, j)
	if len(f.callCounts()) == len(names) {
		t.Fatal("every file was analysed although the job was paused while listing")
	}
	if err := lib.Resume(id); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("after resume: %s", st)
	}
	j, _ = lib.Job(id)
	if c := checkConsistent(t, lib, j); c.Done != len(names) || c.Total != len(names) {
		t.Fatalf("%+v, want %d files done", c, len(names))
	}
	calls := f.callCounts()
	for _, n := range names {
		if calls[n] != 1 {
			t.Fatalf("%s analysed %d times", n, calls[n])
		}
	}
}

// A folder given twice, through a link, or inside another folder given too is
// listed once: its files are not listed twice.
func TestNestedAndRepeatedRootsAreListedOnce(t *testing.T) {
	base := t.TempDir()
	d := filepath.Join(base, "d")
	mustWrite(t, filepath.Join(d, "a.jpg"), "a")
	mustWrite(t, filepath.Join(d, "sub", "b.jpg"), "b")
	mustLink(t, d, filepath.Join(base, "link-to-d"))
	mustLink(t, filepath.Join(d, "sub"), filepath.Join(base, "link-to-sub"))

	roots, notes, err := planRoots([]string{filepath.Join(d, "sub"), d, filepath.Join(base, "link-to-d"),
		d + "/", filepath.Join(base, "link-to-sub")})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(roots) != fmt.Sprint([]string{d}) {
		t.Fatalf("roots %v, want only %s", roots, d)
	}
	if len(notes) != 4 || !strings.Contains(notes[0], "inside") {
		t.Errorf("notes %q: want one per dropped folder, saying why", notes)
	}

	lib := openTestLibrary(t, &fakeAnalyzer{})
	j, st := runToEnd(t, lib, []string{d, filepath.Join(d, "sub")}, Settings{})
	if st != store.StateCompleted {
		t.Fatalf("%s: %s", st, j.ErrorMessage)
	}
	files, _ := lib.Files(j.ID)
	if got := listed(files); fmt.Sprint(got) != "[a.jpg=done sub/b.jpg=done]" {
		t.Errorf("listed %v", got)
	}

	// A job stored by an older Shoebox with both roots lists each file once
	// when it lists again.
	recs, err := listFiles(context.Background(), []string{filepath.Join(d, "sub"), d}, walkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := listed(recs); fmt.Sprint(got) != "[a.jpg=pending sub/b.jpg=pending]" {
		t.Errorf("listed %v", got)
	}
}

// The library inside the scanned folder is never listed as a photo, whether
// --db is relative or the folder is reached through a link.
func TestLibraryInsideTheFolderIsNotListed(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "photos")
	mustWrite(t, filepath.Join(dir, "a.txt"), "not a photo")
	mustLink(t, dir, filepath.Join(base, "link"))
	t.Chdir(dir)

	code, _, stderr := runCLI(t, "scan", "--db", "lib.db", ".")
	if code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "report", "--db", "lib.db", "--format", "csv")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "lib.db") {
		t.Errorf("the library is listed as a file of the folder:\n%s", out)
	}

	// Through a symlinked root, with the library named by its real path.
	code, _, stderr = runCLI(t, "scan", "--db", filepath.Join(dir, "lib.db"), filepath.Join(base, "link"))
	if code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	code, out, _ = runCLI(t, "report", "--db", "lib.db", "--format", "csv")
	if code != 0 || strings.Contains(out, "lib.db") {
		t.Errorf("the library is listed through the linked folder (exit %d):\n%s", code, out)
	}
}

// Trash and recycle-bin folders, NAS thumbnail folders, Shoebox's own
// quarantines and its temporary files are left out of a scan: their files
// are on their way out, and a scan of a home that holds the library must not
// find the quarantined copies as new duplicates.
func TestListingLeavesOutBinsAndQuarantines(t *testing.T) {
	root := t.TempDir()
	lib := filepath.Join(root, "shoebox", "library.db")
	for _, rel := range []string{
		"keep.jpg", ".Trash-1000/files/a.jpg", ".Trash/b.jpg", "$RECYCLE.BIN/S-1-5/c.jpg", "@eaDir/keep.jpg/SYNOFILE_THUMB_M.jpg",
		".thumbnails/normal/d.png", ".shoebox-quarantine/run-3/e.jpg", "shoebox/quarantine/run-2/f.jpg",
		"Pictures/.shoebox-link-4-1", "Pictures/.shoebox-copy-0a1b.part", "Pictures/g.jpg", "Pictures/quarantine/h.jpg",
	} {
		mustWrite(t, filepath.Join(root, filepath.FromSlash(rel)), "x")
	}
	recs, err := listFiles(context.Background(), []string{root}, walkOptions{exclude: lib})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Pictures/g.jpg=pending", "Pictures/quarantine/h.jpg=pending", "keep.jpg=pending"}
	if got := listed(recs); !reflect.DeepEqual(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
}

// A listing reads a file's metadata relative to its folder (statListed) and
// keeps exactly what listedOf keeps from the file's lstat: size, times to
// the nanosecond and inode.
func TestStatListedAgreesWithLstat(t *testing.T) {
	dir := t.TempDir()
	when := time.Date(2019, 5, 6, 12, 34, 56, 123456789, time.UTC)
	for i, name := range []string{"a.jpg", "ünïcode b.jpg", "c"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, bytes.Repeat([]byte{1}, 100*i), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, when, when.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil || len(entries) != 3 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	for _, e := range entries {
		got, err := statListed(f, e)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Lstat(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if want := listedOf(info); got != want {
			t.Errorf("%s: %+v, want %+v", e.Name(), got, want)
		}
	}
	if err := os.Remove(filepath.Join(dir, "c")); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, err := statListed(f, e); e.Name() == "c" && !os.IsNotExist(err) {
			t.Errorf("a file removed after its folder was read: %v, want not found", err)
		}
	}
}

// A listing longer than a chunk comes back whole and in order.
func TestListedChunksKeepOrder(t *testing.T) {
	var c listedChunks
	n := 2*listedChunk + 7
	for i := range n {
		c.add(store.Listed{Size: int64(i)})
	}
	all := c.all()
	if len(all) != n || cap(all) != n {
		t.Fatalf("%d listed (cap %d), want %d", len(all), cap(all), n)
	}
	for i, l := range all {
		if l.Size != int64(i) {
			t.Fatalf("listed %d is %d", i, l.Size)
		}
	}
}
