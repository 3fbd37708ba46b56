package app

import (
	"crypto/sha256"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/internal/testmp4"
	"shoebox/store"
)

// cameraTime is what the videos' cameras wrote in their QuickTime dates.
var cameraTime = time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)

// videoFolder is five videos (each with bytes of its own: a decision
// belongs to the content) and the dates decided for them.
func videoFolder() (files, dates map[string]string) {
	mp4 := func(m testmp4.Movie) string {
		m.Created, m.Modified = cameraTime, cameraTime
		return string(m.Bytes())
	}
	files = map[string]string{
		"VID_1.mp4": mp4(testmp4.Movie{Tracks: 2, MoovAfterMdat: true}),
		"VID_2.mov": mp4(testmp4.Movie{Version: 1, Brand: "qt  ", MdatSize: 300}),
		"VID_3.mp4": mp4(testmp4.Movie{MdatSize: 301}),
		"VID_4.m4v": mp4(testmp4.Movie{MdatSize: 302}),
		"VID_5.mov": mp4(testmp4.Movie{Version: 1, MdatSize: 303}),
	}
	dates = map[string]string{
		"VID_1.mp4": "2019-07-04T15:30:12+02:00", // 13:30:12 UTC
		"VID_2.mov": "1985-11-05T06:15:00-05:00", // 11:15:00 UTC, in a 64-bit box
		"VID_3.mp4": "2010-10-10T10:10:10",       // no offset: no instant to write
		"VID_4.m4v": "1966-08-20",                // a day only
		"VID_5.mov": "1955-11-05T06:15:00-05:00", // before 1970, which readers take for a clock error
	}
	return files, dates
}

// setDates records each decision.
func setDates(t *testing.T, lib *Library, dir string, dates map[string]string) {
	t.Helper()
	for name, date := range dates {
		if out, err := lib.SetDate(DatesSelection{Paths: []string{filepath.Join(dir, name)}}, date); err != nil || out[0].Skipped != "" {
			t.Fatalf("set %s %s: %+v %v", name, date, out, err)
		}
	}
}

