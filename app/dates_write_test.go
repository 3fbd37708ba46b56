package app

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testproc"
	"shoebox/store"
)

// oldSidecar is a sidecar another program wrote: its title and its old date
// (as an element) must survive, only the date changing.
const oldSidecar = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Grandma's garden</rdf:li></rdf:Alt></dc:title>
   <exif:DateTimeOriginal>2001-01-01T00:00:00</exif:DateTimeOriginal>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`

// exiftoolTags runs exiftool -j on path under tz with args (tags and
// options) and returns its one row of tags.
func exiftoolTags(t *testing.T, path, tz string, args ...string) map[string]any {
	t.Helper()
	cmd := exec.Command("exiftool", append(append([]string{"-j"}, args...), path)...)
	cmd.Env = append(os.Environ(), "TZ="+tz)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("exiftool %s: %v", path, err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out, &rows); err != nil || len(rows) != 1 {
		t.Fatalf("exiftool output %s: %v", out, err)
	}
	return rows[0]
}

// exiftoolDates reads a sidecar's two dates with exiftool, under tz.
func exiftoolDates(t *testing.T, path, tz string) (original, created string) {
	t.Helper()
	row := exiftoolTags(t, path, tz, "-G1", "-XMP-exif:DateTimeOriginal", "-XMP-photoshop:DateCreated")
	s := func(k string) string { v, _ := row[k].(string); return v }
	return s("XMP-exif:DateTimeOriginal"), s("XMP-photoshop:DateCreated")
}

// exiftoolReadsBack reads each file's sidecar with exiftool under two
// other zones and compares both dates with want (name -> original, created).
func exiftoolReadsBack(t *testing.T, dir string, want map[string][2]string) {
	t.Helper()
	for name, w := range want {
		for _, readTZ := range []string{"UTC", "Pacific/Auckland"} {
			if o, c := exiftoolDates(t, filepath.Join(dir, name)+".xmp", readTZ); o != w[0] || c != w[1] {
				t.Errorf("%s.xmp read by exiftool under TZ=%s: %q %q, want %q", name, readTZ, o, c, w)
			}
		}
	}
}

// The whole write-back under three time zones, each in a child process whose
// TZ is set before Go reads it (the videos' children are in
// dates_video_test.go): the sidecars read back with exiftool hold
// exactly the dates decided (a local time stays local, a day stays a day),
// the modification times are the decided instants, and undo puts every
// byte and time back.
func TestDatesWriteUnderTwoTimeZones(t *testing.T) {
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed (make tools)")
	}
	for _, tz := range []string{"UTC", "Asia/Tokyo", "America/Los_Angeles"} {
		for _, child := range []string{"TestDatesWriteChild", "TestDatesWriteVideoChild"} { // sidecars; videos (dates_video_test.go)
			code, stdout, stderr := testproc.Run(t, child, []string{"-test.v"}, "TZ="+tz, "SHOEBOX_DATES_CHILD="+tz)
			if code != 0 || !strings.Contains(stdout, "--- PASS: "+child) {
				t.Fatalf("%s, TZ=%s: exit %d\n%s\n%s", child, tz, code, stdout, stderr)
			}
		}
	}
}

func TestDatesWriteChild(t *testing.T) {
	tz := os.Getenv("SHOEBOX_DATES_CHILD")
	if tz == "" {
		t.Skip("run by TestDatesWriteUnderTwoTimeZones in a child process")
	}
	if loc, _ := time.LoadLocation(tz); time.Now().In(loc).Format("-0700") != time.Now().Format("-0700") {
		t.Fatalf("the child's local zone is not %s", tz)
	}
	lib, src := datesFolder(t, map[string]string{
		"IMG_1.jpg": "2009-07-14T10:00:00 HIGH\none",
		"IMG_2.jpg": "no date\ntwo",
		"IMG_3.jpg": "no date\nthree",
		"IMG_4.png": "no date\nfour",
	})
	defer lib.Close()
	writeTree(t, src, map[string]string{"IMG_2.jpg.xmp": oldSidecar})
	before := snapshot(t, src)
	p := func(n string) string { return filepath.Join(src, n) }
	for path, date := range map[string]string{p("IMG_1.jpg"): "2009-07-14T15:04:05+02:00", p("IMG_2.jpg"): "1955-11-05T06:15:00",
		p("IMG_3.jpg"): "1966-08-20", p("IMG_4.png"): "2010-10-10T10:10:10"} {
		if _, err := lib.SetDate(DatesSelection{Paths: []string{path}}, date); err != nil {
			t.Fatal(err)
		}
	}
	plan, err := lib.PlanDatesWrite(DatesWriteOptions{To: []string{WriteXMP, WriteMtime}})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 8 || !strings.HasPrefix(plan[5].Note, "left alone: known only to the day") { // four sidecars, three times (a day has no time of day)
		t.Fatalf("plan: %+v", plan)
	}
	id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteXMP, WriteMtime}})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	if n, reasons := itemsByState(t, lib, id); n[store.ChangeDone] != 7 {
		t.Fatalf("items: %v %v", n, reasons)
	}
	want := map[string][2]string{
		"IMG_1.jpg": {"2009:07:14 15:04:05+02:00", "2009:07:14 15:04:05+02:00"},
		"IMG_2.jpg": {"1955:11:05 06:15:00", "1955:11:05 06:15:00"}, // local: no zone written
		"IMG_3.jpg": {"1966:08:20", "1966:08:20"},                   // a day only
		"IMG_4.png": {"2010:10:10 10:10:10", "2010:10:10 10:10:10"},
	}
	exiftoolReadsBack(t, src, want)
	if data, _ := os.ReadFile(p("IMG_2.jpg.xmp")); !strings.Contains(string(data), "Grandma's garden") ||
		strings.Contains(string(data), "2001-01-01") {
		t.Errorf("the existing sidecar was not updated in place:\n%s", data)
	}
	mtimes := map[string]time.Time{
		"IMG_1.jpg": time.Date(2009, 7, 14, 13, 4, 5, 0, time.UTC),
		"IMG_2.jpg": time.Date(1955, 11, 5, 6, 15, 0, 0, time.Local),
		"IMG_4.png": time.Date(2010, 10, 10, 10, 10, 10, 0, time.Local),
	}
	for name, w := range mtimes {
		if info, _ := os.Stat(p(name)); !info.ModTime().Equal(w) {
			t.Errorf("%s mtime %v, want %v", name, info.ModTime(), w)
		}
	}
	if info, _ := os.Stat(p("IMG_3.jpg")); info.ModTime().Year() != 2020 {
		t.Errorf("a date known only to the day set a modification time: %v", info.ModTime())
	}
	runs, _ := lib.Runs()
	if len(runs) == 0 || runs[0].Kind != store.KindDates || !runs[0].Undoable {
		t.Fatalf("runs: %+v", runs)
	}
	undo, err := lib.Undo(0)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("after undo: %v", diffSnapshots(before, got))
	}
}

// --to exif: a JPEG is an item error while no in-file writer is wired
// (never a silent success), and a PNG falls back to its sidecar with a
// message; --dry-run --json prints {path, field, old, new} and changes
// nothing.
func TestDatesWriteEXIFHookAndDryRun(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{"IMG_1.jpg": "2009-07-14T10:00:00 HIGH\none", "IMG_4.png": "no date\nfour"})
	db := lib.Path()
	p := func(n string) string { return filepath.Join(src, n) }
	for _, n := range []string{"IMG_1.jpg", "IMG_4.png"} {
		if _, err := lib.SetDate(DatesSelection{Paths: []string{p(n)}}, "2010-10-10T10:10:10+09:00"); err != nil {
			t.Fatal(err)
		}
	}
	lib.Close()
	before := snapshot(t, src)
	code, out, errOut := runCLI(t, "dates", "write", "--db", db, "--to", "exif", "--dry-run", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("dry run JSON %q: %v", out, err)
	}
	if r := rows[0]; r["path"] != p("IMG_1.jpg") || r["field"] != "exif" || r["old"] != "2009-07-14T10:00:00" || r["new"] != "2010-10-10T10:10:10+09:00" || len(r) != 4 {
		t.Errorf("dry run row: %v", r)
	}
	if r := rows[1]; r["path"] != p("IMG_4.png.xmp") || r["field"] != "xmp" || r["old"] != "" {
		t.Errorf("dry run fallback row: %v", r)
	}
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("a dry run changed files: %v", diffSnapshots(before, got))
	}
	code, out, errOut = runCLI(t, "dates", "write", "--db", db, "--to", "exif")
	// IMG_1.jpg is not really a JPEG: the real writer refuses it, in words.
	if code == 0 || !strings.Contains(errOut, "could not write the date into it; the file is untouched") || !strings.Contains(errOut, "not a JPEG: written to its XMP sidecar instead") {
		t.Fatalf("write --to exif: %d\n%s\n%s", code, out, errOut)
	}
	if data, _ := os.ReadFile(p("IMG_1.jpg")); !strings.HasPrefix(string(data), "2009-07-14T10:00:00 HIGH") {
		t.Fatal("the JPEG was changed")
	}
	if _, err := os.Stat(p("IMG_4.png.xmp")); err != nil {
		t.Fatalf("the PNG's fallback sidecar: %v", err)
	}
	code, out, _ = runCLI(t, "runs", "--db", db, "--json")
	if code != 0 || !strings.Contains(out, `"kind": "dates"`) {
		t.Fatalf("runs: %s", out)
	}
}

// fakeEXIFWriter stands for the in-file writer in the tests: the new file
// is the old one with a last line holding the date.
func fakeEXIFWriter(src, dst string, d EXIFDate) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, append(data, []byte("\nEXIF "+d.Wall.Format("2006:01:02 15:04:05")+" "+d.Offset)...), 0o600)
}

// With an in-file writer wired, --to exif writes into the JPEG through a
// temporary file, keeps the original's bytes in the quarantine and its
// modification time; undo puts the original back byte for byte.
func TestDatesWriteEXIFInFile(t *testing.T) {
	lib, src := datesFolderWith(t, map[string]string{"IMG_1.jpg": "2009-07-14T10:00:00 HIGH\none"}, LibraryOptions{EXIFWriter: fakeEXIFWriter})
	defer lib.Close()
	path := filepath.Join(src, "IMG_1.jpg")
	if _, err := lib.SetDate(DatesSelection{Paths: []string{path}}, "2010-10-10T10:10:10+09:00"); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, src)
	id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteEXIF}})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	data, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(data), "\nEXIF 2010:10:10 10:10:10 +09:00") {
		t.Fatalf("the JPEG after the write: %q", data)
	}
	if got := snapshot(t, src)[path]; !strings.HasPrefix(got, strings.SplitN(before[path], " ", 2)[0]+" ") {
		t.Errorf("the in-file write changed the modification time: %s", got)
	}
	kept := inQuarantine(lib.Path(), id, path)
	if old, err := os.ReadFile(kept); err != nil || string(old) != contentOf(before[path]) {
		t.Fatalf("the original's bytes in the quarantine: %q %v", old, err)
	}
	undo, err := lib.Undo(id)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("after undo: %v", diffSnapshots(before, got))
	}
	if _, err := os.Stat(kept); err == nil {
		t.Error("the kept original is still in the quarantine after undo")
	}
}

// After a run set a file's modification time, a new decision about it is
// taken (its bytes are the scanned ones) and written again from its time
// as it is now; a file under a protected folder is never written.
func TestDatesWriteAgainAndProtected(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{"IMG_1.jpg": "2009-07-14T10:00:00 HIGH\none"})
	defer lib.Close()
	path := filepath.Join(src, "IMG_1.jpg")
	sel := DatesSelection{Paths: []string{path}}
	for _, date := range []string{"2009-07-14T11:00:00+02:00", "2009-07-14T12:00:00+02:00"} {
		if out, err := lib.SetDate(sel, date); err != nil || out[0].Skipped != "" {
			t.Fatalf("set %s: %+v %v", date, out, err)
		}
		id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteMtime}, Paths: sel.Paths})
		if err != nil {
			t.Fatal(err)
		}
		runToState(t, lib, id, store.StateCompleted)
		want, _ := time.Parse(time.RFC3339, date)
		if info, _ := os.Stat(path); !info.ModTime().Equal(want) {
			t.Fatalf("after writing %s: mtime %v", date, info.ModTime())
		}
	}
	if err := lib.SetChangePreferences(ChangePreferences{Protect: []string{src}}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, src)
	id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteXMP, WriteMtime}})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	if n, reasons := itemsByState(t, lib, id); n[store.ChangeError] != 2 || !strings.Contains(strings.Join(reasons, " "), "protected") {
		t.Fatalf("protected: %v %v", n, reasons)
	}
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("a protected folder was written: %v", diffSnapshots(before, got))
	}
}
