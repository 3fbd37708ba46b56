package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// Keep and Remove are a card's two choices.
const (
	choiceKeep   = "Keep"
	choiceRemove = "Remove"
)

// dupsAct is the Duplicates view's plan: the keeper per group that the
// core chose, the person's changes to it, and the button that applies it.
// UI goroutine only.
type dupsAct struct {
	v      *dupsView
	plan   app.Plan
	ok     bool // a plan was made for the shown job
	idx    map[planRef]int
	edited map[int]bool    // groups whose keeper the person chose
	gone   map[string]bool // files of the groups missing on disk (moved by a run)

	bar      *fyne.Container
	applyBtn *widget.Button
	note     *widget.Label
	confirm  dialog.Dialog // the open confirmation, if any
}

func newDupsAct(v *dupsView) *dupsAct {
	a := &dupsAct{v: v, idx: map[planRef]int{}, edited: map[int]bool{}}
	a.applyBtn = widget.NewButtonWithIcon("", theme.DeleteIcon(), a.askApply)
	a.applyBtn.Importance = widget.HighImportance
	a.note = caption("")
	a.note.Wrapping = fyne.TextWrapWord
	a.bar = container.NewPadded(container.NewBorder(nil, nil, a.applyBtn, nil, a.note))
	a.bar.Hide()
	return a
}

// clearPlan forgets the plan while groups are shown that have none yet
// (showSoFar): the cards mark the likely original, and nothing can
// be applied.
func (a *dupsAct) clearPlan() {
	a.plan, a.ok = app.Plan{}, false
	a.idx = map[planRef]int{}
	clear(a.edited)
	a.bar.Hide()
}

// setPlan takes a new plan for the shown job (err: none could be made).
func (a *dupsAct) setPlan(p app.Plan, err error) {
	a.plan, a.ok = p, err == nil || errors.Is(err, store.ErrDamaged)
	a.idx = planIndex(p)
	clear(a.edited)
	switch {
	case !a.ok:
		a.plan = app.Plan{}
		a.idx = map[planRef]int{}
		setLabel(a.note, "Shoebox could not decide which copies to keep, so nothing can be removed from here: "+err.Error(), widget.WarningImportance)
	case err != nil:
		setLabel(a.note, "Some records of the library are damaged; their files are left out of the plan.", widget.WarningImportance)
	default:
		a.note.SetText("")
	}
	a.bar.Show()
	a.refreshBar()
}

// refreshBar shows the plan's counts on the button.
func (a *dupsAct) refreshBar() {
	a.applyBtn.SetText(applyLabel(a.plan))
	enableIf(a.applyBtn, a.ok && a.plan.RemoveCount > 0)
	if a.ok && a.note.Importance != widget.WarningImportance {
		msg := "Keepers stay where they are. Every copy is checked byte for byte before it moves, and the run can be undone."
		if a.plan.Ties > 0 {
			msg = fmt.Sprintf("%s the rules could not decide: they keep every file until you choose. ", plural(a.plan.Ties, "group")) + msg
		}
		a.note.SetText(msg)
	}
}

// group is the plan group of a shown group, or -1.
func (a *dupsAct) group(g store.DupGroup) int {
	if !a.ok {
		return -1
	}
	return groupOf(a.idx, g)
}

// keeper says whether f is the keeper the card marks: the first of Keep,
// which apply keeps (the others kept are protected files that lost on a
// later rule, or files the person chose to keep too). A tie has none
// until the person chooses.
func (a *dupsAct) keeper(gi int, f store.FileRecord) bool {
	g := a.plan.Groups[gi]
	return (!g.Tie || a.edited[gi]) && len(g.Keep) > 0 && g.Keep[0] == f.AbsPath()
}

// goneFiles lists the groups' files that are no longer on disk: the
// scan's records still name the copies a change run moved. A group with
// no file left is not marked: its folder is more likely unplugged than
// emptied. Off the UI goroutine.
func goneFiles(d app.Duplicates) map[string]bool {
	gone := map[string]bool{}
	for _, gs := range [][]store.DupGroup{d.Exact, d.Near} {
		for _, g := range gs {
			var missing []string
			for _, f := range g.Files {
				p := f.AbsPath()
				if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
					missing = append(missing, p)
				}
			}
			if len(missing) < len(g.Files) {
				for _, p := range missing {
					gone[p] = true
				}
			}
		}
	}
	return gone
}

// showPlan shows why the group keeps what it keeps, and for a look-alike
// group whether the person approved it.
func (r *groupRow) showPlan(v *dupsView, gi int) {
	a := v.act
	if gi < 0 {
		r.rule.Hide()
		r.approve.Hide()
		left := 0
		for _, f := range r.g.Files {
			if !a.gone[f.AbsPath()] {
				left++
			}
		}
		if a.ok && left < len(r.g.Files) {
			r.rule.SetText(fmt.Sprintf("Done: %s of %d left here", plural(left, "file"), len(r.g.Files)))
			r.rule.Show()
		}
		return
	}
	g := a.plan.Groups[gi]
	words := ruleWords(g)
	if a.edited[gi] {
		words = "kept: your choice"
	}
	r.rule.SetText(upperFirst(words))
	r.rule.Show()
	r.approve.OnChanged = nil
	r.approve.SetChecked(g.Approved != nil && *g.Approved)
	r.approve.OnChanged = func(ok bool) {
		setApproved(&a.plan, gi, ok)
		a.refreshBar()
	}
	showIf(r.approve, g.Kind == "near")
}

