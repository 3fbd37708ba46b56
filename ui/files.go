package ui

import (
	"errors"
	"maps"
	"slices"
	"sync/atomic"
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
	{"Name", 265}, {"Date taken", 215}, {"Source", 94}, {"Confidence", 100}, {"Type", 65}, {"Status", 75},
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
	again    bool // load asked for the job while it was being read: read it again after
	counting bool // what is being read is only the Scan view's sum (recount)
	lastLoad time.Time
	every    time.Duration // reload interval while a job runs: longer when reading is slow
	// said is what the last date decision did ("3 files given a new date",
	// "…; not dated: …"), on a line of its own under the filters until the
	// next decision or another scan. Said on the count line, the rows read
	// again after the decision covered it at once, and its length pushed
	// the filter and Organise… out of the window.
	said *widget.Label

	// set is the job's rows (app.FileRow: what the table shows of each
	// file); rows is the table's, indexes into set.rows filtered and
	// sorted off the UI goroutine (files_filter.go, files_index.go).
	set      *rowSet
	rows     []int32
	applying uint64 // counts the filterings asked, so a stale one is dropped
	// streaming is set while a job's rows are read and shown as they come;
	// read of total are read so far.
	streaming   bool
	read, total int
	damaged     error // records of the job shown that could not be read (left out)
	// shownJob is jobID for the loading goroutine, which stops reading a
	// job no longer shown.
	shownJob atomic.Uint64
	// settling is set once the running job has handled every file and
	// does its housekeeping (a search for duplicates, a compaction): a sum
	// or a re-read of rows shown being read then stops, and none is begun
	// (tick); the job's end reads the rows (load). At a million files the
	// search and a sum read beside it took the window to 1 GB, and a
	// re-read with Files in front to 1.36 GB.
	settling atomic.Bool
	// afterEnd is the job shown whose end the engine is still working
	// after (a search for duplicates, a compaction), 0 when none. Its rows
	// shown stay meanwhile: a read of them under way stops (settling) and
	// none is begun; endDue says they are read once that work is done
	// (afterJob). At a million files the end's read beside the search took
	// the window with Files in front to 1.16 GB.
	afterEnd uint64
	endDue   bool

	table     *filesTable
	confSel   *widget.Select
	statusSel *widget.Select
	search    *appEntry
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
	v := &filesView{u: u, decided: map[string]string{}, set: newRowSet(0, nil)}
	v.confSel = widget.NewSelect([]string{confAll, confReview, confLowNone,
		string(media.ConfidenceHigh), string(media.ConfidenceMedium),
		string(media.ConfidenceLow), string(media.ConfidenceNone)}, func(string) { v.apply() })
	v.confSel.SetSelected(confAll)
	v.statusSel = widget.NewSelect([]string{statusAll, string(media.StatusDone), string(media.StatusError),
		string(media.StatusSkipped), string(media.StatusPending)}, func(string) { v.apply() })
	v.statusSel.SetSelected(statusAll)
	v.search = newEntry()
	v.search.SetPlaceHolder("Filter by name…")
	v.search.OnChanged = func(string) { v.apply() }
	v.count = widget.NewLabel("")
	v.said = caption("")
	v.said.Wrapping = fyne.TextWrapWord
	v.said.Hide()

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
	top := container.NewVBox(filters, v.said)
	v.bulk = newBulkSel(v)
	split := container.NewHSplit(container.NewBorder(nil, v.bulk.bar, nil, nil, v.table), v.detail.root)
	// At the window's first size (defaultWindowSize) the table's columns fit
	// without a sideways scroll; the person can drag the divider.
	split.Offset = 0.72
	// The filters come first in the tab order, then the table.
	v.root = container.NewStack(container.New(layout.NewBorderLayout(top, nil, nil, nil), top, split),
		container.NewCenter(v.placehold))
	v.showRows(filtered{set: v.set, at: -1})
	return v
}

// load makes id the job shown; its files are read now if the tab is visible.
func (v *filesView) load(id uint64) {
	if id != v.jobID {
		v.say("")
	}
	v.jobID = id
	v.shownJob.Store(id)
	if id != v.afterEnd {
		v.afterEnd = 0 // another job chosen: its end's work is not followed
	}
	v.settling.Store(v.afterEnd != 0)
	switch {
	case v.u.tabs == nil:
	case v.afterEnd != 0 && v.loaded == id:
		v.endDue = true // the rows shown stay until the engine is done
	case v.loading:
		// What is being read may be older than what made the job be
		// loaded again (it stopped, a date was decided): read it again
		// once done.
		v.again = true
	default:
		v.refresh()
	}
	showIf(v.placehold, v.jobID == 0)
}

