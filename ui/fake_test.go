package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// fakeEngine records what the window asks of it and lets a test play the
// engine's callbacks.
type fakeEngine struct {
	mu          sync.Mutex
	cb          app.Callbacks
	calls       []string
	starts      [][]string
	settings    []app.Settings
	nextID      uint64
	startErr    error
	jobs        []store.Job
	interrupted []store.Job
	files       map[uint64][]store.FileRecord
	rowBatch    int            // FileRows' batch size; 0: one batch
	onBatch     func(read int) // called after each batch of FileRows, with the rows read so far
	rowsErr     error          // FileRows' error once every row is given (a damaged record)
	rowsDated   []app.DatedRow // FileRows' neighbours' dates, given with the last batch
	rowsTotal   int            // FileRows' Total; 0: the number of records
	dups        app.Duplicates
	dupDistance int
	dupScopes   []app.DupScope
	jobDups     *app.Duplicates // ScopeJob's groups; nil: the same as dups
	dupsKept    bool            // KeptDuplicates answers with dups (else: a search is needed)
	onKept      func()          // called by KeptDuplicates, when set
	onDups      func()          // called by SearchDuplicates after the parts it tells, when set
	dupsErr     error           // SearchDuplicates fails with it, when set
	// firstLooks, when set, are the look-alikes SearchDuplicates tells
	// after the exact groups; onFirstLooks is called before they are told.
	firstLooks   []store.DupGroup
	onFirstLooks func()
	ch           changeFake
	unique       app.UniqueReport
	org          organiseFake
	setDates     []setDateCall
	setDateLeft  string // SetDate leaves every file, saying this, when set
	dates        datesFake
}

// setDateCall is one SetDate the window asked for.
type setDateCall struct {
	paths []string
	date  string
}

func (f *fakeEngine) SetDate(sel app.DatesSelection, date string) ([]app.DateDecision, error) {
	f.record("set-date " + date + " " + strings.Join(sel.Paths, ","))
	f.setDates = append(f.setDates, setDateCall{paths: sel.Paths, date: date})
	var out []app.DateDecision
	for _, p := range sel.Paths {
		out = append(out, app.DateDecision{Path: p, New: date, Skipped: f.setDateLeft})
	}
	return out, nil
}

func newFake() *fakeEngine { return &fakeEngine{nextID: 1, files: map[uint64][]store.FileRecord{}} }

func (f *fakeEngine) record(s string) {
	f.mu.Lock()
	f.calls = append(f.calls, s)
	f.mu.Unlock()
}

func (f *fakeEngine) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeEngine) SetCallbacks(cb app.Callbacks) { f.cb = cb }
func (f *fakeEngine) Start(roots []string, s app.Settings) (uint64, error) {
	f.record("start " + strings.Join(roots, ","))
	if f.startErr != nil {
		return 0, f.startErr
	}
	f.starts = append(f.starts, roots)
	f.settings = append(f.settings, s)
	id := f.nextID
	f.nextID++
	return id, nil
}
func (f *fakeEngine) Pause(id uint64) error { f.record(fmt.Sprintf("pause %d", id)); return nil }
func (f *fakeEngine) Resume(id uint64) error {
	f.record(fmt.Sprintf("resume %d", id))
	return nil
}
func (f *fakeEngine) RetryFailed(id uint64) error {
	f.record(fmt.Sprintf("retry-failed %d", id))
	return nil
}
func (f *fakeEngine) Cancel(id uint64) error  { f.record(fmt.Sprintf("cancel %d", id)); return nil }
func (f *fakeEngine) Discard(id uint64) error { f.record(fmt.Sprintf("discard %d", id)); return nil }
func (f *fakeEngine) Jobs() ([]store.Job, error) {
	return f.jobs, nil
}
func (f *fakeEngine) Job(id uint64) (store.Job, error) {
	for _, j := range f.jobs {
		if j.ID == id {
			return j, nil
		}
	}
	return store.Job{}, errors.New("no such job")
}
func (f *fakeEngine) Interrupted() ([]store.Job, error) { return f.interrupted, nil }

