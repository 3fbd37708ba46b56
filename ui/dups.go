package ui

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

const (
	dupThumbSide  = 176                   // thumbnail box width
	dupThumbH     = 132                   // thumbnail box height (4:3)
	dupCardHeight = dupThumbH + 134 + 152 // and the keep/remove choice, why it is fixed, open/show buttons, a look-alike's exact copies
	dupCardWidth  = dupThumbSide + 52
	dupInfoWidth  = 250
)

// The two scopes a person chooses between, in the order shown.
const (
	scopeJobText     = "This scan"
	scopeLibraryText = "Whole library"
)

// dupsView lists exact and near-duplicate groups with thumbnails side by side.
type dupsView struct {
	u          *UI
	root       fyne.CanvasObject
	jobID      uint64
	loaded     uint64
	loadedS    app.DupScope // the scope the groups shown were found in
	loadedD    int          // and the look-alike distance (distance())
	loading    bool
	loadingFor dupsAsked // what the reload running finds
	again      bool      // a reload was asked for while one ran
	all        app.Duplicates
	same       map[string]bool  // all's extra paths to one file (app.SameFilePaths)
	groups     []store.DupGroup // the ones shown
	scope      *widget.RadioGroup
	where      *widget.Label // what the scope covers: the scan's folders
	kind       *widget.RadioGroup
	summary    *widget.Label
	list       *widget.List
	place      *widget.Label
	busy       *fyne.Container // the loading sign over the list (dups_busy.go)
	waited     busyClock
	// partShown: groups found so far are shown while the search goes on
	// (showSoFar); the sign is in the summary.
	partShown bool

	allGrid *widget.GridWrap // the open "Show all" grid, if any

	act *dupsAct // the plan: keep/remove per file, the apply bar (dups_act.go)
}

func newDupsView(u *UI) *dupsView {
	v := &dupsView{u: u}
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.place = widget.NewLabel("No scan yet. Duplicates show here once a scan has analysed some files.")
	v.place.Alignment = fyne.TextAlignCenter
	v.list = widget.NewList(
		func() int { return len(v.groups) },
		func() fyne.CanvasObject { return newGroupRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.groups) {
				o.(*groupRow).set(v, v.groups[id])
			}
		})
	v.list.OnSelected = func(widget.ListItemID) {} // keyboard focus moves through groups
	v.kind = widget.NewRadioGroup(v.kindChoices(app.Duplicates{}), func(string) { v.filter() })
	v.kind.Horizontal = true
	v.kind.Required = true
	v.kind.SetSelected(v.kind.Options[0])
	v.where = caption("")
	v.where.Wrapping = fyne.TextWrapWord
	v.scope = widget.NewRadioGroup([]string{scopeJobText, scopeLibraryText}, func(string) { v.reload() })
	v.scope.Horizontal = true
	v.scope.Required = true
	v.scope.Selected = scopeJobText
	v.waited.words = widget.NewLabelWithStyle(lookingWords, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.busy = container.NewCenter(v.waited.words)
	v.busy.Hide()
	v.act = newDupsAct(v)
	scopeRow := container.NewBorder(nil, nil, container.NewHBox(widget.NewLabelWithStyle("Look in:", fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true}), v.scope), nil, v.where)
	v.root = container.NewStack(
		container.NewBorder(container.NewVBox(v.act.bar, scopeRow, container.NewPadded(v.summary), v.kind), nil, nil, nil,
			container.New(lowFloor{height: 160}, container.NewStack(v.list, v.busy))),
		container.NewCenter(v.place))
	return v
}

// chosenScope is the scope the person chose.
func (v *dupsView) chosenScope() app.DupScope {
	if v.scope.Selected == scopeLibraryText {
		return app.ScopeLibrary
	}
	return app.ScopeJob
}

