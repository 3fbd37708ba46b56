package ui

import (
	"context"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// The "Organise…" dialog: the person chooses a destination, the folders to
// organise, the template and the options; Preview asks the core for the dry
// run (app.Library.PlanOrganise) and shows its counts and folders; the
// confirm button starts the run (app.Library.Organise), which the Scan view
// then follows like any change run.

// organiseForm is the open dialog. UI goroutine only.
type organiseForm struct {
	u       *UI
	d       *dialog.CustomDialog
	dest    string
	sources []string        // every scanned folder
	picked  map[string]bool // the sources the person keeps ticked

	destLabel  *widget.Label
	srcBox     *fyne.Container
	template   *appEntry
	example    *widget.Label
	move       *widget.Check
	moveNote   *widget.Label
	low        *widget.Check
	lowNote    *widget.Label
	previewBtn *widget.Button
	confirmBtn *widget.Button
	counts     *widget.Label
	treeHead   *widget.Label
	tree       *widget.Label

	planned *app.OrganiseOptions // the options of the preview shown, if any
	plan    app.OrganisePlan
	asking  bool // a preview or the run's start is under way
}

// openOrganise opens the dialog and reads the scanned folders for it.
func (u *UI) openOrganise() {
	if u.running() {
		u.tellBusy()
		return
	}
	f := newOrganiseForm(u)
	f.d = dialog.NewCustom("Organise into a dated library", "Close", f.content(), u.win)
	f.d.Resize(fyne.NewSize(1040, 700))
	u.showDialog(f.d)
	u.organise = f
	u.spawn(func() {
		jobs, err := u.eng.Jobs()
		u.do(func() {
			if err != nil {
				setLabel(f.counts, "Could not read the scanned folders: "+err.Error(), widget.WarningImportance)
			}
			f.setSources(scannedRoots(jobs))
		})
	})
}

// scannedRoots is every folder a scan looked at, each once, newest first.
func scannedRoots(jobs []store.Job) []string {
	var out []string
	for _, j := range jobs {
		if isRunJob(j) || j.Kind == store.KindOrganise {
			continue
		}
		for _, r := range j.Roots {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

func newOrganiseForm(u *UI) *organiseForm {
	f := &organiseForm{u: u, picked: map[string]bool{}}
	f.destLabel = widget.NewLabel("No folder chosen yet")
	f.srcBox = container.NewVBox(caption("Reading the scanned folders…"))
	f.template = newFormEntry()
	f.template.SetText(app.DefaultOrganiseTemplate)
	f.template.OnChanged = func(string) { f.changed() }
	f.example = caption("")
	f.example.Wrapping = fyne.TextWrapWord
	f.move = widget.NewCheck("Move the sources", func(bool) { f.changed() })
	f.moveNote = caption("Off: every source stays where it is. On: once its copy is verified, each source goes to the " +
		"quarantine (or the Trash, as Settings say); Undo brings it back.")
	f.moveNote.Wrapping = fyne.TextWrapWord
	f.low = widget.NewCheck("File LOW-confidence dates by date too", func(bool) { f.changed() })
	f.lowNote = caption("Off: files whose date is only guessed go to Unsorted/, by the folder they came from.")
	f.lowNote.Wrapping = fyne.TextWrapWord
	f.previewBtn = widget.NewButtonWithIcon("Preview", theme.SearchIcon(), f.preview)
	f.previewBtn.Importance = widget.HighImportance
	f.confirmBtn = widget.NewButtonWithIcon("", theme.ConfirmIcon(), f.confirm)
	f.confirmBtn.Importance = widget.HighImportance
	f.confirmBtn.Hide()
	f.counts = widget.NewLabel("Choose the destination, then press Preview: nothing is copied before you confirm.")
	f.counts.Wrapping = fyne.TextWrapWord
	f.treeHead = heading("")
	f.treeHead.Hide()
	f.tree = widget.NewLabel("")
	f.tree.TextStyle = fyne.TextStyle{Monospace: true}
	f.changed()
	return f
}

// content lays the form out: the choices on the left, the preview on the right.
func (f *organiseForm) content() fyne.CanvasObject {
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() { f.u.askFolder("Choose where to organise the files to", destinationFolder, f.setDest) })
	left := container.NewVBox(
		heading("Into"), container.NewBorder(nil, nil, nil, choose, f.destLabel),
		heading("From"), f.srcBox,
		heading("Layout"), f.template, f.example,
		caption("{yyyy} {mm} {dd} {hh} {min} {ss} {name} {stem} {ext} {camera} {root} {rel}"),
		f.move, f.moveNote, f.low, f.lowNote,
	)
	right := container.NewBorder(container.NewVBox(f.counts, f.confirmBtn, f.treeHead), nil, nil, nil,
		container.NewVScroll(f.tree))
	// Preview stays in sight however long the list of sources is.
	split := container.NewHSplit(container.NewBorder(nil, container.NewHBox(f.previewBtn), nil, nil, container.NewVScroll(left)), right)
	split.Offset = 0.5
	return split
}

// setSources lists the scanned folders, every one ticked.
func (f *organiseForm) setSources(roots []string) {
	f.sources = roots
	f.srcBox.RemoveAll()
	if len(roots) == 0 {
		f.srcBox.Add(caption("No folder has been scanned yet: scan one first."))
	}
	for _, r := range roots {
		f.picked[r] = true
		c := widget.NewCheck(homeShort(r), func(on bool) {
			f.picked[r] = on
			f.changed()
		})
		c.SetChecked(true)
		f.srcBox.Add(c)
	}
	f.srcBox.Refresh()
	f.changed()
}

// setDest takes the folder the person chose.
func (f *organiseForm) setDest(dir string) {
	f.dest = dir
	f.destLabel.SetText(homeShort(dir))
	f.changed()
}

// options are the choices as the core takes them. Every source ticked is
// the default (nil): every scanned folder.
func (f *organiseForm) options() app.OrganiseOptions {
	opt := app.OrganiseOptions{Dest: f.dest, Template: f.template.Text, Move: f.move.Checked, IncludeLow: f.low.Checked}
	var some []string
	for _, r := range f.sources {
		if f.picked[r] {
			some = append(some, r)
		}
	}
	if len(some) < len(f.sources) {
		opt.Sources = some
		if len(some) == 0 {
			opt.Sources = []string{}
		}
	}
	return opt
}

// problem is why Preview cannot run yet, or "".
func (f *organiseForm) problem(opt app.OrganiseOptions) string {
	switch {
	case opt.Dest == "":
		return "Choose the folder to organise into."
	case opt.Sources != nil && len(opt.Sources) == 0:
		return "Tick at least one folder to organise."
	}
	return ""
}

// changed shows the live example and drops a preview the choices no
// longer match.
func (f *organiseForm) changed() {
	opt := f.options()
	ex, err := app.OrganiseExample(opt)
	if err != nil {
		setLabel(f.example, "The layout cannot be used: "+err.Error(), widget.WarningImportance)
	} else {
		dest := "<destination>"
		if f.dest != "" {
			dest = homeShort(f.dest)
		}
		setLabel(f.example, "Example: IMG_1234.HEIC, taken on 3 June 2019 with an iPhone, goes to "+dest+"/"+ex,
			widget.LowImportance)
	}
	enableIf(f.previewBtn, err == nil && f.problem(opt) == "" && !f.asking)
	if f.planned != nil && !sameOptions(*f.planned, opt) {
		f.planned = nil
		f.confirmBtn.Hide()
		setButtonImportance(f.previewBtn, widget.HighImportance) // the next step again
		f.counts.SetText("The choices changed: press Preview again.")
		f.tree.SetText("")
		f.treeHead.Hide()
	}
}

// sameOptions compares the choices the form makes.
func sameOptions(a, b app.OrganiseOptions) bool {
	return a.Dest == b.Dest && a.Template == b.Template && a.Move == b.Move && a.IncludeLow == b.IncludeLow &&
		(a.Sources == nil) == (b.Sources == nil) && slices.Equal(a.Sources, b.Sources)
}

// preview asks the core for the dry run, off the UI goroutine.
func (f *organiseForm) preview() {
	opt := f.options()
	if f.problem(opt) != "" || f.asking {
		return
	}
	f.asking = true
	enableIf(f.previewBtn, false)
	f.confirmBtn.Hide()
	f.counts.SetText("Working out where each file goes…")
	f.tree.SetText("")
	f.treeHead.Hide()
	u := f.u
	u.spawn(func() {
		p, err := u.eng.PlanOrganise(context.Background(), opt)
		u.do(func() {
			f.asking = false
			f.changed()
			if err != nil {
				setLabel(f.counts, "No preview: "+err.Error(), widget.WarningImportance)
				return
			}
			f.showPlan(opt, p)
		})
	})
}

// showPlan shows a dry run's counts and folders, and the confirm button.
func (f *organiseForm) showPlan(opt app.OrganiseOptions, p app.OrganisePlan) {
	f.planned, f.plan = &opt, p
	setLabel(f.counts, planCountsText(p), widget.MediumImportance)
	f.tree.SetText(planTreeText(p.Folders, planTreeDepth, planTreeLines))
	f.treeHead.SetText("Folders in " + homeShort(p.Dest))
	showIf(f.treeHead, len(p.Folders) > 0)
	n := toCopy(p)
	f.confirmBtn.SetText(confirmOrganiseLabel(p))
	showIf(f.confirmBtn, n > 0 && len(p.NotScanned) == 0)
	// One button is the next step: the copy once previewed, else Preview.
	if f.confirmBtn.Visible() {
		setButtonImportance(f.previewBtn, widget.MediumImportance)
	} else {
		setButtonImportance(f.previewBtn, widget.HighImportance)
	}
	if p.Move {
		f.confirmBtn.Importance = widget.DangerImportance
	} else {
		f.confirmBtn.Importance = widget.HighImportance
	}
	f.confirmBtn.Refresh()
}

// confirm starts the run previewed and follows it in the Scan view.
func (f *organiseForm) confirm() {
	u := f.u
	if f.planned == nil || f.asking {
		return
	}
	if u.running() {
		u.tellBusy()
		return
	}
	opt := *f.planned
	f.asking = true
	enableIf(f.confirmBtn, false)
	u.spawn(func() {
		id, p, err := u.eng.Organise(context.Background(), opt)
		u.do(func() {
			f.asking = false
			enableIf(f.confirmBtn, true)
			if err != nil {
				u.showError("Nothing was copied", err)
				return
			}
			f.d.Hide()
			action := "copy"
			if p.Move || opt.Move {
				action = "move"
			}
			u.startRun(id, store.KindOrganise, action, 0)
		})
	})
}

// toCopy is how many files the plan copies.
func toCopy(p app.OrganisePlan) int {
	n := 0
	for _, e := range p.Entries {
		if e.Fate == store.FateFiled || e.Fate == store.FateUnsorted {
			n++
		}
	}
	return n
}

// confirmOrganiseLabel is the confirm button: "Copy 1,234 files (4.2 GB)
// into ~/Photos library".
func confirmOrganiseLabel(p app.OrganisePlan) string {
	verb := "Copy"
	if p.Move {
		verb = "Move"
	}
	return fmt.Sprintf("%s %s (%s) into %s", verb, plural(toCopy(p), "file"), media.SizeText(p.CopyBytes), homeShort(p.Dest))
}