// choice is a card's Keep/Remove, or why the file is left alone.
func (r *groupRow) choice(v *dupsView, gi int, f store.FileRecord) fyne.CanvasObject {
	a := v.act
	g := a.plan.Groups[gi]
	path := f.AbsPath()
	for _, l := range g.LeftOut {
		if l.Path == path {
			return wrapped("Left alone: " + l.Reason)
		}
	}
	if listed, ok := g.SameFile[path]; ok {
		return wrapped("The same file as " + filepath.Base(listed) + ": left alone")
	}
	if _, ok := g.Files[path]; !ok {
		return wrapped("Not in the plan")
	}
	rg := widget.NewRadioGroup([]string{choiceKeep, choiceRemove}, nil)
	rg.Horizontal = true
	rg.Required = true
	removing := slices.Contains(g.Remove, path)
	if removing {
		rg.Selected = choiceRemove
	} else {
		rg.Selected = choiceKeep
	}
	r.choices[path] = rg
	why := ""
	switch {
	case protectedPath(a.plan, path):
		rg.Disable()
		why = "In a protected folder"
	case !removing && len(g.Keep) == 1:
		rg.Disable()
		why = "The only file kept"
	}
	rg.OnChanged = func(s string) {
		if err := setRemove(&a.plan, gi, path, s == choiceRemove); err != nil {
			v.u.showError("This file stays", err)
		} else {
			a.edited[gi] = true
		}
		a.refreshBar()
		r.fill()
		if v.allGrid != nil { // changed in the Show all grid: the row shown follows
			v.allGrid.Refresh()
			v.list.Refresh()
		}
	}
	if why == "" {
		return rg
	}
	return container.NewVBox(rg, caption(why))
}

// wrapped is a caption that wraps in a card.
func wrapped(s string) fyne.CanvasObject {
	l := caption(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// askApply confirms the counts, then applies the plan.
func (a *dupsAct) askApply() {
	if !a.ok || a.plan.RemoveCount == 0 || a.confirm != nil {
		return
	}
	if a.v.u.running() {
		a.v.u.tellBusy()
		return
	}
	p := a.plan
	// The core checks again, with the files on disk; this catches at once
	// what the person's changes made contradictory (a file kept in one
	// group and removed in another).
	if probs := app.CheckPlan(p, app.CheckOptions{}); len(probs) > 0 {
		a.v.u.showRefused(&app.PlanRefusedError{Problems: probs})
		return
	}
	msg := widget.NewLabel(confirmText(p))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(applyLabel(p)+"?", applyVerb(p.Action), "Not now", msg, func(ok bool) {
		a.confirm = nil
		if ok {
			a.apply(p)
		}
	}, a.v.u.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(520, 240))
	a.confirm = d
	a.v.u.showDialog(d)
}

// confirmText repeats the counts and says what happens.
func confirmText(p app.Plan) string {
	groups := 0
	for _, g := range p.Groups {
		if len(g.Remove) > 0 && (g.Kind == "exact" || g.Approved != nil && *g.Approved) {
			groups++
		}
	}
	what := "moved into the quarantine folder beside your library"
	switch p.Action {
	case "trash":
		what = "moved to the Trash"
	case "hardlink":
		what = "replaced by hard links to the file kept, so they take no space"
	}
	return fmt.Sprintf("%s of %s (%s) will be %s. The file each group keeps is not touched. "+
		"Every copy is checked against its scan (size, date, SHA-256) just before, and left alone if it changed. "+
		"You can undo the whole run afterwards, from here or from History.",
		upperFirst(copies(p.RemoveCount)), plural(groups, "group"), media.SizeText(p.BytesFreed), what)
}

// applyVerb is the confirm button's text.
func applyVerb(action string) string {
	switch action {
	case "trash":
		return "Move to the Trash"
	case "hardlink":
		return "Replace with hard links"
	}
	return "Move to the quarantine"
}

// apply hands the plan to the core and follows the run it starts.
func (a *dupsAct) apply(p app.Plan) {
	u := a.v.u
	enableIf(a.applyBtn, false)
	u.spawn(func() {
		id, err := u.eng.ApplyPlan(p)
		u.do(func() {
			a.refreshBar()
			var refused *app.PlanRefusedError
			switch {
			case errors.As(err, &refused):
				u.showRefused(refused)
			case err != nil:
				u.showError("Nothing was changed", err)
			default:
				u.startRun(id, store.KindDups, p.Action, 0)
			}
		})
	})
}

// showRefused lists why the core refused a plan.
func (u *UI) showRefused(e *app.PlanRefusedError) {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		lines = append(lines, "• "+p.String())
	}
	msg := widget.NewLabel("Shoebox checked the plan again and found what would make it unsafe, so it changed nothing:\n\n" +
		strings.Join(lines, "\n"))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("The plan was refused", "Close", container.NewVScroll(msg), u.win)
	d.Resize(fyne.NewSize(620, 360))
	u.showDialog(d)
}