// quickTimeDates reads a video's dates with exiftool as stored (UTC, not
// converted), under tz: tag (group:name) -> value.
func quickTimeDates(t *testing.T, path, tz string) map[string]string {
	t.Helper()
	row := exiftoolTags(t, path, tz, "-a", "-G1", "-api", "QuickTimeUTC=0",
		"-QuickTime:CreateDate", "-QuickTime:ModifyDate", "-QuickTime:TrackCreateDate", "-QuickTime:MediaCreateDate")
	out := map[string]string{}
	for k, v := range row {
		if s, ok := v.(string); ok && k != "SourceFile" {
			out[k] = s
		}
	}
	return out
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

// Run by TestDatesWriteUnderTwoTimeZones under each TZ: --to exif writes a
// video's QuickTime dates as the UTC instant of the decided local time and
// offset, whatever this computer's zone, and exiftool reads them back under
// two other zones; a video whose offset is unknown, or whose date is a day,
// goes to its sidecar with a note and is not touched; undo gives back every
// byte and time.
func TestDatesWriteVideoChild(t *testing.T) {
	tz := os.Getenv("SHOEBOX_DATES_CHILD")
	if tz == "" {
		t.Skip("run by TestDatesWriteUnderTwoTimeZones in a child process")
	}
	if _, err := exec.LookPath("exiftool"); err != nil {
		t.Skip("exiftool is not installed (make tools)")
	}
	files, dates := videoFolder()
	lib, src := datesFolder(t, files)
	defer lib.Close()
	setDates(t, lib, src, dates)
	p := func(n string) string { return filepath.Join(src, n) }
	before := snapshot(t, src)
	checkVideoPlan(t, lib, src)
	id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteEXIF}})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	if n, reasons := itemsByState(t, lib, id); n[store.ChangeDone] != 5 {
		t.Fatalf("items: %v %v", n, reasons)
	}
	want := map[string]map[string]string{
		"VID_1.mp4": {"QuickTime:CreateDate": "2019:07:04 13:30:12", "QuickTime:ModifyDate": "2019:07:04 13:30:12", // raised: not modified before it was made
			"Track1:TrackCreateDate": "2019:07:04 13:30:12", "Track1:MediaCreateDate": "2019:07:04 13:30:12",
			"Track2:TrackCreateDate": "2019:07:04 13:30:12", "Track2:MediaCreateDate": "2019:07:04 13:30:12"},
		"VID_2.mov": {"QuickTime:CreateDate": "1985:11:05 11:15:00", "QuickTime:ModifyDate": "2001:02:03 04:05:06",
			"Track1:TrackCreateDate": "1985:11:05 11:15:00", "Track1:MediaCreateDate": "1985:11:05 11:15:00"},
	}
	for name, w := range want {
		for _, readTZ := range []string{"UTC", "Pacific/Auckland"} {
			if got := quickTimeDates(t, p(name), readTZ); !equalMaps(got, w) {
				t.Errorf("%s read by exiftool under TZ=%s:\n%v\nwant\n%v", name, readTZ, got, w)
			}
		}
		if got := snapshot(t, src)[p(name)]; strings.SplitN(got, " ", 2)[0] != strings.SplitN(before[p(name)], " ", 2)[0] {
			t.Errorf("%s: writing its dates changed its modification time", name)
		}
	}
	exiftoolReadsBack(t, src, map[string][2]string{
		"VID_3.mp4": {"2010:10:10 10:10:10", "2010:10:10 10:10:10"},
		"VID_4.m4v": {"1966:08:20", "1966:08:20"},
		"VID_5.mov": {"1955:11:05 06:15:00-05:00", "1955:11:05 06:15:00-05:00"},
	})
	for _, name := range []string{"VID_3.mp4", "VID_4.m4v", "VID_5.mov"} {
		if fileSum(t, p(name)) != sha256.Sum256([]byte(files[name])) {
			t.Errorf("%s was written, though its dates went to its sidecar", name)
		}
	}
	undo, err := lib.Undo(id)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	for name, data := range files {
		if fileSum(t, p(name)) != sha256.Sum256([]byte(data)) {
			t.Errorf("%s after undo is not the original byte for byte", name)
		}
	}
	if got := snapshot(t, src); !equalSnapshots(got, before) {
		t.Fatalf("after undo: %v", diffSnapshots(before, got))
	}
}

