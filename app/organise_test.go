package app

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// dateAnalyze is the analysis of the organise tests: a file's first line
// says when it was taken and how far that is trusted ("2019-06-03T10:15:00
// HIGH"), so a test writes the dates it needs in the files themselves, and
// may add a Live Photo content identifier ("2019-06-03T10:15:00 HIGH
// cid=ABC"). Sidecars and .txt files are not media; .mov files are videos.
func dateAnalyze(_ context.Context, in processing.Input, _ processing.AnalyzeOptions) (media.Result, error) {
	data, err := os.ReadFile(in.Path)
	if err != nil {
		return media.Result{Status: media.StatusError, Error: err.Error()}, nil
	}
	switch strings.ToLower(filepath.Ext(in.Path)) {
	case ".xmp", ".json", ".aae", ".txt":
		return media.Result{Status: media.StatusSkipped, Size: int64(len(data))}, nil
	}
	res := media.Result{Status: media.StatusDone, SHA256: sha256.Sum256(data), Size: int64(len(data)), MIME: "image/jpeg"}
	if strings.EqualFold(filepath.Ext(in.Path), ".mov") {
		res.MIME = "video/quicktime"
	}
	res.Time.Confidence = media.ConfidenceNone
	line, _, _ := strings.Cut(string(data), "\n")
	if f := strings.Fields(line); len(f) >= 2 {
		if t, err := time.Parse("2006-01-02T15:04:05", f[0]); err == nil {
			res.Time.Time, res.Time.Value, res.Time.Confidence = t, f[0], media.Confidence(f[1])
		}
		if len(f) >= 3 {
			res.ContentID, _ = strings.CutPrefix(f[2], "cid=")
		}
	}
	return res, nil
}

// organiseFolder writes files (path relative to a new folder -> content),
// each with an old mtime of its own, and scans the folder into a new
// library with dateAnalyze.
func organiseFolder(t *testing.T, files map[string]string) (lib *Library, src string) {
	t.Helper()
	src = t.TempDir()
	writeTree(t, src, files)
	lib = openChangeLibrary(t, filepath.Join(t.TempDir(), "library.db"), LibraryOptions{Analyze: dateAnalyze})
	scanInto(t, lib, src)
	return lib, src
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	i := 0
	names := make([]string, 0, len(files))
	for rel := range files {
		names = append(names, rel)
	}
	sort.Strings(names)
	for _, rel := range names {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[rel]), 0o640); err != nil {
			t.Fatal(err)
		}
		i++
		old := time.Date(2020, 1, 2, 3, 4, i, 0, time.UTC)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

