package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"shoebox/store"
)

// A second folder scanned into the library of changeFolder: one copy of
// its picture A (a copy across scans) and a pair of its own.
func scanSecondFolder(t *testing.T, db string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, seed := range map[string]int{"a.jpg": 1, "own/g.jpg": 7, "own/g2.jpg": 7} {
		writeAt(t, dir, rel, boldJPEG(t, seed, 90))
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2"); code != ExitCompleted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	return dir
}

// exactAloneAgrees checks that the exact groups a search tells first
// (SearchDuplicates' soFar), before the look-alike search, are the
// search's (d), with no look-alike.
func exactAloneAgrees(t *testing.T, lib *Library, jobID uint64, scope DupScope, d Duplicates) {
	t.Helper()
	var parts []Duplicates
	told := &partsTold{soFar: func(p Duplicates) { parts = append(parts, p) }, jobID: jobID, scope: scope}
	if _, _, err := lib.findDuplicates(jobID, lib.jobSettings(jobID).NearDistance, told); err != nil {
		t.Fatal(err)
	}
	if len(parts) == 0 {
		t.Fatalf("scope %v: the search told no part", scope)
	}
	got := parts[0]
	paths := func(groups []store.DupGroup) (out []string) {
		for _, g := range groups {
			var files []string
			for _, f := range g.Files {
				files = append(files, f.AbsPath())
			}
			out = append(out, strings.Join(files, " "))
		}
		return out
	}
	if a, b := strings.Join(paths(got.Exact), "\n"), strings.Join(paths(d.Exact), "\n"); a != b || len(got.Near) != 0 {
		t.Errorf("scope %v: the exact groups alone are\n%s\nand %d look-alike groups; the search's exact groups are\n%s",
			scope, a, len(got.Near), b)
	}
}

func filesIn(groups []store.DupGroup) int {
	n := 0
	for _, g := range groups {
		n += len(g.Files)
	}
	return n
}

// The job's own scope leaves out the copies other scans found; the library
// scope (the CLI's) keeps them. Plans follow the scope they are asked for.
func TestDuplicatesScopeJobOrLibrary(t *testing.T) {
	db, _ := changeFolder(t)
	scanSecondFolder(t, db)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	all, err := lib.Duplicates(j.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Exact) != 2 || filesIn(all.Exact) != 2+4 { // own pair; a.jpg with A's three copies
		t.Fatalf("library scope: %d exact groups of %d files, want 2 of 6", len(all.Exact), filesIn(all.Exact))
	}
	mine, err := lib.DuplicatesIn(j.ID, -1, ScopeJob)
	if err != nil {
		t.Fatal(err)
	}
	if len(mine.Exact) != 1 || filesIn(mine.Exact) != 2 {
		t.Fatalf("job scope: %d exact groups of %d files, want the own pair only", len(mine.Exact), filesIn(mine.Exact))
	}
	exactAloneAgrees(t, lib, j.ID, ScopeLibrary, all)
	exactAloneAgrees(t, lib, j.ID, ScopeJob, mine)
	for _, f := range mine.Exact[0].Files {
		if f.JobID != j.ID {
			t.Errorf("job scope holds %s of job %d", f.AbsPath(), f.JobID)
		}
	}
	p, err := lib.PlanDuplicates(j.ID, PlanOptions{Scope: ScopeJob})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != 1 || p.RemoveCount != 1 {
		t.Fatalf("job-scope plan: %d groups removing %d, want 1 removing 1", len(p.Groups), p.RemoveCount)
	}
}

// Identical files have identical perceptual hashes, but they are exact
// copies: a look-alike group made only of them would show (and count) the
// exact group a second time.
func TestLookAlikesDoNotRepeatExactCopies(t *testing.T) {
	db, _ := changeFolder(t)
	lib := openChangeLibrary(t, db, LibraryOptions{})
	j, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	d, err := lib.Duplicates(j.ID, -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Exact) != 5 {
		t.Fatalf("%d exact groups, want 5", len(d.Exact))
	}
	for _, g := range d.Near {
		if sha := g.Files[0].SHA256; sha != "" && allSHA(g.Files, sha) {
			t.Errorf("a look-alike group repeats the exact copies %s", sha)
		}
	}
	if len(d.Near) != 0 {
		t.Errorf("%d look-alike groups among distinct pictures and their exact copies, want 0", len(d.Near))
	}
}

func allSHA(files []store.FileRecord, sha string) bool {
	for _, f := range files {
		if f.SHA256 != sha {
			return false
		}
	}
	return true
}

// `dups --format text` names every member by its full path, says the
// group's size, and marks which file the plan's rules keep.
func TestDupsTextSaysWhichCopyStays(t *testing.T) {
	db, dir := changeFolder(t)
	code, out, stderr := runCLI(t, "dups", "--db", db, "--format", "text")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	abs := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	for _, want := range []string{
		"5 groups of exact copies (11 files;",
		"Exact copies: 3 files of ",
		"  keep    " + abs("Pictures/a.jpg") + "  (rule: ",
		"  remove  " + abs("Downloads/a.jpg") + "\n",
		"  remove  " + abs("Pictures/a copy.jpg") + "\n",
		"  keep    " + abs("x/e.jpg") + "  (tie: ",
		"  keep    " + abs("y/e.jpg") + "  (tie: ",
		"0 groups of look-alikes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dups text lacks %q:\n%s", want, out)
		}
	}
}

// A second name of a file (a hard link) is not an extra copy: removing it
// frees nothing, so what the extra copies take does not grow with it.
func TestDupsTextCountsAHardLinkOnce(t *testing.T) {
	db, dir := changeFolder(t)
	spare := func() string {
		t.Helper()
		code, out, stderr := runCLI(t, "dups", "--db", db, "--format", "text")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		first, _, _ := strings.Cut(out, "\n")
		return first
	}
	before := spare()
	if err := os.MkdirAll(filepath.Join(dir, "Backup"), 0o755); err != nil {
		t.Fatal(err)
	}
	// b.jpg has a copy besides; unique.jpg had none, so its two names make
	// a group of one file, which no plan lists.
	for _, name := range []string{"b.jpg", "unique.jpg"} {
		if err := os.Link(filepath.Join(dir, "Pictures", name), filepath.Join(dir, "Backup", name)); err != nil {
			t.Skip("no hard links here:", err)
		}
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, dir, "--workers", "2"); code != ExitCompleted {
		t.Fatalf("rescan: exit %d: %s", code, stderr)
	}
	after := spare()
	if !strings.HasPrefix(before, "5 groups of exact copies (11 files; the extra copies take ") ||
		after != strings.Replace(strings.Replace(before, "11 files", "14 files", 1), "5 groups", "6 groups", 1) {
		t.Errorf("before the link: %q\nafter: %q", before, after)
	}
}
