package ui

import (
	"fmt"
	"image"
	"image/color"
	"path"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/media"
	"shoebox/store"
)

// groupRow is one group: a title line, the evidence in words, and its
// files side by side. Only the cards that fit the row's width are made (a
// group of 200 costs a handful of cards and thumbnails); "Show all" opens
// every file in a grid that is itself virtual. The row has no scroller of
// its own, so the mouse wheel over the cards scrolls the list of groups.
type groupRow struct {
	widget.BaseWidget
	gen      atomic.Uint64 // counts the fills, so thumbnails scrolled away are not decoded
	title    *widget.Label
	evidence *widget.Label
	numbers  *widget.Button // the measurements behind the words
	rule     *widget.Label  // why the keeper was chosen, or "tie: choose one"
	approve  *widget.Check  // look-alike groups only
	cards    *fyne.Container
	box      fyne.CanvasObject

	v     *dupsView
	g     store.DupGroup
	specs []cardSpec // one per card: a look-alike group's exact copies share one
	fit   int        // cards that fit the row's width (0: not laid out yet)

	choices map[string]*widget.RadioGroup // keep/remove per absolute path, for tests
}

// cardSpec is one card: a file, and in a look-alike group the exact
// copies of it that the card stands for (their own group shows them).
type cardSpec struct {
	f      store.FileRecord
	copies int
}

func newGroupRow() *groupRow {
	r := &groupRow{title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	r.title.Wrapping = fyne.TextWrapWord
	r.evidence = caption("")
	r.evidence.Wrapping = fyne.TextWrapWord
	r.numbers = widget.NewButtonWithIcon("The numbers", theme.InfoIcon(), func() { r.showNumbers() })
	r.numbers.Importance = widget.LowImportance
	r.rule = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	r.rule.Wrapping = fyne.TextWrapWord
	r.approve = widget.NewCheck("Approve this group", nil)
	r.cards = container.NewHBox()
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(dupCardWidth, dupCardHeight))
	info := container.NewGridWrap(fyne.NewSize(dupInfoWidth, dupCardHeight),
		container.NewVBox(r.title, r.evidence, container.NewHBox(r.numbers), r.rule, r.approve))
	r.box = container.NewBorder(nil, nil, info, nil, container.NewStack(spacer, r.cards))
	r.ExtendBaseWidget(r)
	return r
}

func (r *groupRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.box) }

// cardsThatFit is how many cards a row of width w shows side by side.
func cardsThatFit(w float32) int {
	pad := theme.Padding()
	return max(1, int((w-dupInfoWidth-2*pad)/(dupCardWidth+pad)))
}

// Resize makes the cards the new width holds, and no more.
func (r *groupRow) Resize(s fyne.Size) {
	r.BaseWidget.Resize(s)
	if n := cardsThatFit(s.Width); n != r.fit && r.v != nil && s.Width > 0 {
		r.fit = n
		r.fill()
	}
}

func (r *groupRow) set(v *dupsView, g store.DupGroup) {
	r.v, r.g = v, g
	t, ev := groupTitle(g, v.same)
	r.title.SetText(t)
	r.evidence.SetText(ev)
	r.specs = cardSpecs(v, g)
	if r.fit == 0 {
		r.fit = cardsThatFit(r.Size().Width)
		if r.Size().Width == 0 {
			r.fit = 4 // laid out later: Resize makes the right number
		}
	}
	r.fill()
}

// fill makes the cards that fit, the last one a "Show all" when some do not.
func (r *groupRow) fill() {
	v := r.v
	gi := v.act.group(r.g)
	r.showPlan(v, gi)
	r.cards.RemoveAll()
	r.choices = map[string]*widget.RadioGroup{}
	gen := r.gen.Add(1)
	wanted := func() bool { return r.gen.Load() == gen }
	shown := len(r.specs)
	if shown > r.fit {
		shown = max(1, r.fit-1)
	}
	for _, s := range r.specs[:shown] {
		r.cards.Add(r.card(gi, s, wanted))
	}
	if shown < len(r.specs) {
		r.cards.Add(moreCard(len(r.specs)-shown, len(r.specs), func() { v.showAll(r) }))
	}
	r.cards.Refresh()
}

