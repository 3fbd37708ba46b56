package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

func TestRunDetailsListEachFileWithItsReason(t *testing.T) {
	f, u, pth := actFixture(t)
	f.ch.items = map[uint64][]store.ChangeItem{5: {
		{Path: pth("b.jpg"), State: store.ChangeDone},
		{Path: pth("c.jpg"), State: store.ChangeSkipped, Reason: "changed since the scan"},
	}}
	u.showRunItems(5)
	text := overlayText(u.win)
	for _, want := range []string{"Run 5: 2 files", "Done · " + pth("b.jpg"), "Left alone · " + pth("c.jpg") + " — changed since the scan"} {
		if !strings.Contains(text, want) {
			t.Errorf("details lack %q:\n%s", want, text)
		}
	}
}

// A run's details offer Undo… while it can be undone, so that it is in
// reach when History's button column is beyond a narrow window's edge.
func TestRunDetailsOfferUndoWhileTheRunCanBeUndone(t *testing.T) {
	f, u, pth := actFixture(t)
	f.ch.items = map[uint64][]store.ChangeItem{
		5: {{Path: pth("b.jpg"), State: store.ChangeDone}},
		6: {{Path: pth("c.jpg"), State: store.ChangeDone}},
	}
	f.ch.runs = []app.RunSummary{{ID: 5, Kind: store.KindDups, Done: 1, Undoable: true, Action: "quarantine"},
		{ID: 6, Kind: store.KindDups, Done: 1, Undone: true, Action: "quarantine"}}
	u.showRunItems(6)
	if findButton(u.win.Canvas().Overlays().Top(), "Undo…") != nil {
		t.Error("the details of a run already undone offer Undo…")
	}
	u.dismissTop()
	u.showRunItems(5)
	b := findButton(u.win.Canvas().Overlays().Top(), "Undo…")
	if b == nil {
		t.Fatalf("no Undo… in the details of run 5: %q", overlayText(u.win))
	}
	test.Tap(b)
	if text := overlayText(u.win); !strings.Contains(text, "Undo run 5?") {
		t.Fatalf("after Undo… in the details: %q", text)
	}
	if n := len(u.win.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs open; want the question alone, the details closed", n)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Undo"))
	if len(f.ch.undone) != 1 || f.ch.undone[0] != 5 {
		t.Fatalf("undone %v", f.ch.undone)
	}
}

func TestHistoryListsRunsBesideScansWithUndo(t *testing.T) {
	f := newFake()
	f.jobs = []store.Job{
		{ID: 4, Kind: store.KindUndo, Status: store.StateCompleted, Change: &store.ChangeRun{Action: "restore", UndoOf: 2}},
		{ID: 3, Kind: store.KindDups, Status: store.StateCompleted, ProgressCurrent: 2, ProgressTotal: 2, Change: &store.ChangeRun{Action: "trash"}},
		{ID: 2, Kind: store.KindDups, Status: store.StateCompleted, ProgressCurrent: 5, ProgressTotal: 5, Change: &store.ChangeRun{Action: "quarantine", Undone: true}},
		{ID: 1, Roots: []string{"/a"}, Status: store.StateCompleted, ProgressCurrent: 10, ProgressTotal: 10, Listed: true},
	}
	f.ch.runs = []app.RunSummary{
		{ID: 4, Kind: store.KindUndo, Done: 5, Action: "restore", UndoOf: 2},
		{ID: 3, Kind: store.KindDups, Done: 2, Bytes: 4_200_000, Undoable: true, Action: "trash"},
		{ID: 2, Kind: store.KindDups, Done: 5, Bytes: 100, Undone: true, Action: "quarantine"},
	}
	f.ch.items = map[uint64][]store.ChangeItem{3: {{Path: "/a/x.jpg", State: store.ChangeDone}}}
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabHistory)
	v := u.history
	for _, c := range []struct {
		job  int
		col  int
		want string
	}{
		{0, 1, "Undo"}, {1, 1, "Duplicates"}, {3, 1, "Scan"},
		{3, 4, "10"}, // every file looked at: one number, "1,000,000" fits where "1,000,000 / 1,000,000" did not
		{0, 2, "Put back what run 2 changed"},
		{1, 2, "2 copies moved to the Trash (4.2 MB)"},
		{2, 2, "5 copies moved to the quarantine (100 B) · undone"},
		{3, 2, "/a"},
	} {
		if got := v.historyCell(f.jobs[c.job], c.col); got != c.want {
			t.Errorf("job %d col %d = %q, want %q", f.jobs[c.job].ID, c.col, got, c.want)
		}
	}
	if got := v.historyCell(store.Job{ID: 9, Status: store.StatePaused, ProgressCurrent: 5, ProgressTotal: 10}, 4); got != "5 / 10" {
		t.Errorf("a paused scan's files read %q", got)
	}
	if !strings.Contains(v.status.Text, "1 scan and 3 change runs") {
		t.Errorf("status %q", v.status.Text)
	}
	undoShown, openShown := map[uint64]bool{}, map[uint64]bool{}
	for row, j := range f.jobs {
		cell := v.table.CreateCell()
		v.updateCell(widget.TableCellID{Row: row, Col: colAction}, cell)
		b := cell.(*fyne.Container).Objects[1].(*widget.Button)
		undoShown[j.ID] = b.Visible() && b.Text == "Undo…"
		openShown[j.ID] = b.Visible() && b.Text == "Open"
	}
	if !undoShown[3] || undoShown[2] || undoShown[4] || undoShown[1] {
		t.Errorf("Undo shown for %v; want only the run that can still be undone (3)", undoShown)
	}
	if openShown[3] || !openShown[2] || !openShown[4] || !openShown[1] {
		t.Errorf("Open shown for %v; want every job but the one Undo… stands for (3)", openShown)
	}
	cell := v.table.CreateCell()
	v.updateCell(widget.TableCellID{Row: 1, Col: colAction}, cell)
	test.Tap(findButton(cell, "Undo…"))
	if !strings.Contains(overlayText(u.win), "Undo run 3?") || len(f.ch.undone) != 0 {
		t.Fatalf("Undo in History did not ask first: %q, undone %v", overlayText(u.win), f.ch.undone)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Undo"))
	if len(f.ch.undone) != 1 || f.ch.undone[0] != 3 {
		t.Fatalf("undone %v", f.ch.undone)
	}

	// Opening a run shows what it did to each file, not the Files view.
	u.dismissTop()
	u.tabs.SelectIndex(tabHistory)
	v.table.Select(widget.TableCellID{Row: 1, Col: 2})
	if !strings.Contains(overlayText(u.win), "Done · /a/x.jpg") || u.tabs.SelectedIndex() == tabFiles {
		t.Errorf("opening run 3: tab %d, dialog %q", u.tabs.SelectedIndex(), overlayText(u.win))
	}
	if strings.Contains(strings.Join(f.Calls(), "\n"), "files 3") {
		t.Error("a run's files were asked for as if it were a scan")
	}
}

