package ui

import (
	"image"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"

	"shoebox/app"
	"shoebox/store"
)

// pumpInterval is how often the pump looks for new snapshots: at most ten
// applications a second.
const pumpInterval = 100 * time.Millisecond

// UI is the Shoebox window. Fields below "UI goroutine only" are touched only
// from fyne callbacks or from functions handed to do.
type UI struct {
	app   fyne.App
	win   fyne.Window
	eng   Engine
	prefs fyne.Preferences
	// library is the library's path, which keys its own preferences
	// (prefs.go); "" keeps them shared.
	library string

	// do runs f on the UI goroutine (fyne.Do). spawn runs f off it (go f()).
	// Tests replace both.
	do    func(f func())
	spawn func(f func())
	now   func() time.Time
	// system opens a file in its viewer or shows it in its folder
	// (systemOpen); tests record the calls instead.
	system func(how openHow, path string) error
	// picker shows the system's folder chooser (systemPicker); tests
	// replace it.
	picker folderPicker

	mu        sync.Mutex
	pending   map[uint64]app.Progress   // latest snapshot per job, not yet applied
	lastErr   map[uint64]fileError      // latest failed file per job, not yet applied
	lastState map[uint64]store.JobState // state of the latest snapshot per job
	moved     map[uint64]bool           // the job's state changed since the last flush
	scheduled bool                      // a flush has been handed to do and has not run yet

	thumbSem chan struct{} // at most two thumbnails decode at once
	// ticking: a sign counts the seconds waited (dups_busy.go), so the pump
	// flushes every tick even with no snapshot pending.
	ticking atomic.Bool
	// fg: while Duplicates reads groups kept for it, Files' rows wait.
	fg foreground

	// UI goroutine only.
	jobID    uint64       // the job the Scan view shows; 0 = empty state
	prog     app.Progress // what the Scan view shows
	asked    string       // "pause" or "resume" was asked and the job's state has not changed yet
	starting bool         // Start was asked and has not returned yet
	thumbs   map[string]image.Image
	dialogs  []dialog.Dialog    // open dialogs, newest last
	runs     map[uint64]runInfo // change runs the window has shown (runs.go)
	organise *organiseForm      // the Organise… dialog last opened (organise.go)
	ledger   *ledgerView        // the ledger last opened (organise_ledger.go)
	verdicts map[uint64]string  // organise runs' summaries from their ledgers, once read

	foreground bool // the window is in front (finish.go)
	picking    bool // a folder chooser is open (picker.go)

	tabs     *container.AppTabs
	scan     *scanView
	files    *filesView
	dups     *dupsView
	history  *historyView
	settings *settingsView
}

type fileError struct {
	path, msg string
}

// newUI builds the window and its views. It does not call the engine except
// SetCallbacks; start does the rest.
func newUI(a fyne.App, eng Engine) *UI {
	return newUIIn(a, newMainWindow(a), eng)
}

// newMainWindow makes the main window, empty, at the size it had when it was
// last closed.
func newMainWindow(a fyne.App) fyne.Window {
	w := a.NewWindow("Shoebox")
	w.Resize(savedWindowSize(a.Preferences()))
	return w
}

// newUIIn builds the views in win, which may already be shown at the size
// the person gives it (startup.go).
func newUIIn(a fyne.App, win fyne.Window, eng Engine) *UI {
	u := &UI{
		app:       a,
		eng:       eng,
		prefs:     a.Preferences(),
		do:        fyne.Do,
		spawn:     func(f func()) { go f() },
		now:       time.Now,
		system:    systemOpen,
		picker:    systemPicker,
		pending:   map[uint64]app.Progress{},
		lastErr:   map[uint64]fileError{},
		lastState: map[uint64]store.JobState{},
		moved:     map[uint64]bool{},
		thumbSem:  make(chan struct{}, 2),
		thumbs:    map[string]image.Image{},
		runs:      map[uint64]runInfo{},
		verdicts:  map[uint64]string{},
	}
	u.library = libraryPath(eng)
	u.adoptSharedPrefs()
	u.win = win
	u.watchForeground()
	u.build()
	eng.SetCallbacks(app.Callbacks{OnProgress: u.onProgress, OnFileError: u.onFileError})
	return u
}

// onProgress is called from engine goroutines: it only records the snapshot.
func (u *UI) onProgress(p app.Progress) {
	u.mu.Lock()
	u.pending[p.JobID] = p
	// Only the newest snapshot is shown, so remember that the state moved
	// even when it came back (COMPLETED, RUNNING, COMPLETED in one tick).
	if u.lastState[p.JobID] != p.State {
		u.lastState[p.JobID] = p.State
		u.moved[p.JobID] = true
	}
	u.mu.Unlock()
}

// onFileError is called from engine goroutines: it only records the error.
func (u *UI) onFileError(jobID uint64, relPath, msg string) {
	u.mu.Lock()
	u.lastErr[jobID] = fileError{relPath, msg}
	u.mu.Unlock()
}

