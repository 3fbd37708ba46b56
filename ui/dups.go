package ui

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

const (
	dupThumbSide  = 176                   // thumbnail box width
	dupThumbH     = 132                   // thumbnail box height (4:3)
	dupCardHeight = dupThumbH + 134 + 110 // and the keep/remove choice, why it is fixed, open/show buttons
	dupCardWidth  = dupThumbSide + 52
	dupInfoWidth  = 250
)

// dupsView lists exact and near-duplicate groups with thumbnails side by side.
type dupsView struct {
	u       *UI
	root    fyne.CanvasObject
	jobID   uint64
	loaded  uint64
	loading bool
	all     app.Duplicates
	groups  []store.DupGroup // the ones shown
	kind    *widget.RadioGroup
	summary *widget.Label
	list    *widget.List
	place   *widget.Label

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
	v.kind = widget.NewRadioGroup(dupKinds(app.Duplicates{}), func(string) { v.filter() })
	v.kind.Horizontal = true
	v.kind.Required = true
	v.kind.SetSelected(v.kind.Options[0])
	v.act = newDupsAct(v)
	v.root = container.NewStack(
		container.NewBorder(container.NewVBox(v.act.bar, container.NewPadded(v.summary), v.kind), nil, nil, nil, v.list),
		container.NewCenter(v.place))
	return v
}

func (v *dupsView) load(id uint64) {
	v.jobID = id
	if v.u.tabs != nil && v.u.tabs.SelectedIndex() == tabDuplicates {
		v.reload()
	}
	showIf(v.place, id == 0)
}

func (v *dupsView) ensureLoaded() {
	if v.jobID != 0 && (v.loaded != v.jobID || v.u.running()) {
		v.reload()
	}
}

func (v *dupsView) reload() {
	id := v.jobID
	if id == 0 || v.loading {
		return
	}
	s, err := v.u.settings.current()
	if err != nil {
		s.NearDistance = -1 // the job's own setting
	}
	dist := s.NearDistance
	v.loading = true
	v.summary.SetText("Looking for duplicates…")
	v.u.spawn(func() {
		d, err := v.u.eng.Duplicates(id, dist)
		var plan app.Plan
		var planErr error
		var gone map[string]bool
		if err == nil {
			plan, planErr = v.u.eng.PlanDuplicates(id, app.PlanOptions{IncludeNear: true, NearDistance: dist})
			gone = goneFiles(d)
		}
		v.u.do(func() {
			v.loading = false
			if err != nil {
				v.summary.SetText("Could not find the duplicates: " + err.Error())
				return
			}
			if id != v.jobID {
				return
			}
			v.loaded = id
			v.act.setPlan(plan, planErr)
			v.act.gone = gone
			v.show(d)
		})
	})
}

// dupKinds are the choices of which groups to show, with their counts.
func dupKinds(d app.Duplicates) []string {
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
		slices.SortStableFunc(gs, func(a, b store.DupGroup) int { return cmp.Compare(spareBytes(b), spareBytes(a)) })
	}
	v.all = d
	sel := 0
	for i, o := range v.kind.Options {
		if o == v.kind.Selected {
			sel = i
		}
	}
	v.kind.Options = dupKinds(d)
	v.kind.Selected = v.kind.Options[sel]
	v.kind.Refresh()
	v.summary.SetText(dupSummary(d, v.act.ok))
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

// spareBytes is what a group's copies other than the likely original take.
func spareBytes(g store.DupGroup) int64 {
	var n int64
	orig := likelyOriginal(g.Files)
	for i, f := range g.Files {
		if i != orig {
			n += f.Size
		}
	}
	return n
}

