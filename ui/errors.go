package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shoebox/store"
)

// showErrors lists the failed files of the shown job in a dialog.
func (u *UI) showErrors() {
	id := u.jobID
	if id == 0 {
		return
	}
	u.spawn(func() {
		recs, err := u.eng.FailedFiles(id)
		u.do(func() {
			if err != nil {
				u.showError("Could not read the failed files", err)
				return
			}
			u.showDialog(u.errorsDialog(recs))
		})
	})
}

// errorsDialog is a two-column list of failed files and why.
func (u *UI) errorsDialog(recs []store.FileRecord) dialog.Dialog {
	t := widget.NewTable(
		func() (int, int) { return len(recs), 2 },
		func() fyne.CanvasObject { return newMiddleLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*middleLabel)
			r := recs[id.Row]
			if id.Col == 0 {
				l.SetFull(r.RelPath)
			} else {
				l.SetFull(r.Error)
			}
		})
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject { return widget.NewLabelWithStyle("", 0, fyne.TextStyle{Bold: true}) }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		o.(*widget.Label).SetText([]string{"File", "Why it failed"}[id.Col])
	}
	t.SetColumnWidth(0, 360)
	t.SetColumnWidth(1, 580)
	var content fyne.CanvasObject = t
	if len(recs) == 0 {
		content = widget.NewLabel("No file has failed in this scan.")
	}
	d := dialog.NewCustom(fmt.Sprintf("Files that failed (%s)", thousands(len(recs))), "Close",
		container.NewStack(content), u.win)
	d.Resize(fyne.NewSize(1000, 560))
	return d
}