func scanInto(t *testing.T, lib *Library, dirs ...string) {
	t.Helper()
	id, err := lib.Start(dirs, Settings{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
}

// organise runs an organise to completion and returns its run and ledger.
func organise(t *testing.T, lib *Library, opt OrganiseOptions) (uint64, []LedgerEntry) {
	t.Helper()
	id, _, err := lib.Organise(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	_, entries, err := lib.Ledger(id)
	if err != nil {
		t.Fatal(err)
	}
	return id, entries
}

// bySource keys a ledger by source path relative to src.
func bySource(t *testing.T, src string, entries []LedgerEntry) map[string]LedgerEntry {
	t.Helper()
	out := map[string]LedgerEntry{}
	for _, e := range entries {
		rel, err := filepath.Rel(src, e.Source)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := out[filepath.ToSlash(rel)]; dup {
			t.Fatalf("%s has two fates in the ledger", rel)
		}
		out[filepath.ToSlash(rel)] = e
	}
	return out
}

// destRel is e.Dest relative to dest ("" when none).
func destRel(dest string, e LedgerEntry) string {
	if e.Dest == "" {
		return ""
	}
	rel, _ := filepath.Rel(dest, e.Dest)
	return filepath.ToSlash(rel)
}

// checkFiledBytes checks that every filed file's copy holds its source's
// bytes and mtime.
func checkFiledBytes(t *testing.T, entries []LedgerEntry) {
	t.Helper()
	for _, e := range entries {
		if e.Fate != store.FateFiled && e.Fate != store.FateUnsorted {
			continue
		}
		want, err := os.ReadFile(e.Source)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(e.Dest)
		if err != nil || string(got) != string(want) {
			t.Fatalf("%s: the copy at %s is not its bytes (%v)", e.Source, e.Dest, err)
		}
		si, _ := os.Stat(e.Source)
		di, _ := os.Stat(e.Dest)
		if !si.ModTime().Equal(di.ModTime()) {
			t.Errorf("%s: copy mtime %v, source %v", e.Dest, di.ModTime(), si.ModTime())
		}
	}
}

// A burst of five shots in one second and two cards with the same names and
// other pictures are all filed, none over another; the suffix comes from
// the content, so the same pictures in another order get the same paths.
func TestOrganiseCollisionsNeverOverwrite(t *testing.T) {
	files := map[string]string{}
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		files["burst/"+n+".jpg"] = "2019-06-03T10:15:00 HIGH\nshot " + n + string(rune('0'+i))
	}
	files["card1/DCIM/IMG_0001.JPG"] = "2019-06-04T09:00:00 HIGH\nfrom card one"
	files["card2/DCIM/IMG_0001.JPG"] = "2019-06-05T09:00:00 HIGH\nfrom card two"
	lib, src := organiseFolder(t, files)
	dest := filepath.Join(t.TempDir(), "Library")
	tmpl := "{yyyy}/{mm}/{yyyy}{mm}{dd}_{hh}{mi}{ss}.{ext}"
	plan, err := lib.PlanOrganise(context.Background(), OrganiseOptions{Dest: dest, Template: tmpl})
	if err != nil {
		t.Fatal(err)
	}
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest, Template: tmpl})
	got := bySource(t, src, entries)
	dests := map[string]bool{}
	for rel, e := range got {
		if e.Fate != store.FateFiled {
			t.Fatalf("%s: %s (%s)", rel, e.Fate, e.Reason)
		}
		if dests[strings.ToLower(e.Dest)] {
			t.Fatalf("two files filed at %s", e.Dest)
		}
		dests[strings.ToLower(e.Dest)] = true
	}
	if r := destRel(dest, got["card1/DCIM/IMG_0001.JPG"]); r != "2019/06/20190604_090000.jpg" {
		t.Errorf("card one's picture went to %s", r)
	}
	plain := 0
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		r := destRel(dest, got["burst/"+n+".jpg"])
		if r == "2019/06/20190603_101500.jpg" {
			plain++
		} else if !strings.HasPrefix(r, "2019/06/20190603_101500-") {
			t.Errorf("burst shot %s went to %s", n, r)
		}
	}
	if plain != 1 {
		t.Errorf("%d burst shots kept the plain name, want 1", plain)
	}
	checkFiledBytes(t, entries)
	for i, e := range plan.Entries { // the dry run said what the run did
		if e.Dest != entries[i].Dest || e.Fate != entries[i].Fate {
			t.Errorf("dry run %+v, run %+v", e, entries[i])
		}
	}

	// The same pictures under other names, listed in another order: each
	// content gets the same path.
	renamed := map[string]string{}
	for rel, content := range files {
		if strings.HasPrefix(rel, "burst/") {
			renamed["other/"+string(rune('e'-(filepath.Base(rel)[0]-'a')))+"-renamed.jpg"] = content
		}
	}
	lib2, src2 := organiseFolder(t, renamed)
	dest2 := filepath.Join(t.TempDir(), "Library")
	_, entries2 := organise(t, lib2, OrganiseOptions{Dest: dest2, Template: tmpl})
	byContent := map[string]string{}
	for _, e := range entries {
		data, _ := os.ReadFile(e.Source)
		byContent[string(data)] = destRel(dest, e)
	}
	for _, e := range entries2 {
		data, _ := os.ReadFile(e.Source)
		if want := byContent[string(data)]; destRel(dest2, e) != want {
			t.Errorf("%s went to %s; the same bytes went to %s before", e.Source, destRel(dest2, e), want)
		}
	}
	_ = src2
}

// Names differing only in case collide where the destination ignores case
// (pretended here), and not where it does not.
func TestOrganiseCaseInsensitiveCollisions(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"a/IMG_0001.JPG": "2019-06-03T10:15:00 HIGH\none",
		"b/img_0001.jpg": "2019-06-03T11:15:00 HIGH\ntwo",
	})
	for _, insensitive := range []bool{true, false} {
		dest := filepath.Join(t.TempDir(), "Library")
		writeTree(t, dest, map[string]string{"2019/06/Img_0001.jpg": "already there, other bytes"})
		plan, err := lib.PlanOrganise(context.Background(), OrganiseOptions{Dest: dest, CaseInsensitive: insensitive})
		if err != nil {
			t.Fatal(err)
		}
		got := bySource(t, src, plan.Entries)
		a, b := destRel(dest, got["a/IMG_0001.JPG"]), destRel(dest, got["b/img_0001.jpg"])
		if insensitive {
			if !strings.HasPrefix(a, "2019/06/IMG_0001-") || !strings.HasPrefix(b, "2019/06/img_0001-") || strings.EqualFold(a, b) {
				t.Errorf("case-insensitive: %s and %s", a, b)
			}
		} else if caseInsensitive(dest) {
			t.Log("this filesystem ignores case; only the pretended case was checked")
		} else if a != "2019/06/IMG_0001.JPG" || b != "2019/06/img_0001.jpg" {
			t.Errorf("case-sensitive: %s and %s", a, b)
		}
	}
}

