package ui

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// previewRows is how many files a preview lists before "… and N more".
const previewRows = 8

// bulkDialog is the frame every bulk correction shares: the form, a
// Preview button, the preview (how many files change, which are left and
// why, the first rows before → after) and Apply, which stores exactly the
// change previewed. Editing the form after a preview disables Apply until
// the next Preview. UI goroutine only.
type bulkDialog struct {
	u   *UI
	b   *bulkSel
	d   *dialog.CustomDialog
	sum *widget.Label
	out *widget.Label

	previewBtn, apply *widget.Button
	// change makes the change the form describes, or says in words what
	// the form lacks.
	change func() (app.DatesChange, error)
	shown  *app.DatesChange // the change whose preview is on screen
}

// openBulkDialog shows a bulk dialog titled title around form; change reads
// the form. With auto, the preview is asked for at once (a dialog with
// nothing to fill in).
func (u *UI) openBulkDialog(b *bulkSel, title string, form fyne.CanvasObject, change func() (app.DatesChange, error), auto bool) *bulkDialog {
	g := &bulkDialog{u: u, b: b, change: change}
	g.sum = widget.NewLabel("Press Preview to see what changes: nothing is stored before you apply it.")
	g.sum.Wrapping = fyne.TextWrapWord
	g.out = widget.NewLabel("")
	g.out.TextStyle = fyne.TextStyle{Monospace: true}
	g.previewBtn = widget.NewButtonWithIcon("Preview", theme.SearchIcon(), g.preview)
	g.apply = widget.NewButtonWithIcon("Apply", theme.ConfirmIcon(), g.decide)
	g.apply.Importance = widget.HighImportance
	g.apply.Disable()
	cancel := widget.NewButton("Cancel", func() { g.d.Hide() })
	body := container.NewBorder(container.NewVBox(form, container.NewHBox(g.previewBtn), widget.NewSeparator(), g.sum),
		nil, nil, nil, container.NewScroll(g.out))
	g.d = dialog.NewCustomWithoutButtons(title, body, u.win)
	g.d.SetButtons([]fyne.CanvasObject{cancel, g.apply})
	g.d.Resize(fyne.NewSize(860, 730))
	u.showDialog(g.d)
	if auto {
		g.preview()
	}
	return g
}

// stale is called when the form changes: the preview shown is not of it.
func (g *bulkDialog) stale() {
	if g.shown == nil {
		return
	}
	g.shown = nil
	g.apply.Disable()
	g.sum.SetText("The form changed: press Preview again.")
	g.out.SetText("")
}

// preview asks the core what the form's change would decide.
func (g *bulkDialog) preview() {
	ch, err := g.change()
	if err != nil {
		g.shown = nil
		g.apply.Disable()
		setLabel(g.sum, err.Error(), widget.DangerImportance)
		g.out.SetText("")
		return
	}
	setLabel(g.sum, "Working out the preview…", widget.MediumImportance)
	g.previewBtn.Disable()
	g.u.spawn(func() {
		ds, err := g.u.eng.PreviewDates(ch)
		g.u.do(func() {
			g.previewBtn.Enable()
			if err != nil {
				setLabel(g.sum, "No preview: "+err.Error(), widget.DangerImportance)
				return
			}
			sum, rows, n := previewText(ds)
			setLabel(g.sum, sum, widget.MediumImportance)
			g.out.SetText(rows)
			g.shown = &ch
			enableIf(g.apply, n.changing+n.kept > 0)
			g.apply.SetText(fmt.Sprintf("Apply to %s", plural(n.changing+n.kept, "file")))
		})
	})
}

// decide stores the change previewed, then shows the files again.
func (g *bulkDialog) decide() {
	if g.shown == nil {
		return
	}
	ch := *g.shown
	g.apply.Disable()
	u, v := g.u, g.u.files
	u.spawn(func() {
		ds, err := u.eng.DecideDates(ch)
		u.do(func() {
			if err != nil {
				setLabel(g.sum, "Nothing was stored: "+err.Error(), widget.DangerImportance)
				return
			}
			g.d.Hide()
			v.say(countDecisions(ds).done() + "; no file was touched (Write dates to files… writes them).")
			v.reshow = true
			v.reload()
		})
	})
}

