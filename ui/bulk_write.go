package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// "Write dates to files…": the decided dates go where other programs read
// them, as a change run (app.Library.WriteDates) that the Scan view follows
// like any other and that History lists with Undo. The dialog previews the
// run with PlanDatesWrite before anything is written.

// Where the dialog writes, as it says it.
const (
	writeXMPWords  = "An XMP sidecar beside each file (the files themselves are not touched)"
	writeEXIFWords = "Inside the file (JPEG EXIF, video QuickTime dates; any other file gets a sidecar instead)"
	writeAllWords  = "Every file with a decided date"
)

// writeForm is the open "Write dates to files…" dialog. UI goroutine only.
type writeForm struct {
	u       *UI
	d       *dialog.CustomDialog
	where   *widget.RadioGroup
	mtime   *widget.Check
	noon    *widget.Check
	scope   *widget.RadioGroup
	paths   []string
	sum     *widget.Label
	out     *widget.Label
	write   *widget.Button
	planned *app.DatesWriteOptions // the options of the preview shown
}

// openWriteDates opens the dialog; the preview of the defaults comes at once.
func (u *UI) openWriteDates(b *bulkSel) {
	f := &writeForm{u: u, paths: b.paths()}
	f.where = widget.NewRadioGroup([]string{writeXMPWords, writeEXIFWords}, func(string) { f.stale() })
	f.where.SetSelected(writeXMPWords)
	f.mtime = widget.NewCheck("Also set each file's modification time to the date taken", func(bool) { f.stale() })
	f.noon = widget.NewCheck("Use 12:00 for dates known only to the day", func(bool) { f.stale() })
	noonNote := caption("EXIF and modification times need a time of day; without 12:00 a date known only to the day is written to its sidecar only.")
	noonNote.Wrapping = fyne.TextWrapWord
	selected := fmt.Sprintf("The %s selected", plural(len(f.paths), "file"))
	f.scope = widget.NewRadioGroup([]string{writeAllWords, selected}, func(string) { f.stale() })
	f.scope.SetSelected(writeAllWords)
	f.sum = widget.NewLabel("")
	f.sum.Wrapping = fyne.TextWrapWord
	f.out = widget.NewLabel("")
	f.out.TextStyle = fyne.TextStyle{Monospace: true}
	preview := widget.NewButtonWithIcon("Preview", theme.SearchIcon(), f.preview)
	f.write = widget.NewButtonWithIcon("Write", theme.DocumentSaveIcon(), f.confirm)
	f.write.Importance = widget.HighImportance
	f.write.Disable()
	cancel := widget.NewButton("Cancel", func() { f.d.Hide() })
	intro := widget.NewLabel("The dates decided so far are written where other programs read them. Every old value " +
		"is kept in the run's journal: Undo, here or in History, puts each one back.")
	intro.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(intro, widget.NewLabel("Write to"), f.where, f.mtime, f.noon, noonNote,
		widget.NewLabel("For"), f.scope, container.NewHBox(preview), widget.NewSeparator(), f.sum)
	f.d = dialog.NewCustomWithoutButtons("Write dates to files", container.NewBorder(form, nil, nil, nil,
		container.NewScroll(f.out)), u.win)
	f.d.SetButtons([]fyne.CanvasObject{cancel, f.write})
	f.d.Resize(fyne.NewSize(860, 730))
	u.showDialog(f.d)
	f.preview()
}

// options is what the form asks for.
func (f *writeForm) options() app.DatesWriteOptions {
	opt := app.DatesWriteOptions{To: []string{app.WriteXMP}}
	if f.where.Selected == writeEXIFWords {
		opt.To = []string{app.WriteEXIF}
	}
	if f.mtime.Checked {
		opt.To = append(opt.To, app.WriteMtime)
	}
	if f.noon.Checked {
		opt.Noon = app.NoonAgreed
	}
	if f.scope.Selected != writeAllWords {
		opt.Paths = f.paths
	}
	return opt
}