// Names are made valid on Windows and FAT.
func TestOrganiseValidNames(t *testing.T) {
	for in, want := range map[string]string{
		"CON.jpg": "_CON.jpg", "con": "_con", "Lpt1.JPG": "_Lpt1.JPG", "COM9": "_COM9", "COM10.jpg": "COM10.jpg",
		"aux .jpg": "_aux .jpg", `a<b>:c"d|e?f*.jpg`: "a_b__c_d_e_f_.jpg", "trailing. . ": "trailing",
		"...": "_", "ok.jpg": "ok.jpg", "tab\there.jpg": "tab_here.jpg",
	} {
		if got := validName(in); got != want {
			t.Errorf("validName(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("é", 200) + ".jpg"
	if got := validName(long); len(got) > maxNameBytes || !strings.HasSuffix(got, ".jpg") || !utf8Valid(got) {
		t.Errorf("a long name became %q (%d bytes)", got, len(got))
	}
	lib, src := organiseFolder(t, map[string]string{
		"CON.jpg":    "2019-06-03T10:15:00 HIGH\ncon",
		"a<b>?.jpg":  "2019-06-03T10:16:00 HIGH\nchars",
		"nul.tar.js": "2019-06-03T10:17:00 HIGH\nnul",
	})
	dest := filepath.Join(t.TempDir(), "Library")
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	got := bySource(t, src, entries)
	for rel, want := range map[string]string{"CON.jpg": "2019/06/_CON.jpg", "a<b>?.jpg": "2019/06/a_b__.jpg", "nul.tar.js": "2019/06/_nul.tar.js"} {
		if r := destRel(dest, got[rel]); r != want {
			t.Errorf("%s went to %s, want %s", rel, r, want)
		}
	}
	checkFiledBytes(t, entries)
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// The tokens fill from the photo's own local time and its names; {ext} is
// lower-cased (and normalised on request); the taken date may become the
// copy's mtime.
func TestOrganiseTemplateTokens(t *testing.T) {
	lib, src := organiseFolder(t, map[string]string{
		"Card/DCIM/100/Photo.JPEG": "2019-06-03T23:59:58 HIGH\nlate",
	})
	dest := filepath.Join(t.TempDir(), "Library")
	tmpl := "{root}/{rel}/{yyyy}-{mm}-{dd} {hh}.{mi}.{ss} {camera} {stem}.{ext}"
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest, Template: tmpl, NormaliseExt: true, MtimeFromDate: true})
	e := bySource(t, src, entries)["Card/DCIM/100/Photo.JPEG"]
	want := filepath.Base(src) + "/Card/DCIM/100/2019-06-03 23.59.58 Unknown camera Photo.jpg"
	if r := destRel(dest, e); r != want {
		t.Errorf("went to %q, want %q", r, want)
	}
	info, err := os.Stat(e.Dest)
	if err != nil {
		t.Fatal(err)
	}
	if taken := time.Date(2019, 6, 3, 23, 59, 58, 0, time.Local); !info.ModTime().Equal(taken) {
		t.Errorf("copy mtime %v, want the taken date %v", info.ModTime(), taken)
	}
	if err := checkTemplate("{yyyy}/{month}/{name}"); err == nil {
		t.Error("an unknown token was accepted")
	}
	if err := checkTemplate("../{name}"); err == nil {
		t.Error("a template stepping out of the destination was accepted")
	}
}

func TestOrganiseExample(t *testing.T) {
	for tmpl, want := range map[string]string{
		DefaultOrganiseTemplate:                  "2019/06/IMG_1234.HEIC",
		"{camera}/{yyyy}-{mm}-{dd}/{stem}.{ext}": "Apple iPhone 13/2019-06-03/IMG_1234.heic",
		"{root}/{rel}/{hh}{mi}{ss}_{name}":       "Card/DCIM/100APPLE/101530_IMG_1234.HEIC",
	} {
		if got, err := OrganiseExample(OrganiseOptions{Template: tmpl}); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", tmpl, got, err, want)
		}
	}
	if got, _ := OrganiseExample(OrganiseOptions{Template: "{stem}.{ext}", NormaliseExt: true}); got != "IMG_1234.heic" {
		t.Errorf("normalised: %q", got)
	}
	if _, err := OrganiseExample(OrganiseOptions{Template: "{year}/{name}"}); err == nil {
		t.Error("an unknown token gave an example")
	}
}
