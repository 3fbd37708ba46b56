package ui

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
)

// middleLabel is a one-line label that shortens its text in the middle to
// fit its width, so a long path keeps both its start and its file name.
type middleLabel struct {
	widget.Label
	full string
}

// Paths that are not valid UTF-8 are shown with U+FFFD (app.ReadablePath):
// the label measures and elides what it shows.
func newMiddleLabel(text string) *middleLabel {
	text = app.ReadablePath(text)
	l := &middleLabel{full: text}
	l.Text = text
	l.ExtendBaseWidget(l)
	return l
}

// SetFull sets the whole text; the label shows as much of it as fits.
func (l *middleLabel) SetFull(s string) {
	s = app.ReadablePath(s)
	if s == l.full && l.Text != "" {
		return
	}
	l.full = s
	l.fit(l.Size().Width)
}

// Full is the text before eliding.
func (l *middleLabel) Full() string { return l.full }

// MinSize lets the label be narrower than its text: it elides instead.
func (l *middleLabel) MinSize() fyne.Size {
	return fyne.NewSize(60, l.Label.MinSize().Height)
}

// Resize elides the text for the new width.
func (l *middleLabel) Resize(s fyne.Size) {
	l.Label.Resize(s)
	l.fit(s.Width)
}

func (l *middleLabel) fit(width float32) {
	text := l.full
	if width > 0 {
		avail := width - 2*theme.InnerPadding()
		size := theme.TextSize()
		if l.SizeName != "" {
			size = theme.Size(l.SizeName)
		}
		fits := func(n int) bool {
			return fyne.MeasureText(app.ElideMiddle(l.full, n), size, l.TextStyle).Width <= avail
		}
		if n := utf8.RuneCountInString(l.full); !fits(n) {
			lo, hi := 1, n // fits(lo) assumed, hi does not fit
			for lo+1 < hi {
				mid := (lo + hi) / 2
				if fits(mid) {
					lo = mid
				} else {
					hi = mid
				}
			}
			text = app.ElideMiddle(l.full, lo)
		}
	}
	if text != l.Text {
		l.Text = text
		l.Refresh()
	}
}
