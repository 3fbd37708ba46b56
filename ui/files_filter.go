package ui

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"

	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// filesQuery is what the filters and the sort ask for, read on the UI
// goroutine so the filtering can run off it.
type filesQuery struct {
	conf, status, text string
	sortCol            int
	sortDesc           bool
	selected           string // the selected file's key, to find its new row
}

// filtered is the outcome of one filtering: the rows, the selected file's
// row in them (-1 when it is filtered out) and the longest date's length.
type filtered struct {
	rows    []*store.FileRecord
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

// apply filters and sorts the records off the UI goroutine, then shows the
// rows with the selected file still selected. A filtering asked while
// another runs wins: the older one's rows are dropped.
func (v *filesView) apply() {
	if v.table == nil {
		return
	}
	v.applying++
	gen, q, all := v.applying, v.query(), v.all
	v.u.spawn(func() {
		f := filterSort(all, q)
		v.u.do(func() {
			if gen == v.applying {
				v.showRows(f)
			}
		})
	})
}

// filterSort is the rows of all that pass q, in q's order. It runs off the UI goroutine.
func filterSort(all []store.FileRecord, q filesQuery) filtered {
	f := filtered{at: -1}
	for i := range all {
		r := &all[i]
		f.dateLen = max(f.dateLen, len(r.Time.Value))
		if q.keep(r) {
			f.rows = append(f.rows, r)
		}
	}
	col, desc := q.sortCol, q.sortDesc
	slices.SortStableFunc(f.rows, func(a, b *store.FileRecord) int {
		var c int
		switch col {
		case colDate:
			c = a.Time.Time.Compare(b.Time.Time)
		case colConfidence:
			c = cmp.Compare(confRank[a.Time.Confidence], confRank[b.Time.Confidence])
		default:
			c = cmp.Compare(fileCell(a, col), fileCell(b, col))
		}
		if c == 0 {
			c = cmp.Compare(a.RelPath, b.RelPath)
		}
		if desc {
			return -c
		}
		return c
	})
	if q.selected != "" {
		f.at = slices.IndexFunc(f.rows, func(r *store.FileRecord) bool { return isKey(r, q.selected) })
	}
	return f
}

// fileKey names a file across the roots of a job.
func fileKey(r *store.FileRecord) string { return r.Root + "/" + r.RelPath }

// isKey is fileKey(r) == key, without building the key.
func isKey(r *store.FileRecord, key string) bool {
	return len(key) == len(r.Root)+1+len(r.RelPath) && strings.HasPrefix(key, r.Root) &&
		key[len(r.Root)] == '/' && strings.HasSuffix(key, r.RelPath)
}

// keep reports whether r passes the filters.
func (q filesQuery) keep(r *store.FileRecord) bool {
	switch q.conf {
	case confAll, "":
	case confReview:
		if !needsReview(*r) {
			return false
		}
	case confLowNone:
		if r.Status != media.StatusDone || (r.Time.Confidence != media.ConfidenceLow && r.Time.Confidence != media.ConfidenceNone) {
			return false
		}
	default:
		if r.Status != media.StatusDone || string(r.Time.Confidence) != q.conf {
			return false
		}
	}
	if q.status != statusAll && q.status != "" && string(r.Status) != q.status {
		return false
	}
	if q.text != "" && !strings.Contains(strings.ToLower(r.RelPath), q.text) {
		return false
	}
	return true
}

var confRank = map[media.Confidence]int{
	media.ConfidenceHigh: 0, media.ConfidenceMedium: 1, media.ConfidenceLow: 2, media.ConfidenceNone: 3,
}

// showRows shows a filtering's rows and keeps the selected file selected,
// wherever it moved; a file filtered out leaves nothing selected.
func (v *filesView) showRows(f filtered) {
	v.rows = f.rows
	v.count.SetText(fmt.Sprintf("%s of %s files", thousands(len(f.rows)), thousands(len(v.all))))
	showIf(v.placehold, v.jobID == 0)
	v.table.fitDates(f.dateLen)
	v.table.Refresh()
	v.follow(f.at)
	if v.bulk != nil {
		v.bulk.refresh()
	}
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
	r := v.rows[id.Row]
	v.selected = fileKey(r)
	if !v.following && v.bulk != nil {
		v.bulk.clicked(r)
	}
	if v.detail.key != v.selected {
		v.detail.show(*r)
	}
}
