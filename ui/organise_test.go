package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// organiseFixture is a library with two scanned folders (and a change run,
// which is no source) and the Organise… dialog open.
func organiseFixture(t *testing.T) (*fakeEngine, *UI, *organiseForm) {
	t.Helper()
	f := newFake()
	f.jobs = []store.Job{
		{ID: 3, Kind: store.KindDups, Status: store.StateCompleted, Change: &store.ChangeRun{Action: "quarantine"}},
		{ID: 2, Roots: []string{"/cards/b"}, Status: store.StateCompleted},
		{ID: 1, Roots: []string{"/cards/a", "/cards/b"}, Status: store.StateCompleted},
	}
	u := newTestUI(t, f)
	u.openOrganise()
	if u.organise == nil {
		t.Fatal("Organise… opened no dialog")
	}
	return f, u, u.organise
}

// ticked is the sources the dialog has ticked.
func (f *organiseForm) ticked() []string {
	var out []string
	for _, r := range f.sources {
		if f.picked[r] {
			out = append(out, r)
		}
	}
	return out
}

func TestOrganiseDialogDefaults(t *testing.T) {
	_, u, f := organiseFixture(t)
	if got := f.ticked(); !slices.Equal(got, []string{"/cards/b", "/cards/a"}) || !slices.Equal(f.sources, got) {
		t.Errorf("sources %v, ticked %v; want every scanned folder once, ticked", f.sources, got)
	}
	if f.template.Text != app.DefaultOrganiseTemplate || f.move.Checked || f.low.Checked {
		t.Errorf("template %q, move %v, low %v; want the default template, copy only, no LOW dates",
			f.template.Text, f.move.Checked, f.low.Checked)
	}
	if !strings.Contains(f.moveNote.Text, "quarantine") || !strings.Contains(f.moveNote.Text, "verified") {
		t.Errorf("Move does not say where sources go: %q", f.moveNote.Text)
	}
	if !f.previewBtn.Disabled() {
		t.Error("Preview is enabled before a destination is chosen")
	}
	text := overlayText(u.win)
	for _, want := range []string{"Organise into a dated library", "/cards/a", "/cards/b", "Preview"} {
		if !strings.Contains(text, want) {
			t.Errorf("dialog lacks %q:\n%s", want, text)
		}
	}
	f.setDest("/photos/library")
	if f.previewBtn.Disabled() {
		t.Error("Preview stays disabled once a destination is chosen")
	}
	opt := f.options()
	if opt.Dest != "/photos/library" || opt.Sources != nil || opt.Template != app.DefaultOrganiseTemplate || opt.Move || opt.IncludeLow {
		t.Errorf("default options %+v; want every scanned folder (nil sources), the default template, copy only", opt)
	}
}

func TestOrganiseExampleFollowsTheTemplate(t *testing.T) {
	_, _, f := organiseFixture(t)
	f.setDest("/photos/library")
	want, err := app.OrganiseExample(app.OrganiseOptions{Template: app.DefaultOrganiseTemplate})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.example.Text, "/photos/library/"+want) {
		t.Errorf("example %q lacks %q", f.example.Text, want)
	}
	f.template.SetText("{yyyy}/{camera}/{name}")
	want2, err := app.OrganiseExample(app.OrganiseOptions{Template: "{yyyy}/{camera}/{name}"})
	if err != nil {
		t.Fatal(err)
	}
	if want2 == want || !strings.Contains(f.example.Text, "/photos/library/"+want2) {
		t.Errorf("after the template changed the example is %q, want it to show %q", f.example.Text, want2)
	}
	f.template.SetText("{yyyy}/{nonsense}/{name}")
	if !strings.Contains(f.example.Text, "cannot be used") || !f.previewBtn.Disabled() {
		t.Errorf("a bad template: example %q, preview disabled %v", f.example.Text, f.previewBtn.Disabled())
	}
}

// organisePlanFixture is a dry run of seven files: four filed in three
// folders, one to Unsorted, a duplicate, a file left in place.
func organisePlanFixture() app.OrganisePlan {
	e := func(src, fate, dest string) app.LedgerEntry {
		return app.LedgerEntry{Source: src, Fate: fate, Dest: dest, Size: 840_000}
	}
	return app.OrganisePlan{Dest: "/photos/library", Sources: []string{"/cards/a"}, CopyBytes: 4_200_000,
		Folders: map[string]int{"2019/06": 3, "2019/07": 1, "Unsorted/DCIM": 1},
		Entries: []app.LedgerEntry{
			e("/cards/a/1.jpg", store.FateFiled, "/photos/library/2019/06/1.jpg"),
			e("/cards/a/2.jpg", store.FateFiled, "/photos/library/2019/06/2.jpg"),
			e("/cards/a/3.jpg", store.FateFiled, "/photos/library/2019/06/3.jpg"),
			e("/cards/a/4.jpg", store.FateFiled, "/photos/library/2019/07/4.jpg"),
			e("/cards/a/DCIM/5.jpg", store.FateUnsorted, "/photos/library/Unsorted/DCIM/5.jpg"),
			{Source: "/cards/a/6.jpg", Fate: store.FateDuplicate, Of: "/cards/a/1.jpg"},
			{Source: "/cards/a/notes.txt", Fate: store.FateLeft, Reason: "not a photo or video"},
		}}
}

