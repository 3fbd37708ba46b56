package ui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// openBulk shows every file of the review fixture, the trip's from one
// camera body, and gives the selection the modifier keys of *mods.
func openBulk(t *testing.T) (*fakeEngine, *UI, *fyne.KeyModifier) {
	t.Helper()
	f := newFake()
	recs := reviewFixture()
	for i := range recs {
		if strings.HasPrefix(recs[i].RelPath, "trip/") {
			recs[i].Camera, recs[i].CameraSerial = "Canon EOS 5D", "111"
		}
	}
	f.files[1] = recs
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	f.emit(app.Progress{JobID: 1, State: store.StateCompleted, Current: len(recs), Total: len(recs)})
	u.flush()
	u.tabs.SelectIndex(tabFiles)
	mods := new(fyne.KeyModifier)
	u.files.bulk.mods = func() fyne.KeyModifier { return *mods }
	return f, u, mods
}

// pick selects rels in order, Shift-clicking from the second on when shift.
func pick(t *testing.T, u *UI, mods *fyne.KeyModifier, held fyne.KeyModifier, rels ...string) {
	t.Helper()
	for i, rel := range rels {
		*mods = 0
		if i > 0 {
			*mods = held
		}
		selectPath(t, u.files, rel)
	}
	*mods = 0
}

// overlayWidgets finds the widgets of type T in the topmost dialog.
func overlayWidgets[T fyne.CanvasObject](w fyne.Window) []T {
	var out []T
	eachVisible(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
		switch o.(type) {
		case *appEntry, *widget.RadioGroup, *widget.Check, *widget.Label, *widget.Button:
			return false // their renderers hold only their own parts
		}
		return true
	})
	return out
}

func tapOverlay(t *testing.T, u *UI, text string) {
	t.Helper()
	b := findButton(u.win.Canvas().Overlays().Top(), text)
	if b == nil {
		t.Fatalf("no %q button in:\n%s", text, overlayText(u.win))
	}
	test.Tap(b)
}

func wantOverlay(t *testing.T, u *UI, wants ...string) {
	t.Helper()
	got := overlayText(u.win)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("the dialog lacks %q:\n%s", w, got)
		}
	}
}

var tripPreview = []app.DateDecision{
	{Path: "/photos/trip/IMG_0001.jpg", Old: "2016-08-01T10:00:00", New: "2016-08-01T11:02:03"},
	{Path: "/photos/trip/IMG_0002.jpg", Skipped: "it has no date to shift"},
	{Path: "/photos/trip/IMG_0003.jpg", Old: "2016-08-01T11:00:00", New: "2016-08-01T12:02:03"},
}

func TestBulkSelectionShiftClickCtrlClickAndAllShown(t *testing.T) {
	_, u, mods := openBulk(t)
	v := u.files
	pick(t, u, mods, fyne.KeyModifierShift, "trip/IMG_0001.jpg", "trip/IMG_0004.jpg")
	if got := strings.Join(v.bulk.paths(), " "); got != "/photos/trip/IMG_0001.jpg /photos/trip/IMG_0002.jpg /photos/trip/IMG_0003.jpg /photos/trip/IMG_0004.jpg" {
		t.Fatalf("Shift-click selected %s", got)
	}
	if v.bulk.count.Text != "4 files selected" {
		t.Errorf("the bar says %q", v.bulk.count.Text)
	}
	v.sortBy(colDate) // the table selects its highlighted file again at its new row: not a click
	v.sortBy(colDate)
	if n := len(v.bulk.paths()); n != 4 || v.bulk.count.Text != "4 files selected" {
		t.Fatalf("a sort changed the selection of four files to %d (%q)", n, v.bulk.count.Text)
	}
	v.sortBy(colName) // back to the order by name
	*mods = fyne.KeyModifierControl
	selectPath(t, v, "trip/IMG_0002.jpg") // Ctrl-click takes one out
	*mods = 0
	if got := strings.Join(v.bulk.paths(), " "); got != "/photos/trip/IMG_0001.jpg /photos/trip/IMG_0003.jpg /photos/trip/IMG_0004.jpg" {
		t.Errorf("after Ctrl-click: %s", got)
	}
	cell := v.table.CreateCell()
	_, l := filesCellParts(cell)
	v.updateCell(widget.TableCellID{Row: rowAt(v, "trip/IMG_0001.jpg"), Col: 0}, cell)
	if !strings.HasPrefix(l.full, "✓ ") {
		t.Errorf("a selected row reads %q, want a ✓", l.full)
	}
	selectPath(t, v, "other/IMG_0001.jpg") // a plain click selects one file
	if n := len(v.bulk.paths()); n != 1 {
		t.Errorf("a plain click left %d selected", n)
	}
	test.Tap(findButton(v.root, "Select all shown"))
	if n := len(v.bulk.paths()); n != len(v.rows) {
		t.Errorf("Select all shown selected %d of %d", n, len(v.rows))
	}
}