func (v *dupsView) load(id uint64) {
	v.jobID = id
	switch {
	case v.u.tabs != nil && v.u.tabs.SelectedIndex() == tabDuplicates:
		v.reload()
	case v.filesReading(id):
		// Groups kept in the library are read now, Files' reading paused
		// for the fraction of a second it takes, so that the tab has only
		// to be drawn when opened; groups that need a search wait for
		// Files (reload, prefetch).
		v.prefetch(id)
	}
	showIf(v.place, id == 0)
}

// prefetch finds the groups of the job Files is reading or has just read,
// while Duplicates is not shown and no job runs, so that opening the tab
// finds them ready: at a million files a search takes seconds. A search
// waits for the rows so as not to hold both in memory at once, and the
// engine keeps what it found in the library (app.Library.DuplicatesIn), so
// the next start reads them instead.
func (v *dupsView) prefetch(id uint64) {
	if id != v.jobID || v.loaded == id || v.loading || v.u.running() {
		return
	}
	v.reload()
}

// distanceChanged reads ahead the groups at the distance Settings says
// now, when those found were at another: at a million files a search takes
// seconds, and a person who changed the distance goes to see its groups
// next. Not while Duplicates is shown (it searches when opened) or before
// any groups were found (editing another setting starts no search). A
// change typed while a search runs is searched for when it ends (reload),
// so typing "12" searches at 1 and then at 12, not at every key after.
func (v *dupsView) distanceChanged() {
	if v.jobID == 0 || v.loaded != v.jobID || v.loadedD == v.distance() || v.distance() < 0 || v.u.running() {
		return
	}
	if v.u.tabs != nil && v.u.tabs.SelectedIndex() == tabDuplicates {
		return
	}
	v.reload()
}

// ensureLoaded finds the groups when the tab opens, unless those shown are
// of this scan, at the distance Settings says now, and no job runs.
func (v *dupsView) ensureLoaded() {
	v.restartBusy() // the wait the person sees starts when the tab opens
	if v.jobID == 0 || (v.loaded == v.jobID && v.loadedD == v.distance() && !v.u.running()) {
		return
	}
	// The tab opened again while its groups load (a shortcut and a click):
	// nothing changed since they were asked for, so they are not asked
	// for again when they come, which took the part shown off the screen.
	if v.loading && v.loadingFor == (dupsAsked{v.jobID, v.chosenScope(), v.distance()}) && !v.u.running() {
		return
	}
	v.reload()
}

// dupsAsked is what a reload finds: a job's groups in a scope, at a
// look-alike distance.
type dupsAsked struct {
	job      uint64
	scope    app.DupScope
	distance int
}

// distance is the look-alike distance Settings says now; -1 (the job's
// own) while its entry is not valid.
func (v *dupsView) distance() int {
	s, err := v.u.settings.current()
	if err != nil {
		return -1
	}
	return s.NearDistance
}

