package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/assets"
	"shoebox/store"
)

const (
	prefRecent    = "recent_folders"
	maxRecent     = 5
	tabScan       = 0
	tabFiles      = 1
	tabDuplicates = 2
	tabHistory    = 3
	tabSettings   = 4
)

// build lays out the window. UI goroutine only.
func (u *UI) build() {
	u.win.SetIcon(assets.Icon())
	// Setting a theme redraws every window: only when Run has not yet.
	if _, ours := u.app.Settings().Theme().(shoeboxTheme); !ours {
		u.app.Settings().SetTheme(newTheme())
	}
	u.win.SetCloseIntercept(u.askQuit)
	u.scan = newScanView(u)
	u.files = newFilesView(u)
	u.dups = newDupsView(u)
	u.history = newHistoryView(u)
	u.settings = newSettingsView(u)
	u.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Scan", theme.HomeIcon(), u.scan.root),
		container.NewTabItemWithIcon("Files", theme.ListIcon(), u.files.root),
		container.NewTabItemWithIcon("Duplicates", theme.ContentCopyIcon(), u.dups.root),
		container.NewTabItemWithIcon("History", theme.HistoryIcon(), u.history.root),
		container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), u.settings.root),
	)
	u.tabs.OnSelected = func(*container.TabItem) { u.tabChanged() }
	u.win.SetContent(u.tabs)
	u.win.SetOnDropped(u.handleDrop)
	u.addShortcuts()
	u.scan.showEmpty()
}

func (u *UI) tabChanged() {
	switch u.tabs.SelectedIndex() {
	case tabFiles:
		u.files.ensureLoaded()
	case tabDuplicates:
		u.dups.ensureLoaded()
	case tabHistory:
		u.history.reload()
	}
}

// shortcutHelp is shown under the Scan view.
const shortcutHelp = "Ctrl+O choose folder · Ctrl+P pause/resume · Ctrl+. cancel · Ctrl+E errors · Ctrl+R retry · Ctrl+1…5 views · Tab moves, Space presses, Esc closes dialogs"

func (u *UI) addShortcuts() {
	c := u.win.Canvas()
	add := func(key fyne.KeyName, mod fyne.KeyModifier, f func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod}, func(fyne.Shortcut) { f() })
	}
	mod := fyne.KeyModifierShortcutDefault
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			u.dismissTop()
		}
	})
	add(fyne.KeyO, mod, u.chooseFolder)
	add(fyne.KeyP, mod, func() { u.scan.tapIfEnabled(u.scan.pauseBtn) })
	add(fyne.KeyPeriod, mod, func() { u.scan.tapIfEnabled(u.scan.cancelBtn) })
	add(fyne.KeyE, mod, func() { u.scan.tapIfEnabled(u.scan.showErrorsBtn) })
	add(fyne.KeyR, mod, func() {
		if !u.scan.tapIfEnabled(u.scan.resumeAnywayBtn) {
			u.scan.tapIfEnabled(u.scan.retryBtn)
		}
	})
	add(fyne.KeyN, mod, func() { u.scan.tapIfEnabled(u.scan.newScanBtn) })
	for i, k := range []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5} {
		add(k, mod, func() { u.tabs.SelectIndex(i) })
	}
}

// chooseFolder asks for a folder to scan. UI goroutine only.
func (u *UI) chooseFolder() {
	if u.running() {
		u.tellBusy()
		return
	}
	// startJob checks again: a job may have started (a drop, a typed path)
	// while the chooser was open.
	u.askFolder("Choose a folder to scan", existingFolder, func(dir string) { u.startJob([]string{dir}) })
}

