package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// actFixture is a scan with an exact group of three (a keeper chosen by a
// rule), a look-alike group of two and an exact group whose rules tied.
// The files exist in a temporary folder, as the window looks whether they
// are still there; pth names one.
func actFixture(t *testing.T) (*fakeEngine, *UI, func(string) string) {
	t.Helper()
	f := newFake()
	root := t.TempDir()
	pth := func(name string) string { return filepath.Join(root, name) }
	r := func(p string, size int64) store.FileRecord {
		x := rec(p, media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
		x.Root, x.Size = root, size
		if err := os.WriteFile(x.AbsPath(), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		return x
	}
	a, b, c := r("a.jpg", 1000), r("b.jpg", 1000), r("c.jpg", 1000)
	n1, n2 := r("n1.jpg", 5000), r("n2.png", 7000)
	t1, t2 := r("t1.jpg", 300), r("t2.jpg", 300)
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{{SHA256: "aa", Files: []store.FileRecord{a, b, c}}, {SHA256: "bb", Files: []store.FileRecord{t1, t2}}},
		Near:  []store.DupGroup{{MaxDistance: 3, Files: []store.FileRecord{n1, n2}}},
	}
	files := func(rs ...store.FileRecord) map[string]app.PlanFile {
		m := map[string]app.PlanFile{}
		for _, x := range rs {
			m[x.AbsPath()] = app.PlanFile{Size: x.Size}
		}
		return m
	}
	f.ch.plan = app.Plan{Action: "quarantine", Job: 1, Groups: []app.PlanGroup{
		{Kind: "exact", Keep: []string{pth("a.jpg")}, Remove: []string{pth("b.jpg"), pth("c.jpg")},
			Rule: "original-format", Files: files(a, b, c)},
		{Kind: "exact", Keep: []string{pth("t1.jpg"), pth("t2.jpg")}, Remove: []string{}, Tie: true, Files: files(t1, t2)},
		{Kind: "near", Keep: []string{pth("n2.png")}, Remove: []string{pth("n1.jpg")}, Rule: "pixels",
			Approved: new(bool), Files: files(n1, n2)},
	}}
	f.ch.plan.Recount()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	f.emit(app.Progress{JobID: 1, State: store.StateCompleted, Current: 7, Total: 7})
	u.flush()
	u.tabs.SelectIndex(tabDuplicates)
	return f, u, pth
}

// rowFor shows the group that holds path, as the list would.
func rowFor(t *testing.T, u *UI, path string) *groupRow {
	t.Helper()
	for _, g := range u.dups.groups {
		for _, x := range g.Files {
			if x.AbsPath() == path {
				r := newGroupRow()
				r.set(u.dups, g)
				return r
			}
		}
	}
	t.Fatalf("no group holds %s", path)
	return nil
}

func TestDuplicatesPreselectTheKeeperWithItsRule(t *testing.T) {
	f, u, pth := actFixture(t)
	if len(f.ch.planOpts) != 1 || !f.ch.planOpts[0].IncludeNear {
		t.Fatalf("plan asked with %+v, want look-alikes included", f.ch.planOpts)
	}
	r := rowFor(t, u, pth("a.jpg"))
	if text := joined(r.box); !strings.Contains(text, "Kept: original camera format") || !strings.Contains(text, "★ Keeper") {
		t.Errorf("exact group does not say why it keeps a.jpg:\n%s", text)
	}
	want := map[string]string{pth("a.jpg"): choiceKeep, pth("b.jpg"): choiceRemove, pth("c.jpg"): choiceRemove}
	for p, w := range want {
		if got := r.choices[p].Selected; got != w {
			t.Errorf("%s preselected %q, want %q", p, got, w)
		}
	}
	if !r.choices[pth("a.jpg")].Disabled() || r.choices[pth("b.jpg")].Disabled() {
		t.Error("only the last kept file's choice is disabled")
	}
	tie := rowFor(t, u, pth("t1.jpg"))
	if text := joined(tie.box); !strings.Contains(text, "Tie: choose one") {
		t.Errorf("tie group:\n%s", text)
	}
	for p, c := range tie.choices {
		if c.Selected != choiceKeep {
			t.Errorf("tie preselects %s to %q; nothing is removed in a tie", p, c.Selected)
		}
	}
	near := rowFor(t, u, pth("n1.jpg"))
	if !near.approve.Visible() || near.approve.Checked || rowFor(t, u, pth("a.jpg")).approve.Visible() {
		t.Error("only look-alike groups offer Approve, unchecked at first")
	}
	if got := u.dups.act.applyBtn.Text; got != "Move 2 copies (2.0 kB) to the quarantine" {
		t.Errorf("apply button %q: the unapproved look-alike group must not count", got)
	}
}

func TestDuplicatesNeverLeaveAGroupWithNothingKept(t *testing.T) {
	_, u, pth := actFixture(t)
	r := rowFor(t, u, pth("a.jpg"))
	r.choices[pth("a.jpg")].SetSelected(choiceRemove)
	if !strings.Contains(overlayText(u.win), "every group keeps at least one file") {
		t.Errorf("removing the last kept file was not refused in words: %q", overlayText(u.win))
	}
	if g := u.dups.act.plan.Groups[0]; len(g.Keep) != 1 || g.Keep[0] != pth("a.jpg") {
		t.Fatalf("the keeper moved: %+v", g)
	}
	if r.choices[pth("a.jpg")].Selected != choiceKeep {
		t.Error("the refused card does not show Keep again")
	}
	u.dismissTop()

	// Keep b instead of a: first b to Keep, then a may go.
	r.choices[pth("b.jpg")].SetSelected(choiceKeep)
	if r.choices[pth("a.jpg")].Disabled() {
		t.Error("a is no longer the only file kept, yet cannot be removed")
	}
	if n := strings.Count(joined(r.box), "★ Keeper"); n != 1 {
		t.Errorf("%d cards marked Keeper with two files kept; the first kept is the keeper", n)
	}
	r.choices[pth("a.jpg")].SetSelected(choiceRemove)
	g := u.dups.act.plan.Groups[0]
	if len(g.Keep) != 1 || g.Keep[0] != pth("b.jpg") || len(g.Remove) != 2 {
		t.Fatalf("after flipping: keep %v remove %v", g.Keep, g.Remove)
	}
	if text := joined(r.box); !strings.Contains(text, "Kept: your choice") {
		t.Errorf("an edited group still claims its rule:\n%s", text)
	}
	if !r.choices[pth("b.jpg")].Disabled() {
		t.Error("b is now the last kept file and must not be removable")
	}
}

func TestApprovingALookAlikeGroupCountsIt(t *testing.T) {
	_, u, pth := actFixture(t)
	near := rowFor(t, u, pth("n1.jpg"))
	near.approve.SetChecked(true)
	if got := u.dups.act.applyBtn.Text; got != "Move 3 copies (7.0 kB) to the quarantine" {
		t.Errorf("after approving: %q", got)
	}
	near.approve.SetChecked(false)
	if got := u.dups.act.applyBtn.Text; !strings.HasPrefix(got, "Move 2 copies") {
		t.Errorf("after withdrawing: %q", got)
	}
}

func TestApplyButtonIsDisabledWithNothingToRemove(t *testing.T) {
	_, u, pth := actFixture(t)
	r := rowFor(t, u, pth("a.jpg"))
	r.choices[pth("b.jpg")].SetSelected(choiceKeep)
	r.choices[pth("c.jpg")].SetSelected(choiceKeep)
	// The fixture has an exact group (t1, t2) the rules leave to the person.
	if b := u.dups.act.applyBtn; !b.Disabled() || b.Text != "Choose which file to keep in each tie" {
		t.Errorf("button %q disabled=%v", b.Text, b.Disabled())
	}
	if got := applyLabel(app.Plan{}); got != "Every file is kept: nothing to move" {
		t.Errorf("with no ties: %q", got)
	}
}

func TestApplyButtonNamesTheAction(t *testing.T) {
	for action, want := range map[string]string{
		"trash":    "Move 2 copies (2.0 kB) to the Trash",
		"hardlink": "Replace 2 copies (2.0 kB) with hard links",
	} {
		p := app.Plan{Action: action, RemoveCount: 2, BytesFreed: 2000}
		if got := applyLabel(p); got != want {
			t.Errorf("%s: %q, want %q", action, got, want)
		}
	}
}

func TestApplyConfirmsTheCountsThenStartsARunWithUndo(t *testing.T) {
	f, u, pth := actFixture(t)
	rowFor(t, u, pth("n1.jpg")).approve.SetChecked(true)
	test.Tap(u.dups.act.applyBtn)
	confirm := overlayText(u.win)
	for _, want := range []string{"Move 3 copies (7.0 kB) to the quarantine?", "3 copies of 2 groups (7.0 kB) will be moved into the quarantine folder", "undo"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation lacks %q:\n%s", want, confirm)
		}
	}
	if len(f.ch.applied) != 0 {
		t.Fatal("applied before the person confirmed")
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Move to the quarantine"))
	if len(f.ch.applied) != 1 {
		t.Fatalf("ApplyPlan called %d times", len(f.ch.applied))
	}
	p := f.ch.applied[0]
	q := p
	q.Recount()
	if p.RemoveCount != 3 || q.RemoveCount != p.RemoveCount || q.BytesFreed != p.BytesFreed {
		t.Errorf("the plan sent counts %d/%d, its groups %d/%d", p.RemoveCount, p.BytesFreed, q.RemoveCount, q.BytesFreed)
	}
	if g := p.Groups[2]; g.Approved == nil || !*g.Approved {
		t.Error("the approval did not reach the plan")
	}
	runID := uint64(2)
	if u.jobID != runID || u.tabs.SelectedIndex() != tabScan || u.dups.jobID != 1 {
		t.Fatalf("shown job %d tab %d, duplicates of %d: want the run in Scan and the scan kept in Duplicates", u.jobID, u.tabs.SelectedIndex(), u.dups.jobID)
	}

	f.emit(app.Progress{JobID: runID, State: store.StateRunning, Current: 1, Total: 3, CurrentFile: pth("b.jpg")})
	u.flush()
	if got, want := u.scan.current.Full(), homeShort(pth("b.jpg")); got != want {
		t.Errorf("the run's current file reads %q, want %q", got, want)
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	f.emit(app.Progress{JobID: runID, State: store.StateRunning, Current: 1, Total: 3,
		CurrentFile: filepath.Join(home, "Pictures", "b.jpg")})
	u.flush()
	if got, want := u.scan.current.Full(), filepath.Join("~", "Pictures", "b.jpg"); got != want {
		t.Errorf("a file in the home folder reads %q, want %q, as the window writes folders", got, want)
	}
	if !u.scan.pauseBtn.Visible() || u.scan.pauseBtn.Disabled() || !u.scan.cancelBtn.Visible() {
		t.Error("a running run can be paused and cancelled")
	}
	if !strings.Contains(u.scan.title.Text, "moved to the quarantine") || u.scan.undoBtn.Visible() {
		t.Errorf("running: title %q, undo shown %v", u.scan.title.Text, u.scan.undoBtn.Visible())
	}
	test.Tap(u.scan.pauseBtn)
	if c := f.Calls(); c[len(c)-1] != "pause 2" {
		t.Errorf("pause asked %v", c)
	}

	f.ch.runs = []app.RunSummary{{ID: runID, Kind: store.KindDups, Status: store.StateCompleted, Items: 3, Done: 2,
		Skipped: 1, Bytes: 2000, Undoable: true, Action: "quarantine"}}
	f.emit(app.Progress{JobID: runID, State: store.StateCompleted, Current: 3, Total: 3, Skipped: 1})
	u.flush()
	want := "Done: 2 copies moved to the quarantine (2.0 kB), 1 file left alone, 0 errors."
	if !strings.HasPrefix(u.scan.summary.Text, want) {
		t.Errorf("summary %q, want %q", u.scan.summary.Text, want)
	}
	if !u.scan.undoBtn.Visible() || !u.scan.detailsBtn.Visible() {
		t.Fatal("a finished run offers Undo and Details")
	}
	u.tabs.SelectIndex(tabDuplicates)
	if n := strings.Count(strings.Join(f.Calls(), "\n"), "plan 1"); n != 2 {
		t.Errorf("planned %d times: the duplicates must be planned again after the run", n)
	}
	u.tabs.SelectIndex(tabScan)
	// The summary stays through another snapshot of the same finished run.
	u.applyProgress(app.Progress{JobID: runID, State: store.StateCompleted, Current: 3, Total: 3, Skipped: 1}, stateMoved)
	if !strings.HasPrefix(u.scan.summary.Text, "Done: 2 copies") {
		t.Errorf("summary lost: %q", u.scan.summary.Text)
	}

	test.Tap(u.scan.undoBtn)
	if !strings.Contains(overlayText(u.win), "Undo run 2?") {
		t.Fatalf("Undo did not ask: %q", overlayText(u.win))
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Undo"))
	if len(f.ch.undone) != 1 || f.ch.undone[0] != runID || u.jobID != 3 {
		t.Fatalf("undone %v, shown job %d", f.ch.undone, u.jobID)
	}
	if !strings.Contains(u.scan.title.Text, "Run 3: putting back what run 2 changed") {
		t.Errorf("undo run title %q", u.scan.title.Text)
	}
}

func TestARefusedPlanIsExplainedAndNothingRuns(t *testing.T) {
	f, u, pth := actFixture(t)
	f.ch.applyErr = &app.PlanRefusedError{Problems: []app.PlanProblem{
		{Group: 0, Path: pth("b.jpg"), Problem: "is in a protected folder and cannot be removed"}}}
	test.Tap(u.dups.act.applyBtn)
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Move to the quarantine"))
	text := overlayText(u.win)
	if !strings.Contains(text, "The plan was refused") || !strings.Contains(text, "group 1: "+pth("b.jpg")+": is in a protected folder") {
		t.Errorf("refusal:\n%s", text)
	}
	if u.jobID != 1 || len(u.runs) != 0 {
		t.Errorf("a refused plan started a run: job %d", u.jobID)
	}
	if u.dups.act.applyBtn.Disabled() {
		t.Error("the apply button stays disabled after a refusal")
	}
}

func TestOpenAndShowInFolderAskTheSystem(t *testing.T) {
	_, u, pth := actFixture(t)
	type call struct {
		how  openHow
		path string
	}
	var calls []call
	u.system = func(how openHow, path string) error {
		calls = append(calls, call{how, path})
		return nil
	}
	r := rowFor(t, u, pth("b.jpg"))
	test.Tap(findButton(r.cards.Objects[1], "Open"))
	test.Tap(findButton(r.cards.Objects[1], "Show in folder"))
	want := []call{{openInViewer, pth("b.jpg")}, {showInFolder, pth("b.jpg")}}
	if len(calls) != 2 || calls[0] != want[0] || calls[1] != want[1] {
		t.Errorf("system asked %v, want %v", calls, want)
	}
}

func TestFilesMovedByARunAreMarkedNotHere(t *testing.T) {
	_, u, pth := actFixture(t)
	if err := os.Remove(pth("c.jpg")); err != nil {
		t.Fatal(err)
	}
	u.dups.loaded = 0
	u.dups.ensureLoaded()
	r := rowFor(t, u, pth("a.jpg"))
	text := joined(r.cards.Objects[2])
	if !strings.Contains(text, "Not here any more") || findButton(r.cards.Objects[2], "Open") != nil {
		t.Errorf("a moved copy's card:\n%s", text)
	}
	if strings.Contains(joined(r.cards.Objects[0]), "Not here") {
		t.Error("a file still there is marked gone")
	}
}

func TestASystemThatCannotOpenIsSaid(t *testing.T) {
	_, u, pth := actFixture(t)
	u.system = func(openHow, string) error { return errors.New("no program opens .jpg files") }
	test.Tap(findButton(rowFor(t, u, pth("a.jpg")).cards.Objects[0], "Open"))
	if !strings.Contains(overlayText(u.win), "no program opens .jpg files") {
		t.Errorf("dialog %q", overlayText(u.win))
	}
}

func TestAContradictoryPlanIsExplainedBeforeAsking(t *testing.T) {
	f, u, pth := actFixture(t)
	// a.jpg is also in a look-alike group that keeps it; removing it from
	// its exact group contradicts that.
	u.dups.act.plan.Groups[2].Keep = append(u.dups.act.plan.Groups[2].Keep, pth("a.jpg"))
	u.dups.act.plan.Groups[2].Files[pth("a.jpg")] = app.PlanFile{Size: 1000}
	r := rowFor(t, u, pth("a.jpg"))
	r.choices[pth("b.jpg")].SetSelected(choiceKeep)
	r.choices[pth("a.jpg")].SetSelected(choiceRemove)
	test.Tap(u.dups.act.applyBtn)
	if text := overlayText(u.win); !strings.Contains(text, "is removed here but kept in group 3") {
		t.Errorf("no explanation before the confirmation:\n%s", text)
	}
	if len(f.ch.applied) != 0 {
		t.Error("a contradictory plan was sent")
	}
}

// A second name of a file (a hard link) is shown in its group but is not
// an extra copy: the summary and the group do not count its bytes as
// space to free.
func TestAHardLinkIsNotCountedAsSpaceToFree(t *testing.T) {
	f, u, pth := actFixture(t)
	v := u.dups
	if !strings.Contains(v.summary.Text, "the extra copies take 2.3 kB") { // b, c and t2
		t.Fatalf("before: %q", v.summary.Text)
	}
	// c.jpg becomes another name of b.jpg on disk, and the plan says so.
	if err := os.Remove(pth("c.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(pth("b.jpg"), pth("c.jpg")); err != nil {
		t.Skip("no hard links here:", err)
	}
	g := &f.ch.plan.Groups[0]
	g.Remove = []string{pth("b.jpg")}
	delete(g.Files, pth("c.jpg"))
	g.SameFile = map[string]string{pth("c.jpg"): pth("b.jpg")}
	f.ch.plan.Recount()
	v.scope.SetSelected(scopeLibraryText) // found again
	v.scope.SetSelected(scopeJobText)
	u.flush()
	if !strings.Contains(v.summary.Text, "the extra copies take 1.3 kB") { // b and t2
		t.Errorf("with c.jpg a second name of b.jpg: %q", v.summary.Text)
	}
	if text := joined(rowFor(t, u, pth("a.jpg")).box); !strings.Contains(text, "frees 1.0 kB") ||
		!strings.Contains(text, "The same file as b.jpg: left alone") {
		t.Errorf("the group of a, b and c (a second name of b):\n%s", text)
	}
	// A group of one file's names only frees nothing and says so.
	if err := os.Remove(pth("t2.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(pth("t1.jpg"), pth("t2.jpg")); err != nil {
		t.Fatal(err)
	}
	v.scope.SetSelected(scopeLibraryText)
	v.scope.SetSelected(scopeJobText)
	u.flush()
	if !strings.Contains(v.summary.Text, "the extra copies take 1.0 kB") { // b alone
		t.Errorf("with t2.jpg a second name of t1.jpg: %q", v.summary.Text)
	}
	if text := joined(rowFor(t, u, pth("t1.jpg")).box); !strings.Contains(text, "One file · 2 names") ||
		!strings.Contains(text, "would free nothing") {
		t.Errorf("the group of t1 and its second name t2:\n%s", text)
	}
}