// afterJob follows the engine's work after the end of the job shown, p
// its snapshot: while it searches for duplicates or compacts the library,
// the rows of the job shown stay as they are, and are read once it is
// done. A read begun when the job was seen to end (load), stops.
func (v *filesView) afterJob(p app.Progress) {
	busy := p.Finished() && (p.Grouping || p.Compacting)
	switch {
	case busy && p.JobID == v.jobID && v.afterEnd != p.JobID:
		v.afterEnd = p.JobID
		v.settling.Store(true)
		v.endDue = v.loading || v.loaded == p.JobID
	case !busy && v.afterEnd != 0 && v.afterEnd == p.JobID:
		v.afterEnd = 0
		if v.endDue {
			v.endDue = false
			v.load(p.JobID)
		}
	}
}

// refresh reads the shown job's files for the tab in front: Files its
// rows; the Scan view its rows too once the job has stopped (so Files has
// them when opened), but only their sum while it runs (recount).
func (v *filesView) refresh() {
	switch v.u.tabs.SelectedIndex() {
	case tabFiles:
		v.reload()
	case tabScan:
		if v.u.prog.JobID == v.jobID && !v.u.prog.Finished() {
			v.recount()
		} else {
			v.reload()
		}
	}
}

// ensureLoaded reads the files when the tab is opened on a job not read yet.
func (v *filesView) ensureLoaded() {
	switch {
	case v.jobID == 0 || (v.loaded == v.jobID && !v.u.running()):
	case v.counting:
		v.again = true // the rows once the Scan view's sum is done
	default:
		v.reload()
	}
}

// tick re-reads a running job's files now and then while Files or the
// Scan view is in front (refresh). None is begun when the job should end
// before it would be read (the time left is under the last read's): the
// end reads them, and a read stopped there held its rows beside the search
// that follows a job (at a million files the window's peak, 1.18 GB).
func (v *filesView) tick() {
	p := v.u.prog
	settling := p.Grouping || p.Compacting || (!p.Listing && p.Total > 0 && p.Current >= p.Total)
	v.settling.Store(settling)
	endsFirst := p.Remaining > 0 && p.Remaining < v.every/10
	if !settling && !endsFirst && v.u.now().Sub(v.lastLoad) >= max(filesReloadEvery, v.every) {
		v.refresh()
	}
}

// recount sums up the shown job's files for the Scan view, a batch at a
// time, holding none of them (foundCounter), at the pace reload keeps.
func (v *filesView) recount() {
	id := v.jobID
	if id == 0 || v.loading {
		return
	}
	v.loading, v.counting = true, true
	v.lastLoad = v.u.now()
	decided, now := maps.Clone(v.decided), v.u.now()
	v.u.spawn(func() {
		t0 := time.Now()
		c := newFoundCounter()
		err := v.u.eng.FileRows(id, app.FileRowsOptions{}, func(b app.FileRowsBatch) error {
			v.u.fg.yield()
			if v.shownJob.Load() != id || v.settling.Load() {
				return errOtherJob // the job's end loads its rows (load)
			}
			c.add(b.Rows, applyDecisions(b.Rows, decided, now))
			c.redate(b.Dated)
			return nil
		})
		took := time.Since(t0)
		v.u.do(func() {
			v.loading, v.counting = false, false
			v.every = 10 * took               // as reload: a tenth of the time at most
			again := v.again || id != v.jobID // another job was chosen meanwhile
			v.again = false
			if !again && (err == nil || errors.Is(err, store.ErrDamaged)) && id == v.u.jobID {
				v.u.scan.showFound(c.found())
			}
			if again {
				v.load(v.jobID)
			}
		})
	})
}

func (v *filesView) reload() {
	id := v.jobID
	if id == 0 || v.loading {
		return
	}
	v.loading = true
	v.lastLoad = v.u.now()
	// A job not shown yet streams in; a job shown again (a running scan, a
	// decision) keeps its rows on screen until the new ones are all read.
	stream := v.loaded != id
	ld := rowsLoad{v: v, id: id, stream: stream, decided: maps.Clone(v.decided), now: v.u.now()}
	if !stream && v.set != nil && v.set.job == id {
		ld.shownBefore = v.set.rows
	}
	if stream {
		v.streaming, v.read, v.total = true, 0, 0
		v.showCount()
		// The groups of the scan being read are read ahead now when they
		// need no whole search (a scan opened from History: dups.load came
		// before Files began to read), so that the tab has only to be drawn.
		v.u.dups.prefetch(id)
	}
	v.u.spawn(func() {
		t0 := time.Now()
		set, err := ld.run()
		var sum found
		if err == nil {
			sum = summarize(set.rows)
		}
		took := time.Since(t0)
		v.u.do(func() {
			v.loading = false
			v.every = 10 * took // never spend more than a tenth of the time reading
			v.streaming = false
			again := v.again
			v.again = false
			if id != v.jobID { // another job was chosen meanwhile: read it now
				v.load(v.jobID)
				return
			}
			if again {
				defer v.load(id)
			}
			if errors.Is(err, errJobEnding) {
				return
			}
			if err != nil {
				v.count.SetText("Could not read the files: " + err.Error())
				return
			}
			v.loaded = id
			v.set, v.damaged = set, ld.damaged
			v.apply() // and shows the selected file again after a decision (reshowDetail)
			if id == v.u.jobID {
				v.u.scan.showFound(sum)
			}
			v.u.dups.prefetch(id)
		})
		if err == nil {
			// Every column's order and the lower-case paths, ready before
			// the person clicks or types.
			v.u.spawn(set.prepare)
		}
	})
}

