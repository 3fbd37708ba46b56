package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

var historyColumns = []struct {
	title string
	width float32
}{
	{"#", 36}, {"Kind", 92}, {"Folders", 224}, {"Status", 122}, {"Files", 120}, {"Errors", 60}, {"Skipped", 70},
	{"Duration", 96}, {"Started", 130}, {"", 90},
}

// colFolders says what a job covered or a run did; colAction holds a
// run's Undo… while it can be undone, else Open (choosing any cell of a
// row opens it too). One button column, not one for each, so that the
// table fits the window's default width (defaultWindowSize) without
// scrolling sideways to reach it.
const (
	colFolders = 2
	colAction  = 9
)

// historyView lists past jobs, newest first.
type historyView struct {
	u       *UI
	root    fyne.CanvasObject
	jobs    []store.Job
	runs    map[uint64]app.RunSummary // change runs by ID, for Undo
	loading bool
	again   bool
	table   *historyTable
	status  *widget.Label
}

// historyTable is the jobs' table; Folders (which says what a run did)
// takes the width the other columns leave.
type historyTable struct {
	fittedTable
}

// historyMinFolders is the narrowest the Folders column is made.
const historyMinFolders = 224

func newHistoryView(u *UI) *historyView {
	v := &historyView{u: u}
	v.status = widget.NewLabel("")
	v.table = &historyTable{}
	v.table.Length = func() (int, int) { return len(v.jobs), len(historyColumns) }
	v.table.CreateCell = func() fyne.CanvasObject {
		b := widget.NewButtonWithIcon("Open", theme.NavigateNextIcon(), nil)
		b.Importance = widget.LowImportance
		return container.NewStack(newMiddleLabel(""), b)
	}
	v.table.UpdateCell = v.updateCell
	v.table.ExtendBaseWidget(v.table)
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(historyColumns[id.Col].title)
		}
	}
	widths := make([]float32, len(historyColumns))
	for i, c := range historyColumns {
		widths[i] = c.width
	}
	v.table.setColumns(v.table, widths, colFolders, historyMinFolders)
	// Choosing any cell of a row opens its job: arrow keys and Space, or a click.
	v.table.OnSelected = func(id widget.TableCellID) {
		v.table.UnselectAll()
		if id.Row >= 0 && id.Row < len(v.jobs) {
			v.u.openJob(v.jobs[id.Row])
		}
	}
	v.root = container.NewBorder(container.NewPadded(v.status), nil, nil, nil, v.table)
	return v
}

// historyCell is the text of one cell.
func (v *historyView) historyCell(j store.Job, col int) string {
	switch col {
	case 0:
		return fmt.Sprint(j.ID)
	case 1:
		return kindWord(j)
	case 2:
		if isRunJob(j) {
			return v.runWhat(j)
		}
		return rootsLabel(j.Roots)
	case 3:
		s := stateWord(j.Status)
		if isRunJob(j) && j.Status == store.StateRunning {
			s = "Running"
		}
		if j.Interrupted && j.Status == store.StatePaused {
			s = "Interrupted"
		}
		return s
	case 4:
		// All of them: one number, which fits the column at a million.
		if j.ProgressCurrent == j.ProgressTotal {
			return thousands(j.ProgressTotal)
		}
		return fmt.Sprintf("%s / %s", thousands(j.ProgressCurrent), thousands(j.ProgressTotal))
	case 5:
		return thousands(j.ErrorCount)
	case 6:
		return thousands(j.SkippedCount)
	case 7:
		if j.StartedAt.IsZero() {
			return "–"
		}
		return tookText(jobDuration(j, v.u.now())) // "under 1 s", as the run's tile says, not "0 s"
	case 8:
		if j.CreatedAt.IsZero() {
			return ""
		}
		return j.CreatedAt.Local().Format("2006-01-02 15:04")
	}
	return ""
}