// reload finds the groups again, off the UI goroutine. Groups of another
// scan, scope or distance are taken off the screen at once, so no stale
// group is shown while the new ones load; the loading sign stands over the
// list.
func (v *dupsView) reload() {
	id, scope := v.jobID, v.chosenScope()
	if id == 0 {
		return
	}
	if v.loading {
		v.again = true
		return
	}
	dist := v.distance()
	v.loading, v.loadingFor = true, dupsAsked{id, scope, dist}
	fresh := v.loaded != id || v.loadedS != scope || v.loadedD != dist // none of these groups on screen
	if fresh {
		if v.loaded != id {
			v.where.SetText("") // where another scan looked
		}
		v.all, v.groups, v.same = app.Duplicates{}, nil, nil
		v.list.Refresh()
		v.act.bar.Hide()
	}
	v.summary.SetText("Looking for duplicates…")
	v.startBusy()
	// While Files reads this scan's rows, the two do not run side by side:
	// a search takes hundreds of megabytes at a million files, and both
	// cores. Groups kept in the library are read, planned and shown first,
	// Files' reading paused meanwhile (foreground). A search goes first too
	// when the person is looking at Duplicates; otherwise (read ahead as
	// Files starts) it waits for Files to finish (prefetch).
	wait := v.filesReading(id) && !v.u.running()
	shown := v.u.tabs != nil && v.u.tabs.SelectedIndex() == tabDuplicates
	v.u.spawn(func() {
		var d app.Duplicates
		kept := false
		if wait {
			release := v.u.fg.hold()
			defer release()
			if d, kept = v.u.eng.KeptDuplicates(id, dist, scope); !kept && !shown {
				release()
				v.u.do(func() { v.waitForFiles(id) })
				return
			}
		}
		var err error
		if !kept && !wait && fresh {
			d, kept = v.u.eng.KeptDuplicates(id, dist, scope) // no part needed
		}
		if !kept {
			var soFar func(app.Duplicates)
			if fresh {
				// What the search finds before its end (seconds at a
				// million files), to look at meanwhile: the exact
				// copies, then the look-alikes among the files read
				// first (app.Library.SearchDuplicates).
				soFar = func(part app.Duplicates) {
					if len(part.Exact)+len(part.Near) > 0 {
						v.u.do(func() { v.showSoFar(id, scope, part) })
					}
				}
			}
			d, err = v.u.eng.SearchDuplicates(id, dist, scope, soFar)
			// The search's tables (about 340 MB allocated at a million
			// files) are garbage now, but the collector's next target was
			// set while they were live: twice that. Files, which goes on
			// reading once the search is done, would fill the heap up to
			// it, and the window's peak RSS passed 1 GB. One collection
			// now sets the target from what the window really holds.
			runtime.GC()
		}
		var plan app.Plan
		var planErr error
		var gone, same map[string]bool
		where := ""
		if err == nil {
			plan, planErr = v.u.eng.PlanDuplicates(id, app.PlanOptions{IncludeNear: true, NearDistance: dist, Scope: scope})
			gone, same = goneFiles(d), app.SameFilePaths(d.Exact)
			where = scopeWords(v.u.eng, id, scope)
		}
		v.u.do(func() { v.loadedGroups(id, scope, dist, d, err, plan, planErr, gone, same, where) })
	})
}

// filesReading says Files is reading the rows of job id.
func (v *dupsView) filesReading(id uint64) bool {
	return v.u.files.loading && v.u.files.jobID == id
}

// waitForFiles leaves the search to prefetch, which Files calls once it
// has read the rows; the loading sign stays, saying why.
func (v *dupsView) waitForFiles(id uint64) {
	v.loading = false
	// Files may have finished in between: its prefetch found this search
	// still going and left it.
	if v.again || id != v.jobID || !v.filesReading(id) {
		v.again = false
		v.reload()
		return
	}
	v.summary.SetText("Looking for duplicates once Files has read this scan's files…")
}

// showSoFar shows the groups a search has found so far, unless the person
// moved on: the exact copies, most of what a library holds twice, take a
// tenth of a second to find at a million files, the look-alikes seconds;
// the look-alikes among the files read first come a little after the
// exact copies. They are shown to look at, not to act on: the plan comes
// with the whole answer (loadedGroups). The sign that counts the seconds
// moves from over the list into the summary.
func (v *dupsView) showSoFar(id uint64, scope app.DupScope, d app.Duplicates) {
	if !v.loading || v.again || id != v.jobID || scope != v.chosenScope() {
		return
	}
	v.act.clearPlan()
	// v.same stays empty (reload cleared it): which paths are one file's is
	// told from the disk with the whole answer; the counts say "so far".
	v.partShown = true
	v.busy.Hide()
	v.show(d)
	v.waited.shown = -1 // the summary says it now
	v.tickBusy()
}

// loadedGroups shows what reload found, unless the person moved on.
func (v *dupsView) loadedGroups(id uint64, scope app.DupScope, dist int, d app.Duplicates, err error,
	plan app.Plan, planErr error, gone, same map[string]bool, where string) {
	v.loading = false
	partial := v.partShown
	v.stopBusy()
	if v.again || id != v.jobID || scope != v.chosenScope() {
		v.again = false
		v.reload()
		return
	}
	if err != nil {
		if partial { // groups shown without their look-alikes: not the answer
			v.all, v.groups = app.Duplicates{}, nil
			v.list.Refresh()
		}
		v.summary.SetText("Could not find the duplicates: " + err.Error())
		return
	}
	v.loaded, v.loadedS, v.loadedD = id, scope, dist
	v.where.SetText(where)
	v.act.setPlan(plan, planErr)
	v.act.gone, v.same = gone, same
	v.show(d)
}

