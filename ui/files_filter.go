package ui

import (
	"fmt"
	"path"
	"strings"

	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
)

// filesQuery is what the filters and the sort ask for, read on the UI
// goroutine so the filtering can run off it.
type filesQuery struct {
	conf, status, text string
	sortCol            int
	sortDesc           bool
	selected           string // the selected file's key, to find its new row
}

// filtered is the outcome of one filtering: the rows shown (indexes into
// set's rows), the selected file's place in them (-1 when it is filtered
// out) and the longest date's length.
type filtered struct {
	set     *rowSet
	rows    []int32
	at      int
	dateLen int
}

func (v *filesView) query() filesQuery {
	return filesQuery{conf: v.confSel.Selected, status: v.statusSel.Selected,
		text: strings.ToLower(strings.TrimSpace(v.search.Text)), sortCol: v.sortCol, sortDesc: v.sortDesc,
		selected: v.selected}
}

func (v *filesView) sortBy(col int) {
	if v.sortCol == col {
		v.sortDesc = !v.sortDesc
	} else {
		v.sortCol, v.sortDesc = col, false
	}
	v.apply()
}

// apply filters and sorts the rows off the UI goroutine, then shows them
// with the selected file still selected. A filtering asked while another
// runs wins: the older one's rows are dropped.
func (v *filesView) apply() {
	if v.table == nil {
		return
	}
	v.applying++
	gen, q, set := v.applying, v.query(), v.set
	v.u.spawn(func() {
		f := filterSort(set, q)
		v.u.do(func() {
			if gen == v.applying {
				v.showRows(f)
			}
		})
	})
}

// keep reports whether r passes the filters other than the text.
func (q filesQuery) keep(r *app.FileRow) bool {
	switch q.conf {
	case confAll, "":
	case confReview:
		if !rowNeedsReview(r) {
			return false
		}
	case confLowNone:
		if r.Status != media.StatusDone || (r.Confidence != media.ConfidenceLow && r.Confidence != media.ConfidenceNone) {
			return false
		}
	default:
		if r.Status != media.StatusDone || string(r.Confidence) != q.conf {
			return false
		}
	}
	return q.status == statusAll || q.status == "" || string(r.Status) == q.status
}

// row is the file shown at row i of the table.
func (v *filesView) row(i int) *app.FileRow { return &v.set.rows[v.rows[i]] }

// showRows shows a filtering's rows and keeps the selected file selected,
// wherever it moved; a file filtered out leaves nothing selected.
func (v *filesView) showRows(f filtered) {
	v.set, v.rows = f.set, f.rows
	v.showCount()
	showIf(v.placehold, v.jobID == 0)
	v.table.fitDates(f.dateLen)
	v.table.Refresh()
	v.follow(f.at)
	if v.bulk != nil {
		v.bulk.refresh()
	}
}

// showCount says how many files are shown, or how far the reading is.
// say shows what the last date decision did under the filters; "" hides
// the line.
func (v *filesView) say(text string) {
	v.said.SetText(text)
	showIf(v.said, text != "")
}

func (v *filesView) showCount() {
	if v.streaming {
		v.count.SetText(fmt.Sprintf("Loading… %s of %s", thousands(v.read), thousands(max(v.read, v.total))))
		return
	}
	text := fmt.Sprintf("%s of %s", thousands(len(v.rows)), plural(len(v.set.rows), "file"))
	if v.damaged != nil {
		text += " · " + v.damaged.Error()
	}
	v.count.SetText(text)
}

// follow selects the selected file at its row, or says it is filtered out.
func (v *filesView) follow(at int) {
	if v.selected == "" {
		return
	}
	// A file just dated shows its decision, even when the decision took
	// it out of the filter.
	decided := v.reshowDetail()
	if at < 0 || at >= len(v.rows) {
		v.table.UnselectAll()
		if !decided {
			v.detail.showHidden(path.Base(app.ReadablePath(v.selected)))
		}
		return
	}
	id := widget.TableCellID{Row: at, Col: 0}
	v.following = true
	v.table.Select(id)
	v.following = false
	v.table.ScrollTo(id)
}

// rowSelected shows the selected row's file in the detail panel.
func (v *filesView) rowSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(v.rows) {
		return
	}
	r := v.row(id.Row)
	v.selected = rowKey(r)
	if !v.following && v.bulk != nil {
		v.bulk.clicked(r)
	}
	if v.detail.key != v.selected {
		v.showDetail(*r)
	}
}

// showDetail reads r's whole record off the UI goroutine and shows it, if
// it is still the selected file by then.
func (v *filesView) showDetail(r app.FileRow) {
	key, job := rowKey(&r), v.set.job
	v.detail.loading(key)
	v.u.spawn(func() {
		rec, err := v.u.eng.FileOfRow(job, r)
		v.u.do(func() {
			if v.selected != key || v.detail.key != key {
				return
			}
			if err != nil {
				v.detail.showFailed(key, err)
				return
			}
			v.detail.show(v.withDecision(rec))
		})
	})
}