func (f *writeForm) stale() {
	if f.planned == nil {
		return
	}
	f.planned = nil
	f.write.Disable()
	f.sum.SetText("The choice changed: press Preview again.")
	f.out.SetText("")
}

// preview asks the core what the run would write.
func (f *writeForm) preview() {
	opt := f.options()
	if f.scope.Selected != writeAllWords && len(opt.Paths) == 0 {
		setLabel(f.sum, errNoSelection.Error(), widget.DangerImportance)
		return
	}
	u := f.u
	u.spawn(func() {
		writes, err := u.eng.PlanDatesWrite(opt)
		u.do(func() {
			if err != nil {
				setLabel(f.sum, "No preview: "+err.Error(), widget.DangerImportance)
				return
			}
			sum, rows, n := writeText(writes)
			setLabel(f.sum, sum, widget.MediumImportance)
			f.out.SetText(rows)
			f.planned = &opt
			enableIf(f.write, n > 0)
			f.write.SetText(fmt.Sprintf("Write %s", plural(n, "value")))
		})
	})
}

// writeText says what a planned run writes: the summary, the first rows
// (file, field, old → new, and a note when it fell back), and how many
// values are written.
func writeText(writes []app.DateWrite) (summary, rows string, n int) {
	var lines []string
	why := map[string]int{}
	left := 0
	for _, w := range writes {
		if w.Field == "" || strings.HasPrefix(w.Note, "left alone") {
			why[strings.TrimPrefix(w.Note, "left alone: ")]++
			left++
			continue
		}
		n++
		if len(lines) < previewRows {
			line := fmt.Sprintf("%-34s %-5s %s → %s", shortPath(w.Path), w.Field, dateText(w.Old), dateText(w.New))
			if w.Note != "" {
				line += "  (" + w.Note + ")"
			}
			lines = append(lines, line)
		}
	}
	if more := n - len(lines); more > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more", more))
	}
	summary = fmt.Sprintf("%s will be written", plural(n, "value"))
	if n == 0 {
		summary = "Nothing to write: no file here has a decided date yet (Fix dates decides them)"
	}
	if left > 0 {
		reasons := make([]string, 0, len(why))
		for r, k := range why {
			reasons = append(reasons, fmt.Sprintf("%s (%d)", r, k))
		}
		sort.Strings(reasons)
		summary += fmt.Sprintf(", %d left alone: %s", left, strings.Join(reasons, "; "))
	}
	return summary + ".", strings.Join(lines, "\n"), n
}

// confirm starts the run previewed and follows it in the Scan view.
func (f *writeForm) confirm() {
	if f.planned == nil {
		return
	}
	u := f.u
	if u.running() {
		u.tellBusy()
		return
	}
	opt := *f.planned
	f.write.Disable()
	u.spawn(func() {
		id, _, err := u.eng.WriteDates(opt)
		u.do(func() {
			switch {
			case err != nil:
				setLabel(f.sum, "Nothing was written: "+err.Error(), widget.DangerImportance)
			case id == 0:
				setLabel(f.sum, "Nothing to write: the files changed since the preview.", widget.WarningImportance)
			default:
				f.d.Hide()
				u.startRun(id, store.KindDates, strings.Join(opt.To, "+"), 0)
			}
		})
	})
}

// datesActionWords says what a dates run's action ("xmp", "exif+mtime")
// wrote, for the run's title, summary and History.
func datesActionWords(action string) (string, bool) {
	var parts []string
	for _, a := range strings.Split(action, "+") {
		switch a {
		case app.WriteXMP:
			parts = append(parts, "XMP sidecars")
		case app.WriteEXIF:
			parts = append(parts, "the files' EXIF")
		case app.WriteMtime:
			parts = append(parts, "modification times")
		default:
			return "", false
		}
	}
	return "written to " + strings.Join(parts, " and "), true
}
