package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// typedFolderDialog is where a folder is chosen when the system's chooser
// cannot be used (no desktop portal, say): a path typed or pasted, checked
// as the Scan tab's is (checkFolder; a destination may not exist yet), or
// Fyne's folder dialog behind Browse. Fyne's dialog alone takes no typed
// path, and it lists no Pictures folder where the desktop names none
// (issue 14). title says what the folder is for; chosen gets it, and
// nothing when cancelled.
func (u *UI) typedFolderDialog(title string, use folderUse, chosen func(dir string)) {
	check := checkFolder
	if use == destinationFolder {
		check = checkDestination
	}
	entry := newEntry()
	entry.SetPlaceHolder("~/Pictures")
	if start := u.startFolderFor(use); start != "" {
		entry.SetText(homeShort(start))
	}
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	problem.Wrapping = fyne.TextWrapWord
	problem.Hide()
	entry.OnChanged = func(string) { problem.Hide() }

	var d *dialog.CustomDialog
	useFolder := func() {
		dir, err := check(entry.Text)
		if err != nil {
			problem.SetText(upperFirst(err.Error()) + ".")
			problem.Show()
			return
		}
		d.Hide()
		chosen(dir)
	}
	entry.OnSubmitted = func(string) { useFolder() }
	browse := widget.NewButtonWithIcon("Browse…", theme.FolderOpenIcon(), func() {
		d.Hide()
		u.fyneFolderDialog(chosen)
	})
	useBtn := widget.NewButtonWithIcon("Use this folder", theme.ConfirmIcon(), useFolder)
	useBtn.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	content := container.NewVBox(
		wrapped("Type or paste the folder's path (~ is your home folder), or browse for it."),
		container.NewBorder(nil, nil, nil, browse, entry),
		problem,
	)
	d = dialog.NewCustomWithoutButtons(title, content, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, useBtn})
	d.Resize(fyne.NewSize(640, d.MinSize().Height))
	u.showDialog(d)
	// Focused with the start folder selected: typing replaces it, an arrow
	// key keeps it to add to.
	u.win.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}
