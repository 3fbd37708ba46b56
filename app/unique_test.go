package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// uniqueFixture is a card, a backup of part of it, and a sibling folder whose
// name starts with the card's, all scanned with the real engine, then changed
// the way a person's disks change after a scan.
type uniqueFixture struct {
	root, card, backup, sibling, db string
	want                            []string // the card files with no verified copy, by path relative to the card
	reason                          map[string]string
}

func newUniqueFixture(t *testing.T) uniqueFixture {
	t.Helper()
	root := t.TempDir()
	fx := uniqueFixture{
		root: root, card: filepath.Join(root, "card"), backup: filepath.Join(root, "backup"),
		sibling: filepath.Join(root, "card2"), db: filepath.Join(t.TempDir(), "lib.db"),
	}
	put := func(path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	onCard := func(name string) string { return filepath.Join(fx.card, "DCIM", name) }
	for i, name := range []string{"saved.jpg", "only.jpg", "deleted.jpg", "modified.jpg", "linked.jpg", "sneaky.jpg", "sib.jpg"} {
		put(onCard(name), jpegBytes(t, i+1))
	}
	put(onCard("broken.jpg"), []byte("\xff\xd8\xff\xe0 definitely not a whole jpeg"))
	put(filepath.Join(fx.card, ".DS_Store"), []byte("clutter the scan skips"))
	put(filepath.Join(fx.card, "notes.txt"), []byte("a list the person wrote: not media, skipped"))
	for _, name := range []string{"saved.jpg", "deleted.jpg", "modified.jpg", "sneaky.jpg"} {
		data, _ := os.ReadFile(onCard(name))
		put(filepath.Join(fx.backup, name), data)
	}
	if err := os.Link(onCard("linked.jpg"), filepath.Join(fx.backup, "linked.jpg")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	sib, _ := os.ReadFile(onCard("sib.jpg"))
	put(filepath.Join(fx.sibling, "sib.jpg"), sib)                    // outside the card: a real copy
	put(filepath.Join(fx.sibling, "only-here.jpg"), jpegBytes(t, 20)) // not under the card at all

	if code, _, stderr := runCLI(t, "scan", "--db", fx.db, fx.card, fx.backup, fx.sibling); code != ExitCompleted && code != ExitHalted {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}

	// After the scan: a backup copy deleted, one rewritten, one changed in
	// place with its size and time kept, and a new photo on the card.
	if err := os.Remove(filepath.Join(fx.backup, "deleted.jpg")); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	put(filepath.Join(fx.backup, "modified.jpg"), jpegBytes(t, 30))
	os.Chtimes(filepath.Join(fx.backup, "modified.jpg"), later, later)
	sneaky := filepath.Join(fx.backup, "sneaky.jpg")
	info, _ := os.Stat(sneaky)
	data, _ := os.ReadFile(sneaky)
	data[len(data)/2] ^= 0xff
	put(sneaky, data)
	os.Chtimes(sneaky, info.ModTime(), info.ModTime())
	put(filepath.Join(fx.card, "new.jpg"), jpegBytes(t, 40))

	fx.reason = map[string]string{
		"DCIM/only.jpg":     "no copy outside the folder in the library",
		"DCIM/deleted.jpg":  "its copy is gone: ",
		"DCIM/modified.jpg": "its copy has changed since the library analysed it: ",
		"DCIM/linked.jpg":   "its other path is the same file",
		"DCIM/broken.jpg":   "could not analyse it",
		"new.jpg":           "not in the library: scan the folder first",
		"notes.txt":         "not a photo or video, so Shoebox keeps no record of its bytes",
	}
	for rel := range fx.reason {
		fx.want = append(fx.want, rel)
	}
	sort.Strings(fx.want)
	return fx
}

func under(dir string, rels []string) []string {
	out := []string{}
	for _, r := range rels {
		out = append(out, filepath.Join(dir, filepath.FromSlash(r)))
	}
	sort.Strings(out)
	return out
}

func uniqueJSON(t *testing.T, args ...string) []string {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"unique", "--json"}, args...)...)
	if code != ExitCompleted {
		t.Fatalf("unique %v: exit %d: %s", args, code, stderr)
	}
	var paths []string
	if err := json.Unmarshal([]byte(out), &paths); err != nil {
		t.Fatalf("unique --json is not an array of paths: %v\n%s", err, out)
	}
	return paths
}

