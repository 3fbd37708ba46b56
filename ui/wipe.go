package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// The question people ask before formatting an SD card or deleting an old
// backup: does every file in this folder have a verified copy elsewhere in
// the library? The engine answers (app.Library.Unique); this asks for the
// folder and shows the answer.

// chooseWipeCheck asks for a folder, then checks it.
func (u *UI) chooseWipeCheck() {
	u.askFolder("Choose the card or folder to check", existingFolder, u.checkWipe)
}

// checkWipe runs the check off the UI goroutine, with a dialog while it runs.
func (u *UI) checkWipe(dir string) {
	ctx, cancel := context.WithCancel(context.Background())
	wait := dialog.NewCustom("Is "+homeShort(dir)+" safe to wipe?", "Stop", container.NewVBox(
		widget.NewLabel("Looking for a verified copy of each file elsewhere in the library…"),
		widget.NewProgressBarInfinite()), u.win)
	wait.SetOnClosed(cancel)
	u.showDialog(wait) // Escape stops the check
	u.spawn(func() {
		rep, err := u.eng.Unique(ctx, dir, app.UniqueOptions{})
		u.do(func() {
			stopped := ctx.Err() != nil
			wait.Hide()
			cancel()
			if stopped {
				return
			}
			if err != nil {
				u.showError("Could not check "+homeShort(dir), err)
				return
			}
			u.showWipeReport(rep)
		})
	})
}

// wipeVerdict is the answer in one sentence.
func wipeVerdict(rep app.UniqueReport) (title, text string) {
	where := homeShort(rep.Dir)
	switch {
	case rep.Total == 0:
		return "Nothing to save", fmt.Sprintf("%s holds no files.", where)
	case len(rep.Files) == 0:
		text = fmt.Sprintf("Each of the %s under %s has a verified copy elsewhere in the library: it is safe to wipe.",
			plural(rep.Total, "file"), where)
		if rep.Warning != "" {
			text += "\n" + rep.Warning
		}
		return "Safe to wipe", text
	}
	if len(rep.Files) == rep.Total {
		text = fmt.Sprintf("None of the %s under %s has a copy elsewhere in the library.", plural(rep.Total, "file"), where)
	} else {
		text = fmt.Sprintf("%s of the %s under %s %s no copy elsewhere in the library.",
			plural(len(rep.Files), "file"), plural(rep.Total, "file"), where, hasHave(len(rep.Files)))
	}
	text += fmt.Sprintf(" Copy %s somewhere safe before you wipe it.", themOrIt(len(rep.Files)))
	if rep.Unknown > 0 {
		text += fmt.Sprintf(" %d of them the library has never seen: scan %s, then ask again.", rep.Unknown, where)
	}
	if rep.Warning != "" {
		text += "\n" + rep.Warning
	}
	return "Not safe to wipe yet", text
}

func hasHave(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

func themOrIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// showWipeReport shows the verdict and, when some files must be saved, their
// list with the reason for each and a button to copy the list.
func (u *UI) showWipeReport(rep app.UniqueReport) {
	title, text := wipeVerdict(rep)
	verdict := widget.NewLabel(text)
	verdict.Wrapping = fyne.TextWrapWord
	if len(rep.Files) == 0 {
		d := dialog.NewCustom(title, "Close", verdict, u.win)
		d.Resize(fyne.NewSize(620, 220))
		u.showDialog(d)
		return
	}
	list := widget.NewList(
		func() int { return len(rep.Files) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			f := rep.Files[id]
			o.(*widget.Label).SetText(homeShort(f.Path) + " — " + homeShortIn(f.Reason))
		})
	// The copied list has each whole path and reason (a row may cut them).
	var lines []string
	for _, f := range rep.Files {
		lines = append(lines, f.Path+"\t"+f.Reason)
	}
	copyList := widget.NewButtonWithIcon("Copy the list", theme.ContentCopyIcon(), func() {
		u.app.Clipboard().SetContent(strings.Join(lines, "\n"))
	})
	buttons := container.NewHBox(copyList)
	var d *dialog.CustomDialog
	if rep.Unknown > 0 {
		scan := widget.NewButtonWithIcon("Scan "+homeShort(rep.Dir), theme.SearchIcon(), func() {
			d.Hide()
			u.startJob([]string{rep.Dir})
		})
		scan.Importance = widget.HighImportance
		buttons.Add(scan)
	}
	body := container.NewBorder(verdict, buttons, nil, nil, list)
	d = dialog.NewCustom(title, "Close", body, u.win)
	d.Resize(fyne.NewSize(900, 560))
	u.showDialog(d)
}