func TestUnfinishedRunsAreNotOfferedAsScans(t *testing.T) {
	run := store.Job{ID: 2, Kind: store.KindDups, Status: store.StatePaused, Change: &store.ChangeRun{}}
	scan := store.Job{ID: 1, Status: store.StatePaused}
	got := unfinished([]store.Job{run}, []store.Job{run, scan})
	if len(got) != 1 || got[0].ID != 1 {
		t.Errorf("unfinished = %v, want only the scan", got)
	}
}

func TestAStoppedRunOpensWhereItCanBeResumedOrUndone(t *testing.T) {
	f := newFake()
	run := store.Job{ID: 2, Kind: store.KindDups, Status: store.StatePaused, Interrupted: true, ProgressCurrent: 3,
		ProgressTotal: 10, Listed: true, Change: &store.ChangeRun{Action: "trash"}}
	f.jobs = []store.Job{run}
	f.ch.runs = []app.RunSummary{{ID: 2, Kind: store.KindDups, Status: store.StatePaused, Done: 3, Undoable: true, Action: "trash"}}
	u := newTestUI(t, f)
	u.openJob(run)
	if u.jobID != 2 || u.tabs.SelectedIndex() != tabScan {
		t.Fatalf("shown job %d, tab %d", u.jobID, u.tabs.SelectedIndex())
	}
	if u.scan.pauseBtn.Text != "Resume" || u.scan.pauseBtn.Disabled() || !u.scan.undoBtn.Visible() {
		t.Errorf("a paused run offers Resume (%q, disabled %v) and Undo (%v)", u.scan.pauseBtn.Text, u.scan.pauseBtn.Disabled(), u.scan.undoBtn.Visible())
	}
	if !strings.HasPrefix(u.scan.summary.Text, "Stopped midway (Resume goes on): 3 copies moved to the Trash") {
		t.Errorf("summary %q", u.scan.summary.Text)
	}
	if !strings.Contains(u.scan.title.Text, "Run 2: copies moved to the Trash") {
		t.Errorf("title %q", u.scan.title.Text)
	}
	test.Tap(u.scan.cancelBtn)
	if !strings.Contains(overlayText(u.win), "Cancel this run?") {
		t.Errorf("cancel asks %q", overlayText(u.win))
	}
	if strings.Contains(strings.Join(f.Calls(), "\n"), "files 2") {
		t.Error("a run's files were asked for as if it were a scan")
	}
}

