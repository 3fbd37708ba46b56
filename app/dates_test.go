package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// datesAnalyze is dateAnalyze (organise_test.go) with what the dates tests
// need on the file's second line: "name=VALUE" adds a file-name candidate,
// "takeout=VALUE" a Takeout one, "camera=Make_Model" sets the camera,
// "serial=S" its body serial, "taken=VALUE" the EXIF date (any stored form,
// an offset or a day only included).
func datesAnalyze(ctx context.Context, in processing.Input, opt processing.AnalyzeOptions) (media.Result, error) {
	res, err := dateAnalyze(ctx, in, opt)
	if err != nil || res.Status != media.StatusDone {
		return res, err
	}
	data, _ := os.ReadFile(in.Path)
	lines := strings.Split(string(data), "\n")
	if res.Time.Value != "" {
		res.Time.Candidates = append(res.Time.Candidates, media.Candidate{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF,
			Value: res.Time.Value, Detail: "test EXIF", Chosen: true})
		res.Time.Source = media.SourceEXIF
	}
	if len(lines) < 2 {
		return res, nil
	}
	for _, f := range strings.Fields(lines[1]) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "name":
			res.Time.Candidates = append(res.Time.Candidates, media.Candidate{Kind: media.KindFilenameTime, Source: media.SourceFilename, Value: v})
		case "takeout":
			res.Time.Candidates = append(res.Time.Candidates, media.Candidate{Kind: media.KindTakeout, Source: media.SourceSidecar, Value: v})
		case "camera":
			res.Camera = strings.ReplaceAll(v, "_", " ")
		case "serial":
			res.CameraSerial = v
		case "taken":
			res.Time.Value, res.Time.Source, res.Time.Confidence = v, media.SourceEXIF, media.ConfidenceHigh
			res.Time.Candidates = append(res.Time.Candidates, media.Candidate{Kind: media.KindEXIFOriginal,
				Source: media.SourceEXIF, Value: v, Detail: "test EXIF", Chosen: true})
		}
	}
	return res, nil
}

// datesFolder scans files into a new library with datesAnalyze.
func datesFolder(t *testing.T, files map[string]string) (lib *Library, src string) {
	t.Helper()
	return datesFolderWith(t, files, LibraryOptions{})
}

// datesFolderWith is datesFolder with library options (a stand-in writer).
func datesFolderWith(t *testing.T, files map[string]string, opt LibraryOptions) (lib *Library, src string) {
	t.Helper()
	src = t.TempDir()
	writeTree(t, src, files)
	opt.Analyze = datesAnalyze
	lib = openChangeLibrary(t, filepath.Join(t.TempDir(), "library.db"), opt)
	scanInto(t, lib, src)
	return lib, src
}