// FileRows hands over the job's records as rows, rowBatch at a time (all
// at once when 0), calling onBatch after each batch the window took.
func (f *fakeEngine) FileRows(id uint64, opt app.FileRowsOptions, fn func(app.FileRowsBatch) error) error {
	f.record(fmt.Sprintf("files %d", id))
	recs := f.files[id]
	size := f.rowBatch
	if size <= 0 {
		size = max(1, len(recs))
	}
	b := app.NewRowBuilder()
	for at := 0; at < len(recs) || at == 0; at += size {
		batch := app.FileRowsBatch{Total: len(recs), Last: at+size >= len(recs)}
		if f.rowsTotal > 0 {
			batch.Total = f.rowsTotal
		}
		if batch.Last {
			batch.Dated = f.rowsDated
		}
		for i := at; i < min(at+size, len(recs)); i++ {
			batch.Rows = append(batch.Rows, b.Row(&recs[i]))
		}
		if err := fn(batch); err != nil {
			return err
		}
		if f.onBatch != nil {
			f.onBatch(at + len(batch.Rows))
		}
	}
	return f.rowsErr
}

func (f *fakeEngine) FileOfRow(id uint64, row app.FileRow) (store.FileRecord, error) {
	for _, r := range f.files[id] {
		if r.Root == row.Dir.Root && r.RelPath == row.RelPath() {
			return r, nil
		}
	}
	return store.FileRecord{}, store.ErrNotFound
}

func (f *fakeEngine) FailedFiles(id uint64) ([]store.FileRecord, error) {
	f.record(fmt.Sprintf("failed files %d", id))
	var out []store.FileRecord
	for _, r := range f.files[id] {
		if r.Status == media.StatusError {
			out = append(out, r)
		}
	}
	return out, nil
}
func (f *fakeEngine) SearchDuplicates(id uint64, distance int, scope app.DupScope, soFar func(app.Duplicates)) (app.Duplicates, error) {
	f.record(fmt.Sprintf("dups %d", id))
	d := f.dups
	if scope == app.ScopeJob && f.jobDups != nil {
		d = *f.jobDups
	}
	if soFar != nil {
		// As the library tells: the exact groups, then with them the
		// look-alikes found first (f.firstLooks, when set).
		f.record(fmt.Sprintf("exact dups %d", id))
		soFar(app.Duplicates{Exact: cloneDups(d).Exact})
		if f.firstLooks != nil {
			if f.onFirstLooks != nil {
				f.onFirstLooks()
			}
			soFar(app.Duplicates{Exact: cloneDups(d).Exact, Near: cloneDups(app.Duplicates{Near: f.firstLooks}).Near})
		}
	}
	if f.onDups != nil {
		f.onDups()
	}
	f.dupDistance = distance
	f.dupScopes = append(f.dupScopes, scope)
	if f.dupsErr != nil {
		return app.Duplicates{}, f.dupsErr
	}
	return cloneDups(d), nil
}

func (f *fakeEngine) KeptDuplicates(id uint64, distance int, scope app.DupScope) (app.Duplicates, bool) {
	f.record(fmt.Sprintf("kept dups %d", id))
	if f.onKept != nil {
		f.onKept()
	}
	if !f.dupsKept {
		return app.Duplicates{}, false
	}
	return cloneDups(f.dups), true
}

// cloneDups copies the groups, as the engine gives new ones each time.
func cloneDups(d app.Duplicates) app.Duplicates {
	return app.Duplicates{Exact: append([]store.DupGroup(nil), d.Exact...), Near: append([]store.DupGroup(nil), d.Near...)}
}
func (f *fakeEngine) Thumbnail(rec store.FileRecord, side int) (image.Image, error) {
	f.record("thumb " + rec.RelPath)
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(0, 0, color.White)
	return img, nil
}

