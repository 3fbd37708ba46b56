package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// runInfo is what the window knows of a change run it shows: progress
// snapshots do not say a job's kind.
type runInfo struct {
	kind   store.JobKind
	action string
	undoOf uint64
	undoes string // an undo's: the action of the run it undoes
}

// takesCopiesOut says whether undoing a run of action undoes takes its
// copies out of the library and puts nothing back: an organise run that
// copied, without moving its sources.
func takesCopiesOut(undoes string) bool { return undoes == "copy" }

// runOf is the kind and action of run id, from the runs started or opened
// here, else History's list; zero when neither knows it.
func (u *UI) runOf(id uint64) runInfo {
	if r, ok := u.runs[id]; ok && r.action != "" {
		return r
	}
	h := u.history.runs[id]
	return runInfo{kind: h.Kind, action: h.Action, undoOf: h.UndoOf, undoes: h.Undoes}
}

// isRun says whether job id is a change run (dups or undo).
func (u *UI) isRun(id uint64) bool {
	_, ok := u.runs[id]
	return ok
}

// isRunJob says whether a stored job is a change run.
func isRunJob(j store.Job) bool {
	return j.Change != nil || j.Kind == store.KindDups || j.Kind == store.KindUndo
}

// startRun shows a change run the core has just started in the Scan view.
func (u *UI) startRun(id uint64, kind store.JobKind, action string, undoOf uint64) {
	r := runInfo{kind: kind, action: action, undoOf: undoOf}
	if undoOf != 0 {
		r.undoes = u.runOf(undoOf).action
	}
	u.runs[id] = r
	u.setJob(app.Progress{JobID: id, State: store.StatePending, Listing: true})
	u.tabs.SelectIndex(tabScan)
	u.flush()
	u.history.reload()
}

// openRun shows a stored run: one that stopped midway (paused, or
// interrupted when Shoebox closed) in the Scan view, where it can be
// resumed, cancelled or undone; any other as the list of its files.
func (u *UI) openRun(j store.Job) {
	stopped := j.Status != store.StateCompleted && j.Status != store.StateCancelled
	if !stopped || u.running() {
		if j.Kind == store.KindOrganise {
			u.showLedger(j.ID)
			return
		}
		u.showRunItems(j.ID)
		return
	}
	r := runInfo{kind: j.Kind}
	if j.Change != nil {
		r.action, r.undoOf = j.Change.Action, j.Change.UndoOf
		r.undoes = u.runOf(r.undoOf).action
	}
	u.runs[j.ID] = r
	p := progressFromJob(j)
	p.Roots, p.Listing = nil, false
	u.setJob(p)
	u.tabs.SelectIndex(tabScan)
}

// runTitle is the Scan view's heading for a run.
func runTitle(r runInfo, id uint64) string {
	if r.kind == store.KindUndo && takesCopiesOut(r.undoes) {
		return fmt.Sprintf("Run %d: taking out the copies run %d made", id, r.undoOf)
	}
	if r.kind == store.KindUndo {
		return fmt.Sprintf("Run %d: putting back what run %d changed", id, r.undoOf)
	}
	if r.kind == store.KindOrganise {
		return fmt.Sprintf("Run %d: organising into a dated library", id)
	}
	if r.kind == store.KindDates {
		return fmt.Sprintf("Run %d: dates %s", id, actionWords(r.action))
	}
	return fmt.Sprintf("Run %d: copies %s", id, actionWords(r.action))
}

// runFinished reads the run's summary once it has stopped, to show its
// counts and offer Undo.
func (u *UI) runFinished(id uint64) {
	u.spawn(func() {
		runs, err := u.eng.Runs()
		u.do(func() {
			if id != u.jobID {
				return
			}
			if err != nil {
				u.scan.showRunSummary(app.RunSummary{ID: id}, "Could not read the run's summary: "+err.Error())
				return
			}
			for _, r := range runs {
				if r.ID == id {
					u.scan.showRunSummary(r, "")
					return
				}
			}
		})
	})
}