// scopeWords says what a scope covers: the scan's folders, or the library.
// Off the UI goroutine (it reads the job).
func scopeWords(eng Engine, id uint64, scope app.DupScope) string {
	if scope == app.ScopeLibrary {
		return "the files of this scan, with their copies anywhere in the library"
	}
	j, err := eng.Job(id)
	if err != nil || len(j.Roots) == 0 {
		return "only the files of this scan"
	}
	names := make([]string, 0, len(j.Roots))
	for _, r := range j.Roots {
		names = append(names, homeShort(r))
	}
	return "only inside " + strings.Join(names, ", ")
}

// kindChoices are the choices of which groups to show, with their counts,
// which say so while the look-alikes are still looked for (partShown).
func (v *dupsView) kindChoices(d app.Duplicates) []string {
	if v.partShown {
		looks := "Look-alikes (looking…)"
		if len(d.Near) > 0 {
			looks = fmt.Sprintf("Look-alikes (%d so far)", len(d.Near))
		}
		return []string{
			fmt.Sprintf("All groups (%d so far)", len(d.Exact)+len(d.Near)),
			fmt.Sprintf("Exact copies (%d)", len(d.Exact)),
			looks,
		}
	}
	return []string{
		fmt.Sprintf("All groups (%d)", len(d.Exact)+len(d.Near)),
		fmt.Sprintf("Exact copies (%d)", len(d.Exact)),
		fmt.Sprintf("Look-alikes (%d)", len(d.Near)),
	}
}

func (v *dupsView) show(d app.Duplicates) {
	for i := range d.Exact {
		d.Exact[i].Near = false
	}
	for i := range d.Near {
		d.Near[i].Near = true
	}
	// The groups that waste the most space first.
	for _, gs := range [][]store.DupGroup{d.Exact, d.Near} {
		slices.SortStableFunc(gs, func(a, b store.DupGroup) int { return cmp.Compare(spareBytes(b, v.same), spareBytes(a, v.same)) })
	}
	v.all = d
	sel := 0
	for i, o := range v.kind.Options {
		if o == v.kind.Selected {
			sel = i
		}
	}
	v.kind.Options = v.kindChoices(d)
	v.kind.Selected = v.kind.Options[sel]
	v.kind.Refresh()
	v.summary.SetText(dupSummary(d, v.act.ok, v.same))
	showIf(v.place, false)
	v.filter()
}

// filter shows the groups of the chosen kind.
func (v *dupsView) filter() {
	v.groups = v.groups[:0]
	switch {
	case strings.HasPrefix(v.kind.Selected, "Exact"):
		v.groups = append(v.groups, v.all.Exact...)
	case strings.HasPrefix(v.kind.Selected, "Look"):
		v.groups = append(v.groups, v.all.Near...)
	default:
		v.groups = append(append(v.groups, v.all.Exact...), v.all.Near...)
	}
	v.list.Refresh()
	v.list.ScrollToTop()
}

// spareBytes is what a group's copies other than the likely original take,
// a file reached by several of its paths (same, app.SameFilePaths) counted
// once: two names of one file waste nothing.
func spareBytes(g store.DupGroup, same map[string]bool) int64 {
	var n int64
	for _, f := range g.Files {
		if !same[f.AbsPath()] {
			n += f.Size
		}
	}
	if len(g.Files) > 0 {
		n -= g.Files[likelyOriginal(g.Files)].Size // kept, under one of its names at least
	}
	return n
}