func TestOrganisePreviewShowsCountsAndTree(t *testing.T) {
	eng, _, f := organiseFixture(t)
	eng.org.plan = organisePlanFixture()
	f.setDest("/photos/library")
	test.Tap(f.previewBtn)
	if len(eng.org.planned) != 1 || eng.org.planned[0].Dest != "/photos/library" {
		t.Fatalf("dry runs asked: %+v", eng.org.planned)
	}
	for _, want := range []string{"7 files looked at", "4 filed by date", "1 to Unsorted", "1 duplicate (filed once)", "0 already in the library",
		"1 left in place", "0 cannot be copied (unreadable, or the scan could not analyse them)", "4.2 MB to copy into /photos/library, in 3 folders"} {
		if !strings.Contains(f.counts.Text, want) {
			t.Errorf("counts lack %q:\n%s", want, f.counts.Text)
		}
	}
	wantTree := "2019/  4 files\n    06/  3 files\n    07/  1 file\nUnsorted/  1 file\n    DCIM/  1 file"
	if f.tree.Text != wantTree {
		t.Errorf("tree:\n%s\nwant:\n%s", f.tree.Text, wantTree)
	}
	if !f.confirmBtn.Visible() || f.confirmBtn.Text != "Copy 5 files (4.2 MB) into /photos/library" {
		t.Errorf("confirm button %q (shown %v)", f.confirmBtn.Text, f.confirmBtn.Visible())
	}
	// One button is urged at a time: the copy once previewed, Preview again
	// once the choices change.
	if f.previewBtn.Importance == widget.HighImportance || f.confirmBtn.Importance != widget.HighImportance {
		t.Errorf("after the preview: Preview %v, Copy %v", f.previewBtn.Importance, f.confirmBtn.Importance)
	}
	f.low.SetChecked(true)
	if f.confirmBtn.Visible() {
		t.Error("the confirm button stays after the choices changed; it would start a run not previewed")
	}
	if f.previewBtn.Importance != widget.HighImportance {
		t.Errorf("Preview is not urged once the choices changed: %v", f.previewBtn.Importance)
	}
}

// The tree shows the first levels only, and at most so many lines.
func TestOrganiseTreeIsBounded(t *testing.T) {
	folders := map[string]int{}
	for i := range 1000 {
		folders[fmt.Sprintf("%04d/01/deep/deeper", 1000+i)] = 2
	}
	text := planTreeText(folders, 2, 50)
	lines := strings.Split(text, "\n")
	if len(lines) != 51 || !strings.HasPrefix(lines[50], "… and ") || strings.Contains(text, "deep") {
		t.Fatalf("%d lines, last %q, deep levels shown %v", len(lines), lines[len(lines)-1], strings.Contains(text, "deep"))
	}
	if lines[0] != "1000/  2 files" || lines[1] != "    01/  2 files" {
		t.Errorf("first lines %q", lines[:2])
	}
}

func TestOrganiseConfirmStartsTheRunWithTheChoices(t *testing.T) {
	eng, u, f := organiseFixture(t)
	eng.nextID = 9
	eng.org.plan = organisePlanFixture()
	eng.org.plan.Move = true
	f.setDest("/photos/library")
	f.srcBox.Objects[0].(interface{ SetChecked(bool) }).SetChecked(false) // untick /cards/b
	f.template.SetText("{yyyy}/{name}")
	f.move.SetChecked(true)
	test.Tap(f.previewBtn)
	if f.confirmBtn.Text != "Move 5 files (4.2 MB) into /photos/library" {
		t.Errorf("confirm button %q", f.confirmBtn.Text)
	}
	test.Tap(f.confirmBtn)
	if len(eng.org.started) != 1 {
		t.Fatalf("runs started: %+v", eng.org.started)
	}
	got := eng.org.started[0]
	if got.Dest != "/photos/library" || !slices.Equal(got.Sources, []string{"/cards/a"}) || got.Template != "{yyyy}/{name}" ||
		!got.Move || got.IncludeLow {
		t.Errorf("Organise got %+v; want the choices previewed", got)
	}
	if r := u.runs[9]; r.kind != store.KindOrganise || r.action != "move" || u.jobID != 9 {
		t.Fatalf("the Scan view follows job %d as %+v", u.jobID, r)
	}
	if !strings.Contains(u.scan.title.Text, "Run 9: organising") || u.tabs.SelectedIndex() != tabScan {
		t.Errorf("title %q, tab %d", u.scan.title.Text, u.tabs.SelectedIndex())
	}
}