func TestDateParsing(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	good := map[string]string{
		"2009":                      "2009",
		"2009-07":                   "2009-07",
		"2009-07-14":                "2009-07-14",
		"2009-07-14T15:04:05":       "2009-07-14T15:04:05",
		"2009-07-14T15:04:05+02:00": "2009-07-14T15:04:05+02:00",
		"2009-07-14T15:04:05-09:30": "2009-07-14T15:04:05-09:30",
		"2009-07-14T15:04:05Z":      "2009-07-14T15:04:05Z",
		"1826":                      "1826",
		"1901-12-13T20:45:52":       "1901-12-13T20:45:52", // before 1970 and before int32 Unix time
		"1969-12-31":                "1969-12-31",
		"2027-01-01":                "2027-01-01", // next year
		"2008-02-29":                "2008-02-29",
		// As the window shows dates, and without seconds.
		"2009-07-14 15:04:05":       "2009-07-14T15:04:05",
		"2009-07-14 15:04:05-05:00": "2009-07-14T15:04:05-05:00",
		"2009-07-14 15:04:05Z":      "2009-07-14T15:04:05Z",
		"2009-07-14T15:04":          "2009-07-14T15:04:00",
		" 2009-07-14 15:04 ":        "2009-07-14T15:04:00",
	}
	for in, want := range good {
		v, err := ParseDate(in, now)
		if err != nil || v.String() != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, v, err, want)
		}
	}
	if v, _ := ParseDate("2009-07-14T15:04:05", now); v.ZoneKnown || v.Precision != store.PrecisionSecond {
		t.Errorf("a time with no offset is zone-known %v, precision %s", v.ZoneKnown, v.Precision)
	}
	for _, in := range []string{"1825", "1825-12-31", "2028", "171546", "2009-02-29", "2009-13", "2009-07-32",
		"2009-07-14T24:00:00", "2009-07-14T15:04:05+15:00", "14/07/2009", "",
		"2009-07-14  15:04:05", "2009-07-14 T15:04:05", "2009-07-14T15", "2009-07-14 15:04:5", "2009-07-14 15:60"} {
		if v, err := ParseDate(in, now); err == nil {
			t.Errorf("ParseDate(%q) accepted as %s", in, v)
		}
	}
	shifts := map[string]time.Time{
		"+1h":    time.Date(2016, 3, 1, 13, 0, 0, 0, time.UTC),
		"-366d":  time.Date(2015, 3, 1, 12, 0, 0, 0, time.UTC),
		"+2y3d":  time.Date(2018, 3, 4, 12, 0, 0, 0, time.UTC),
		"-1h30m": time.Date(2016, 3, 1, 10, 30, 0, 0, time.UTC),
		"+1mo":   time.Date(2016, 4, 1, 12, 0, 0, 0, time.UTC),
		"+45s":   time.Date(2016, 3, 1, 12, 0, 45, 0, time.UTC),
	}
	base := DateValue{Wall: time.Date(2016, 3, 1, 12, 0, 0, 0, time.UTC), Precision: store.PrecisionSecond}
	for in, want := range shifts {
		sh, err := ParseShift(in)
		if err != nil {
			t.Fatalf("ParseShift(%q): %v", in, err)
		}
		got, err := sh.Apply(base, now)
		if err != nil || !got.Wall.Equal(want) {
			t.Errorf("%s applied: %v, %v; want %v", in, got.Wall, err, want)
		}
	}
	for _, in := range []string{"1h", "+", "+1x", "+1h-2m", "+h", "++1h", "+1 h", ""} {
		if _, err := ParseShift(in); err == nil {
			t.Errorf("ParseShift(%q) accepted", in)
		}
	}
	sh, _ := ParseShift("-300y")
	if _, err := sh.Apply(base, now); err == nil {
		t.Error("a shift to 1716 was accepted")
	}
	day := DateValue{Wall: base.Wall, Precision: store.PrecisionDay}
	if sh, _ := ParseShift("+1h"); func() error { _, err := sh.Apply(day, now); return err }() == nil {
		t.Error("a date known to the day was shifted by an hour")
	}
	if sh, _ := ParseShift("+2d"); func() error { _, err := sh.Apply(day, now); return err }() != nil {
		t.Error("a date known to the day could not be shifted by days")
	}
}

// reportRows runs `shoebox report` and reads its rows by path.
func reportRows(t *testing.T, db string) map[string]ReportRow {
	t.Helper()
	code, out, errOut := runCLI(t, "report", "--db", db)
	if code != 0 {
		t.Fatalf("report: %d %s", code, errOut)
	}
	rows := map[string]ReportRow{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r ReportRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		rows[filepath.Join(r.Root, r.Path)] = r
	}
	return rows
}

// A date set by the person is recorded, touches no file, and is reported
// with source user and the scan's candidates kept; it follows the file's
// content through a move and a rescan.
func TestDatesSetSurvivesRescanAndMove(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{
		"scan/print.jpg": "no date\nname=1950-06-07T00:00:00",
		"IMG_2.jpg":      "2019-06-03T10:15:00 HIGH\ntwo",
	})
	db := lib.Path()
	lib.Close()
	before := snapshot(t, src)
	print := filepath.Join(src, "scan", "print.jpg")
	code, out, errOut := runCLI(t, "dates", "set", "--db", db, "--date", "1950-06", print)
	if code != 0 || !strings.Contains(out, print+": (no date) → 1950-06") {
		t.Fatalf("dates set: %d %q %q", code, out, errOut)
	}
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("dates set touched files: %v", diffSnapshots(before, got))
	}
	if code, _, errOut := runCLI(t, "dates", "set", "--db", db, "--date", "1825-01-01", print); code == 0 {
		t.Fatal("a date in 1825 was accepted")
	} else if !strings.Contains(errOut, "1826") {
		t.Errorf("the bounds are not said: %s", errOut)
	}
	row := reportRows(t, db)[print]
	if row.TimestampSource != "user" || row.Timestamp != "1950-06" || row.Confidence != "LOW" {
		t.Fatalf("report after set: %+v", row)
	}
	if len(row.Candidates) != 2 || row.Candidates[0].Status != "chosen" || row.Candidates[1].Value != "1950-06-07T00:00:00" ||
		row.Candidates[1].Status == "chosen" {
		t.Fatalf("candidates after set: %+v", row.Candidates)
	}
	// To the second, it is HIGH; then the file moves and is scanned again.
	if code, _, errOut := runCLI(t, "dates", "set", "--db", db, "--date", "1950-06-07T14:30:00", print); code != 0 {
		t.Fatal(errOut)
	}
	moved := filepath.Join(src, "album", "print-moved.jpg")
	os.MkdirAll(filepath.Dir(moved), 0o755)
	if err := os.Rename(print, moved); err != nil {
		t.Fatal(err)
	}
	lib = openChangeLibrary(t, db, LibraryOptions{Analyze: datesAnalyze})
	scanInto(t, lib, src)
	lib.Close()
	row = reportRows(t, db)[moved]
	if row.TimestampSource != "user" || row.Timestamp != "1950-06-07T14:30:00" || row.Confidence != "HIGH" ||
		!strings.Contains(row.Candidates[0].Detail, "was 1950-06") {
		t.Fatalf("report of the moved file after a rescan: %+v", row)
	}
}

