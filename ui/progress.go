package ui

import (
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// warnRate is the error rate from which the error count turns to a warning.
const warnRate = 0.05

// scanView is the first tab: the empty state, or the shown job's progress.
type scanView struct {
	u    *UI
	root *fyne.Container

	// Empty state (empty.go).
	empty       fyne.CanvasObject
	emptyScroll *container.Scroll
	interrupted *fyne.Container
	recent      *fyne.Container
	recentHead  *widget.Label
	chooseBtn   *widget.Button
	typed       *typedPath // a folder's path typed or pasted (typedpath.go)

	// Job.
	job        fyne.CanvasObject
	title      *widget.Label
	state      *widget.Label
	bar        *widget.ProgressBar
	barListing *widget.ProgressBarInfinite
	counts     *widget.Label
	current    *middleLabel
	now        fyne.CanvasObject
	speed      *stat
	remaining  *stat
	errors     *stat
	skipped    *stat
	rateWarn   *widget.Label
	lastError  *middleLabel
	summary    *widget.Label

	banner          fyne.CanvasObject
	bannerTitle     *widget.Label
	bannerMsg       *widget.Label
	bannerErrorsBtn *widget.Button
	resumeAnywayBtn *widget.Button

	pauseBtn      *widget.Button
	cancelBtn     *widget.Button
	showErrorsBtn *widget.Button
	retryBtn      *widget.Button
	newScanBtn    *widget.Button
	viewFilesBtn  *widget.Button
	viewDupsBtn   *widget.Button
	undoBtn       *widget.Button // change runs only (runs.go)
	detailsBtn    *widget.Button

	runSum *app.RunSummary // the shown run's summary, once read
	took   *jobTook        // the shown job's time taken, once finished and read (finish.go)

	found *foundPanel

	confirm *dialog.ConfirmDialog // the open cancel confirmation, if any
}

func newScanView(u *UI) *scanView {
	v := &scanView{u: u}
	v.empty = v.buildEmpty()
	v.job = v.buildJob()
	v.root = container.NewStack(v.empty, v.job)
	return v
}

func (v *scanView) buildJob() fyne.CanvasObject {
	v.title = heading("")
	v.state = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	v.bar = widget.NewProgressBar()
	v.barListing = widget.NewProgressBarInfinite()
	v.barListing.Stop()
	v.counts = widget.NewLabel("")
	v.current = newMiddleLabel("")
	v.current.TextStyle = fyne.TextStyle{Monospace: true}
	v.speed = newStat("files per second")
	v.remaining = newStat("time remaining")
	v.errors = newStat("errors")
	v.skipped = newStat("skipped (not photos or videos)")
	v.rateWarn = widget.NewLabel("")
	v.rateWarn.Importance = widget.WarningImportance
	v.rateWarn.Wrapping = fyne.TextWrapWord
	v.lastError = newMiddleLabel("")
	v.lastError.Importance = widget.LowImportance
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord

	v.pauseBtn = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), v.u.togglePause)
	v.cancelBtn = widget.NewButtonWithIcon("Cancel…", theme.CancelIcon(), v.u.askCancel)
	v.showErrorsBtn = widget.NewButtonWithIcon("Show errors", theme.ErrorIcon(), v.u.showErrors)
	// Retry is offered, not urged: most failures are damaged or mislabelled
	// files that fail again. A finished scan's next step is its duplicates.
	v.retryBtn = widget.NewButtonWithIcon("Retry failed files", theme.ViewRefreshIcon(), v.u.retryFailed)
	v.newScanBtn = widget.NewButtonWithIcon("Scan another folder", theme.FolderOpenIcon(), v.u.clearJob)
	v.viewFilesBtn = widget.NewButtonWithIcon("View files", theme.ListIcon(), func() { v.u.tabs.SelectIndex(tabFiles) })
	v.viewDupsBtn = widget.NewButtonWithIcon("View duplicates", theme.ContentCopyIcon(), func() { v.u.tabs.SelectIndex(tabDuplicates) })
	v.undoBtn = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), nil)
	v.undoBtn.Importance = widget.HighImportance
	v.undoBtn.Hide()
	v.detailsBtn = widget.NewButtonWithIcon("Details", theme.InfoIcon(), nil)
	v.detailsBtn.Hide()

	v.bannerTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.bannerTitle.Importance = widget.DangerImportance
	v.bannerMsg = widget.NewLabel("")
	v.bannerMsg.Wrapping = fyne.TextWrapWord
	v.bannerErrorsBtn = widget.NewButtonWithIcon("Show errors", theme.ErrorIcon(), v.u.showErrors)
	v.resumeAnywayBtn = widget.NewButtonWithIcon("Resume anyway", theme.MediaPlayIcon(), v.u.resumeAnyway)
	v.resumeAnywayBtn.Importance = widget.DangerImportance
	v.banner = card(theme.ColorNameError, 0x38, container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil, v.bannerTitle),
		v.bannerMsg,
		container.NewHBox(v.bannerErrorsBtn, v.resumeAnywayBtn),
	))

	header := container.NewBorder(nil, nil, iconImage(56), v.state, container.NewVBox(v.title, v.counts))
	bar := container.NewStack(v.bar, v.barListing)
	v.now = container.NewBorder(nil, nil, caption("Now"), nil, v.current)
	stats := container.New(&columnsLayout{}, v.speed.box, v.remaining.box, v.errors.box, v.skipped.box)
	controls := container.New(&wrapRow{}, v.pauseBtn, v.cancelBtn,
		v.showErrorsBtn, v.retryBtn, v.undoBtn, v.detailsBtn, v.viewFilesBtn, v.viewDupsBtn, v.newScanBtn)
	v.found = newFoundPanel()
	v.found.root.Hide()
	body := container.NewVBox(header, bar, v.now, stats, v.rateWarn, v.lastError, v.banner, v.summary, controls, v.found.root)
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(1, 12))
	return container.NewBorder(nil, wrapped(shortcutHelp), nil, nil,
		container.NewVScroll(container.New(column{width: 1040, top: true},
			container.NewPadded(container.NewVBox(spacer, body)))))
}