func TestUniqueListsWhatHasNoVerifiedCopy(t *testing.T) {
	fx := newUniqueFixture(t)
	before := snapshotFiles(t, fx.root, filepath.Dir(fx.db))

	if got, want := uniqueJSON(t, "--db", fx.db, fx.card), under(fx.card, fx.want); !reflect.DeepEqual(got, want) {
		t.Errorf("unique --json card:\n got %q\nwant %q", got, want)
	}
	code, out, stderr := runCLI(t, "unique", "--db", fx.db, fx.card)
	if code != ExitCompleted {
		t.Fatalf("unique: exit %d: %s", code, stderr)
	}
	for rel, why := range fx.reason {
		line := lineOf(out, filepath.Join(fx.card, filepath.FromSlash(rel))+": ")
		if !strings.Contains(line, why) {
			t.Errorf("%s: want a reason with %q, got %q", rel, why, line)
		}
	}
	// 10 files on the card (.DS_Store is clutter): saved, sib and sneaky have a copy.
	if !strings.Contains(out, "7 of 10 files have no copy elsewhere; 1 file is not in the library") {
		t.Errorf("summary:\n%s", out)
	}
	for _, safe := range []string{"saved.jpg", "sib.jpg", "sneaky.jpg", "only-here.jpg", ".DS_Store"} {
		if strings.Contains(out, string(filepath.Separator)+safe) {
			t.Errorf("%s listed:\n%s", safe, out)
		}
	}

	// --rehash reads the copies: the one changed with its size and time kept is caught.
	rehashed := uniqueJSON(t, "--db", fx.db, "--rehash", fx.card)
	if want := under(fx.card, append([]string{"DCIM/sneaky.jpg"}, fx.want...)); !reflect.DeepEqual(rehashed, want) {
		t.Errorf("unique --rehash:\n got %q\nwant %q", rehashed, want)
	}
	_, out, _ = runCLI(t, "unique", "--db", fx.db, "--rehash", fx.card)
	if line := lineOf(out, filepath.Join(fx.card, "DCIM", "sneaky.jpg")); !strings.Contains(line, "no longer has the same bytes") {
		t.Errorf("sneaky.jpg with --rehash: %q", line)
	}

	if after := snapshotFiles(t, fx.root, filepath.Dir(fx.db)); !reflect.DeepEqual(before, after) {
		t.Errorf("unique changed files:\nbefore %v\nafter  %v", before, after)
	}
}

