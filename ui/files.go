package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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

	// all is the one copy of the job's records; rows points into it,
	// filtered and sorted off the UI goroutine (files_filter.go).
	all      []store.FileRecord
	rows     []*store.FileRecord
	applying uint64 // counts the filterings asked, so a stale one is dropped

	table     *filesTable
	confSel   *widget.Select
	statusSel *widget.Select
	search    *widget.Entry
	count     *widget.Label
	sortCol   int
	sortDesc  bool
	selected  string // root + rel path of the selected file, kept while it is filtered out
	detail    *fileDetail
	placehold *widget.Label

	decided map[string]string // absolute path → date decided in this window (review.go)
	reshow  bool              // show the selected file again once the files are read
	setDlg  *setDateDialog    // the open "Set date" dialog, if any
	bulk    *bulkSel          // the selection of several files and the bulk corrections (bulk.go)
	// following is set while the table is told to select the file it
	// shows (files_filter.go's follow): that is not the person's click,
	// and must not change a selection of several files.
	following bool
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

	v.table = newFilesTable(v)
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
	v.showRows(filtered{at: -1})
	return v
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
			v.apply() // and shows the selected file again after a decision (reshowDetail)
			if id == v.u.jobID {
				v.u.scan.showFound(sum)
			}
		})
	})
}