// emit plays one progress snapshot as the engine would.
func (f *fakeEngine) emit(p app.Progress) { f.cb.OnProgress(p) }

// newTestUI builds the window on the test app with do and spawn inline, so
// everything runs on the test goroutine.
func newTestUI(t *testing.T, eng *fakeEngine) *UI {
	t.Helper()
	u := newUI(test.NewTempApp(t), eng)
	u.do = func(f func()) { f() }
	u.spawn = func(f func()) { f() }
	u.win.Resize(fyne.NewSize(1100, 720))
	t.Cleanup(u.win.Close)
	return u
}

// eachVisible calls visit on o and on every visible object under it, in
// the window's tree (containers, scrolls, widgets' renderers); it does not
// go under an object for which visit says false.
func eachVisible(o fyne.CanvasObject, visit func(fyne.CanvasObject) (descend bool)) {
	if o == nil || !o.Visible() || !visit(o) {
		return
	}
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			eachVisible(c, visit)
		}
	case *container.Scroll:
		eachVisible(w.Content, visit)
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			eachVisible(c, visit)
		}
	}
}

// texts collects every visible text under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	eachVisible(o, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *middleLabel:
			out = append(out, w.full)
		case *pathLabel:
			out = append(out, w.middleLabel.full)
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *canvas.Text:
			out = append(out, w.Text)
		case *widget.RichText:
			out = append(out, w.String())
		default:
			return true
		}
		return false
	})
	return out
}

func joined(o fyne.CanvasObject) string { return strings.Join(texts(o), "\n") }

// overlayText is the text of the topmost dialog, or "".
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return joined(top)
}

// findButton finds a visible button with the given text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	eachVisible(o, func(o fyne.CanvasObject) bool { // the first one found
		if found != nil {
			return false
		}
		if w, ok := o.(*widget.Button); ok {
			if w.Text == text {
				found = w
			}
			return false
		}
		return true
	})
	return found
}

// changeFake is the fake engine's side of change runs.
type changeFake struct {
	plan     app.Plan
	planErr  error
	planOpts []app.PlanOptions
	applied  []app.Plan
	applyErr error
	undone   []uint64
	runs     []app.RunSummary
	items    map[uint64][]store.ChangeItem
	prefs    app.ChangePreferences
	setPrefs []app.ChangePreferences
}

func (f *fakeEngine) PlanDuplicates(id uint64, opt app.PlanOptions) (app.Plan, error) {
	f.record(fmt.Sprintf("plan %d", id))
	f.ch.planOpts = append(f.ch.planOpts, opt)
	return clonePlan(f.ch.plan), f.ch.planErr
}
func (f *fakeEngine) ApplyPlan(p app.Plan) (uint64, error) {
	f.record("apply")
	f.ch.applied = append(f.ch.applied, p)
	if f.ch.applyErr != nil {
		return 0, f.ch.applyErr
	}
	id := f.nextID
	f.nextID++
	return id, nil
}
func (f *fakeEngine) Undo(id uint64) (uint64, error) {
	f.record(fmt.Sprintf("undo %d", id))
	f.ch.undone = append(f.ch.undone, id)
	u := f.nextID
	f.nextID++
	return u, nil
}
func (f *fakeEngine) Runs() ([]app.RunSummary, error) { return f.ch.runs, nil }
func (f *fakeEngine) ChangeItems(id uint64) ([]store.ChangeItem, error) {
	f.record(fmt.Sprintf("items %d", id))
	return f.ch.items[id], nil
}
func (f *fakeEngine) ChangePreferences() (app.ChangePreferences, error) { return f.ch.prefs, nil }

// Unique answers with the report set in f.unique, for f.unique.Dir only.
func (f *fakeEngine) Unique(_ context.Context, dir string, _ app.UniqueOptions) (app.UniqueReport, error) {
	f.record("unique " + dir)
	if dir != f.unique.Dir {
		return app.UniqueReport{}, fmt.Errorf("%s is not a folder", dir)
	}
	return f.unique, nil
}
func (f *fakeEngine) SetChangePreferences(p app.ChangePreferences) error {
	f.ch.setPrefs = append(f.ch.setPrefs, p)
	f.ch.prefs = p
	return nil
}

