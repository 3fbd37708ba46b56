package ui

import (
	"errors"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"shoebox/app"
	"shoebox/assets"
	"shoebox/store"
)

// AppID is the application ID; FyneApp.toml carries the same.
const AppID = "app.shoebox.Shoebox"

// Run opens the window and returns the process exit status when it closes.
func Run() int {
	if err := displayProblem(); err != nil {
		fmt.Fprintln(os.Stderr, noDisplayMessage(err))
		return 1
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(assets.Icon())
	a.Settings().SetTheme(newTheme())
	var lib *app.Library
	stop := func() {}
	// show opens the main window on an open library.
	show := func(l *app.Library) *UI {
		lib = l
		u := newUI(a, l)
		stop = u.start()
		u.win.SetMaster()
		return u
	}
	// Idle for 3 s, the window lets `shoebox report` and `jobs` read the
	// library from a terminal (issue 14); a job keeps the lock while it runs.
	opt := app.LibraryOptions{Purpose: "the Shoebox window", ReleaseWhenIdle: 3 * time.Second}
	l, err := app.OpenLibraryWith("", opt)
	var damage *store.DamagedError
	switch {
	case errors.As(err, &damage):
		// Offer to recover or restore; the repaired library then opens in
		// the main window (on the UI goroutine, from the damaged window).
		damagedWindow(a, err, repairFor(damage.Path, func(path string) error {
			l, err := app.OpenLibraryWith(path, opt)
			if err != nil {
				return err
			}
			fyne.Do(func() { show(l).win.Show() })
			return nil
		})).ShowAndRun()
		if lib == nil {
			return 1
		}
	case err != nil:
		problemWindow(a, err).ShowAndRun()
		return 1
	default:
		show(l).win.ShowAndRun()
	}
	stop()
	if err := lib.Close(); err != nil {
		return 1
	}
	return 0
}