// checkVideoPlan checks what a dry run of --to exif plans for videoFolder:
// the QuickTime write in UTC, and each fallback to a sidecar with its
// reason.
func checkVideoPlan(t *testing.T, lib *Library, src string) {
	t.Helper()
	p := func(n string) string { return filepath.Join(src, n) }
	plan, err := lib.PlanDatesWrite(DatesWriteOptions{To: []string{WriteEXIF}})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]DateWrite{}
	for _, w := range plan {
		rows[w.Path] = w
	}
	if w := rows[p("VID_1.mp4")]; w.Field != WriteQuickTime || w.Old != "2001-02-03T04:05:06Z" || w.New != "2019-07-04T13:30:12Z" || w.Note != "" {
		t.Errorf("VID_1 plan: %+v", w)
	}
	if w := rows[p("VID_3.mp4.xmp")]; w.Field != WriteXMP || w.Note != "its time zone is unknown, and QuickTime dates are UTC: written to its XMP sidecar instead" {
		t.Errorf("VID_3 plan: %+v", w)
	}
	if w := rows[p("VID_4.m4v.xmp")]; w.Field != WriteXMP || !strings.HasPrefix(w.Note, "known only to the day") {
		t.Errorf("VID_4 plan: %+v", w)
	}
	if w := rows[p("VID_5.mov.xmp")]; w.Field != WriteXMP || !strings.HasPrefix(w.Note, "before 1970") {
		t.Errorf("VID_5 plan: %+v", w)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// `dates write --to exif --dry-run --json` shows a video's QuickTime write
// as {path, field: quicktime, old, new} in UTC; a video whose header is
// damaged goes to its sidecar and says why; the run writes the one and
// leaves the other's bytes alone.
func TestDatesWriteVideoDryRunAndDamage(t *testing.T) {
	whole := testmp4.Movie{Created: cameraTime, Modified: cameraTime}.Bytes()
	cut := testmp4.Movie{Created: cameraTime, Modified: cameraTime, MdatSize: 400}.Bytes()
	lib, src := datesFolder(t, map[string]string{"VID_1.mp4": string(whole), "VID_9.mp4": string(cut[:len(cut)-10])})
	db := lib.Path()
	setDates(t, lib, src, map[string]string{"VID_1.mp4": "2019-07-04T15:30:12+02:00", "VID_9.mp4": "2019-07-04T15:30:12+02:00"})
	lib.Close()
	p := func(n string) string { return filepath.Join(src, n) }
	code, out, errOut := runCLI(t, "dates", "write", "--db", db, "--to", "exif", "--dry-run", "--json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var rows []map[string]string
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("dry run JSON %q: %v", out, err)
	}
	if r := rows[0]; r["path"] != p("VID_1.mp4") || r["field"] != "quicktime" || r["old"] != "2001-02-03T04:05:06Z" || r["new"] != "2019-07-04T13:30:12Z" || len(r) != 4 {
		t.Errorf("dry run row: %v", r)
	}
	if r := rows[1]; r["path"] != p("VID_9.mp4.xmp") || r["field"] != "xmp" {
		t.Errorf("dry run fallback row: %v", r)
	}
	damaged := fileSum(t, p("VID_9.mp4"))
	if code, out, errOut = runCLI(t, "dates", "write", "--db", db, "--to", "exif"); code != ExitCompleted {
		t.Fatalf("write: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "its QuickTime dates cannot be written safely") || !strings.Contains(errOut, "truncated") {
		t.Errorf("the fallback is not explained: %s", errOut)
	}
	if got := fileSum(t, p("VID_1.mp4")); got == sha256.Sum256(whole) {
		t.Error("VID_1.mp4 was not written")
	}
	if fileSum(t, p("VID_9.mp4")) != damaged {
		t.Error("the damaged video was written")
	}
	if _, err := os.Stat(p("VID_9.mp4.xmp")); err != nil {
		t.Errorf("the damaged video's sidecar: %v", err)
	}
	if code, _, errOut = runCLI(t, "undo", "--db", db); code != ExitCompleted {
		t.Fatalf("undo: %s", errOut)
	}
	if fileSum(t, p("VID_1.mp4")) != sha256.Sum256(whole) {
		t.Error("undo did not give back VID_1.mp4 byte for byte")
	}
}

// A temporary copy left by a killed run does not stop the next one (it is
// Shoebox's own and is made anew), and undo leaves a video that was changed
// since the run alone, with the reason.
func TestDatesVideoUndoLeavesAChangedVideo(t *testing.T) {
	orig := testmp4.Movie{Created: cameraTime, Modified: cameraTime}.Bytes()
	lib, src := datesFolder(t, map[string]string{"VID_1.mp4": string(orig)})
	defer lib.Close()
	path := filepath.Join(src, "VID_1.mp4")
	setDates(t, lib, src, map[string]string{"VID_1.mp4": "2019-07-04T15:30:12+02:00"})
	if err := os.WriteFile(copyTemp(path), []byte("half a copy"), 0o600); err != nil { // as a kill leaves it
		t.Fatal(err)
	}
	id, _, err := lib.WriteDates(DatesWriteOptions{To: []string{WriteEXIF}})
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	if _, err := os.Stat(copyTemp(path)); err == nil {
		t.Error("the leftover temporary copy is still there")
	}
	written, _ := os.ReadFile(path)
	if len(written) != len(orig) || string(written) == string(orig) {
		t.Fatal("the video was not written in place")
	}
	edited := append(written, 0)
	if err := os.WriteFile(path, edited, 0o640); err != nil {
		t.Fatal(err)
	}
	undo, err := lib.Undo(id)
	if err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, undo, store.StateCompleted)
	if n, reasons := itemsByState(t, lib, undo); n[store.ChangeError] != 1 || !strings.Contains(strings.Join(reasons, " "), "changed since the run") {
		t.Fatalf("undo of a changed video: %v %v", n, reasons)
	}
	if now, _ := os.ReadFile(path); string(now) != string(edited) {
		t.Fatal("undo touched a video changed since the run")
	}
}