func (v *scanView) showEmpty() {
	v.setTitle("Shoebox")
	v.barListing.Stop()
	v.job.Hide()
	v.empty.Show()
	v.refreshRecent()
	v.u.win.Canvas().Focus(v.chooseBtn)
}

// showStarting shows the job view while the engine creates the job.
func (v *scanView) showStarting(roots []string) {
	v.show(app.Progress{Roots: roots, State: store.StatePending, Listing: true})
	setLabel(v.counts, "Starting…", widget.MediumImportance)
	enableIf(v.pauseBtn, false)
	enableIf(v.cancelBtn, false)
}

// controls says which buttons a state allows.
type controls struct {
	pauseLabel   string
	pauseOn      bool
	cancelOn     bool
	resumeAnyway bool // Resume anyway is enabled
	retryShown   bool // Retry failed files is offered
	retry        bool // and enabled
	showErrors   bool
	finished     bool
}

// controlsFor is what the buttons allow in p's state, while asked ("pause",
// "resume" or "") is a request the engine has not acted on yet.
func controlsFor(p app.Progress, asked string) controls {
	c := controls{pauseLabel: "Pause", showErrors: p.Errors > 0}
	free := asked == ""
	switch p.State {
	case store.StatePending, store.StateRunning:
		c.pauseOn = free && p.JobID != 0
		c.cancelOn = p.JobID != 0
		if asked == "pause" {
			c.pauseLabel = "Pausing…"
		}
	case store.StatePaused:
		c.pauseLabel, c.pauseOn, c.cancelOn = "Resume", free, true
		if asked == "resume" {
			c.pauseLabel = "Resuming…"
		}
	case store.StateHalted:
		c.pauseLabel, c.cancelOn, c.resumeAnyway = "Resume", true, free
	case store.StateFailed:
		// The library could not be written (a full disk): once the person
		// has made room, the job resumes where the library stopped.
		c.pauseLabel, c.pauseOn, c.cancelOn = "Resume", free, true
		if asked == "resume" {
			c.pauseLabel = "Resuming…"
		}
	case store.StateCompleted:
		c.retryShown = p.Errors > 0
		c.retry = c.retryShown && free
		c.finished = true
	default: // cancelled
		c.finished = true
	}
	return c
}