func TestUniqueThroughALinkAndByPathComponents(t *testing.T) {
	fx := newUniqueFixture(t)
	link := filepath.Join(t.TempDir(), "card-link")
	if err := os.Symlink(fx.card, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if got, want := uniqueJSON(t, "--db", fx.db, link), under(link, fx.want); !reflect.DeepEqual(got, want) {
		t.Errorf("unique through a link:\n got %q\nwant %q", got, want)
	}
	// card2 starts with "card" but is not inside it: its own file is unique
	// there, and its copy of a card file is a copy outside the card.
	got := uniqueJSON(t, "--db", fx.db, fx.sibling)
	if want := []string{filepath.Join(fx.sibling, "only-here.jpg")}; !reflect.DeepEqual(got, want) {
		t.Errorf("unique card2: got %q, want %q", got, want)
	}
	// The parent holds the card and all its copies: everything in it is
	// unique to it, except nothing (no copy lies outside).
	if got := uniqueJSON(t, "--db", fx.db, fx.root); len(got) != 16 {
		t.Errorf("unique of the folder holding every copy: %d files, want 16: %q", len(got), got)
	}
}

func TestUniqueRefusesWhatIsNotAFolder(t *testing.T) {
	fx := newUniqueFixture(t)
	for _, args := range [][]string{
		{"unique", "--db", fx.db},
		{"unique", "--db", fx.db, filepath.Join(fx.card, "new.jpg")},
		{"unique", "--db", fx.db, filepath.Join(fx.root, "missing")},
		{"unique", "--db", filepath.Join(fx.root, "no-library.db"), fx.card},
	} {
		if code, _, _ := runCLI(t, args...); code != ExitFailure {
			t.Errorf("%v: exit %d, want %d", args, code, ExitFailure)
		}
	}
}

// lineOf is the line of out that starts with prefix, or "".
func lineOf(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// snapshotFiles records every file's bytes (as a SHA-256), mode and
// modification time under the folders.
func snapshotFiles(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			info, err := os.Lstat(p)
			if err != nil {
				return err
			}
			data, _ := os.ReadFile(p)
			sum := sha256.Sum256(data)
			snap[p] = hex.EncodeToString(sum[:]) + " " + info.Mode().String() + " " + info.ModTime().String()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return snap
}

// TestUniqueTrustsOnlyTheLatestRecord: a copy rewritten and rescanned is no
// longer a copy, a card file changed since its scan has no known content,
// and a card scanned through a link is found by its real path.
func TestUniqueTrustsOnlyTheLatestRecord(t *testing.T) {
	root := t.TempDir()
	card, backup := filepath.Join(root, "card"), filepath.Join(root, "backup")
	db := filepath.Join(t.TempDir(), "lib.db")
	for _, d := range []string{card, backup} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"rescanned.jpg", "edited.jpg", "kept.jpg"} {
		data := jpegBytes(t, i+1)
		os.WriteFile(filepath.Join(card, name), data, 0o644)
		os.WriteFile(filepath.Join(backup, name), data, 0o644)
	}
	link := filepath.Join(root, "card-link")
	if err := os.Symlink(card, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if code, _, stderr := runCLI(t, "scan", "--db", db, link, backup); code != ExitCompleted {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	os.WriteFile(filepath.Join(backup, "rescanned.jpg"), jpegBytes(t, 10), 0o644)
	if code, _, stderr := runCLI(t, "scan", "--db", db, backup); code != ExitCompleted {
		t.Fatalf("rescan: exit %d: %s", code, stderr)
	}
	edited := filepath.Join(card, "edited.jpg")
	os.WriteFile(edited, jpegBytes(t, 11), 0o644)
	later := time.Now().Add(time.Hour)
	os.Chtimes(edited, later, later)

	code, out, stderr := runCLI(t, "unique", "--db", db, card)
	if code != ExitCompleted {
		t.Fatalf("unique: exit %d: %s", code, stderr)
	}
	for name, why := range map[string]string{
		"rescanned.jpg": "no copy outside the folder in the library",
		"edited.jpg":    "changed since the library analysed it: scan the folder again",
	} {
		if line := lineOf(out, filepath.Join(card, name)+": "); !strings.HasSuffix(line, why) {
			t.Errorf("%s: want %q, got %q\n%s", name, why, line, out)
		}
	}
	if strings.Contains(out, "kept.jpg") || !strings.Contains(out, "2 of 3 files have no copy elsewhere; 0 files are not in the library") {
		t.Errorf("unique:\n%s", out)
	}
}

// The closing counts agree with their numbers: "1 of 1 file has", "1 file
// is", and the plural otherwise.
func TestUniqueTextCountsInTheSingular(t *testing.T) {
	for _, c := range []struct {
		rep  UniqueReport
		want []string
	}{
		{UniqueReport{Dir: "/card", Files: []UniqueFile{{Path: "/card/a.jpg", Reason: "not in the library: scan the folder first", Unknown: true}}, Total: 1, Unknown: 1, Gone: 1},
			[]string{"1 of 1 file has no copy elsewhere; 1 file is not in the library.", "1 file the library knows under /card is no longer there"}},
		{UniqueReport{Dir: "/card", Total: 2, Gone: 3},
			[]string{"0 of 2 files have no copy elsewhere; 0 files are not in the library.", "3 files the library knows under /card are no longer there"}},
	} {
		var out strings.Builder
		writeUniqueText(&out, c.rep)
		for _, w := range c.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%q lacks %q", out.String(), w)
			}
		}
	}
}