func TestBulkSetDatePreviewsThenStoresOrCancels(t *testing.T) {
	f, u, mods := openBulk(t)
	pick(t, u, mods, fyne.KeyModifierShift, "trip/IMG_0001.jpg", "trip/IMG_0003.jpg")
	f.dates.preview = []app.DateDecision{{Path: "/photos/trip/IMG_0002.jpg", Old: "", New: "2016-08"}}
	u.openBulkSet(u.files.bulk)
	wantOverlay(t, u, "One date for the 3 files selected")
	overlayWidgets[*appEntry](u.win)[0].SetText("2016-08")
	tapOverlay(t, u, "Preview")
	wantOverlay(t, u, "1 file will change.", "IMG_0002.jpg", "(no date) → 2016-08")
	if len(f.dates.previews) != 1 || f.dates.previews[0].Op != app.DatesSet || f.dates.previews[0].Date != "2016-08" ||
		len(f.dates.previews[0].Selection.Paths) != 3 || len(f.dates.decided) != 0 {
		t.Fatalf("previews %+v, decided %+v", f.dates.previews, f.dates.decided)
	}
	tapOverlay(t, u, "Apply to 1 file")
	if len(f.dates.decided) != 1 || !reflect.DeepEqual(f.dates.decided[0], f.dates.previews[0]) {
		t.Fatalf("decided %+v; want the change previewed", f.dates.decided)
	}
	u.openBulkSet(u.files.bulk)
	overlayWidgets[*appEntry](u.win)[0].SetText("2016-08-01")
	tapOverlay(t, u, "Preview")
	tapOverlay(t, u, "Cancel")
	if len(f.dates.decided) != 1 {
		t.Errorf("Cancel stored: %+v", f.dates.decided)
	}
	u.openBulkSet(u.files.bulk)
	overlayWidgets[*appEntry](u.win)[0].SetText("1825")
	tapOverlay(t, u, "Preview")
	wantOverlay(t, u, "out of bounds")
}

func TestBulkFromNameAndTakeoutPreviewAtOnce(t *testing.T) {
	f, u, mods := openBulk(t)
	pick(t, u, mods, fyne.KeyModifierShift, "trip/IMG_0001.jpg", "trip/IMG_0002.jpg")
	f.dates.preview = []app.DateDecision{
		{Path: "/photos/trip/IMG_0001.jpg", Old: "2016-08-01T10:00:00", New: "2016-08-01T10:00:05"},
		{Path: "/photos/trip/IMG_0002.jpg", Skipped: "the scan found no filename date for it"},
	}
	u.openBulkFrom(u.files.bulk, fromName)
	wantOverlay(t, u, "1 file will change, 1 is left: the scan found no filename date for it (1).",
		"2016-08-01 10:00:00 → 2016-08-01 10:00:05")
	tapOverlay(t, u, "Apply to 1 file")
	u.openBulkFrom(u.files.bulk, fromTakeout)
	tapOverlay(t, u, "Cancel")
	if len(f.dates.decided) != 1 || f.dates.decided[0].Op != app.DatesFromName || len(f.dates.decided[0].Selection.Paths) != 2 ||
		len(f.dates.previews) != 2 || f.dates.previews[1].Op != app.DatesFromTakeout {
		t.Errorf("previews %+v decided %+v", f.dates.previews, f.dates.decided)
	}
}