// dupSummary says what the groups add up to.
func dupSummary(d app.Duplicates, planned bool) string {
	if len(d.Exact) == 0 && len(d.Near) == 0 {
		return "No duplicates: every photo and video is one of a kind."
	}
	var parts []string
	if len(d.Exact) > 0 {
		files, spare := 0, int64(0)
		for _, g := range d.Exact {
			files += len(g.Files)
			for _, f := range g.Files[1:] {
				spare += f.Size
			}
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
	if planned {
		return strings.Join(parts, " · ") + ". Each group keeps the file its rules chose (Settings orders them); " +
			"switch any file to Keep or Remove. Look-alike groups are acted on only once you approve them."
	}
	return strings.Join(parts, " · ") + ". The copy marked “Likely original” has the most pixels, then the earliest date."
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

// groupRow is one group: a title line, the evidence, and its files side by side.
type groupRow struct {
	widget.BaseWidget
	gen      atomic.Uint64 // counts the groups shown, so thumbnails scrolled away are not decoded
	title    *widget.Label
	evidence *widget.Label
	rule     *widget.Label // why the keeper was chosen, or "tie: choose one"
	approve  *widget.Check // look-alike groups only
	cards    *fyne.Container
	box      fyne.CanvasObject

	g       store.DupGroup
	choices map[string]*widget.RadioGroup // keep/remove per absolute path, for tests
}

func newGroupRow() *groupRow {
	r := &groupRow{title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	r.title.Wrapping = fyne.TextWrapWord
	r.evidence = caption("")
	r.evidence.Wrapping = fyne.TextWrapWord
	r.rule = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	r.rule.Wrapping = fyne.TextWrapWord
	r.approve = widget.NewCheck("Approve this group", nil)
	r.cards = container.NewHBox()
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(10, dupCardHeight))
	info := container.NewGridWrap(fyne.NewSize(dupInfoWidth, dupCardHeight), container.NewVBox(r.title, r.evidence, r.rule, r.approve))
	r.box = container.NewBorder(nil, nil, info, nil, container.NewStack(spacer, container.NewHScroll(r.cards)))
	r.ExtendBaseWidget(r)
	return r
}

func (r *groupRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// groupTitle is a group's heading and its evidence line.
func groupTitle(g store.DupGroup) (string, string) {
	if !g.Near {
		h := g.SHA256
		if len(h) > 10 {
			h = h[:10]
		}
		var spare int64
		for _, f := range g.Files[1:] {
			spare += f.Size
		}
		return fmt.Sprintf("Exact copies · %d files", len(g.Files)),
			fmt.Sprintf("Identical bytes (SHA-256 %s…). Keeping one loses nothing and frees %s.", h, media.SizeText(spare))
	}
	t := fmt.Sprintf("Look-alikes · %d files", len(g.Files))
	ev0 := fmt.Sprintf("Differ by up to %d of 64 bits. ", g.MaxDistance)
	if g.MaxDistance == 0 {
		ev0 = "The same picture, stored differently. "
	}
	ev := "Similar perceptual hashes."
	if len(g.Evidence) > 0 {
		ev = evidenceSummary(g.Evidence)
	}
	return t, app.ElideMiddle(ev0+ev, 200)
}

// evidenceSummary shortens the engine's evidence lines for the narrow side
// panel. The cards already name the files, so the "a.jpg ~ b.png: " prefix
// of each pair goes, identical reasons are said once with a count, and the
// measurements come first, where eliding cannot cut them.
func evidenceSummary(lines []string) string {
	var order []string
	count := map[string]int{}
	for _, l := range lines {
		if i := strings.Index(l, " ~ "); i >= 0 {
			if j := strings.Index(l[i:], ": "); j >= 0 {
				l = l[i+j+2:]
			}
		}
		if count[l] == 0 {
			order = append(order, l)
		}
		count[l]++
	}
	parts := make([]string, len(order))
	for i, l := range order {
		parts[i] = upperFirst(l)
		if n := count[l]; n > 1 {
			parts[i] += fmt.Sprintf(" (%d pairs)", n)
		}
	}
	return strings.Join(parts, ". ") + "."
}

// upperFirst starts a sentence, leaving names such as pHash and iPhone as
// they are.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func (r *groupRow) set(v *dupsView, g store.DupGroup) {
	r.g = g
	t, ev := groupTitle(g)
	r.title.SetText(t)
	r.evidence.SetText(ev)
	gi := v.act.group(g)
	r.showPlan(v, gi)
	orig := likelyOriginal(g.Files)
	r.cards.RemoveAll()
	r.choices = map[string]*widget.RadioGroup{}
	gen := r.gen.Add(1)
	wanted := func() bool { return r.gen.Load() == gen }
	for i, f := range g.Files {
		badge := ""
		switch {
		case v.act.gone[f.AbsPath()]:
		case gi < 0 && i == orig:
			badge = "★ Likely original"
		case gi >= 0 && v.act.keeper(gi, f):
			badge = "★ Keeper"
		}
		var controls fyne.CanvasObject = v.act.revealButtons(f)
		switch {
		case v.act.gone[f.AbsPath()]:
			controls = wrapped("Not here any more: moved by a change run, or by something else since the scan")
		case gi >= 0:
			controls = container.NewVBox(r.choice(v, gi, f), controls)
		}
		r.cards.Add(dupCard(v.u, f, badge, controls, wanted))
	}
	r.cards.Refresh()
}

// dupCard is one file of a group: thumbnail, name, size, dimensions, date,
// and below them the controls (keep/remove, open, show in folder).
func dupCard(u *UI, f store.FileRecord, badge string, controls fyne.CanvasObject, wanted func() bool) fyne.CanvasObject {
	original := badge != ""
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(dupThumbSide, dupThumbH))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	name := newMiddleLabel(path.Base(f.RelPath))
	name.TextStyle = fyne.TextStyle{Bold: true}
	dir := path.Dir(f.RelPath)
	if dir == "." {
		dir = ""
	}
	folder := newMiddleLabel(path.Join(homeShort(f.Root), dir))
	folder.SizeName = theme.SizeNameCaptionText
	dims := "no dimensions"
	if f.Width > 0 {
		dims = fmt.Sprintf("%d × %d", f.Width, f.Height)
	}
	facts := caption(fmt.Sprintf("%s · %s\n%s", media.SizeText(f.Size), dims, dateOrNone(f)))
	var pic fyne.CanvasObject = img
	if original {
		pill := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
		pill.CornerRadius = 10
		tag := canvas.NewText(badge, color.Black)
		tag.TextStyle = fyne.TextStyle{Bold: true}
		tag.TextSize = theme.CaptionTextSize() + 1
		pic = container.NewStack(img, container.NewVBox(container.NewHBox(
			container.NewStack(pill, container.New(layout.NewCustomPaddedLayout(2, 2, 8, 8), tag)))))
	}
	body := container.NewVBox(pic, name, folder, facts, controls)
	if original {
		bg.StrokeColor = theme.Color(theme.ColorNameSuccess)
		bg.StrokeWidth = 2
	}
	u.thumbnail(f, dupThumbSide*2, wanted, func(im image.Image, err error) {
		if err == nil {
			img.Image = im
			img.Refresh()
		}
	})
	return container.NewGridWrap(fyne.NewSize(dupCardWidth, dupCardHeight), container.NewStack(bg, container.NewPadded(body)))
}

func dateOrNone(f store.FileRecord) string {
	if f.Time.Value == "" {
		return "no date"
	}
	return strings.Replace(f.Time.Value, "T", " ", 1) + " (" + string(f.Time.Source) + ")"
}
