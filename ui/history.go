package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/store"
)

var historyColumns = []struct {
	title string
	width float32
}{
	{"#", 50}, {"Folders", 300}, {"Status", 190}, {"Files", 150}, {"Errors", 80}, {"Skipped", 80},
	{"Duration", 110}, {"Started", 150}, {"", 90},
}

// historyView lists past jobs, newest first.
type historyView struct {
	u       *UI
	root    fyne.CanvasObject
	jobs    []store.Job
	loading bool
	again   bool
	table   *widget.Table
	status  *widget.Label
}

func newHistoryView(u *UI) *historyView {
	v := &historyView{u: u}
	v.status = widget.NewLabel("")
	v.table = widget.NewTable(
		func() (int, int) { return len(v.jobs), len(historyColumns) },
		func() fyne.CanvasObject {
			b := widget.NewButtonWithIcon("Open", theme.NavigateNextIcon(), nil)
			b.Importance = widget.LowImportance
			return container.NewStack(newMiddleLabel(""), b)
		},
		v.updateCell)
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(historyColumns[id.Col].title)
		}
	}
	for i, c := range historyColumns {
		v.table.SetColumnWidth(i, c.width)
	}
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
		return rootsLabel(j.Roots)
	case 2:
		s := stateWord(j.Status)
		if j.Interrupted && j.Status == store.StatePaused {
			s = "Interrupted"
		}
		return s
	case 3:
		return fmt.Sprintf("%s / %s", thousands(j.ProgressCurrent), thousands(j.ProgressTotal))
	case 4:
		return thousands(j.ErrorCount)
	case 5:
		return thousands(j.SkippedCount)
	case 6:
		if j.StartedAt.IsZero() {
			return "–"
		}
		return humanDuration(jobDuration(j, v.u.now()))
	case 7:
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
	last := id.Col == len(historyColumns)-1
	showIf(b, last)
	showIf(l, !last)
	if last {
		b.OnTapped = func() { v.u.openJob(j) }
		return
	}
	imp := widget.MediumImportance
	if id.Col == 2 {
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
		v.u.do(func() {
			v.loading = false
			if err != nil {
				v.status.SetText("Could not read the past scans: " + err.Error())
			} else {
				v.jobs = jobs
				if len(jobs) == 0 {
					v.status.SetText("No scans yet.")
				} else {
					v.status.SetText(fmt.Sprintf("%s, newest first. Open one to see its files and duplicates.", plural(len(jobs), "scan")))
				}
				v.table.Refresh()
			}
			if v.again {
				v.again = false
				v.reload()
			}
		})
	})
}