// show applies snapshot p to the job view. UI goroutine only.
func (v *scanView) show(p app.Progress) {
	if !v.job.Visible() {
		v.empty.Hide()
		v.job.Show()
	}
	v.showState(p)
	v.showBar(p)
	v.showStats(p)
	v.showBanner(p)
	v.showButtons(p)
	v.setTitle(windowTitle(p))
	v.summary.SetText(summaryText(p))
	showIf(v.summary, v.summary.Text != "")
	if v.u.isRun(p.JobID) {
		v.showRunControls(p)
		return
	}
	v.skipped.label.SetText("skipped (not photos or videos)")
	v.undoBtn.Hide()
	v.detailsBtn.Hide()
}

// showState shows the folders and the state word, which tells when a pause
// or resume was asked and not yet answered.
func (v *scanView) showState(p app.Progress) {
	setLabel(v.title, rootsLabel(p.Roots), widget.MediumImportance)
	stateImp := stateImportance(p.State, widget.HighImportance)
	if p.State == store.StateCancelled {
		stateImp = widget.LowImportance
	}
	word := stateWord(p.State)
	switch {
	case p.Compacting:
		word = "Compacting the library…"
	case p.Grouping:
		word = "Finding duplicates…"
	case v.u.asked == "pause" && !p.Finished():
		word = "Pausing…"
	case v.u.asked == "resume":
		word = "Resuming…"
	}
	setLabel(v.state, word, stateImp)
}

// showBar shows the listing (count of files found so far) or the progress
// through the files listed.
func (v *scanView) showBar(p app.Progress) {
	listing := p.Listing && !p.Finished()
	showIf(v.barListing, listing)
	showIf(v.bar, !listing)
	if listing {
		if p.State == store.StatePending || p.State == store.StateRunning {
			v.barListing.Start()
		} else {
			v.barListing.Stop()
		}
		setLabel(v.counts, fmt.Sprintf("Listing files… %s found so far", thousands(p.Total)), widget.MediumImportance)
	} else {
		v.barListing.Stop()
		frac := 0.0
		if p.Total > 0 {
			frac = float64(p.Current) / float64(p.Total)
		}
		v.bar.Max = 1
		v.bar.TextFormatter = func() string {
			return fmt.Sprintf("%s / %s", thousands(p.Current), thousands(p.Total))
		}
		v.bar.SetValue(frac)
		setLabel(v.counts, fmt.Sprintf("%s of %s (%s)", thousands(p.Current), plural(p.Total, "file"), percent(frac)), widget.MediumImportance)
	}
	cur := p.CurrentFile // a scan's, relative to its folder
	if filepath.IsAbs(cur) {
		cur = homeShort(cur) // a change run's whole path, written as the window writes folders
	}
	v.current.SetFull(cur)
	showIf(v.now, !p.Finished() && p.State != store.StatePaused && p.CurrentFile != "")
}

