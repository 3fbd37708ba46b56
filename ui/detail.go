package ui

import (
	"fmt"
	"image"
	"path"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// maxThumbs bounds the thumbnail cache: at most a few hundred MB of pixels.
const maxThumbs = 300

// thumbKey names a file across jobs and roots.
func thumbKey(r store.FileRecord, side int) string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%s", r.Root, r.RelPath, side, r.SHA256)
}

// thumbnail hands apply the file's thumbnail on the UI goroutine, from the
// cache or once decoded (at most two decodes at a time). A decode whose turn
// comes when wanted (safe from any goroutine) says no is skipped. UI
// goroutine only.
func (u *UI) thumbnail(r store.FileRecord, side int, wanted func() bool, apply func(image.Image, error)) {
	key := thumbKey(r, side)
	if img, ok := u.thumbs[key]; ok {
		apply(img, nil)
		return
	}
	u.spawn(func() {
		u.thumbSem <- struct{}{}
		if !wanted() {
			<-u.thumbSem
			return
		}
		img, err := u.eng.Thumbnail(r, side)
		<-u.thumbSem
		u.do(func() {
			if err == nil {
				if len(u.thumbs) >= maxThumbs {
					clear(u.thumbs)
				}
				u.thumbs[key] = img
			}
			apply(img, err)
		})
	})
}

// fileDetail shows one file: thumbnail, facts and every timestamp candidate.
type fileDetail struct {
	u      *UI
	gen    atomic.Uint64 // counts the files shown, so stale previews are not decoded
	root   fyne.CanvasObject
	key    string
	thumb  *canvas.Image
	note   *widget.Label
	name   *widget.Label
	info   *widget.Label
	open   *fyne.Container // Open and Show in folder for the file shown
	cands  *fyne.Container
	review *fyne.Container // neighbours and "Set date…" (review.go)
	empty  *widget.Label
	body   fyne.CanvasObject
	rec    store.FileRecord // the file shown, when shown is set
	shown  bool
}

func newFileDetail(u *UI) *fileDetail {
	d := &fileDetail{u: u}
	d.thumb = canvas.NewImageFromImage(nil)
	d.thumb.FillMode = canvas.ImageFillContain
	d.thumb.SetMinSize(fyne.NewSize(120, 200)) // as wide as the panel; narrow enough for any panel
	d.note = caption("")
	d.note.Alignment = fyne.TextAlignCenter
	d.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.name.Wrapping = fyne.TextWrapBreak
	d.info = widget.NewLabel("")
	d.info.Wrapping = fyne.TextWrapWord
	d.cands = container.NewVBox()
	d.review = container.NewVBox()
	d.open = container.NewStack()
	d.empty = widget.NewLabel(detailHint)
	d.empty.Wrapping = fyne.TextWrapWord
	d.body = container.NewVBox(container.NewStack(d.thumb, container.NewCenter(d.note)), d.name, d.info, d.open,
		heading("Timestamp candidates"), d.cands, d.review)
	d.body.Hide()
	// The panel's width is the split's to choose: a long line inside wraps
	// or is clipped, it never pushes the divider over the table.
	d.root = container.New(minWidth{width: 240},
		container.NewVScroll(container.NewPadded(container.NewStack(d.empty, d.body))))
	return d
}

// detailHint is what the detail panel says with no file selected.
const detailHint = "Select a file to see where its date comes from."

// showHidden says the selected file is filtered out of the table.
func (d *fileDetail) showHidden(name string) {
	d.key, d.shown = "", false
	d.gen.Add(1)
	d.body.Hide()
	d.empty.SetText(fmt.Sprintf("The file you selected, %s, is hidden by the filters. "+
		"Change them to see it again, or select another file.", name))
	d.empty.Show()
}

// minWidth lays its object out at the size given and says its minimum
// width is width, whatever the object's own minimum.
type minWidth struct{ width float32 }

func (m minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(m.width, h)
}