// ledgerFixture is a finished organise run 9 of /cards/a.
func ledgerFixture(t *testing.T, verified bool) (*fakeEngine, *UI) {
	t.Helper()
	f := newFake()
	f.org.ledgerOf = store.Job{ID: 9, Kind: store.KindOrganise, Roots: []string{"/cards/a"}}
	for _, e := range organisePlanFixture().Entries[:6] {
		e.Verified = verified
		f.org.ledger = append(f.org.ledger, e)
	}
	// The run's own counts are not the ledger's (a move run has a step
	// for each copy and each source moved): the summary counts the ledger.
	f.ch.runs = []app.RunSummary{{ID: 9, Kind: store.KindOrganise, Status: store.StateCompleted, Action: "copy", Done: 99,
		Bytes: 1, Skipped: 1, Undoable: true}}
	u := newTestUI(t, f)
	u.startRun(9, store.KindOrganise, "copy", 0)
	f.emit(app.Progress{JobID: 9, State: store.StateCompleted, Current: 6, Total: 6})
	u.flush()
	return f, u
}

func TestOrganiseLedgerFiltersByFate(t *testing.T) {
	_, u := ledgerFixture(t, true)
	test.Tap(u.scan.detailsBtn)
	lv := u.ledger
	if lv == nil || len(lv.shown) != 6 {
		t.Fatalf("ledger %+v", lv)
	}
	text := overlayText(u.win)
	if !strings.Contains(text, "Run 9: where each of 6 files went") {
		t.Errorf("dialog:\n%s", text)
	}
	lv.filter.SetSelected("duplicate (1)")
	if len(lv.shown) != 1 || lv.shown[0].Source != "/cards/a/6.jpg" {
		t.Fatalf("duplicates shown: %+v", lv.shown)
	}
	if row := ledgerRowText(lv.shown[0]); row != "/cards/a/6.jpg → duplicate → same bytes as /cards/a/1.jpg" {
		t.Errorf("row %q", row)
	}
	if c := ledgerCell(lv.shown[0], 2); c != "same bytes as /cards/a/1.jpg" {
		t.Errorf("where cell %q", c)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Copy the list"))
	if clip := u.app.Clipboard().Content(); clip != "/cards/a/6.jpg → duplicate → same bytes as /cards/a/1.jpg" {
		t.Errorf("copied %q; want the rows shown", clip)
	}
	lv.filter.SetSelected("filed (4)")
	if len(lv.shown) != 4 || ledgerRowText(lv.shown[0]) != "/cards/a/1.jpg → filed → /photos/library/2019/06/1.jpg" {
		t.Errorf("filed shown: %+v", lv.shown)
	}
	lv.filter.SetSelected("error (0)")
	if len(lv.shown) != 0 {
		t.Errorf("errors shown: %+v", lv.shown)
	}
}

func TestOrganiseSaysSafeToWipeOnlyWhenProven(t *testing.T) {
	_, u := ledgerFixture(t, true)
	if s := u.scan.summary.Text; !strings.Contains(s, "Done: 5 files copied into the library (4.2 MB); not copied: 1 duplicate (filed once).") ||
		!strings.Contains(s, "/cards/a is safe to wipe") {
		t.Errorf("summary of a proven run: %q", s)
	}
	if u.scan.viewDupsBtn.Importance == widget.HighImportance {
		t.Error("a finished run urges View duplicates beside Undo")
	}
	_, u2 := ledgerFixture(t, false)
	if s := u2.scan.summary.Text; strings.Contains(s, "safe to wipe") || !strings.Contains(s, "Do not wipe /cards/a yet: 6 files are not verified") {
		t.Errorf("summary of an unproven run: %q", s)
	}
	// A file the scan could not analyse is named as such, with the copies
	// that failed: the run's own error count does not hold it.
	broken := append(organisePlanFixture().Entries, app.LedgerEntry{Source: "/cards/a/bad.jpg", Fate: store.FateError,
		Reason: "could not be analysed (damaged JPEG); it was left in place"})
	if s := organiseSummaryText(app.RunSummary{ID: 7, Done: 5}, store.Job{}, broken); !strings.Contains(s,
		"not copied: 1 duplicate (filed once), 1 left in place, 1 could not be read, analysed or copied.") {
		t.Errorf("summary with a file the scan could not analyse: %q", s)
	}
	// A file left in place makes the source unsafe, even if the rest is verified.
	left := organisePlanFixture().Entries
	for i := range left {
		left[i].Verified = true
	}
	if v := wipeVerdicts([]string{"/cards/a"}, left); strings.Contains(v, "safe to wipe") || !strings.Contains(v, "1 file is not verified") {
		t.Errorf("verdict with a file left: %q", v)
	}
}

func TestOrganiseRunCanBeUndone(t *testing.T) {
	f, u := ledgerFixture(t, true)
	if !u.scan.undoBtn.Visible() {
		t.Fatal("no Undo under a finished organise run")
	}
	test.Tap(u.scan.undoBtn)
	if text := overlayText(u.win); !strings.Contains(text, "Undo run 9?") || !strings.Contains(text, "copies run 9 made are removed") ||
		!strings.Contains(text, "sources were not touched") {
		t.Fatalf("undo dialog: %q", text)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Undo"))
	if !slices.Equal(f.ch.undone, []uint64{9}) {
		t.Fatalf("undone %v", f.ch.undone)
	}
	if r := u.runs[u.jobID]; r.kind != store.KindUndo || r.undoOf != 9 {
		t.Errorf("the Scan view follows %+v", r)
	}
	// Undoing a run that only copied takes its copies out: nothing is
	// "put back", and the words say so.
	undoID := u.jobID
	if got := u.scan.title.Text; got != fmt.Sprintf("Run %d: taking out the copies run 9 made", undoID) {
		t.Errorf("title %q", got)
	}
	f.ch.runs = append([]app.RunSummary{{ID: undoID, Kind: store.KindUndo, Status: store.StateCompleted, Action: "restore",
		UndoOf: 9, Undoes: "copy", Done: 5, Items: 5, Bytes: 5_000_000}}, f.ch.runs...)
	f.emit(app.Progress{JobID: undoID, State: store.StateCompleted, Current: 5, Total: 5})
	u.flush()
	if got := u.scan.summary.Text; !strings.HasPrefix(got, "Done: 5 copies taken out of the library (5.0 MB)") {
		t.Errorf("summary %q", got)
	}
	u.history.reload()
	undoJob := store.Job{ID: undoID, Kind: store.KindUndo, Status: store.StateCompleted, Change: &store.ChangeRun{Action: "restore", UndoOf: 9}}
	if got := u.history.historyCell(undoJob, colFolders); got != "Took out the copies run 9 made" {
		t.Errorf("History says %q", got)
	}
}

// The action is offered on the Scan view and in the Files view's header.
func TestOrganiseIsOfferedInScanAndFiles(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	b := findButton(u.scan.empty, "Organise into a dated library…")
	if b == nil {
		t.Fatal("no Organise… on the Scan view")
	}
	test.Tap(b)
	if !strings.Contains(overlayText(u.win), "Organise into a dated library") {
		t.Fatalf("dialog: %q", overlayText(u.win))
	}
	u.dismissTop()
	u.tabs.SelectIndex(tabFiles)
	if findButton(u.files.root, "Organise…") == nil {
		t.Error("no Organise… in the Files view")
	}
}

// A source the library has not scanned is named, and nothing can start;
// an engine that refuses the run says so and changes nothing in the view.
func TestOrganiseRefusalsAreShown(t *testing.T) {
	eng, u, f := organiseFixture(t)
	eng.org.plan = organisePlanFixture()
	eng.org.plan.NotScanned = []string{"/cards/c"}
	f.setDest("/photos/library")
	test.Tap(f.previewBtn)
	if !strings.Contains(f.counts.Text, "/cards/c has not been scanned: scan it first.") || f.confirmBtn.Visible() {
		t.Errorf("counts %q, confirm shown %v", f.counts.Text, f.confirmBtn.Visible())
	}
	eng.org.plan.NotScanned = nil
	eng.org.runErr = errors.New("the destination is inside a source")
	test.Tap(f.previewBtn)
	test.Tap(f.confirmBtn)
	if got := overlayText(u.win); !strings.Contains(got, "Nothing was copied") || !strings.Contains(got, "inside a source") {
		t.Errorf("dialog: %q", got)
	}
	if u.jobID != 0 || len(u.runs) != 0 {
		t.Errorf("a refused run is followed: job %d, runs %v", u.jobID, u.runs)
	}
	eng.org.planErr = errors.New("cannot look through the destination")
	test.Tap(f.previewBtn)
	if !strings.Contains(f.counts.Text, "No preview: cannot look through") || f.confirmBtn.Visible() {
		t.Errorf("counts %q, confirm shown %v", f.counts.Text, f.confirmBtn.Visible())
	}
}