// handleDrop is the window's drop handler: folders start one job over all of
// them; anything else is explained.
func (u *UI) handleDrop(_ fyne.Position, items []fyne.URI) {
	var dirs, others []string
	for _, it := range items {
		if it == nil {
			continue
		}
		if it.Scheme() != "file" {
			others = append(others, it.String())
			continue
		}
		p := it.Path()
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			dirs = append(dirs, p)
		} else {
			others = append(others, p)
		}
	}
	if len(dirs) > 0 && u.running() {
		u.tellBusy()
		return
	}
	if len(others) > 0 {
		names := make([]string, 0, 4)
		for i, o := range others {
			if i == 3 {
				names = append(names, fmt.Sprintf("and %d more", len(others)-3))
				break
			}
			names = append(names, filepath.Base(o))
		}
		msg := "Shoebox scans whole folders, so it did not take " + strings.Join(names, ", ") + "."
		if len(dirs) > 0 {
			msg += fmt.Sprintf("\n\nIt is scanning the %d folder(s) you dropped with them.", len(dirs))
		} else {
			msg += "\n\nDrop the folder that holds them instead, or use Choose folder… (Ctrl+O)."
		}
		u.showDialog(dialog.NewInformation("Only folders can be scanned", msg, u.win))
	}
	if len(dirs) > 0 {
		u.startJob(dirs)
	}
}

// startJob asks the engine for a new job over roots. UI goroutine only.
func (u *UI) startJob(roots []string) {
	if u.running() {
		u.tellBusy()
		return
	}
	u.addRecent(roots)
	s, err := u.settings.current()
	if err != nil {
		// The folders wait in Settings, beside the setting to correct.
		u.settings.hold(roots)
		u.showError("The settings need a correction first", err)
		u.tabs.SelectIndex(tabSettings)
		return
	}
	if len(u.settings.waiting) > 0 {
		u.settings.hold(nil) // what waited is scanned now, or given up for another folder
	}
	u.starting = true
	u.scan.showStarting(roots)
	u.spawn(func() {
		id, err := u.eng.Start(roots, s)
		u.do(func() {
			u.starting = false
			if err != nil {
				u.scan.showEmpty()
				u.showError("The scan could not start", err)
				return
			}
			u.setJob(app.Progress{JobID: id, Roots: roots, State: store.StatePending, Listing: true, MaxErrorRate: s.MaxErrorRate})
			u.tabs.SelectIndex(tabScan)
			u.flush()
			if !u.scan.pauseBtn.Disabled() {
				u.win.Canvas().Focus(u.scan.pauseBtn) // Space pauses; Tab reaches Cancel
			}
		})
	})
}

func (u *UI) tellBusy() {
	u.showDialog(dialog.NewInformation("Shoebox is busy",
		"Shoebox runs one scan or change run at a time. Pause or cancel the current one first, or wait for it to finish.", u.win))
}

// showError shows err in a dialog. UI goroutine only.
func (u *UI) showError(title string, err error) {
	u.showDialog(dialog.NewInformation(title, err.Error(), u.win))
}

