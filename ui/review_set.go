package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// setDateDialog asks for a date typed by the person, checked as they type.
type setDateDialog struct {
	dlg   *dialog.CustomDialog
	entry *appEntry
	err   *widget.Label
	apply *widget.Button
}

// openSetDate asks for the date of the files at paths; what names them in
// words. The files table selects one file at a time, so paths is the
// selected file.
func (v *filesView) openSetDate(paths []string, what string) {
	s := &setDateDialog{}
	s.entry = newEntry()
	s.entry.SetPlaceHolder("2009, 2009-07, 2009-07-14 or 2009-07-14 15:04:05+02:00")
	s.err = widget.NewLabel("")
	s.err.Importance = widget.DangerImportance
	s.err.Wrapping = fyne.TextWrapWord
	s.apply = widget.NewButton("Apply", func() {
		date := strings.TrimSpace(s.entry.Text)
		if !s.check(v.u) {
			return
		}
		s.dlg.Hide()
		v.setDlg = nil
		v.setDate(paths, date)
	})
	s.apply.Importance = widget.HighImportance
	s.entry.OnChanged = func(string) { s.check(v.u) }
	s.entry.OnSubmitted = func(string) { s.apply.OnTapped() }
	cancel := widget.NewButton("Cancel", func() { s.dlg.Hide(); v.setDlg = nil })
	scope := fmt.Sprintf("The date of %s, decided by you. The table selects one file at a time, so this "+
		"applies to the selected file only. No file is changed until the dates are written back.", what)
	if len(paths) > 1 {
		scope = fmt.Sprintf("The date of %d files, decided by you. No file is changed until the dates are "+
			"written back.", len(paths))
	}
	info := widget.NewLabel(scope)
	info.Wrapping = fyne.TextWrapWord
	hint := caption("A year, a month or a day is enough when that is all you know; add +hh:mm when you know the offset.")
	hint.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(info, s.entry, s.err, hint)
	s.dlg = dialog.NewCustomWithoutButtons("Set date", content, v.u.win)
	s.dlg.SetButtons([]fyne.CanvasObject{cancel, s.apply})
	s.check(v.u)
	s.dlg.Resize(fyne.NewSize(520, 320)) // wrapped labels ask for more height than they use
	v.setDlg = s
	v.u.showDialog(s.dlg)
	v.u.win.Canvas().Focus(s.entry)
}

// check validates the typed date with app.ParseDate: the error in words
// under the field, Apply only for a date SetDate takes. An empty field is
// no error yet, but nothing to apply.
func (s *setDateDialog) check(u *UI) bool {
	text := strings.TrimSpace(s.entry.Text)
	if text == "" {
		s.err.SetText("")
		s.apply.Disable()
		return false
	}
	if _, err := app.ParseDate(text, u.now()); err != nil {
		s.err.SetText(err.Error())
		s.apply.Disable()
		return false
	}
	s.err.SetText("")
	s.apply.Enable()
	return true
}
