package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// "Correct the time zone of a trip": the photos of a range (or the
// selected ones) were taken at another UTC offset. A camera abroad either
// showed the local time there or stayed on home time; the person says
// which, in words, and the core moves the clock or only records the offset.

// The two cases, as the dialog says them.
const (
	zoneLocalWords = "The camera showed the local time there"
	zoneHomeWords  = "The camera stayed on home time"
	zoneLocalMeans = "Its clock was set on arrival: the times stay as they are, and the offset is recorded with them."
	zoneHomeMeans  = "Each time moves from home (the file's own offset, else this computer's zone at that date, summer or " +
		"winter) to the offset: 10:00 at home +01:00 becomes 18:00 at +09:00."
)

// openZone opens the time-zone dialog.
func (u *UI) openZone(b *bulkSel) {
	offset := newEntry()
	offset.SetPlaceHolder("+09:00")
	clock := widget.NewRadioGroup([]string{zoneLocalWords, zoneHomeWords}, nil)
	clock.SetSelected(zoneLocalWords)
	means := caption(zoneLocalMeans)
	means.Wrapping = fyne.TextWrapWord
	paths := b.paths()
	selectedOpt := fmt.Sprintf("The %s selected", plural(len(paths), "file"))
	rangeOpt := "Every file dated in the range below"
	scope := widget.NewRadioGroup([]string{selectedOpt, rangeOpt}, nil)
	scope.SetSelected(selectedOpt)
	if len(paths) < 2 {
		scope.SetSelected(rangeOpt)
	}
	var g *bulkDialog
	rng := newRangeFields(func() { g.stale() })
	ref, hasRef := b.current()
	onlyCamera := widget.NewCheck("", func(bool) { g.stale() })
	if hasRef && ref.Camera != "" {
		onlyCamera.SetText("Only photos from " + cameraWords(ref))
	} else {
		onlyCamera.Hide()
	}
	intro := widget.NewLabel("The photos of a trip were taken at another UTC offset. Say the offset there and what the camera's clock showed.")
	intro.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(intro, labelled("Taken at UTC", offset), clock, means,
		widget.NewLabel("Apply it to"), scope, rng.row("Dated"), onlyCamera)
	g = u.openBulkDialog(b, "Correct the time zone of a trip", form, func() (app.DatesChange, error) {
		off := strings.TrimSpace(offset.Text)
		if _, _, err := app.ParseZoneOffset(off); err != nil {
			return app.DatesChange{}, err
		}
		ch := app.DatesChange{Op: app.DatesZone, Zone: app.ZoneFix{Offset: off, Clock: app.ClockLocal}}
		if clock.Selected == zoneHomeWords {
			ch.Zone.Clock = app.ClockHome
		}
		rng.apply(&ch.Selection)
		switch {
		case scope.Selected == selectedOpt && len(paths) == 0:
			return ch, errNoSelection
		case scope.Selected == selectedOpt:
			ch.Selection.Paths = paths
		case ch.Selection.From == "" && ch.Selection.Until == "":
			return ch, errors.New("give the range of the trip: the first and the last day")
		}
		if onlyCamera.Visible() && onlyCamera.Checked {
			ch.Selection.Camera, ch.Selection.Serial = ref.Camera, ref.CameraSerial
		}
		return ch, nil
	}, false)
	offset.OnChanged = func(string) { g.stale() }
	clock.OnChanged = func(s string) {
		means.SetText(zoneLocalMeans)
		if s == zoneHomeWords {
			means.SetText(zoneHomeMeans)
		}
		g.stale()
	}
	scope.OnChanged = func(string) { g.stale() }
	u.win.Canvas().Focus(offset)
}