// A file that has the date already is decided all the same: the preview
// says so, the button counts it, and the words after say it apart.
func TestBulkSaysWhichFilesAreDecidedAsTheyAre(t *testing.T) {
	f, u, mods := openBulk(t)
	pick(t, u, mods, fyne.KeyModifierShift, "trip/IMG_0001.jpg", "trip/IMG_0002.jpg")
	f.dates.preview = []app.DateDecision{
		{Path: "/photos/trip/IMG_0001.jpg", Old: "2016-08-01T10:00:00", New: "2016-08-01T10:00:05"},
		{Path: "/photos/trip/IMG_0002.jpg", Old: "2016-08-01T11:00:00", New: "2016-08-01T11:00:00"},
		{Path: "/photos/trip/IMG_0003.jpg", Skipped: "the scan found no filename date for it"},
	}
	u.openBulkFrom(u.files.bulk, fromName)
	wantOverlay(t, u, "1 file will change, 1 has that date already (recorded as decided), 1 is left: the scan found no filename date for it (1).")
	tapOverlay(t, u, "Apply to 2 files")
	if len(f.dates.decided) != 1 {
		t.Fatalf("decided %+v", f.dates.decided)
	}
	// What Files says once applied, still once the rows are read again.
	if s, want := u.files.said, "1 file given a new date, 1 decided as it was; no file was touched"; !s.Visible() || !strings.HasPrefix(s.Text, want) {
		t.Errorf("after applying, the files say %q (shown %v); want %q…", s.Text, s.Visible(), want)
	}
	for n, want := range map[decisionCounts]string{
		{changing: 1, kept: 1}: "1 file given a new date, 1 decided as it was",
		{changing: 3}:          "3 files given a new date",
		{kept: 100000}:         "0 files given a new date, 100,000 decided as they were",
	} {
		if got := n.done(); got != want {
			t.Errorf("%+v: %q, want %q", n, got, want)
		}
	}

	// Every file has the date already: applying still records the decisions.
	f.dates.preview = f.dates.preview[1:2]
	u.openBulkFrom(u.files.bulk, fromName)
	wantOverlay(t, u, "0 files will change, 1 has that date already (recorded as decided).")
	if b := findButton(u.win.Canvas().Overlays().Top(), "Apply to 1 file"); b == nil || b.Disabled() {
		t.Fatalf("the button to record a decision of dates kept: %v", b)
	}
}

