package ui

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// filesReloadEvery is how often the files table re-reads a running job.
const filesReloadEvery = 3 * time.Second

var fileColumns = []struct {
	title string
	width float32
}{
	{"Name", 265}, {"Date taken", 215}, {"Source", 80}, {"Confidence", 100}, {"Type", 65}, {"Status", 75},
}

const (
	confAll     = "Any confidence"
	confLowNone = "LOW and NONE"
	statusAll   = "Any status"
)

// filesView is the files table with its filters and the selected file's details.
type filesView struct {
	u    *UI
	root fyne.CanvasObject

	jobID    uint64 // the job shown (or to show)
	loaded   uint64 // the job whose files are in all
	loading  bool
	lastLoad time.Time
	every    time.Duration // reload interval while a job runs: longer when reading is slow

	all  []store.FileRecord
	rows []store.FileRecord // filtered and sorted

	table     *widget.Table
	confSel   *widget.Select
	statusSel *widget.Select
	search    *widget.Entry
	count     *widget.Label
	sortCol   int
	sortDesc  bool
	selected  string // root + rel path of the selected file
	detail    *fileDetail
	placehold *widget.Label

	decided map[string]string // absolute path → date decided in this window (review.go)
	reshow  bool              // show the selected file again once the files are read
	setDlg  *setDateDialog    // the open "Set date" dialog, if any
	bulk    *bulkSel          // the selection of several files and the bulk corrections (bulk.go)
}

func newFilesView(u *UI) *filesView {
	v := &filesView{u: u, decided: map[string]string{}}
	v.confSel = widget.NewSelect([]string{confAll, confReview, confLowNone,
		string(media.ConfidenceHigh), string(media.ConfidenceMedium),
		string(media.ConfidenceLow), string(media.ConfidenceNone)}, func(string) { v.apply() })
	v.confSel.SetSelected(confAll)
	v.statusSel = widget.NewSelect([]string{statusAll, string(media.StatusDone), string(media.StatusError),
		string(media.StatusSkipped), string(media.StatusPending)}, func(string) { v.apply() })
	v.statusSel.SetSelected(statusAll)
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Filter by name…")
	v.search.OnChanged = func(string) { v.apply() }
	v.count = widget.NewLabel("")

	v.table = widget.NewTable(
		func() (int, int) { return len(v.rows), len(fileColumns) },
		func() fyne.CanvasObject { return newMiddleLabel("") },
		v.updateCell)
	v.table.ShowHeaderRow = true
	v.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		col := id.Col
		if col < 0 {
			return
		}
		t := fileColumns[col].title
		if col == v.sortCol {
			if v.sortDesc {
				t += " ▼"
			} else {
				t += " ▲"
			}
		}
		b.SetText(t)
		b.OnTapped = func() { v.sortBy(col) }
	}
	for i, c := range fileColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	v.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(v.rows) {
			r := v.rows[id.Row]
			v.selected = r.Root + "/" + r.RelPath
			v.bulk.clicked(r)
			v.detail.show(r)
		}
	}
	v.detail = newFileDetail(u)
	v.placehold = widget.NewLabel("No scan yet. Drop a folder on the Scan tab, or open a past scan from History.")
	v.placehold.Alignment = fyne.TextAlignCenter

	show := container.NewHBox(widget.NewLabel("Show"),
		container.NewGridWrap(fyne.NewSize(180, v.confSel.MinSize().Height), v.confSel),
		container.NewGridWrap(fyne.NewSize(150, v.statusSel.MinSize().Height), v.statusSel))
	organise := widget.NewButtonWithIcon("Organise…", theme.StorageIcon(), u.openOrganise)
	right := container.NewHBox(v.count, organise)
	filters := container.New(layout.NewBorderLayout(nil, nil, show, right), show, v.search, right)
	v.bulk = newBulkSel(v)
	split := container.NewHSplit(container.NewBorder(nil, v.bulk.bar, nil, nil, v.table), v.detail.root)
	split.Offset = 0.68
	// The filters come first in the tab order, then the table.
	v.root = container.NewStack(container.New(layout.NewBorderLayout(filters, nil, nil, nil), filters, split),
		container.NewCenter(v.placehold))
	v.apply()
	return v
}

func fileCell(r store.FileRecord, col int) string {
	switch col {
	case 0:
		return app.ReadablePath(r.RelPath)
	case 1:
		return strings.Replace(r.Time.Value, "T", " ", 1)
	case 2:
		return string(r.Time.Source)
	case 3:
		if r.Status != media.StatusDone {
			return ""
		}
		return string(r.Time.Confidence)
	case 4:
		return typeName(r.MIME, r.RelPath)
	case 5:
		return string(r.Status)
	}
	return ""
}

