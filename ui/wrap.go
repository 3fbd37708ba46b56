package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// wrapRow lays its objects out in a row that wraps onto more lines when the
// width runs out, so a row of buttons never forces the window wider than
// its widest button. Its height follows the width it was last given.
type wrapRow struct {
	width float32 // the width of the last layout; 0 before the first
}

func (w *wrapRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	widest := float32(0)
	for _, o := range objs {
		if o.Visible() {
			widest = max(widest, o.MinSize().Width)
		}
	}
	width := w.width
	if width <= 0 {
		width = 1 << 20 // one line until the first layout
	}
	return fyne.NewSize(widest, w.place(objs, width, false))
}

func (w *wrapRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w.width = size.Width
	w.place(objs, size.Width, true)
}

// place puts the objects in lines of at most width (moving them when move
// is set) and returns the height they take.
func (w *wrapRow) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	x, y, lineH := float32(0), float32(0), float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if x > 0 && x+m.Width > width {
			x, y, lineH = 0, y+lineH+pad, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + pad
		lineH = max(lineH, m.Height)
	}
	return y + lineH
}

// lowFloor lets its content be shorter than the content asks: a list whose
// rows are tall (a duplicate group's cards) would otherwise make the whole
// window at least one row tall, and 800x600 must work. The content still
// scrolls within whatever height it gets.
type lowFloor struct{ height float32 }

func (f lowFloor) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, f.height)
}

func (lowFloor) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