func TestShiftClockDialog(t *testing.T) {
	f, u, _ := openBulk(t)
	selectPath(t, u.files, "trip/IMG_0001.jpg")
	f.dates.preview = tripPreview
	u.openShiftClock(u.files.bulk)
	wantOverlay(t, u, "IMG_0001.jpg shows 2016-08-01 10:00:00.", "Every photo from this camera: Canon EOS 5D (serial 111)")
	entries := overlayWidgets[*appEntry](u.win)   // true time, from, until
	if entries[0].Text != "2016-08-01 10:00:00" { // as the window shows dates
		t.Errorf("the true time starts as %q", entries[0].Text)
	}
	entries[0].SetText("2016-08-01 11:02:03") // typed back in the form shown
	wantOverlay(t, u, "The clock was off by -1h2m3s: each photo moves by +1h2m3s.")
	entries[1].SetText("2016-08")
	entries[2].SetText("2016-08")
	tapOverlay(t, u, "Preview")
	wantOverlay(t, u, "2 files will change, 1 is left: it has no date to shift (1).",
		"IMG_0001.jpg", "2016-08-01 10:00:00 → 2016-08-01 11:02:03", "2016-08-01 11:00:00 → 2016-08-01 12:02:03")
	ch := f.dates.previews[0]
	if ch.Op != app.DatesShift || ch.By.String() != "+1h2m3s" || ch.Selection.Camera != "Canon EOS 5D" ||
		ch.Selection.Serial != "111" || ch.Selection.From != "2016-08" || ch.Selection.Until != "2016-08" || ch.Selection.Paths != nil {
		t.Fatalf("previewed %+v", ch)
	}
	entries[0].SetText("2016-08-01T12:00:00") // edited after the preview: Apply waits for a new one
	if b := findButton(u.win.Canvas().Overlays().Top(), "Apply to 2 files"); b == nil || !b.Disabled() {
		t.Error("Apply stayed enabled after the form changed")
	}
	tapOverlay(t, u, "Cancel")
	if len(f.dates.decided) != 0 {
		t.Fatalf("Cancel stored %+v", f.dates.decided)
	}
	u.openShiftClock(u.files.bulk)
	overlayWidgets[*appEntry](u.win)[0].SetText("2016-08-01T09:00:00")
	tapOverlay(t, u, "Preview")
	tapOverlay(t, u, "Apply to 2 files")
	if len(f.dates.decided) != 1 || f.dates.decided[0].By.String() != "-1h" {
		t.Errorf("decided %+v", f.dates.decided)
	}
}

func TestZoneDialogBothWays(t *testing.T) {
	f, u, mods := openBulk(t)
	pick(t, u, mods, fyne.KeyModifierShift, "trip/IMG_0001.jpg", "trip/IMG_0003.jpg")
	f.dates.preview = []app.DateDecision{{Path: "/photos/trip/IMG_0001.jpg", Old: "2016-08-01T10:00:00", New: "2016-08-01T17:00:00+09:00"}}
	u.openZone(u.files.bulk)
	wantOverlay(t, u, "The camera showed the local time there", "The camera stayed on home time", "The 3 files selected",
		"Only photos from Canon EOS 5D (serial 111)")
	overlayWidgets[*appEntry](u.win)[0].SetText("+09:00")
	radios := overlayWidgets[*widget.RadioGroup](u.win)
	radios[0].SetSelected(zoneHomeWords)
	wantOverlay(t, u, "10:00 at home +01:00 becomes 18:00 at +09:00")
	tapOverlay(t, u, "Preview")
	wantOverlay(t, u, "1 file will change.", "2016-08-01 10:00:00 → 2016-08-01 17:00:00+09:00")
	ch := f.dates.previews[0]
	if ch.Op != app.DatesZone || ch.Zone.Offset != "+09:00" || ch.Zone.Clock != app.ClockHome || len(ch.Selection.Paths) != 3 {
		t.Fatalf("previewed %+v", ch)
	}
	tapOverlay(t, u, "Apply to 1 file")
	if len(f.dates.decided) != 1 || !reflect.DeepEqual(f.dates.decided[0], ch) {
		t.Fatalf("decided %+v", f.dates.decided)
	}
	// The range, the camera's time kept, only this camera.
	u.openZone(u.files.bulk)
	overlayWidgets[*appEntry](u.win)[0].SetText("-5")
	radios = overlayWidgets[*widget.RadioGroup](u.win)
	radios[1].SetSelected("Every file dated in the range below")
	tapOverlay(t, u, "Preview")
	wantOverlay(t, u, "give the range of the trip")
	entries := overlayWidgets[*appEntry](u.win)
	entries[1].SetText("2016-08-01")
	entries[2].SetText("2016-08-02")
	overlayWidgets[*widget.Check](u.win)[0].SetChecked(true)
	tapOverlay(t, u, "Preview")
	ch = f.dates.previews[len(f.dates.previews)-1]
	if ch.Zone.Offset != "-5" || ch.Zone.Clock != app.ClockLocal || ch.Selection.Paths != nil || ch.Selection.From != "2016-08-01" ||
		ch.Selection.Until != "2016-08-02" || ch.Selection.Camera != "Canon EOS 5D" || ch.Selection.Serial != "111" {
		t.Fatalf("previewed %+v", ch)
	}
	tapOverlay(t, u, "Cancel")
	if len(f.dates.decided) != 1 {
		t.Errorf("Cancel stored %+v", f.dates.decided)
	}
}

