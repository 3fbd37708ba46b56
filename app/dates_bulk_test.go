package app

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"shoebox/store"
)

// decisionsByName maps a decision's file name to "old → new" or
// "left: reason".
func decisionsByName(ds []DateDecision) map[string]string {
	out := map[string]string{}
	for _, d := range ds {
		rel := filepath.Base(filepath.Dir(d.Path)) + "/" + filepath.Base(d.Path)
		if d.Skipped != "" {
			out[rel] = "left: " + d.Skipped
			continue
		}
		out[rel] = d.Old + " → " + d.New
	}
	return out
}

func storedCorrections(t *testing.T, lib *Library) map[string]store.Correction {
	t.Helper()
	cs, err := lib.db.Corrections()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// A camera's clock: the offset is the true time minus the photo's date, and
// it applies to that camera's body (the serial, where both sides have one)
// within the range; the preview is what is then decided, and stores nothing.
func TestDatesShiftCameraSerialRange(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{
		"c/a.jpg": "2016-03-01T12:00:00 HIGH\ncamera=Canon_EOS_5D serial=111",
		"c/b.jpg": "2016-07-01T08:00:00 HIGH\ncamera=Canon_EOS_5D serial=111",
		"c/c.jpg": "2016-07-01T08:00:00 HIGH\ncamera=Canon_EOS_5D serial=222 other-body",
		"c/d.jpg": "2016-07-01T09:00:00 HIGH\ncamera=Canon_EOS_5D",
		"c/e.jpg": "2017-01-01T00:00:00 HIGH\ncamera=Canon_EOS_5D serial=111",
		"c/f.jpg": "2016-06-01T10:00:00 HIGH\ncamera=Apple_iPhone_6",
		"c/g.jpg": "no date\ncamera=Canon_EOS_5D serial=111",
		"c/h.jpg": "x\ncamera=Canon_EOS_5D serial=111 taken=2016-12-31",
	})
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	sh, err := ClockOffset("2016-03-01T12:00:00", "2016-03-02T13:02:03", now)
	if err != nil || sh.String() != "+1d1h2m3s" {
		t.Fatalf("ClockOffset = %q, %v; want +1d1h2m3s", sh, err)
	}
	if back, err := ClockOffset("2016-03-01T12:00:00+02:00", "2016-03-01T11:30:00", now); err != nil || back.String() != "-30m" {
		t.Errorf("ClockOffset back = %q, %v; want -30m", back, err)
	}
	for _, bad := range [][2]string{{"2016-03-01", "2016-03-01T12:00:00"}, {"2016-03-01T12:00:00", "2016-03-01"},
		{"2016-03-01T12:00:00", "2016-03-01T12:00:00"}, {"", "2016-03-01T12:00:00"}} {
		if sh, err := ClockOffset(bad[0], bad[1], now); err == nil {
			t.Errorf("ClockOffset(%q, %q) = %s, want an error", bad[0], bad[1], sh)
		}
	}
	ch := DatesChange{Op: DatesShift, By: sh,
		Selection: DatesSelection{Camera: "canon  eos 5d", Serial: "111", From: "2016", Until: "2016"}}
	preview, err := lib.PreviewDates(ch)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"c/a.jpg": "2016-03-01T12:00:00 → 2016-03-02T13:02:03",
		"c/b.jpg": "2016-07-01T08:00:00 → 2016-07-02T09:02:03",
		"c/d.jpg": "2016-07-01T09:00:00 → 2016-07-02T10:02:03", // no serial: make and model decide
		"c/h.jpg": "left: its date 2016-12-31 has no time of day: it can be shifted only by whole days",
	}
	if got := decisionsByName(preview); !reflect.DeepEqual(got, want) {
		t.Fatalf("preview:\n got %v\nwant %v", got, want)
	}
	if cs := storedCorrections(t, lib); len(cs) != 0 {
		t.Fatalf("the preview stored %d corrections", len(cs))
	}
	decided, err := lib.DecideDates(ch)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(decided, preview) {
		t.Fatalf("decided differs from the preview:\n%v\n%v", decided, preview)
	}
	cs := storedCorrections(t, lib)
	if len(cs) != 3 {
		t.Fatalf("%d corrections stored, want 3", len(cs))
	}
	for _, c := range cs {
		if c.Source != store.CorrectionShift || !strings.Contains(c.DecidedBy, "shift +1d1h2m3s for camera") {
			t.Errorf("correction %+v", c)
		}
	}
	// Paths and the range together: a named file outside the range is not decided.
	again, err := lib.PreviewDates(DatesChange{Op: DatesShift, By: sh, Selection: DatesSelection{
		Paths: []string{filepath.Join(src, "c/e.jpg"), filepath.Join(src, "c/f.jpg")}, Until: "2016-12"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := decisionsByName(again); !reflect.DeepEqual(got, map[string]string{"c/f.jpg": "2016-06-01T10:00:00 → 2016-06-02T11:02:03"}) {
		t.Errorf("paths within a range: %v", got)
	}
	if _, err := lib.PreviewDates(DatesChange{Op: DatesShift, By: sh, Selection: DatesSelection{From: "2017", Until: "2016"}}); err == nil {
		t.Error("an empty range was accepted")
	}
}

// A trip's time zone, both ways, with exact values: the camera that showed
// the local time keeps its wall clock; the one that stayed on home time
// moves from home (the file's own offset, else the home zone at that date,
// summer or winter) to the trip's offset.
func TestDatesZoneBothWays(t *testing.T) {
	files := map[string]string{
		"t/x.jpg": "2016-07-10T10:00:00 HIGH",
		"t/y.jpg": "x\ntaken=2016-07-10T10:00:00+02:00",
		"t/z.jpg": "2016-01-10T10:00:00 HIGH",
		"t/w.jpg": "x\ntaken=2016-07-11",
		"t/v.jpg": "x\ntaken=2016-07-12T10:00:00+09:00",
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	local := map[string]string{
		"t/x.jpg": "2016-07-10T10:00:00 → 2016-07-10T10:00:00+09:00",
		"t/y.jpg": "2016-07-10T10:00:00+02:00 → 2016-07-10T10:00:00+09:00",
		"t/z.jpg": "2016-01-10T10:00:00 → 2016-01-10T10:00:00+09:00",
		"t/w.jpg": "left: its date 2016-07-11 has no time of day, so a time zone changes nothing",
		"t/v.jpg": "left: it is at +09:00 already",
	}
	home := map[string]string{
		"t/x.jpg": "2016-07-10T10:00:00 → 2016-07-10T17:00:00+09:00", // Berlin in summer: +02:00
		"t/y.jpg": "2016-07-10T10:00:00+02:00 → 2016-07-10T17:00:00+09:00",
		"t/z.jpg": "2016-01-10T10:00:00 → 2016-01-10T18:00:00+09:00", // Berlin in winter: +01:00
		"t/w.jpg": local["t/w.jpg"],
		"t/v.jpg": local["t/v.jpg"],
	}
	for name, c := range map[string]struct {
		fix  ZoneFix
		want map[string]string
	}{
		"local":        {ZoneFix{Offset: "+9"}, local},
		"home, Berlin": {ZoneFix{Offset: "+09:00", Clock: ClockHome, Home: berlin}, home},
	} {
		lib, _ := datesFolder(t, files)
		ch := DatesChange{Op: DatesZone, Zone: c.fix, Selection: DatesSelection{From: "2016-01-01", Until: "2016-07-12T10:00:00"}}
		preview, err := lib.PreviewDates(ch)
		if err != nil {
			t.Fatal(err)
		}
		if got := decisionsByName(preview); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s preview:\n got %v\nwant %v", name, got, c.want)
		}
		decided, err := lib.DecideDates(ch)
		if err != nil || !reflect.DeepEqual(decided, preview) {
			t.Errorf("%s: decided %v, %v; preview %v", name, decided, err, preview)
		}
		for _, cor := range storedCorrections(t, lib) {
			if cor.Source != store.CorrectionZone || cor.Offset != "+09:00" || !strings.HasPrefix(cor.DecidedBy, "rule: zone +09:00, the camera") {
				t.Errorf("%s: correction %+v", name, cor)
			}
		}
		lib.Close()
	}
	// With no home zone given, it is this computer's at the photo's date.
	lib, _ := datesFolder(t, map[string]string{"t/x.jpg": "2016-07-10T10:00:00 HIGH"})
	defer lib.Close()
	ds, err := lib.PreviewDates(DatesChange{Op: DatesZone, Zone: ZoneFix{Offset: "+09:00", Clock: ClockHome}})
	want := time.Date(2016, 7, 10, 10, 0, 0, 0, time.Local).In(time.FixedZone("", 9*3600)).Format("2006-01-02T15:04:05-07:00")
	if err != nil || len(ds) != 1 || ds[0].New != want {
		t.Errorf("home in time.Local (%s): %v, %v; want %s", time.Local, ds, err, want)
	}
	for _, bad := range []ZoneFix{{Offset: "9"}, {Offset: "+15:00"}, {Offset: "+09:00", Clock: "abroad"}, {}} {
		if _, err := lib.PreviewDates(DatesChange{Op: DatesZone, Zone: bad}); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}

// The CLI's `dates zone` prints old → new like the other decisions, and the
// report then shows the file as decided (source user) with the rule.
func TestDatesZoneCLI(t *testing.T) {
	lib, src := datesFolder(t, map[string]string{
		"trip/x.jpg": "2016-07-10T10:00:00 HIGH\ncamera=Canon_EOS_5D",
		"trip/y.jpg": "x\ncamera=Canon_EOS_5D taken=2016-07-10T10:00:00+02:00",
		"home/z.jpg": "2016-08-10T10:00:00 HIGH\ncamera=Canon_EOS_5D",
	})
	db := lib.Path()
	lib.Close()
	// The camera stayed on home time: y's own +02:00 is home.
	code, out, errOut := runCLI(t, "dates", "zone", "--db", db, "--offset", "+09:00", "--clock", "home", "--camera", "Canon EOS 5D",
		filepath.Join(src, "trip", "y.jpg"))
	if code != 0 || !strings.Contains(out, "y.jpg: 2016-07-10T10:00:00+02:00 → 2016-07-10T17:00:00+09:00") {
		t.Fatalf("zone --clock home: %d %s %s", code, out, errOut)
	}
	// The camera showed the local time there: the clock is kept.
	code, out, errOut = runCLI(t, "dates", "zone", "--db", db, "--offset", "+09:00", "--from", "2016-07", "--until", "2016-07")
	if code != 0 {
		t.Fatalf("zone: %d %s", code, errOut)
	}
	for _, want := range []string{"x.jpg: 2016-07-10T10:00:00 → 2016-07-10T10:00:00+09:00",
		"y.jpg: left as it was: it is at +09:00 already", "1 file given a new date"} {
		if !strings.Contains(out, want) {
			t.Errorf("zone output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "z.jpg") {
		t.Errorf("a file outside the range was changed:\n%s", out)
	}
	row := reportRows(t, db)[filepath.Join(src, "trip", "y.jpg")]
	if row.TimestampSource != "user" || row.Timestamp != "2016-07-10T17:00:00+09:00" ||
		!strings.Contains(row.Candidates[0].Detail, "zone +09:00, the camera stayed on home time") {
		t.Errorf("report row: %+v", row)
	}
	for _, args := range [][]string{
		{"dates", "zone", "--db", db, "--from", "2016"},                                       // no offset
		{"dates", "zone", "--db", db, "--offset", "+09:00"},                                   // no files named
		{"dates", "zone", "--db", db, "--offset", "+09:00", "--clock", "x", "--from", "2016"}, // an unknown clock
	} {
		if code, _, _ := runCLI(t, args...); code == 0 {
			t.Errorf("%v was accepted", args)
		}
	}
}