func (v *historyView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	l := c.Objects[0].(*middleLabel)
	b := c.Objects[1].(*widget.Button)
	if id.Row >= len(v.jobs) {
		return
	}
	j := v.jobs[id.Row]
	button := id.Col == colAction
	showIf(l, !button)
	showIf(b, button)
	switch {
	case button && v.runs[j.ID].Undoable:
		b.SetText("Undo…")
		b.SetIcon(theme.ContentUndoIcon())
		b.OnTapped = func() { v.u.askUndo(j.ID) }
	case button:
		b.SetText("Open")
		b.SetIcon(theme.NavigateNextIcon())
		b.OnTapped = func() { v.u.openJob(j) }
	}
	if button {
		return
	}
	imp := widget.MediumImportance
	if id.Col == 3 {
		imp = stateImportance(j.Status, widget.MediumImportance)
	}
	if l.Importance != imp {
		l.Importance = imp
		l.Refresh()
	}
	l.SetFull(v.historyCell(j, id.Col))
}

// reload reads the job list again.
func (v *historyView) reload() {
	if v.loading {
		v.again = true
		return
	}
	v.loading = true
	v.u.spawn(func() {
		jobs, err := v.u.eng.Jobs()
		var runs []app.RunSummary
		if err == nil {
			runs, err = v.u.eng.Runs()
		}
		v.u.do(func() {
			v.loading = false
			if err != nil {
				v.status.SetText("Could not read the past scans: " + err.Error())
			} else {
				v.jobs = jobs
				v.runs = map[uint64]app.RunSummary{}
				for _, r := range runs {
					v.runs[r.ID] = r
				}
				v.status.SetText(historyStatus(jobs))
				v.table.Refresh()
			}
			if v.again {
				v.again = false
				v.reload()
			}
		})
	})
}

// historyStatus counts the scans and runs listed.
func historyStatus(jobs []store.Job) string {
	scans := 0
	for _, j := range jobs {
		if !isRunJob(j) {
			scans++
		}
	}
	runs := len(jobs) - scans
	switch {
	case len(jobs) == 0:
		return "No scans yet."
	case runs == 0:
		return fmt.Sprintf("%s, newest first. Open one to see its files and duplicates.", plural(scans, "scan"))
	}
	return fmt.Sprintf("%s and %s, newest first. Open a scan to see its files and duplicates, a run to see what it did to each file.",
		plural(scans, "scan"), plural(runs, "change run"))
}

// kindWord is a job's kind as the Kind column says it.
func kindWord(j store.Job) string {
	switch j.Kind {
	case store.KindDups: // a run acting on duplicates, as Organise and Dates name theirs
		return "Duplicates"
	case store.KindUndo:
		return "Undo"
	case store.KindOrganise:
		return "Organise"
	case store.KindDates:
		return "Dates"
	}
	return "Scan"
}

// runWhat says what a change run did, in the Folders column.
func (v *historyView) runWhat(j store.Job) string {
	r, ok := v.runs[j.ID]
	switch {
	case j.Kind == store.KindUndo && j.Change != nil && takesCopiesOut(r.Undoes):
		return fmt.Sprintf("Took out the copies run %d made", j.Change.UndoOf)
	case j.Kind == store.KindUndo && j.Change != nil:
		return fmt.Sprintf("Put back what run %d changed", j.Change.UndoOf)
	case !ok:
		return "Change run"
	}
	s := fmt.Sprintf("%s %s (%s)", copies(r.Done), actionWords(r.Action), media.SizeText(r.Bytes))
	switch {
	case j.Kind == store.KindOrganise && r.Action == "move":
		s = "Organised, the sources moved" // Done counts a step for each copy and each move
	case j.Kind == store.KindOrganise:
		s = fmt.Sprintf("%s organised (%s)", plural(r.Done, "file"), media.SizeText(r.Bytes))
	case j.Kind == store.KindDates:
		s = fmt.Sprintf("%s %s", plural(r.Done, "date"), actionWords(r.Action))
	}
	if r.Undone {
		s += " · undone"
	}
	return s
}