func TestWriteDatesDialogStartsARun(t *testing.T) {
	f, u, _ := openBulk(t)
	selectPath(t, u.files, "trip/IMG_0002.jpg")
	f.dates.writes = []app.DateWrite{
		{Path: "/photos/trip/IMG_0002.jpg.xmp", Field: "xmp", New: "2016-08-01T10:30:00"},
		{Path: "/photos/trip/IMG_0004.jpg.xmp", Field: "xmp", New: "2016-01"},
		{Path: "/photos/gone.jpg", Note: "it is no longer there: scan again"},
	}
	u.openWriteDates(u.files.bulk)
	wantOverlay(t, u, "2 values will be written, 1 left alone: it is no longer there: scan again (1).",
		"IMG_0002.jpg.xmp", "(no date) → 2016-08-01 10:30:00")
	if len(f.dates.planned) != 1 || !reflect.DeepEqual(f.dates.planned[0], app.DatesWriteOptions{To: []string{"xmp"}}) {
		t.Fatalf("planned %+v", f.dates.planned)
	}
	checks := overlayWidgets[*widget.Check](u.win)
	radios := overlayWidgets[*widget.RadioGroup](u.win)
	radios[0].SetSelected(writeEXIFWords)
	checks[0].SetChecked(true)
	checks[1].SetChecked(true) // the person agrees to 12:00 for day-only dates
	radios[1].SetSelected("The 1 file selected")
	tapOverlay(t, u, "Preview")
	want := app.DatesWriteOptions{To: []string{"exif", "mtime"}, Paths: []string{"/photos/trip/IMG_0002.jpg"}, Noon: app.NoonAgreed}
	if !reflect.DeepEqual(f.dates.planned[1], want) {
		t.Fatalf("planned %+v, want %+v", f.dates.planned[1], want)
	}
	tapOverlay(t, u, "Write 2 values")
	if len(f.dates.written) != 1 || !reflect.DeepEqual(f.dates.written[0], want) {
		t.Fatalf("written %+v", f.dates.written)
	}
	id := f.nextID - 1
	if r := u.runs[id]; r.kind != store.KindDates || r.action != "exif+mtime" || u.tabs.SelectedIndex() != tabScan {
		t.Errorf("the run is shown as %+v on tab %d", r, u.tabs.SelectedIndex())
	}
	if got := runTitle(u.runs[id], id); got != "Run 2: dates written to the files' EXIF and modification times" {
		t.Errorf("run title %q", got)
	}
	u.openWriteDates(u.files.bulk)
	tapOverlay(t, u, "Cancel")
	if len(f.dates.written) != 1 {
		t.Errorf("Cancel wrote: %+v", f.dates.written)
	}
}

// A finished dates run offers its files to look at, not duplicates.
func TestAFinishedDatesRunOffersFiles(t *testing.T) {
	f := newFake()
	f.ch.runs = []app.RunSummary{{ID: 4, Kind: store.KindDates, Status: store.StateCompleted, Action: "exif", Done: 1,
		Undoable: true}}
	u := newTestUI(t, f)
	u.startRun(4, store.KindDates, "exif", 0)
	f.emit(app.Progress{JobID: 4, State: store.StateCompleted, Current: 1, Total: 1})
	u.flush()
	if !u.scan.viewFilesBtn.Visible() || u.scan.viewDupsBtn.Visible() {
		t.Errorf("View files shown %v, View duplicates shown %v; want files alone", u.scan.viewFilesBtn.Visible(),
			u.scan.viewDupsBtn.Visible())
	}
	// The tile of files left alone says where to read why, not a list cut short.
	if got := u.scan.skipped.label.Text; got != "left alone (Details says why)" {
		t.Errorf("the left-alone tile reads %q", got)
	}
}