// typeName is a short file type: "JPEG", "HEIC", "MP4".
func typeName(mime, name string) string {
	if strings.HasPrefix(mime, "image/") || strings.HasPrefix(mime, "video/") {
		if i := strings.IndexByte(mime, '/'); i >= 0 {
			sub := strings.TrimPrefix(mime[i+1:], "x-")
			sub = strings.TrimPrefix(sub, "vnd.")
			if sub == "quicktime" {
				sub = "mov"
			}
			return strings.ToUpper(sub)
		}
	}
	return strings.ToUpper(strings.TrimPrefix(path.Ext(name), "."))
}

func (v *filesView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*middleLabel)
	if id.Row >= len(v.rows) {
		l.SetFull("")
		return
	}
	r := v.rows[id.Row]
	imp := widget.MediumImportance
	switch {
	case id.Col == 5 && r.Status == media.StatusError:
		imp = widget.DangerImportance
	case id.Col == 3 && (r.Time.Confidence == media.ConfidenceLow || r.Time.Confidence == media.ConfidenceNone):
		imp = widget.WarningImportance
	case id.Col == 3 && r.Time.Confidence == media.ConfidenceHigh:
		imp = widget.SuccessImportance
	}
	if l.Importance != imp {
		l.Importance = imp
		l.Refresh()
	}
	text := fileCell(r, id.Col)
	if id.Col == 0 && v.bulk != nil && v.bulk.isMarked(r) {
		text = "✓ " + text
	}
	l.SetFull(text)
}

func (v *filesView) sortBy(col int) {
	if v.sortCol == col {
		v.sortDesc = !v.sortDesc
	} else {
		v.sortCol, v.sortDesc = col, false
	}
	v.apply()
}

// keep reports whether r passes the filters.
func (v *filesView) keep(r store.FileRecord) bool {
	switch c := v.confSel.Selected; c {
	case confAll, "":
	case confReview:
		if !needsReview(r) {
			return false
		}
	case confLowNone:
		if r.Status != media.StatusDone || (r.Time.Confidence != media.ConfidenceLow && r.Time.Confidence != media.ConfidenceNone) {
			return false
		}
	default:
		if r.Status != media.StatusDone || string(r.Time.Confidence) != c {
			return false
		}
	}
	if s := v.statusSel.Selected; s != statusAll && s != "" && string(r.Status) != s {
		return false
	}
	if q := strings.ToLower(strings.TrimSpace(v.search.Text)); q != "" && !strings.Contains(strings.ToLower(r.RelPath), q) {
		return false
	}
	return true
}

var confRank = map[media.Confidence]int{
	media.ConfidenceHigh: 0, media.ConfidenceMedium: 1, media.ConfidenceLow: 2, media.ConfidenceNone: 3,
}

// apply filters and sorts all into rows and refreshes the table.
func (v *filesView) apply() {
	if v.table == nil {
		return
	}
	rows := v.rows[:0]
	for _, r := range v.all {
		if v.keep(r) {
			rows = append(rows, r)
		}
	}
	col, desc := v.sortCol, v.sortDesc
	slices.SortStableFunc(rows, func(a, b store.FileRecord) int {
		var c int
		switch col {
		case 1:
			c = a.Time.Time.Compare(b.Time.Time)
		case 3:
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
	v.rows = rows
	v.count.SetText(fmt.Sprintf("%s of %s files", thousands(len(rows)), thousands(len(v.all))))
	showIf(v.placehold, v.jobID == 0)
	v.table.Refresh()
	if v.bulk != nil {
		v.bulk.refresh()
	}
}

// load makes id the job shown; its files are read now if the tab is visible.
func (v *filesView) load(id uint64) {
	v.jobID = id
	if v.u.tabs != nil && (v.u.tabs.SelectedIndex() == tabFiles || v.u.tabs.SelectedIndex() == tabScan) {
		v.reload()
	}
	showIf(v.placehold, v.jobID == 0)
}

// ensureLoaded reads the files when the tab is opened on a job not read yet.
func (v *filesView) ensureLoaded() {
	if v.jobID != 0 && (v.loaded != v.jobID || v.u.running()) {
		v.reload()
	}
}

// tick re-reads a running job's files now and then while the tab is visible.
func (v *filesView) tick() {
	tab := v.u.tabs.SelectedIndex()
	if (tab == tabFiles || tab == tabScan) && v.u.now().Sub(v.lastLoad) >= max(filesReloadEvery, v.every) {
		v.reload()
	}
}

func (v *filesView) reload() {
	id := v.jobID
	if id == 0 || v.loading {
		return
	}
	v.loading = true
	v.lastLoad = v.u.now()
	v.u.spawn(func() {
		t0 := time.Now()
		recs, err := v.u.eng.Files(id)
		sum := summarize(recs)
		took := time.Since(t0)
		v.u.do(func() {
			v.loading = false
			v.every = 10 * took // never spend more than a tenth of the time reading
			if err != nil {
				v.count.SetText("Could not read the files: " + err.Error())
				return
			}
			if id != v.jobID {
				return
			}
			v.all = v.withDecisions(recs)
			v.loaded = id
			v.apply()
			v.reshowDetail()
			if id == v.u.jobID {
				v.u.scan.showFound(sum)
			}
		})
	})
}
