// Package ui is Shoebox's Fyne window. It is the only package that calls fyne.Do.
package ui

import (
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"shoebox/app"
	"shoebox/assets"
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
	lib, err := app.OpenLibraryWith("", app.LibraryOptions{Purpose: "the Shoebox window"})
	if err != nil {
		problemWindow(a, err).ShowAndRun()
		return 1
	}
	u := newUI(a, libraryEngine{lib})
	stop := u.start()
	u.win.SetMaster()
	u.win.ShowAndRun()
	stop()
	if err := lib.Close(); err != nil {
		return 1
	}
	return 0
}
