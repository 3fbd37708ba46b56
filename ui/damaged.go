package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/assets"
	"shoebox/store"
)

// libraryRepair is what the window offers for a damaged library. Run gives
// the real functions (repairFor); tests give fakes.
type libraryRepair struct {
	// recover copies what is readable into a new library and returns its
	// path and a sentence saying what was saved and lost.
	recover func() (path, summary string, err error)
	// restore copies the latest backup into a new library; nil when there
	// is no backup.
	restore func() (path string, err error)
	// open opens a repaired library in the main window.
	open      func(path string) error
	do, spawn func(func())
}

// repairFor is the real repair of the library at path: the new library is
// written beside it (library-recovered-<time>.db, library-restored-<time>.db)
// and the damaged file is never written.
func repairFor(path string, open func(string) error) libraryRepair {
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	beside := func(what string) string {
		return filepath.Join(filepath.Dir(path), stem+"-"+what+"-"+time.Now().UTC().Format("20060102T150405Z")+".db")
	}
	r := libraryRepair{open: open, do: fyne.Do, spawn: func(f func()) { go f() }}
	// The repaired library takes the damaged one's place, so the next start
	// opens it too; the damaged file stays beside it (PutRepairedInPlace).
	inPlace := func(out string) (string, error) {
		kept, err := app.PutRepairedInPlace(path, out, time.Now())
		if err != nil {
			return "", err
		}
		return kept, nil
	}
	r.recover = func() (string, string, error) {
		out := beside("recovered")
		rep, err := store.Recover(path, out)
		if err != nil {
			return "", "", err
		}
		kept, err := inPlace(out)
		if err != nil {
			return "", "", err
		}
		return path, fmt.Sprintf("%d jobs and %d files saved; %d records could not be read. The damaged file is kept as %s.",
			rep.Jobs, rep.Files, rep.LostFiles+rep.LostJobs, kept), nil
	}
	if list, err := store.Backups(path); err == nil && len(list) > 0 {
		r.restore = func() (string, error) {
			out := beside("restored")
			if _, err := app.RestoreBackup(path, "latest", out); err != nil {
				return "", err
			}
			if _, err := inPlace(out); err != nil {
				return "", err
			}
			return path, nil
		}
	}
	return r
}

// damagedWindow tells that the library is damaged and offers to recover
// what is readable into a new library or to restore the latest backup.
func damagedWindow(a fyne.App, err error, r libraryRepair) fyne.Window {
	w := a.NewWindow("Shoebox")
	w.SetIcon(assets.Icon())
	msg := widget.NewLabel("Part of the library file is damaged (a disk fault or an interrupted copy), so Shoebox " +
		"cannot use it as it is. Nothing has been changed in it. Shoebox can copy everything still readable into a " +
		"new library, or go back to the latest backup, and use that from now on; the damaged file is kept beside it.")
	msg.Wrapping = fyne.TextWrapWord
	detail := caption(err.Error())
	detail.Wrapping = fyne.TextWrapWord
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	status.Hide()

	var buttons []*widget.Button
	setEnabled := func(on bool) {
		for _, b := range buttons {
			if on {
				b.Enable()
			} else {
				b.Disable()
			}
		}
	}
	// run does one repair off the UI goroutine, then opens its result.
	run := func(doing string, repair func() (string, string, error)) {
		setEnabled(false)
		status.SetText(doing)
		status.Show()
		r.spawn(func() {
			path, summary, err := repair()
			if err == nil {
				err = r.open(path) // open hands the result to the main window
			}
			r.do(func() {
				if err != nil {
					status.SetText("That did not work: " + err.Error())
					setEnabled(true)
					return
				}
				status.SetText(summary)
				w.Close()
			})
		})
	}
	recoverBtn := widget.NewButton("Recover into a new library", func() {
		run("Copying everything readable into a new library…", r.recover)
	})
	recoverBtn.Importance = widget.HighImportance
	buttons = append(buttons, recoverBtn)
	if r.restore != nil {
		buttons = append(buttons, widget.NewButton("Restore latest backup", func() {
			run("Restoring the latest backup…", func() (string, string, error) {
				p, err := r.restore()
				return p, "The latest backup is restored.", err
			})
		}))
	}
	row := container.NewHBox(layoutSpacer())
	for _, b := range buttons {
		row.Add(b)
	}
	row.Add(widget.NewButton("Close", func() { w.Close() }))
	w.SetContent(container.NewPadded(container.NewBorder(nil, row, nil, nil,
		container.NewVBox(container.NewBorder(nil, nil, iconImage(48), nil, heading("Your library is damaged")),
			msg, detail, status))))
	w.Resize(fyne.NewSize(620, 300))
	w.Canvas().Focus(recoverBtn)
	return w
}
