package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// The bulk corrections that take a date from somewhere for the selected
// files: a typed date, the date in the file name, Google Takeout's date.

// Which candidate "Use the … date" accepts.
const (
	fromName    = app.DatesFromName
	fromTakeout = app.DatesFromTakeout
)

// errNoSelection is what a dialog says when no file is selected.
var errNoSelection = errors.New("no file is selected: click one, Shift-click another to select the files between, or use Select all shown")

// openBulkSet asks for one date for every selected file.
func (u *UI) openBulkSet(b *bulkSel) {
	entry := newEntry()
	entry.SetPlaceHolder("2009, 2009-07, 2009-07-14 or 2009-07-14 15:04:05+02:00")
	n := len(b.paths())
	info := widget.NewLabel(fmt.Sprintf("One date for the %s selected, decided by you. A year, a month or a day is "+
		"enough when that is all you know. No file is changed until the dates are written to the files.", plural(n, "file")))
	info.Wrapping = fyne.TextWrapWord
	paths := b.paths()
	g := u.openBulkDialog(b, "Set a date for the selected files", container.NewVBox(info, labelled("Date", entry)),
		func() (app.DatesChange, error) {
			if len(paths) == 0 {
				return app.DatesChange{}, errNoSelection
			}
			date := strings.TrimSpace(entry.Text)
			if _, err := app.ParseDate(date, u.now()); err != nil {
				return app.DatesChange{}, err
			}
			return app.DatesChange{Op: app.DatesSet, Date: date, Selection: app.DatesSelection{Paths: paths}}, nil
		}, false)
	entry.OnChanged = func(string) { g.stale() }
	entry.OnSubmitted = func(string) { g.preview() }
	u.win.Canvas().Focus(entry)
}

// openBulkFrom accepts the file-name or the Takeout date for every
// selected file; the preview comes at once, as there is nothing to fill in.
func (u *UI) openBulkFrom(b *bulkSel, op string) {
	title, what := "Use the file-name date", "the date in its file name (IMG_20160301_120000.jpg, 2016-03-01 12.00.00.png…)"
	if op == fromTakeout {
		title, what = "Use the Takeout date", "the photoTakenTime of its Google Takeout JSON, in the local time of the "+
			"photo (its own offset, else this computer's zone)"
	}
	paths := b.paths()
	info := widget.NewLabel(fmt.Sprintf("Each of the %s selected gets %s. A file where the scan found no such "+
		"date is left as it is.", plural(len(paths), "file"), what))
	info.Wrapping = fyne.TextWrapWord
	u.openBulkDialog(b, title+" for the selected files", info, func() (app.DatesChange, error) {
		if len(paths) == 0 {
			return app.DatesChange{}, errNoSelection
		}
		return app.DatesChange{Op: op, Selection: app.DatesSelection{Paths: paths}}, nil
	}, true)
}