// shift by camera moves every file of that camera once (two copies of one
// content are one decision); from-name and from-takeout accept the scan's
// candidates, by default wherever there is one.
func TestDatesShiftAndAcceptCandidates(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{
		"a.jpg":      "2016-03-01T12:00:00 HIGH\ncamera=Canon_EOS_5D",
		"copy/a.jpg": "2016-03-01T12:00:00 HIGH\ncamera=Canon_EOS_5D",
		"b.jpg":      "2016-05-01T23:30:00 HIGH\ncamera=Canon_EOS_5D",
		"c.jpg":      "2016-05-01T23:30:00 HIGH\ncamera=Apple_iPhone_6",
		"d.jpg":      "no date\nname=2012-01-02T03:04:05 takeout=2012-01-02T02:04:05Z",
		"e.jpg":      "no date\nnothing",
	})
	db := lib.Path()
	lib.Close()
	code, out, errOut := runCLI(t, "dates", "shift", "--db", db, "--by", "+1h", "--camera", "canon eos 5d")
	if code != 0 {
		t.Fatalf("shift: %s", errOut)
	}
	for _, want := range []string{"a.jpg: 2016-03-01T12:00:00 → 2016-03-01T13:00:00", "b.jpg: 2016-05-01T23:30:00 → 2016-05-02T00:30:00", "3 files given a new date"} {
		if !strings.Contains(out, want) {
			t.Errorf("shift output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "c.jpg") {
		t.Errorf("another camera's file was shifted:\n%s", out)
	}
	if code, _, _ := runCLI(t, "dates", "shift", "--db", db, "--by", "+1h"); code == 0 {
		t.Error("shift with neither camera nor files was accepted")
	}
	// Takeout's instant is recorded in this computer's zone (it knows no other).
	takeout := time.Date(2012, 1, 2, 2, 4, 5, 0, time.UTC).In(time.Local).Format("2006-01-02T15:04:05Z07:00")
	code, out, _ = runCLI(t, "dates", "from-takeout", "--db", db)
	if code != 0 || !strings.Contains(out, "d.jpg: (no date) → "+takeout) || strings.Contains(out, "e.jpg") {
		t.Fatalf("from-takeout: %s", out)
	}
	code, out, _ = runCLI(t, "dates", "from-name", "--db", db, filepath.Join(src, "d.jpg"), filepath.Join(src, "e.jpg"))
	if code != 0 || !strings.Contains(out, "d.jpg: "+takeout+" → 2012-01-02T03:04:05") ||
		!strings.Contains(out, "e.jpg: left as it was: the scan found no filename date") {
		t.Fatalf("from-name: %s", out)
	}
	// Accepted again, the date stays: a decision all the same, counted apart.
	code, out, _ = runCLI(t, "dates", "from-name", "--db", db, filepath.Join(src, "d.jpg"))
	if code != 0 || !strings.Contains(out, "d.jpg: 2012-01-02T03:04:05 (unchanged)") ||
		!strings.Contains(out, "0 files given a new date, 1 file decided as it was; no file was touched") {
		t.Fatalf("from-name again: %s", out)
	}
	rows := reportRows(t, db)
	if r := rows[filepath.Join(src, "d.jpg")]; r.TimestampSource != "filename" || r.Confidence != "HIGH" {
		t.Errorf("report after from-name: %+v", r)
	}
	if r := rows[filepath.Join(src, "copy", "a.jpg")]; r.Timestamp != "2016-03-01T13:00:00" {
		t.Errorf("the copy of a shifted file: %+v", r)
	}
}

// organise files a corrected file by its corrected date.
func TestDatesOrganiseFilesByCorrectedDate(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{"IMG_1.jpg": "2019-06-03T10:15:00 HIGH\none"})
	defer lib.Close()
	if _, err := lib.SetDate(DatesSelection{Paths: []string{filepath.Join(src, "IMG_1.jpg")}}, "1962-02-20T14:47:00-05:00"); err != nil {
		t.Fatal(err)
	}
	p, err := lib.PlanOrganise(context.Background(), OrganiseOptions{Dest: filepath.Join(t.TempDir(), "Library"), Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) != 1 || p.Entries[0].Fate != store.FateFiled || !strings.HasSuffix(p.Entries[0].Dest, filepath.FromSlash("1962/02/IMG_1.jpg")) {
		t.Fatalf("organise plan: %+v", p.Entries)
	}
}

// An existing sidecar keeps everything but its two dates, whether they are
// attributes, elements or missing; one that binds exif to another namespace,
// or is not XML, is refused.
func TestSidecarUpdate(t *testing.T) {
	attr := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:DateCreated='1999' photoshop:City="Lyon"/>` +
		`</rdf:RDF></x:xmpmeta>`
	out, err := updateSidecar([]byte(attr), "1962-02-20")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkSidecar(out, "1962-02-20"); err != nil || !strings.Contains(string(out), `photoshop:City="Lyon"`) {
		t.Fatalf("%v:\n%s", err, out)
	}
	if _, err := updateSidecar([]byte(strings.Replace(attr, `xmlns:rdf=`, `xmlns:exif="urn:other" xmlns:rdf=`, 1)), "1962"); err == nil {
		t.Error("a sidecar binding exif to another namespace was updated")
	}
	if _, err := updateSidecar([]byte("not <xml"), "1962"); err == nil {
		t.Error("a sidecar that is not XML was updated")
	}
	if err := checkSidecar(newSidecar("1962-02-20T14:47:00-05:00"), "1962-02-20T14:47:00-05:00"); err != nil {
		t.Error(err)
	}
}

// The window reads files through Library.Files: a decision shows there as it
// does in the report (after the library is opened again), once, and wins
// over a guess from numbered neighbours.
func TestDecisionsShowInLibraryFiles(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{
		"IMG_0100.jpg": "2019-07-14T10:00:00 HIGH\na",
		"IMG_0101.jpg": "no date\nb",
		"IMG_0102.jpg": "2019-07-14T10:20:00 HIGH\nc",
	})
	middle := filepath.Join(src, "IMG_0101.jpg")
	if _, err := lib.SetDate(DatesSelection{Paths: []string{middle}}, "2018-05"); err != nil {
		t.Fatal(err)
	}
	db := lib.Path()
	lib.Close()
	lib = openChangeLibrary(t, db, LibraryOptions{Analyze: datesAnalyze})
	scan, err := lib.LatestJob()
	if err != nil {
		t.Fatal(err)
	}
	recs, err := lib.Files(scan.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.AbsPath() != middle {
			continue
		}
		corrections := 0
		for _, c := range r.Time.Candidates {
			if c.Kind == KindCorrection {
				corrections++
			}
		}
		if r.Time.Source != SourceUser || r.Time.Value != "2018-05" || corrections != 1 {
			t.Fatalf("the decided file in Files: %+v", r.Time)
		}
		return
	}
	t.Fatal("the decided file is not listed")
}

// A decided date's candidate says in words who decided it, how precisely
// and what it was, as the window shows dates.
func TestCorrectionDetailInWords(t *testing.T) {
	c := store.Correction{Value: "2021-09-16T21:07:42", Precision: store.PrecisionSecond, DecidedBy: "person",
		DecidedAt: time.Date(2026, 12, 3, 0, 5, 0, 0, time.UTC), Was: "2021-09-16T19:57:42"}
	if got, want := correctionDetail(c), "decided by you on 2026-12-03 00:05 UTC, to the second; was 2021-09-16 19:57:42"; got != want {
		t.Errorf("detail %q, want %q", got, want)
	}
	c.DecidedBy, c.Precision, c.Was = "shift +1h for camera Canon EOS 5D", store.PrecisionDay, ""
	if got := correctionDetail(c); got != "decided by shift +1h for camera Canon EOS 5D on 2026-12-03 00:05 UTC, to the day" {
		t.Errorf("a rule's detail %q", got)
	}
}
