package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/assets"
	"shoebox/store"
)

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// iconImage is the app icon at side x side.
func iconImage(side float32) fyne.CanvasObject {
	img := canvas.NewImageFromResource(assets.Icon())
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(side, side))
	return img
}

func listerFor(path string) (fyne.ListableURI, error) {
	return storage.ListerForURI(storage.NewFileURI(path))
}

// heading is a bold label in the sub-heading size.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// caption is a small, quiet label.
func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameCaptionText
	l.Importance = widget.LowImportance
	return l
}

// card puts content on a softly coloured rounded panel.
func card(bg fyne.ThemeColorName, alpha uint8, content fyne.CanvasObject) *fyne.Container {
	r := canvas.NewRectangle(withAlpha(theme.Color(bg), alpha))
	r.CornerRadius = theme.InputRadiusSize() * 2
	return container.NewStack(r, container.NewPadded(content))
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}

// stat is a big number with a caption under it.
type stat struct {
	value *widget.Label
	label *widget.Label
	box   fyne.CanvasObject
}

func newStat(name string) *stat {
	s := &stat{value: heading("–"), label: caption(name)}
	s.box = card(theme.ColorNameInputBackground, 0xff, container.NewVBox(s.value, s.label))
	return s
}

func (s *stat) set(value string, imp widget.Importance) {
	if s.value.Text == value && s.value.Importance == imp {
		return
	}
	s.value.Text = value
	s.value.Importance = imp
	s.value.Refresh()
}

// setLabel changes a label only when its text or importance changes.
func setLabel(l *widget.Label, text string, imp widget.Importance) {
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Text = text
	l.Importance = imp
	l.Refresh()
}

// showIf shows or hides o.
func showIf(o fyne.CanvasObject, show bool) {
	if show && !o.Visible() {
		o.Show()
	} else if !show && o.Visible() {
		o.Hide()
	}
}

// enableIf enables or disables b.
func enableIf(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// stateImportance is the colour of a job state wherever it is shown:
// completed green, paused amber, halted or failed red, anything else fallback.
func stateImportance(st store.JobState, fallback widget.Importance) widget.Importance {
	switch st {
	case store.StateCompleted:
		return widget.SuccessImportance
	case store.StatePaused:
		return widget.WarningImportance
	case store.StateHalted, store.StateFailed:
		return widget.DangerImportance
	}
	return fallback
}

// appEntry is a text entry that passes the window's shortcuts on
// (Ctrl+1…5, Ctrl+O, Ctrl+P…, and Escape). Fyne gives a shortcut to the focused
// widget, when it takes shortcuts as an entry does, instead of the
// window, and an entry drops those it does not know: none of the window's
// worked while the cursor was in a field (Files' filter, a date, a
// setting). Every entry of the window is one (newEntry).
type appEntry struct{ widget.Entry }

// newEntry is widget.NewEntry as an appEntry.
func newEntry() *appEntry {
	e := &appEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewEntry sets it
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut gives the window a custom shortcut (a key with Ctrl, or
// Cmd on macOS) as well as the entry: the window's are letters, digits
// and the full stop, which an entry does not use, and the entry's (Ctrl
// with an arrow) are not the window's.
func (e *appEntry) TypedShortcut(s fyne.Shortcut) {
	if custom, ok := s.(*desktop.CustomShortcut); ok {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(custom)
		}
	}
	e.Entry.TypedShortcut(s)
}

// TypedKey gives Escape to the window (it closes the newest dialog,
// addShortcuts): Fyne gives every key to the focused widget instead, and
// an entry that kept the focus, in a dialog or under one, ignores it.
func (e *appEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && c.OnTypedKey() != nil {
			c.OnTypedKey()(k)
			return
		}
	}
	e.Entry.TypedKey(k)
}

// newFormEntry is a one-line entry for a form in a scrolled page (Settings,
// Organise's options): the mouse wheel over it scrolls the page. Fyne's
// Entry otherwise puts its text in a scroller of its own, which takes the
// wheel even when it has nothing to scroll, so the page stood still
// whenever the pointer rested on one of its fields. Its text is short (a
// number, a layout), so it needs no scrolling of its own.
func newFormEntry() *appEntry {
	e := newEntry()
	e.Wrapping = fyne.TextWrapOff
	e.Scroll = fyne.ScrollNone
	return e
}
