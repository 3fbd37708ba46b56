// Package ui is Shoebox's Fyne window. It is the only package that calls fyne.Do.
package ui

import (
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

// Run opens the window and returns the process exit status when it closes.
func Run() int {
	a := fyneapp.NewWithID("app.shoebox.Shoebox")
	w := a.NewWindow("Shoebox")
	w.SetContent(widget.NewLabel("Drop a folder here"))
	w.ShowAndRun()
	return 0
}
