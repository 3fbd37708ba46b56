package ui

import (
	"fmt"
	"path"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// "Shift a camera's clock": the person picks one photo (the file the detail
// panel shows) and gives its true time; the difference is the camera's
// error, and it moves every photo of that camera (make, model and, when
// the photo names one, the body's serial) or every selected file, within
// an optional range of dates.

// cameraWords names r's camera, with its serial when known.
func cameraWords(r store.FileRecord) string {
	if r.CameraSerial != "" {
		return fmt.Sprintf("%s (serial %s)", r.Camera, r.CameraSerial)
	}
	return r.Camera
}

// rangeFields are the optional From and Until of a correction.
type rangeFields struct{ from, until *appEntry }

func newRangeFields(changed func()) rangeFields {
	f := rangeFields{from: newEntry(), until: newEntry()}
	f.from.SetPlaceHolder("from, e.g. 2016-01-01")
	f.until.SetPlaceHolder("until, e.g. 2016-12-31")
	f.from.OnChanged = func(string) { changed() }
	f.until.OnChanged = func(string) { changed() }
	return f
}

func (f rangeFields) row(label string) fyne.CanvasObject {
	return labelled(label, container.NewGridWithColumns(2, f.from, f.until))
}

// apply puts the range into sel.
func (f rangeFields) apply(sel *app.DatesSelection) {
	sel.From, sel.Until = strings.TrimSpace(f.from.Text), strings.TrimSpace(f.until.Text)
}

// openShiftClock opens the camera-clock dialog on the file shown.
func (u *UI) openShiftClock(b *bulkSel) {
	ref, ok := b.current()
	if !ok || ref.Time.Value == "" {
		u.showDialog(dialog.NewInformation("Shift a camera's clock",
			"Click a photo whose date is known first: you will give its true time, and the difference moves the others.", u.win))
		return
	}
	truth := newEntry()
	// As the window shows dates (app.ParseDate takes the space).
	truth.SetText(strings.Replace(fraction.ReplaceAllString(ref.Time.Value, "$1"), "T", " ", 1))
	offset := widget.NewLabel("")
	offset.Wrapping = fyne.TextWrapWord
	scope := widget.NewRadioGroup(nil, nil)
	cameraOpt := "Every photo from this camera: " + cameraWords(ref)
	paths := b.paths()
	selectedOpt := fmt.Sprintf("The %s selected", plural(len(paths), "file"))
	if ref.Camera != "" {
		scope.Options = append(scope.Options, cameraOpt)
	}
	scope.Options = append(scope.Options, selectedOpt)
	scope.SetSelected(scope.Options[0])
	var g *bulkDialog
	rng := newRangeFields(func() { g.stale() })
	name := app.ReadablePath(path.Base(ref.RelPath))
	about := fmt.Sprintf("%s shows %s.", name, dateText(ref.Time.Value))
	if ref.Camera == "" {
		about += " It names no camera, so the shift applies to the selected files."
	}
	intro := widget.NewLabel(about + " Type the time it was really taken: the difference is how far the camera's clock was off.")
	intro.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(intro, labelled("True time", truth), offset,
		widget.NewLabel("Apply it to"), scope, rng.row("Only photos dated"),
		caption("Leave the range empty for all of them; a day or a month is enough (until 2016 is the whole of 2016)."))
	shift := func() (app.Shift, error) {
		return app.ClockOffset(ref.Time.Value, strings.TrimSpace(truth.Text), u.now())
	}
	g = u.openBulkDialog(b, "Shift a camera's clock", form, func() (app.DatesChange, error) {
		sh, err := shift()
		if err != nil {
			return app.DatesChange{}, err
		}
		ch := app.DatesChange{Op: app.DatesShift, By: sh}
		switch scope.Selected {
		case cameraOpt:
			ch.Selection.Camera, ch.Selection.Serial = ref.Camera, ref.CameraSerial
		default:
			if len(paths) == 0 {
				return ch, errNoSelection
			}
			ch.Selection.Paths = paths
		}
		rng.apply(&ch.Selection)
		return ch, nil
	}, false)
	showOffset := func() {
		if sh, err := shift(); err != nil {
			offset.SetText(upperFirst(err.Error()))
		} else {
			offset.SetText(fmt.Sprintf("The clock was off by %s: each photo moves by %s.", negate(sh.String()), sh))
		}
	}
	truth.OnChanged = func(string) { showOffset(); g.stale() }
	scope.OnChanged = func(string) { g.stale() }
	showOffset()
	u.win.Canvas().Focus(truth)
}

// negate flips a shift's sign: how far the clock was off is minus the move.
func negate(s string) string {
	switch {
	case strings.HasPrefix(s, "+"):
		return "-" + s[1:]
	case strings.HasPrefix(s, "-"):
		return "+" + s[1:]
	}
	return s
}