// showDialog shows d; Escape dismisses the newest open one.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialogs = append(u.dialogs, d)
	d.SetOnClosed(func() {
		for i, o := range u.dialogs {
			if o == d {
				u.dialogs = append(u.dialogs[:i], u.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
}

// dismissTop closes the newest open dialog as its dismiss button would.
func (u *UI) dismissTop() {
	if n := len(u.dialogs); n > 0 {
		u.dialogs[n-1].Dismiss()
	}
}

func (u *UI) recentFolders() []string {
	return u.prefs.StringList(u.libKey(prefRecent))
}

func (u *UI) addRecent(roots []string) {
	list := u.recentFolders()
	for i := len(roots) - 1; i >= 0; i-- {
		r := roots[i]
		out := []string{r}
		for _, old := range list {
			if old != r {
				out = append(out, old)
			}
		}
		list = out
	}
	if len(list) > maxRecent {
		list = list[:maxRecent]
	}
	u.prefs.SetStringList(u.libKey(prefRecent), list)
	u.scan.refreshRecent()
}

// checkInterrupted offers the scans left unfinished: those interrupted when
// Shoebox or the machine died, and those paused (also by quitting mid-scan).
func (u *UI) checkInterrupted() {
	u.spawn(func() {
		jobs, err := u.eng.Interrupted()
		var all []store.Job
		if err == nil {
			all, err = u.eng.Jobs()
		}
		u.do(func() {
			if err != nil {
				u.showError("Could not read the unfinished scans", err)
				return
			}
			u.scan.showInterrupted(unfinished(jobs, all))
			u.openLatest(all)
		})
	})
}

// openLatest shows the newest scan in Files and Duplicates when they show
// none yet, as they did when Shoebox was last closed.
func (u *UI) openLatest(all []store.Job) {
	if u.files.jobID != 0 || u.dups.jobID != 0 {
		return
	}
	var latest *store.Job
	for i, j := range all {
		if isRunJob(j) || j.ProgressTotal == 0 {
			continue
		}
		if latest == nil || j.ID > latest.ID {
			latest = &all[i]
		}
	}
	if latest != nil {
		u.files.load(latest.ID)
		u.dups.load(latest.ID)
	}
}

// unfinished is the interrupted jobs, then the other paused ones, each once.
func unfinished(interrupted, all []store.Job) []store.Job {
	seen := map[uint64]bool{}
	var out []store.Job
	for _, j := range interrupted {
		if isRunJob(j) {
			continue // History offers Undo for it; the Scan view resumes scans
		}
		seen[j.ID] = true
		out = append(out, j)
	}
	for _, j := range all {
		if j.Status == store.StatePaused && !seen[j.ID] && !isRunJob(j) {
			seen[j.ID] = true
			out = append(out, j)
		}
	}
	return out
}

// openJob shows a stored job: in the Scan view when nothing runs, and always
// in Files and Duplicates.
func (u *UI) openJob(j store.Job) {
	if isRunJob(j) {
		u.openRun(j)
		return
	}
	if !u.running() {
		u.setJob(progressFromJob(j))
	} else {
		u.files.load(j.ID)
		u.dups.load(j.ID)
	}
	u.tabs.SelectIndex(tabFiles)
}

// askQuit closes the window at once when nothing runs, and otherwise says
// what happens to the running scan first.
func (u *UI) askQuit() {
	if !u.running() {
		u.closeWindow()
		return
	}
	title, no := "Quit while scanning?", "Keep scanning"
	msg := widget.NewLabel("The scan pauses and keeps what it has analysed. Resume it the next time you open Shoebox.")
	if u.isRun(u.jobID) {
		title, no = "Quit during a change run?", "Keep going"
		msg.SetText("The run stops between two files; its journal says what was done. Undo it from History the next time you open Shoebox.")
	}
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, "Quit", no, msg, func(ok bool) {
		if ok {
			u.closeWindow()
		}
	}, u.win)
	d.Resize(fyne.NewSize(420, 180))
	u.showDialog(d)
}

// problemWindow is shown instead of the main window when the library cannot
// be opened: a second Shoebox on the same library gets a clear explanation.
func problemWindow(a fyne.App, err error) fyne.Window {
	title := "Shoebox cannot open your library"
	msg := "Shoebox keeps what it learns about your photos in a library file, and that file could not be opened."
	var locked *app.LockedError
	switch {
	case errors.As(err, &locked) && locked.Holder != "":
		title = "Your library is in use"
		msg = "Your library is in use by " + locked.Holder + ". Wait for it to finish, or stop it, " +
			"then open Shoebox again."
	case errors.Is(err, app.ErrLibraryLocked):
		title = "Shoebox is already open"
		msg = "Your library is in use by another Shoebox window or command. Switch to that window, " +
			"or close it and open Shoebox again."
	}
	w := a.NewWindow("Shoebox")
	w.SetIcon(assets.Icon())
	t := heading(title)
	m := widget.NewLabel(msg)
	m.Wrapping = fyne.TextWrapWord
	detail := caption(err.Error())
	detail.Wrapping = fyne.TextWrapWord
	ok := widget.NewButton("Close", func() { w.Close() })
	ok.Importance = widget.HighImportance
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewHBox(layoutSpacer(), ok), nil, nil,
		container.NewVBox(container.NewBorder(nil, nil, iconImage(48), nil, t), m, detail))))
	w.Resize(fyne.NewSize(520, 240))
	w.Canvas().Focus(ok)
	return w
}