// showStats shows speed, time left, errors (with a warning as the rate
// nears the threshold) and skipped files.
func (v *scanView) showStats(p app.Progress) {
	active := p.State == store.StateRunning
	switch {
	case v.showTook(p):
	case active && p.FilesPerSec > 0:
		v.speed.set(fmt.Sprintf("%.1f", p.FilesPerSec), widget.MediumImportance)
	default:
		v.speed.set("–", widget.LowImportance)
	}
	switch {
	case v.showTook(p):
	case active && p.Remaining > 0:
		v.remaining.set(humanDuration(p.Remaining), widget.MediumImportance)
	case p.State == store.StateCompleted || p.State == store.StateCancelled:
		v.remaining.set("…", widget.LowImportance) // until the job's times are read (finish.go)
	default:
		v.remaining.set("–", widget.LowImportance)
	}

	rate := p.ErrorRate()
	errImp := widget.MediumImportance
	warn := ""
	switch {
	case p.State == store.StateHalted:
		errImp = widget.DangerImportance
	case rate > warnRate && !p.Finished() || rate > warnRate && p.State == store.StatePaused:
		errImp = widget.WarningImportance
		warn = fmt.Sprintf("%s of files failed so far; the scan stops at %s.", percent(rate), percent(p.MaxErrorRate))
	}
	v.errors.set(thousands(p.Errors), errImp)
	setLabel(v.rateWarn, warn, widget.WarningImportance)
	showIf(v.rateWarn, warn != "")
	v.skipped.set(thousands(p.Skipped), widget.MediumImportance)
}

// showBanner explains a halted or failed job.
func (v *scanView) showBanner(p app.Progress) {
	halted := p.State == store.StateHalted || p.State == store.StateFailed
	if halted {
		if p.State == store.StateHalted {
			v.bannerTitle.SetText("The scan stopped because too many files failed")
		} else {
			v.bannerTitle.SetText("The scan failed")
		}
		msg := app.ReadablePath(p.ErrorMessage) // the halt message names failed files
		if msg == "" {
			msg = fmt.Sprintf("%s of %s files failed.", thousands(p.Errors), thousands(p.Current))
		}
		v.bannerMsg.SetText(msg)
	}
	showIf(v.banner, halted)
	showIf(v.bannerErrorsBtn, p.Errors > 0)
}

// showButtons shows the controls that make sense in p's state (controlsFor).
func (v *scanView) showButtons(p app.Progress) {
	halted := p.State == store.StateHalted || p.State == store.StateFailed
	c := controlsFor(p, v.u.asked)
	v.pauseBtn.SetText(c.pauseLabel)
	if c.pauseLabel == "Resume" {
		v.pauseBtn.SetIcon(theme.MediaPlayIcon())
	} else {
		v.pauseBtn.SetIcon(theme.MediaPauseIcon())
	}
	enableIf(v.pauseBtn, c.pauseOn)
	enableIf(v.cancelBtn, c.cancelOn)
	showIf(v.pauseBtn, !c.finished && p.State != store.StateHalted)
	if !c.cancelOn && v.confirm != nil {
		// The job stopped by itself while the person was deciding.
		v.confirm.Hide()
		v.confirm = nil
	}
	showIf(v.cancelBtn, !c.finished)
	enableIf(v.resumeAnywayBtn, c.resumeAnyway)
	showIf(v.resumeAnywayBtn, p.State == store.StateHalted)
	enableIf(v.retryBtn, c.retry)
	showIf(v.retryBtn, c.retryShown)
	enableIf(v.showErrorsBtn, c.showErrors)
	showIf(v.showErrorsBtn, c.showErrors && !halted)
	showIf(v.newScanBtn, c.finished)
	showIf(v.viewFilesBtn, c.finished)
	showIf(v.viewDupsBtn, c.finished)
	setButtonImportance(v.viewDupsBtn, widget.HighImportance) // a run's own view makes it plain again (runs.go)
}

// setButtonImportance sets b's importance, redrawn only when it changes.
func setButtonImportance(b *widget.Button, imp widget.Importance) {
	if b.Importance != imp {
		b.Importance = imp
		b.Refresh()
	}
}

// windowTitle tells how the scan goes in the title bar and task bar.
func windowTitle(p app.Progress) string {
	switch {
	case p.State == store.StateRunning && !p.Listing && p.Total > 0:
		return fmt.Sprintf("%s · %s — Shoebox", percent(float64(p.Current)/float64(p.Total)), rootsLabel(p.Roots))
	case p.State == store.StateRunning || p.State == store.StatePending:
		return "Listing files — Shoebox"
	case p.State == store.StatePaused:
		return "Paused — Shoebox"
	case p.State == store.StateHalted:
		return "Stopped — Shoebox"
	}
	return "Shoebox"
}