// decisionCounts is how many files a preview (or a decision) gives a new
// date, and how many it decides as they are: those have the date already,
// and it is recorded as the person's all the same (the core stores every
// decision it makes).
type decisionCounts struct{ changing, kept int }

// done says what a decision did: "3 files given a new date, 1 decided as it
// was".
func (n decisionCounts) done() string {
	said := upperFirst(plural(n.changing, "file")) + " given a new date"
	switch {
	case n.kept == 1:
		said += ", 1 decided as it was"
	case n.kept > 1:
		said += ", " + thousands(n.kept) + " decided as they were"
	}
	return said
}

// countDecisions counts the files decisions give a new date and those
// they decide as they are.
func countDecisions(ds []app.DateDecision) (n decisionCounts) {
	for _, d := range ds {
		switch d.Outcome() {
		case app.DateGiven:
			n.changing++
		case app.DateKept:
			n.kept++
		}
	}
	return n
}

// previewText says what a preview (or a decision) does: the summary ("3
// files will change, 1 has that date already (recorded as decided), 2 are
// left: …"), the first rows before → after, and the counts.
func previewText(ds []app.DateDecision) (summary, rows string, n decisionCounts) {
	var lines []string
	why := map[string]int{}
	left := 0
	n = countDecisions(ds)
	for _, d := range ds {
		switch d.Outcome() {
		case app.DateLeft:
			why[d.Skipped]++
			left++
			continue
		case app.DateKept:
			continue
		}
		if len(lines) < previewRows {
			lines = append(lines, fmt.Sprintf("%-34s %s → %s", shortPath(d.Path), dateText(d.Old), dateText(d.New)))
		}
	}
	if more := n.changing - len(lines); more > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more", more))
	}
	summary = fmt.Sprintf("%s will change", plural(n.changing, "file"))
	switch {
	case n.kept == 1:
		summary += ", 1 has that date already (recorded as decided)"
	case n.kept > 1:
		summary += fmt.Sprintf(", %s have that date already (recorded as decided)", thousands(n.kept))
	}
	if left > 0 {
		reasons := make([]string, 0, len(why))
		for r, n := range why {
			reasons = append(reasons, fmt.Sprintf("%s (%d)", r, n))
		}
		sort.Strings(reasons)
		summary += fmt.Sprintf(", %d %s left: %s", left, isAre(left), strings.Join(reasons, "; "))
	}
	if n.changing == 0 && n.kept == 0 && left == 0 {
		summary = "No file is concerned: select files, or widen the range."
	}
	return summary + ".", strings.Join(lines, "\n"), n
}

// shortPath is a file's folder and name ("compressed/IMG_1044.JPG"): two
// files of one name in different folders are told apart.
func shortPath(p string) string {
	return app.ReadablePath(path.Join(path.Base(path.Dir(p)), path.Base(p)))
}

// dateText is a stored date as the table shows it, "(no date)" for none.
func dateText(v string) string {
	if v == "" {
		return "(no date)"
	}
	return shownDate(v)
}

// shownDate is a stored date (media.Timestamp.Value) as the window shows
// it: a space between the day and the time, and " UTC" for the "Z" that
// marks a time read in UTC (a file's modification time, a UTC file name),
// which few people read as a time zone.
func shownDate(v string) string {
	v = strings.Replace(v, "T", " ", 1)
	if s, ok := strings.CutSuffix(v, "Z"); ok {
		return s + " UTC"
	}
	return v
}

// shownDateLen is len(shownDate(v)), without building it.
func shownDateLen(v string) int {
	if strings.HasSuffix(v, "Z") {
		return len(v) + len(" UTC") - 1
	}
	return len(v)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// labelled is a form row: a label in front of a field.
func labelled(label string, field fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(label), nil, field)
}
