package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fittedTable is a table where one column (fill) takes the width the
// others leave, so that a long name or description is not cut while the
// window has room to spare, until the person drags a column's edge in the
// header: from then on the widths are theirs. A type embedding it calls
// ExtendBaseWidget with itself, then setColumns with itself.
type fittedTable struct {
	widget.Table
	self   focusableWidget // the widget embedding it, which the window knows
	widths []float32       // the columns' widths as last set
	fill   int             // the column that takes what the others leave
	min    float32         // the narrowest fill is made
	manual bool            // the person resized a column: the table no longer fits them
}

// setColumns sets the columns to widths, fill taking what the others
// leave; self is the widget embedding the table.
func (t *fittedTable) setColumns(self focusableWidget, widths []float32, fill int, min float32) {
	t.self, t.widths, t.fill, t.min = self, widths, fill, min
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
}

// Resize gives the fill column what the table has to spare.
func (t *fittedTable) Resize(s fyne.Size) {
	t.Table.Resize(s)
	t.fit(s.Width)
}

// focusableWidget is a widget that takes the keyboard.
type focusableWidget interface {
	fyne.Widget
	fyne.Focusable
}

// Tapped selects the cell tapped and takes the keyboard, so that the
// arrow keys go on from it. widget.Table's own Tapped asks the driver for
// the canvas of the Table inside the widget that embeds it, which the
// window does not know (it knows the widget it was given), so the focus
// stayed where it was, often on a button of a hidden view, and the arrow
// keys did nothing after a click.
func (t *fittedTable) Tapped(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	if t.self == nil {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(t.self); c != nil && c.Focused() != t.self {
		c.Focus(t.self)
	}
}

// Dragged resizes a column from the header; from then on the widths are the person's.
func (t *fittedTable) Dragged(e *fyne.DragEvent) {
	t.manual = true
	t.Table.Dragged(e)
}

// fit widens or narrows the fill column so the columns fill width.
func (t *fittedTable) fit(width float32) {
	if t.manual || width <= 0 || len(t.widths) == 0 {
		return
	}
	others := float32(0)
	for i, w := range t.widths {
		if i != t.fill {
			others += w + theme.Padding() // each column is followed by a divider
		}
	}
	t.setWidth(t.fill, max(t.min, width-others-theme.Padding()-theme.ScrollBarSize()))
}

// setWidth sets a column's width when it changed.
func (t *fittedTable) setWidth(col int, w float32) {
	if d := t.widths[col] - w; d > -0.5 && d < 0.5 {
		return
	}
	t.widths[col] = w
	t.SetColumnWidth(col, w)
}
