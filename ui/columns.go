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
// ExtendBaseWidget with itself, then setColumns.
type fittedTable struct {
	widget.Table
	widths []float32 // the columns' widths as last set
	fill   int       // the column that takes what the others leave
	min    float32   // the narrowest fill is made
	manual bool      // the person resized a column: the table no longer fits them
}

// setColumns sets the columns to widths, fill taking what the others leave.
func (t *fittedTable) setColumns(widths []float32, fill int, min float32) {
	t.widths, t.fill, t.min = widths, fill, min
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
}

// Resize gives the fill column what the table has to spare.
func (t *fittedTable) Resize(s fyne.Size) {
	t.Table.Resize(s)
	t.fit(s.Width)
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