// clonePlan copies a plan deeply enough that the window's edits do not
// reach the fake's copy.
func clonePlan(p app.Plan) app.Plan {
	q := p
	q.Groups = make([]app.PlanGroup, len(p.Groups))
	for i, g := range p.Groups {
		g.Keep = append([]string(nil), g.Keep...)
		g.Remove = append([]string(nil), g.Remove...)
		if g.Approved != nil {
			a := *g.Approved
			g.Approved = &a
		}
		q.Groups[i] = g
	}
	return q
}

// organiseFake is the fake engine's side of organising.
type organiseFake struct {
	plan     app.OrganisePlan
	planErr  error
	planned  []app.OrganiseOptions
	started  []app.OrganiseOptions
	runErr   error
	ledger   []app.LedgerEntry
	ledgerOf store.Job
}

func (f *fakeEngine) PlanOrganise(_ context.Context, opt app.OrganiseOptions) (app.OrganisePlan, error) {
	f.record("plan-organise " + opt.Dest)
	f.org.planned = append(f.org.planned, opt)
	return f.org.plan, f.org.planErr
}
func (f *fakeEngine) Organise(_ context.Context, opt app.OrganiseOptions) (uint64, app.OrganisePlan, error) {
	f.record("organise " + opt.Dest)
	f.org.started = append(f.org.started, opt)
	if f.org.runErr != nil {
		return 0, f.org.plan, f.org.runErr
	}
	id := f.nextID
	f.nextID++
	return id, f.org.plan, nil
}
func (f *fakeEngine) Ledger(id uint64) (store.Job, []app.LedgerEntry, error) {
	f.record(fmt.Sprintf("ledger %d", id))
	return f.org.ledgerOf, f.org.ledger, nil
}

// datesFake is the fake engine's side of the bulk date corrections: the
// preview and plan it answers, and what the window asked.
type datesFake struct {
	preview  []app.DateDecision
	previews []app.DatesChange
	decided  []app.DatesChange
	writes   []app.DateWrite
	planned  []app.DatesWriteOptions
	written  []app.DatesWriteOptions
}

func (f *fakeEngine) PreviewDates(ch app.DatesChange) ([]app.DateDecision, error) {
	f.record("preview-dates " + ch.Op)
	f.dates.previews = append(f.dates.previews, ch)
	return f.dates.preview, nil
}
func (f *fakeEngine) DecideDates(ch app.DatesChange) ([]app.DateDecision, error) {
	f.record("decide-dates " + ch.Op)
	f.dates.decided = append(f.dates.decided, ch)
	return f.dates.preview, nil
}
func (f *fakeEngine) PlanDatesWrite(opt app.DatesWriteOptions) ([]app.DateWrite, error) {
	f.record("plan-dates-write " + strings.Join(opt.To, "+"))
	f.dates.planned = append(f.dates.planned, opt)
	return f.dates.writes, nil
}
func (f *fakeEngine) WriteDates(opt app.DatesWriteOptions) (uint64, []app.DateWrite, error) {
	f.record("write-dates " + strings.Join(opt.To, "+"))
	f.dates.written = append(f.dates.written, opt)
	id := f.nextID
	f.nextID++
	return id, f.dates.writes, nil
}

// spawned holds what the window handed off its goroutine, run when a test
// says.
type spawned struct{ fns []func() }

// take empties the queue and returns what it held.
func (q *spawned) take() []func() {
	fns := q.fns
	q.fns = nil
	return fns
}

// drain runs what is queued, and what that queues, in order.
func (q *spawned) drain() {
	for len(q.fns) > 0 {
		fn := q.fns[0]
		q.fns = q.fns[1:]
		fn()
	}
}