// card is one file's card with its badge and controls.
func (r *groupRow) card(gi int, s cardSpec, wanted func() bool) fyne.CanvasObject {
	v, f := r.v, s.f
	badge := ""
	switch {
	case v.act.gone[f.AbsPath()]:
	case gi < 0 && f.AbsPath() == r.g.Files[likelyOriginal(r.g.Files)].AbsPath():
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
	if s.copies > 0 {
		controls = container.NewVBox(caption(copiesNote(s.copies)), controls)
	}
	return dupCard(v.u, f, badge, controls, wanted)
}

// copiesNote says, on one line, that a look-alike card stands for exact
// copies of its file too (their own group lists them).
func copiesNote(n int) string {
	if n == 1 {
		return "+1 exact copy of it"
	}
	return fmt.Sprintf("+%d exact copies of it", n)
}

// cardSpecs are a group's cards. In a look-alike group the files with the
// same bytes share one card (the one the plan works with, when it has
// one): their exact group shows them, so showing them here again would
// repeat it.
func cardSpecs(v *dupsView, g store.DupGroup) []cardSpec {
	if !g.Near {
		specs := make([]cardSpec, len(g.Files))
		for i, f := range g.Files {
			specs[i] = cardSpec{f: f}
		}
		return specs
	}
	planned := map[string]bool{}
	if gi := v.act.group(g); gi >= 0 {
		for p := range v.act.plan.Groups[gi].Files {
			planned[p] = true
		}
	}
	at := map[string]int{} // SHA-256 -> its card
	var specs []cardSpec
	for _, f := range g.Files {
		i, seen := at[f.SHA256]
		if !seen || f.SHA256 == "" {
			at[f.SHA256] = len(specs)
			specs = append(specs, cardSpec{f: f})
			continue
		}
		specs[i].copies++
		if planned[f.AbsPath()] && !planned[specs[i].f.AbsPath()] {
			specs[i].f = f
		}
	}
	return specs
}

// moreCard stands in for the cards that do not fit.
func moreCard(hidden, total int, showAll func()) fyne.CanvasObject {
	b := widget.NewButtonWithIcon(fmt.Sprintf("Show all %d files", total), theme.ViewFullScreenIcon(), showAll)
	note := caption(fmt.Sprintf("%s more than fit here", plural(hidden, "file")))
	note.Alignment = fyne.TextAlignCenter
	return container.NewGridWrap(fyne.NewSize(dupCardWidth, dupCardHeight),
		container.NewCenter(container.NewVBox(b, note)))
}

// dupCard is one file of a group: thumbnail, name, folder, size,
// dimensions, date, and below them the controls (keep/remove, open, show
// in folder). The name and folder show whole when tapped.
func dupCard(u *UI, f store.FileRecord, badge string, controls fyne.CanvasObject, wanted func() bool) fyne.CanvasObject {
	original := badge != ""
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(dupThumbSide, dupThumbH))
	note := caption("loading preview…")
	note.Wrapping = fyne.TextWrapWord
	note.Alignment = fyne.TextAlignCenter
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	name := newPathLabel(u, path.Base(f.RelPath), f.AbsPath())
	name.TextStyle = fyne.TextStyle{Bold: true}
	dir := path.Dir(f.RelPath)
	if dir == "." {
		dir = ""
	}
	folder := newPathLabel(u, path.Join(homeShort(f.Root), dir), f.AbsPath())
	folder.SizeName = theme.SizeNameCaptionText
	dims := typeName(f.MIME, f.RelPath) // a video, or a picture not decoded: what it is
	if f.Width > 0 {
		dims = fmt.Sprintf("%d × %d", f.Width, f.Height)
	}
	facts := caption(fmt.Sprintf("%s · %s\n%s", media.SizeText(f.Size), dims, dateOrNone(f)))
	// The note takes the thumbnail's width (a wrapping label in a Center
	// would get none and stand one letter a line).
	var pic fyne.CanvasObject = container.NewStack(img,
		container.NewPadded(container.NewVBox(layout.NewSpacer(), note, layout.NewSpacer())))
	if original {
		pill := canvas.NewRectangle(theme.Color(theme.ColorNameSuccess))
		pill.CornerRadius = 10
		tag := canvas.NewText(badge, color.Black)
		tag.TextStyle = fyne.TextStyle{Bold: true}
		tag.TextSize = theme.CaptionTextSize() + 1
		pic = container.NewStack(pic, container.NewVBox(container.NewHBox(
			container.NewStack(pill, container.New(layout.NewCustomPaddedLayout(2, 2, 8, 8), tag)))))
	}
	body := container.NewVBox(pic, name, folder, facts, controls)
	if original {
		bg.StrokeColor = theme.Color(theme.ColorNameSuccess)
		bg.StrokeWidth = 2
	}
	u.thumbnail(f, dupThumbSide*2, wanted, func(im image.Image, err error) {
		if err != nil {
			note.SetText(err.Error())
			return
		}
		note.SetText("")
		img.Image = im
		img.Refresh()
	})
	return container.NewGridWrap(fyne.NewSize(dupCardWidth, dupCardHeight), container.NewStack(bg, container.NewPadded(body)))
}

func dateOrNone(f store.FileRecord) string {
	if f.Time.Value == "" {
		return "no date"
	}
	return shownDate(f.Time.Value) + " (" + sourceWords(f.Time.Source) + ")"
}

// pathLabel is a name or folder shortened in the middle to fit its card;
// a tap shows the whole path, which can be selected and copied.
type pathLabel struct {
	middleLabel
	u    *UI
	full string
}

func newPathLabel(u *UI, text, full string) *pathLabel {
	l := &pathLabel{u: u, full: full}
	l.middleLabel.full = newMiddleLabel(text).full
	l.Text = l.middleLabel.full
	l.ExtendBaseWidget(l)
	return l
}

// Tapped shows the whole path beside the card.
func (l *pathLabel) Tapped(e *fyne.PointEvent) {
	whole := widget.NewLabel(homeShort(l.full))
	whole.Wrapping = fyne.TextWrapBreak
	whole.Selectable = true
	c := fyne.CurrentApp().Driver().CanvasForObject(l)
	if c == nil {
		return
	}
	var pop *widget.PopUp
	copyBtn := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		l.u.app.Clipboard().SetContent(l.full)
		pop.Hide()
	})
	pop = widget.NewPopUp(container.NewBorder(nil, nil, nil, copyBtn,
		container.NewGridWrap(fyne.NewSize(560, whole.MinSize().Height*3), whole)), c)
	pop.ShowAtPosition(e.AbsolutePosition)
}