// runSummaryText is the line under a finished run.
func runSummaryText(r app.RunSummary) string {
	s := runSummaryHead(r)
	s += fmt.Sprintf(", %s left alone, %s.", plural(r.Skipped, "file"), plural(r.Errors, "error"))
	if r.Skipped+r.Errors > 0 {
		s += " Details lists the reason for each."
	}
	if r.Undone {
		s += " This run has been undone."
	}
	return s
}

// runSummaryHead is how the run ended and what it did: "Done: 3 copies
// moved to the Trash (4.2 MB)".
func runSummaryHead(r app.RunSummary) string {
	verb := actionWords(r.Action)
	noun := copies(r.Done)
	switch {
	case r.Kind == store.KindUndo && takesCopiesOut(r.Undoes):
		verb = "taken out of the library"
	case r.Kind == store.KindUndo, r.Kind == store.KindOrganise:
		noun = plural(r.Done, "file")
	case r.Kind == store.KindDates:
		noun = plural(r.Done, "date")
	}
	size := " (" + media.SizeText(r.Bytes) + ")"
	if r.Kind == store.KindDates {
		size = "" // the files a dates run reads are not what it writes
	}
	var s string
	switch r.Status {
	case store.StateCompleted:
		s = fmt.Sprintf("Done: %s %s%s", noun, verb, size)
	case store.StateCancelled:
		s = fmt.Sprintf("Cancelled: %s %s%s before it stopped", noun, verb, size)
	default:
		s = fmt.Sprintf("Stopped midway (Resume goes on): %s %s%s so far", noun, verb, size)
	}
	return s
}

// showRunSummary shows a stopped run's counts with Details and, while it
// can be undone, Undo.
func (v *scanView) showRunSummary(r app.RunSummary, problem string) {
	text := runSummaryText(r)
	if problem != "" {
		text = problem
	}
	setLabel(v.summary, text, widget.MediumImportance)
	v.summary.Show()
	if problem == "" {
		v.runSum = &r
	}
	id := r.ID
	v.undoBtn.OnTapped = func() { v.u.askUndo(id) }
	showIf(v.undoBtn, r.Undoable)
	v.detailsBtn.OnTapped = func() { v.u.showRunItems(id) }
	v.detailsBtn.Show()
	if r.Kind == store.KindOrganise && problem == "" {
		v.detailsBtn.OnTapped = func() { v.u.showLedger(id) }
		v.u.showOrganiseSummary(r)
	}
}

// showRunControls hides what only a scan has, for a run.
func (v *scanView) showRunControls(p app.Progress) {
	r := v.u.runs[p.JobID]
	setLabel(v.title, runTitle(r, p.JobID), widget.MediumImportance)
	v.skipped.label.SetText("left alone (Details says why)") // "changed since the scan, …" read as cut short
	if r.kind == store.KindOrganise {
		v.skipped.label.SetText("with nothing to do (Details says why)")
	}
	if v.u.asked == "" {
		switch p.State {
		case store.StatePending:
			setLabel(v.state, "Starting", widget.HighImportance)
		case store.StateRunning:
			setLabel(v.state, "Changing files", widget.HighImportance)
		}
	}
	if p.Listing && !p.Finished() {
		setLabel(v.counts, "Preparing the run…", widget.MediumImportance)
	}
	v.viewFilesBtn.Hide()
	setButtonImportance(v.viewDupsBtn, widget.MediumImportance) // Undo is the run's first button
	if r.kind == store.KindDates && p.Finished() {
		// What a dates run changed is seen in Files, not Duplicates.
		v.viewFilesBtn.Show()
		v.viewDupsBtn.Hide()
	}
	title := "Shoebox"
	if !p.Finished() && p.Total > 0 {
		title = fmt.Sprintf("%s · run %d — Shoebox", percent(float64(p.Current)/float64(p.Total)), p.JobID)
	}
	v.setTitle(title)
	switch {
	case p.Finished() && v.runSum != nil && v.runSum.ID == p.JobID:
		v.showRunSummary(*v.runSum, "")
	case p.Finished():
		v.summary.SetText("Reading the run's summary…")
	default:
		v.undoBtn.Hide()
		v.detailsBtn.Hide()
	}
}