// dupSummary says what the groups add up to.
func dupSummary(d app.Duplicates, planned bool, same map[string]bool) string {
	if len(d.Exact) == 0 && len(d.Near) == 0 {
		return "No duplicates: every photo and video is one of a kind."
	}
	counts := dupCounts(d, same)
	if planned {
		return counts + ". Each group keeps the file its rules chose (Settings orders them); " +
			"switch any file to Keep or Remove. Look-alike groups are acted on only once you approve them."
	}
	return counts + ". The copy marked “Likely original” has the most pixels, then the earliest date."
}

// dupCounts says how many groups and files there are of each kind; same
// is the groups' extra paths to one file (app.SameFilePaths), whose
// bytes the extra copies do not take twice.
func dupCounts(d app.Duplicates, same map[string]bool) string {
	var parts []string
	if len(d.Exact) > 0 {
		files, spare := 0, int64(0)
		for _, g := range d.Exact {
			files += len(g.Files)
			spare += app.SpareBytes(g, same)
		}
		parts = append(parts, fmt.Sprintf("%s of exact copies (%s; the extra copies take %s)",
			plural(len(d.Exact), "group"), plural(files, "file"), media.SizeText(spare)))
	}
	if len(d.Near) > 0 {
		near := 0
		for _, g := range d.Near {
			near += len(g.Files)
		}
		parts = append(parts, fmt.Sprintf("%s of look-alikes (%s)", plural(len(d.Near), "group"), plural(near, "file")))
	}
	return strings.Join(parts, " · ")
}

// likelyOriginal picks the copy a person most likely wants to keep: most
// pixels, then earliest trusted date, then the copy modified first on disk,
// then largest file, then shortest path.
func likelyOriginal(files []store.FileRecord) int {
	best := -1
	for i, f := range files {
		if best < 0 {
			best = i
			continue
		}
		b := files[best]
		pf, pb := f.Width*f.Height, b.Width*b.Height
		switch {
		case pf != pb:
			if pf > pb {
				best = i
			}
		case !f.Time.Time.Equal(b.Time.Time):
			if !f.Time.Time.IsZero() && (b.Time.Time.IsZero() || f.Time.Time.Before(b.Time.Time)) {
				best = i
			}
		case f.MtimeNS != b.MtimeNS:
			if f.MtimeNS < b.MtimeNS {
				best = i
			}
		case f.Size != b.Size:
			if f.Size > b.Size {
				best = i
			}
		case len(f.RelPath) < len(b.RelPath):
			best = i
		}
	}
	return best
}

// showAll opens every file of a group in a grid that makes only the cards
// on screen, however many files the group holds.
func (v *dupsView) showAll(shown *groupRow) {
	// A row of its own, not on screen: the list may reuse the shown one
	// for another group while the grid is open. Its fill stays one card.
	r := newGroupRow()
	r.v, r.g, r.specs, r.fit = v, shown.g, shown.specs, 1
	r.choices = map[string]*widget.RadioGroup{}
	gi := v.act.group(r.g)
	gens := map[*fyne.Container]*atomic.Uint64{} // per cell: a cell scrolled to another file drops its old thumbnail
	grid := widget.NewGridWrap(func() int { return len(r.specs) },
		func() fyne.CanvasObject {
			s := canvas.NewRectangle(nil)
			s.SetMinSize(fyne.NewSize(dupCardWidth, dupCardHeight))
			return container.NewStack(s)
		},
		func(id widget.GridWrapItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			gen := gens[c]
			if gen == nil {
				gen = &atomic.Uint64{}
				gens[c] = gen
			}
			n := gen.Add(1)
			c.Objects = []fyne.CanvasObject{r.card(gi, r.specs[id], func() bool { return gen.Load() == n })}
			c.Refresh()
		})
	title, _ := groupTitle(r.g, v.same)
	d := dialog.NewCustom(title, "Close", grid, v.u.win)
	d.SetOnClosed(func() { v.allGrid = nil })
	win := v.u.win.Canvas().Size()
	d.Resize(fyne.NewSize(win.Width*0.92, win.Height*0.9))
	v.allGrid = grid
	v.u.showDialog(d)
}