// rowsLoad reads a job's rows off the UI goroutine.
type rowsLoad struct {
	v       *filesView
	id      uint64
	stream  bool              // show the rows read so far now and then
	decided map[string]string // the dates decided in this window (a copy)
	now     time.Time
	rows    []app.FileRow
	shown   int   // how many rows were last shown
	damaged error // the store's *DamagedRecords, when records were left out
	// shownBefore are the rows shown of the same job (a running scan read
	// again), held until the new ones are ready: the new rows take their
	// strings where they are the same (shareStrings).
	shownBefore []app.FileRow
}

// run reads the rows. It stops early when the view moved to another job.
func (ld *rowsLoad) run() (*rowSet, error) {
	v := ld.v
	err := v.u.eng.FileRows(ld.id, app.FileRowsOptions{}, func(b app.FileRowsBatch) error {
		v.u.fg.yield() // outside the store's transactions: each batch is read in its own
		if v.shownJob.Load() != ld.id {
			return errOtherJob
		}
		if !ld.stream && v.settling.Load() {
			return errJobEnding // the rows shown stay until the end reads them
		}
		applyDecisions(b.Rows, ld.decided, ld.now)
		shareStrings(b.Rows, ld.shownBefore[min(len(ld.rows), len(ld.shownBefore)):])
		if ld.rows == nil {
			// Sized up front: growing a million rows by appending leaves
			// copies behind and a quarter of the last one unused.
			ld.rows = make([]app.FileRow, 0, max(b.Total, len(b.Rows)))
		}
		ld.rows = append(ld.rows, b.Rows...)
		if len(b.Dated) > 0 {
			if ld.datesShown(b.Dated) {
				// Rows shown already may be read by other goroutines:
				// these change in a copy.
				ld.rows = slices.Clone(ld.rows)
			}
			for _, d := range b.Dated {
				d.Apply(&ld.rows[d.At])
				applyDecisions(ld.rows[d.At:d.At+1], ld.decided, ld.now)
			}
		}
		if ld.stream && !b.Last {
			ld.progress(len(ld.rows), b.Total)
		}
		return nil
	})
	if errors.Is(err, errOtherJob) || (err != nil && !errors.Is(err, store.ErrDamaged)) {
		return nil, err
	}
	// A damaged record is left out; the rest are shown, and the count says so.
	ld.damaged = err
	rows := ld.rows
	if cap(rows)-len(rows) > len(rows)/8 {
		// The job's count promised more rows than came (files gone
		// since): the room never used is not kept with the rows.
		rows = slices.Clone(rows)
	}
	return newRowSet(ld.id, slices.Clip(rows)), nil
}

// shareStrings gives each row the name, folder and date strings of the row
// at its place in before when they are the same: a running scan's files are
// read again in the same order, and until the new rows replace the old, a
// million rows were held twice over (1M rows: 147 MB each). Rows shown are
// never changed, so sharing their strings is safe.
func shareStrings(rows, before []app.FileRow) {
	for i := range min(len(rows), len(before)) {
		r, o := &rows[i], &before[i]
		if r.Name != o.Name || *r.Dir != *o.Dir {
			continue
		}
		r.Name, r.Dir = o.Name, o.Dir
		if r.Date == o.Date {
			r.Date = o.Date
		}
	}
}

// datesShown says whether any of dated is a row already shown, which
// other goroutines may be reading; the rows after those were never shown.
func (ld *rowsLoad) datesShown(dated []app.DatedRow) bool {
	for _, d := range dated {
		if d.At < ld.shown {
			return true
		}
	}
	return false
}

// errOtherJob stops reading a job the view no longer shows.
var errOtherJob = errors.New("the view shows another job")

// errJobEnding stops reading again the rows of a job that is ending.
var errJobEnding = errors.New("the job shown is ending")

// progress says how far the reading is and shows the rows read: the first
// batch at once, then each time their number doubled, so sorting what is
// shown costs about twice the sorting of the whole.
func (ld *rowsLoad) progress(read, total int) {
	v := ld.v
	var set *rowSet
	if ld.shown == 0 || read >= 2*ld.shown {
		ld.shown = read
		set = newRowSet(ld.id, ld.rows[:read:read])
	}
	v.u.do(func() {
		if ld.id != v.jobID || !v.streaming {
			return
		}
		v.read, v.total = read, total
		if set == nil {
			v.showCount()
			return
		}
		v.set = set
		v.apply()
	})
}