func (m minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// loading names the file whose record is being read (filesView.showDetail);
// what the panel shows stays until it comes, so a quick read does not flicker.
func (d *fileDetail) loading(key string) {
	d.key, d.shown = key, false
}

// showFailed says the selected file's record could not be read.
func (d *fileDetail) showFailed(key string, err error) {
	d.key, d.shown = key, false
	d.gen.Add(1)
	d.body.Hide()
	d.empty.SetText("Could not read this file's details: " + err.Error())
	d.empty.Show()
}

func (d *fileDetail) show(r store.FileRecord) {
	d.rec, d.shown = r, true
	d.empty.Hide()
	d.empty.SetText(detailHint)
	d.body.Show()
	d.key = r.Root + "/" + r.RelPath
	d.name.SetText(app.ReadablePath(r.RelPath))
	d.info.SetText(fileFacts(r))
	d.open.Objects = []fyne.CanvasObject{d.u.revealButtons(r.AbsPath())}
	d.open.Refresh()
	d.cands.RemoveAll()
	if len(r.Time.Candidates) == 0 {
		d.cands.Add(widget.NewLabel("No timestamp was found in this file, its name or its folder."))
	}
	for _, c := range r.Time.Candidates {
		d.cands.Add(d.candidateWithUse(r, c))
	}
	d.cands.Refresh()
	d.showReview(r)
	d.thumb.Image = nil
	d.thumb.Refresh()
	d.note.SetText("")
	if r.Status != media.StatusDone {
		d.note.SetText("no preview")
		return
	}
	d.note.SetText("loading preview…")
	key := d.key
	gen := d.gen.Add(1)
	d.u.thumbnail(r, 480, func() bool { return d.gen.Load() == gen }, func(img image.Image, err error) {
		if d.key != key {
			return
		}
		if err != nil {
			d.note.SetText("no preview: " + err.Error())
			return
		}
		d.note.SetText("")
		d.thumb.Image = img
		d.thumb.Refresh()
	})
}

// fileFacts is the detail panel's facts about one file.
func fileFacts(r store.FileRecord) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s · %s", typeName(r.MIME, r.RelPath), media.SizeText(r.Size))
	if r.Width > 0 {
		fmt.Fprintf(&b, " · %d × %d", r.Width, r.Height)
	}
	fmt.Fprintf(&b, "\nIn %s", path.Join(homeShort(r.Root), app.ReadablePath(path.Dir(r.RelPath))))
	switch r.Status {
	case media.StatusDone:
		if r.Time.Value != "" {
			fmt.Fprintf(&b, "\nTaken %s (%s, %s confidence)", shownDate(r.Time.Value),
				sourcePhrase(r.Time.Source), r.Time.Confidence)
		} else {
			b.WriteString("\nNo date could be trusted.")
		}
	case media.StatusError:
		fmt.Fprintf(&b, "\nFailed: %s", app.ReadablePath(r.Error))
	case media.StatusSkipped:
		b.WriteString("\nSkipped: not a photo or video.")
	case media.StatusPending:
		b.WriteString("\nNot analysed yet.")
	}
	if r.Time.Conflict != "" {
		fmt.Fprintf(&b, "\nConflict: %s", r.Time.Conflict)
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "\nNote: %s", r.Note)
	}
	if r.SHA256 != "" && len(r.SHA256) >= 12 {
		fmt.Fprintf(&b, "\nSHA-256 %s…", r.SHA256[:12])
	}
	return b.String()
}

// candidateRow shows one timestamp candidate: chosen, rejected or merely
// considered; action, when not nil, goes beside its value.
func candidateRow(c media.Candidate, action fyne.CanvasObject) fyne.CanvasObject {
	icon := theme.RadioButtonIcon()
	imp := widget.MediumImportance
	switch {
	case c.Chosen:
		icon = theme.ConfirmIcon()
		imp = widget.SuccessImportance
	case c.Rejected:
		icon = theme.CancelIcon()
		imp = widget.LowImportance
	}
	// The value, its kind and the action wrap onto more lines in a narrow
	// panel rather than widen it.
	value := widget.NewLabelWithStyle(shownDate(c.Value), fyne.TextAlignLeading, fyne.TextStyle{Bold: c.Chosen})
	value.Importance = imp
	kind := widget.NewLabelWithStyle(candidateKindWords(c.Kind), fyne.TextAlignLeading, fyne.TextStyle{Bold: c.Chosen})
	kind.Importance = imp
	top := container.New(&wrapRow{}, value, kind)
	if action != nil {
		top.Add(action)
	}
	detail := c.Detail
	if c.Rejected && c.Reason != "" {
		detail += " — rejected: " + c.Reason
	}
	if c.Chosen {
		detail += " — chosen"
	}
	d := caption(detail)
	d.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, container.NewVBox(top, d))
}

// candidateKindWords names where a candidate comes from in plain words;
// the caption under it says exactly where (the tag, the name's pattern).
func candidateKindWords(k media.CandidateKind) string {
	switch k {
	case media.KindEXIFOriginal:
		return "taken (EXIF)"
	case media.KindEXIFDigitized:
		return "digitised (EXIF)"
	case media.KindEXIFModify:
		return "edited (EXIF)"
	case media.KindVideoCreation:
		return "video recorded"
	case media.KindTakeout:
		return "Google Takeout"
	case media.KindXMP:
		return "XMP sidecar"
	case media.KindFilenameTime:
		return "file name"
	case media.KindFilenameDate:
		return "file name (day)"
	case media.KindFolder:
		return "folder name"
	case media.KindMtime:
		return "file last modified"
	case media.KindSequence:
		return "between its neighbours"
	case app.KindCorrection:
		return "your date"
	}
	return string(k)
}
