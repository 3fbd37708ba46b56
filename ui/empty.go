package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/store"
)

// emptyPromise says what Shoebox does to a person's files.
const emptyPromise = "Scanning only reads your files. They change only when you ask: Duplicates moves copies to the quarantine " +
	"or the Trash (or replaces them by hard links), Organise copies or moves them into a dated library, " +
	"and Write dates puts dates into them. Every run is checked file by file and can be undone."

func (v *scanView) buildEmpty() fyne.CanvasObject {
	v.chooseBtn = widget.NewButtonWithIcon("Choose folder…", theme.FolderOpenIcon(), v.u.chooseFolder)
	v.chooseBtn.Importance = widget.HighImportance
	v.typed = newTypedPath(v.u)

	title := widget.NewLabelWithStyle("Drop a folder here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle("Shoebox finds out when every photo and video was taken and which ones are duplicates.\n"+
		emptyPromise, fyne.TextAlignCenter, fyne.TextStyle{})
	sub.Importance = widget.LowImportance
	sub.Wrapping = fyne.TextWrapWord
	hint := caption("or press Ctrl+O · you can drop several folders at once")
	hint.Alignment = fyne.TextAlignCenter
	// Before formatting a card or deleting an old backup (ui/wipe.go).
	wipe := widget.NewButtonWithIcon("Is a card or folder safe to wipe?…", theme.QuestionIcon(), v.u.chooseWipeCheck)
	wipe.Importance = widget.LowImportance
	// Copying the library into dated folders (ui/organise.go).
	organise := widget.NewButtonWithIcon("Organise into a dated library…", theme.StorageIcon(), v.u.openOrganise)
	organise.Importance = widget.LowImportance

	zoneBg := canvas.NewRectangle(withAlpha(theme.Color(theme.ColorNamePrimary), 0x14))
	zoneBg.StrokeColor = withAlpha(theme.Color(theme.ColorNamePrimary), 0x90)
	zoneBg.StrokeWidth = 2
	zoneBg.CornerRadius = 18
	zone := container.NewStack(zoneBg, container.NewPadded(container.NewPadded(container.NewVBox(
		container.NewCenter(iconImage(128)),
		title, sub,
		container.NewCenter(v.chooseBtn),
		container.New(column{width: 520}, v.typed.root),
		hint,
		container.NewCenter(container.NewHBox(wipe, organise)),
	))))

	v.interrupted = container.NewVBox()
	v.recentHead = heading("Recent folders")
	v.recent = container.NewVBox()
	recentBox := container.NewVBox(v.recentHead, v.recent)

	body := container.NewVBox(v.interrupted, zone, recentBox)
	v.emptyScroll = container.NewVScroll(container.New(column{width: 720}, container.NewPadded(body)))
	return container.NewBorder(nil, wrapped(shortcutHelp), nil, nil, v.emptyScroll)
}

// refreshRecent lists the recent folders as buttons.
func (v *scanView) refreshRecent() {
	v.recent.RemoveAll()
	list := v.u.recentFolders()
	for _, dir := range list {
		b := widget.NewButtonWithIcon(homeShort(dir), theme.FolderIcon(), func() { v.u.startJob([]string{dir}) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		v.recent.Add(b)
	}
	showIf(v.recentHead, len(list) > 0)
	v.recent.Refresh()
	v.relayoutEmpty()
}

// showInterrupted offers each interrupted job: resume or discard.
func (v *scanView) showInterrupted(jobs []store.Job) {
	v.interrupted.RemoveAll()
	for _, j := range jobs {
		v.interrupted.Add(v.interruptedBanner(j))
	}
	v.interrupted.Refresh()
	v.relayoutEmpty()
}

// interruptedText is the offer's sentence.
func interruptedText(j store.Job) string {
	verb := "stopped"
	if !j.Interrupted {
		verb = "is paused"
	}
	return fmt.Sprintf("A scan of %s %s at %s of %s.", rootsLabel(j.Roots), verb,
		thousands(j.ProgressCurrent), thousands(j.ProgressTotal))
}

func (v *scanView) interruptedBanner(j store.Job) fyne.CanvasObject {
	var banner fyne.CanvasObject
	remove := func() {
		v.interrupted.Remove(banner)
		v.relayoutEmpty()
	}
	resume := widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() {
		if v.u.running() {
			v.u.tellBusy()
			return
		}
		remove()
		v.u.setJob(progressFromJob(j))
		id := j.ID
		v.u.call("Could not resume the scan", func() error { return v.u.eng.Resume(id) }, nil)
	})
	resume.Importance = widget.HighImportance
	discard := widget.NewButtonWithIcon("Discard", theme.DeleteIcon(), func() {
		remove()
		id := j.ID
		v.u.call("Could not discard the scan", func() error { return v.u.eng.Discard(id) }, func(error) { v.u.history.reload() })
	})
	why := " Shoebox was closed before it finished."
	if !j.Interrupted {
		why = " Resume it, or discard it to keep what it found so far."
	}
	text := widget.NewLabel(interruptedText(j) + why)
	text.Wrapping = fyne.TextWrapWord
	banner = card(theme.ColorNameWarning, 0x40, container.NewBorder(nil, nil,
		widget.NewIcon(theme.WarningIcon()), container.NewHBox(resume, discard), text))
	return banner
}

// relayoutEmpty lays the column out again after its content changed.
func (v *scanView) relayoutEmpty() {
	v.emptyScroll.Refresh()
}

// column centres one object at most width wide, and vertically too when it
// fits unless top is set.
type column struct {
	width float32
	top   bool
}

func (c column) MinSize(objs []fyne.CanvasObject) fyne.Size {
	if len(objs) == 0 {
		return fyne.Size{}
	}
	return objs[0].MinSize()
}

func (c column) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		m := o.MinSize()
		w := fyne.Max(fyne.Min(size.Width, c.width), m.Width)
		h := m.Height
		y := fyne.Max(0, (size.Height-h)/2)
		if c.top {
			y = 0
		}
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(fyne.Max(0, (size.Width-w)/2), y))
	}
}