func TestAnUndoRunEndsWithoutUndo(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.startRun(3, store.KindUndo, "restore", 2)
	f.ch.runs = []app.RunSummary{{ID: 3, Kind: store.KindUndo, Status: store.StateCompleted, Done: 2, Skipped: 1,
		Bytes: 2000, Action: "restore", UndoOf: 2}}
	f.emit(app.Progress{JobID: 3, State: store.StateCompleted, Current: 3, Total: 3, Skipped: 1})
	u.flush()
	if want := "Done: 2 files put back (2.0 kB), 1 file left alone, 0 errors. Details lists the reason for each."; u.scan.summary.Text != want {
		t.Errorf("summary %q, want %q", u.scan.summary.Text, want)
	}
	if u.scan.undoBtn.Visible() || !u.scan.detailsBtn.Visible() {
		t.Error("an undo run offers Details and no Undo")
	}
	if u.scan.viewFilesBtn.Visible() {
		t.Error("a run has no files view of its own")
	}
}

// History's Folders column, which says what a run did, takes the width
// the other columns leave: "21 copies moved to the quarantine (65.5 MB)"
// was cut mid-word with a third of a 1400 px window empty beside it.
func TestHistoryFoldersTakeTheWidthSoARunIsReadWhole(t *testing.T) {
	f := newFake()
	f.jobs = []store.Job{
		{ID: 2, Kind: store.KindDups, Status: store.StateCompleted, ProgressCurrent: 21, ProgressTotal: 21, Change: &store.ChangeRun{Action: "quarantine"}},
		{ID: 1, Roots: []string{"/a"}, Status: store.StateCompleted, ProgressCurrent: 10, ProgressTotal: 10, Listed: true},
	}
	f.ch.runs = []app.RunSummary{{ID: 2, Kind: store.KindDups, Done: 21, Bytes: 65_500_000, Undoable: true, Action: "quarantine"}}
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabHistory)
	v := u.history
	what := v.historyCell(f.jobs[0], colFolders)
	if what != "21 copies moved to the quarantine (65.5 MB)" {
		t.Fatalf("the run says %q", what)
	}
	cellText := func() string {
		cell := v.table.CreateCell()
		v.updateCell(widget.TableCellID{Row: 0, Col: colFolders}, cell)
		cell.Resize(fyne.NewSize(v.table.widths[colFolders], cell.MinSize().Height))
		l := cell.(*fyne.Container).Objects[0].(*middleLabel)
		l.SetFull(what)
		return l.Text
	}
	u.win.Resize(fyne.NewSize(1400, 900))
	if got := cellText(); got != what {
		t.Errorf("at 1400 px the run reads %q in a %.0f px column", got, v.table.widths[colFolders])
	}
	sum := float32(0)
	for _, w := range v.table.widths {
		sum += w
	}
	if tw := v.table.Size().Width; tw-sum > 80 {
		t.Errorf("at 1400 px the columns take %.0f of %.0f px", sum, tw)
	}
	// At the window's first size every column is in view: the Undo…
	// and Open buttons were beyond the right edge, behind a sideways scroll.
	u.win.Resize(defaultWindowSize)
	need := theme.ScrollBarSize() // as fittedTable.fit counts them
	for _, w := range v.table.widths {
		need += w + theme.Padding()
	}
	if tw := v.table.Size().Width; need > tw {
		t.Errorf("at %.0f px the columns need %.0f of the table's %.0f px", defaultWindowSize.Width, need, tw)
	}
	u.win.Resize(fyne.NewSize(800, 600))
	if w := v.table.widths[colFolders]; w < historyMinFolders {
		t.Errorf("at 800 px Folders is %.0f px", w)
	}
}

// The undo dialog says what comes back for each kind of run, read from
// History's list when the run was not started in this window: an organise
// move's sources go back, a dates run's old bytes and times do (it moved
// nothing).
func TestTheUndoDialogSaysWhatComesBack(t *testing.T) {
	for _, c := range []struct {
		kind           store.JobKind
		action         string
		want, dontWant string
	}{
		{store.KindOrganise, "move", "every source it moved goes back to its place", ""},
		{store.KindDates, "exif", "gets its old bytes or time back", "goes back to its place"},
	} {
		f := newFake()
		f.ch.runs = []app.RunSummary{{ID: 9, Kind: c.kind, Status: store.StateCompleted, Action: c.action, Done: 4,
			Undoable: true}}
		u := newTestUI(t, f)
		u.history.reload()
		u.askUndo(9)
		text := overlayText(u.win)
		if !strings.Contains(text, c.want) || (c.dontWant != "" && strings.Contains(text, c.dontWant)) {
			t.Errorf("undo dialog of a %s run: %q", c.kind, text)
		}
	}
}