// pump hands one flush at a time to the UI goroutine on each tick that
// found something new, until stop is closed.
func (u *UI) pump(ticks <-chan time.Time, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-ticks:
			u.mu.Lock()
			need := !u.scheduled && (len(u.pending) > 0 || len(u.lastErr) > 0 || u.ticking.Load())
			if need {
				u.scheduled = true
			}
			u.mu.Unlock()
			if need {
				u.do(u.flush)
			}
		}
	}
}

// flush applies the newest snapshot of the shown job. UI goroutine only.
func (u *UI) flush() {
	u.mu.Lock()
	p, ok := u.pending[u.jobID]
	others := false
	for id := range u.pending {
		if id != u.jobID {
			others = true
		}
	}
	fe, feOK := u.lastErr[u.jobID]
	seen := compareState
	if u.moved[u.jobID] {
		seen = stateMoved
	}
	clear(u.moved)
	clear(u.pending)
	clear(u.lastErr)
	u.scheduled = false
	u.mu.Unlock()

	if feOK {
		u.scan.showLastError(fe)
	}
	if ok && u.jobID != 0 {
		u.applyProgress(p, seen)
	}
	if others {
		u.history.reload()
	}
	if u.jobID != 0 && !u.prog.Finished() && !u.isRun(u.jobID) {
		u.files.tick()
	}
	u.dups.tickBusy()
}

// stateNews says how applyProgress learns whether a job's state moved.
type stateNews int

const (
	compareState stateNews = iota // moved if it differs from the snapshot shown
	stateMoved                    // moved since the last one shown, even if it is the same again
)

// applyProgress shows a snapshot of the current job. UI goroutine only.
func (u *UI) applyProgress(p app.Progress, news stateNews) {
	prev := u.prog
	if p.MaxErrorRate == 0 {
		p.MaxErrorRate = prev.MaxErrorRate
	}
	if len(p.Roots) == 0 {
		p.Roots = prev.Roots
	}
	u.prog = p
	u.files.afterJob(p)
	if news == stateMoved || p.State != prev.State {
		// A request is answered once the state moves (listing turning into
		// analysing is no answer to Pause).
		running := p.State == store.StateRunning || p.State == store.StatePending
		if u.asked != "" && !(u.asked == "pause" && running) {
			u.asked = ""
		}
		if p.Finished() {
			// Live: the window saw this job running and now sees it stop.
			live := prev.JobID == p.JobID && !prev.Finished() && prev.State != ""
			u.finished(p, live)
		}
		switch {
		case p.Finished() && u.isRun(p.JobID):
			// The scan's duplicates are planned again: files moved are gone.
			u.history.reload()
			u.dups.loaded = 0
			u.dups.load(u.dups.jobID)
			u.runFinished(p.JobID)
		case p.Finished():
			u.history.reload()
			u.files.load(p.JobID)
			u.dups.load(p.JobID)
		}
	}
	u.scan.show(p)
}

// setJob makes id the job the Scan view shows, starting from snapshot p.
func (u *UI) setJob(p app.Progress) {
	u.jobID = p.JobID
	u.prog = app.Progress{}
	u.asked = ""
	u.scan.clearLastError()
	u.scan.found.root.Hide()
	u.scan.runSum = nil
	u.applyProgress(p, compareState)
	if u.isRun(p.JobID) {
		return // Files and Duplicates go on showing their scan
	}
	u.files.load(p.JobID)
	u.dups.load(p.JobID)
}

// clearJob goes back to the empty state.
func (u *UI) clearJob() {
	u.jobID = 0
	u.prog = app.Progress{}
	u.asked = ""
	u.scan.showEmpty()
}

// running reports whether the shown job is still doing work.
func (u *UI) running() bool {
	return u.starting || (u.jobID != 0 && !u.prog.Finished())
}

// start runs the pump and the start-up checks. It returns a func that stops
// the pump, and returns once it has stopped.
func (u *UI) start() (stop func()) {
	done, ended := make(chan struct{}), make(chan struct{})
	t := time.NewTicker(pumpInterval)
	go func() {
		defer close(ended)
		u.pump(t.C, done)
	}()
	u.checkInterrupted()
	u.history.reload()
	u.settings.change.load()
	var once sync.Once
	return func() {
		once.Do(func() {
			t.Stop()
			close(done)
			<-ended // no flush is handed on after stop returns
		})
	}
}

// call runs an engine call off the UI goroutine and hands its error, if
// any, to a dialog on the UI goroutine, then runs after (which may be nil)
// there too.
func (u *UI) call(what string, f func() error, after func(err error)) {
	u.spawn(func() {
		err := f()
		u.do(func() {
			if err != nil {
				u.showError(what, err)
			}
			if after != nil {
				after(err)
			}
		})
	})
}