func (v *scanView) setTitle(t string) {
	if v.u.win.Title() != t {
		v.u.win.SetTitle(t)
	}
}

// summaryText is the sentence under a stopped job.
func summaryText(p app.Progress) string {
	switch p.State {
	case store.StateCompleted:
		done := p.Current - p.Errors - p.Skipped
		return fmt.Sprintf("All %s files looked at: %s analysed, %s failed, %s skipped.",
			thousands(p.Total), thousands(done), thousands(p.Errors), thousands(p.Skipped))
	case store.StateCancelled:
		return fmt.Sprintf("Cancelled after %s of %s files. What was analysed stays in the library.",
			thousands(p.Current), thousands(p.Total))
	case store.StatePaused:
		return "Paused. Nothing is read until you resume; you can also close Shoebox and resume later."
	}
	return ""
}

// showFound shows what the job has found so far.
func (v *scanView) showFound(f found) {
	v.found.show(f, v.u.prog.State == store.StateCompleted || v.u.prog.State == store.StateCancelled)
	showIf(v.found.root, len(f.latest) > 0)
}

func (v *scanView) showLastError(fe fileError) {
	v.lastError.SetFull("Last error: " + fe.path + " — " + fe.msg)
	v.lastError.Show()
}

func (v *scanView) clearLastError() {
	v.lastError.SetFull("")
	v.lastError.Hide()
}

// tapIfEnabled taps b when it is visible and enabled, for keyboard shortcuts.
func (v *scanView) tapIfEnabled(b *widget.Button) bool {
	if b == nil || b.Disabled() || !b.Visible() || !v.job.Visible() {
		return false
	}
	b.OnTapped()
	return true
}

// togglePause pauses a running job or resumes a paused one.
func (u *UI) togglePause() {
	if u.prog.State == store.StatePaused || u.prog.State == store.StateFailed {
		u.request("resume", "Could not resume the scan", u.eng.Resume)
		return
	}
	u.request("pause", "Could not pause the scan", u.eng.Pause)
}

// request asks the engine to pause or resume the shown job. Until the job's
// state changes (or the engine refuses), the buttons that would ask again
// are disabled.
func (u *UI) request(what, failure string, f func(id uint64) error) {
	id := u.jobID
	if id == 0 || u.asked != "" {
		return
	}
	u.asked = what
	u.scan.show(u.prog)
	u.call(failure, func() error { return f(id) }, func(err error) {
		if err != nil && u.jobID == id {
			u.asked = ""
			u.scan.show(u.prog)
		}
	})
}

// askCancel asks for confirmation, then cancels the shown job.
func (u *UI) askCancel() {
	id := u.jobID
	if id == 0 || u.scan.confirm != nil {
		return
	}
	title, yes, no := "Cancel this scan?", "Cancel scan", "Keep scanning"
	msg := widget.NewLabel("The files analysed so far stay in the library, but this scan cannot be resumed.")
	if u.isRun(id) {
		title, yes, no = "Cancel this run?", "Cancel run", "Keep going"
		msg.SetText("The files already changed stay changed, and Undo puts them back. The others are left as they are.")
	}
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, yes, no, msg, func(ok bool) {
		u.scan.confirm = nil
		if ok {
			u.call("Could not cancel the scan", func() error { return u.eng.Cancel(id) }, nil)
		}
	}, u.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(420, 180))
	u.scan.confirm = d
	u.showDialog(d)
}

func (u *UI) resumeAnyway() {
	u.request("resume", "Could not resume the scan", u.eng.Resume)
}

func (u *UI) retryFailed() {
	u.request("resume", "Could not retry the failed files", u.eng.RetryFailed)
}