// askUndo confirms, then starts a run that puts back what run id changed.
func (u *UI) askUndo(id uint64) {
	if u.running() {
		u.tellBusy()
		return
	}
	text := fmt.Sprintf("Every file run %d moved or replaced goes back to its place, checked against its SHA-256. "+
		"Files it left alone stay as they are.", id)
	switch undone := u.runOf(id); undone.kind {
	case store.KindDates:
		text = fmt.Sprintf("What run %d wrote is taken back: each file, sidecar and modification time it changed gets "+
			"its old bytes or time back, checked against its SHA-256. Anything changed since the run is left alone.", id)
	case store.KindOrganise:
		text = fmt.Sprintf("The copies run %d made are removed from the library folder, each only if it is unchanged. "+
			"Its sources were not touched.", id)
		if undone.action == "move" {
			text = fmt.Sprintf("The copies run %d made are removed from the library folder (each only if it is unchanged), "+
				"and every source it moved goes back to its place, checked against its SHA-256.", id)
		}
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(fmt.Sprintf("Undo run %d?", id), "Undo", "Not now", msg, func(ok bool) {
		if !ok {
			return
		}
		u.spawn(func() {
			undoID, err := u.eng.Undo(id)
			u.do(func() {
				if err != nil {
					u.showError("The run could not be undone", err)
					return
				}
				u.startRun(undoID, store.KindUndo, "restore", id)
			})
		})
	}, u.win)
	d.Resize(fyne.NewSize(460, 200))
	u.showDialog(d)
}

// showRunItems lists a run's files with what became of each, with Undo…
// while the run can be undone: History's Undo… column is beyond the right
// edge of a narrow window, and a run is opened by choosing any of its row.
func (u *UI) showRunItems(id uint64) {
	u.spawn(func() {
		items, err := u.eng.ChangeItems(id)
		undoable := false
		if err == nil {
			runs, rerr := u.eng.Runs()
			i := slices.IndexFunc(runs, func(r app.RunSummary) bool { return r.ID == id })
			undoable = rerr == nil && i >= 0 && runs[i].Undoable
		}
		u.do(func() {
			if err != nil {
				u.showError("Could not read the run", err)
				return
			}
			msg := widget.NewLabel(runItemsText(items))
			msg.Wrapping = fyne.TextWrapWord
			d := dialog.NewCustom(fmt.Sprintf("Run %d: %s", id, plural(len(items), "file")), "Close", container.NewVScroll(msg), u.win)
			if undoable {
				undo := widget.NewButtonWithIcon("Undo…", theme.ContentUndoIcon(), func() {
					d.Hide()
					u.askUndo(id)
				})
				d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", d.Hide), undo})
			}
			d.Resize(fyne.NewSize(760, 480))
			u.showDialog(d)
		})
	})
}

// maxItemLines bounds the details dialog; the CLI's `shoebox runs` has all.
const maxItemLines = 500

// runItemsText is one line per item: what became of it, the file, why.
func runItemsText(items []store.ChangeItem) string {
	if len(items) == 0 {
		return "This run had no files to act on."
	}
	var b strings.Builder
	for i, it := range items {
		if i == maxItemLines {
			fmt.Fprintf(&b, "and %d more (see `shoebox runs`)\n", len(items)-i)
			break
		}
		fmt.Fprintf(&b, "%s · %s", itemStateWord(it.State), homeShort(it.Path))
		if it.Reason != "" {
			b.WriteString(" — " + it.Reason)
		}
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// itemStateWord says what became of one file.
func itemStateWord(s store.ChangeState) string {
	switch s {
	case store.ChangeDone:
		return "Done"
	case store.ChangeSkipped:
		return "Left alone"
	case store.ChangeError:
		return "Failed"
	case store.ChangeStarted:
		return "Interrupted"
	}
	return "Not done yet"
}
