package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
)

// Column indexes of the files table.
const (
	colName = iota
	colDate
	colSource
	colConfidence
	colType
	colStatus
	numFileColumns // how many columns the table has
)

// minNameWidth is the narrowest the Name column is made when the table
// fits its columns to its width.
const minNameWidth = 195

// filesTable is the files table: arrow keys select the row they move to,
// and the Name column takes the width the other columns leave, until the
// person drags a column's edge in the header.
type filesTable struct {
	fittedTable // Name fills
	v           *filesView
	sel         int // the highlighted row, -1 for none
}

func newFilesTable(v *filesView) *filesTable {
	t := &filesTable{v: v, sel: -1}
	t.Length = func() (int, int) { return len(v.rows), len(fileColumns) }
	t.CreateCell = newFilesCell
	t.UpdateCell = v.updateCell
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		col := id.Col
		if col < 0 {
			return
		}
		title := fileColumns[col].title
		if col == v.sortCol {
			if v.sortDesc {
				title += " ▼"
			} else {
				title += " ▲"
			}
		}
		b.SetText(title)
		b.OnTapped = func() { v.sortBy(col) }
	}
	t.OnSelected = func(id widget.TableCellID) {
		moved := t.sel != id.Row
		t.sel = id.Row
		v.rowSelected(id)
		if moved {
			t.Refresh() // the row's highlight moves with it (updateCell)
		}
	}
	t.OnUnselected = func(widget.TableCellID) {
		t.sel = -1
		t.Refresh()
	}
	t.ExtendBaseWidget(t)
	widths := make([]float32, len(fileColumns))
	for i, c := range fileColumns {
		widths[i] = c.width
	}
	widths[colDate] = dateColumnWidth(len("2006-01-02 15:04:05"))
	t.setColumns(t, widths, colName, minNameWidth)
	return t
}

// dateColumnWidth fits a date of n characters (digits and separators) without eliding it.
// It measures a date's own shape, digits where a date has digits and its
// separators where it has them: n zeros made the column of "2021-10-29
// 22:50:32+09:00" 60 px wider than the date, which the Name column paid.
func dateColumnWidth(n int) float32 {
	shape := "0000-00-00 00:00:00+00:00"
	if n <= len(shape) {
		shape = shape[:n]
	} else {
		shape += strings.Repeat("0", n-len(shape))
	}
	w := fyne.MeasureText(shape, theme.TextSize(), fyne.TextStyle{}).Width
	return max(fileColumns[colDate].width, w+2*theme.InnerPadding()+4)
}

// fitDates widens the date column for dates of n characters, and the Name
// column gives way.
func (t *filesTable) fitDates(n int) {
	w := dateColumnWidth(max(n, len("2006-01-02 15:04:05")))
	if t.manual || w <= t.widths[colDate] {
		return
	}
	t.setWidth(colDate, w)
	t.fit(t.Size().Width)
}

// TypedKey moves the selection with the arrow keys, Home and End, so the
// detail panel follows; other keys do what they do in any table.
func (t *filesTable) TypedKey(ev *fyne.KeyEvent) {
	n := len(t.v.rows)
	row := t.sel
	switch ev.Name {
	case fyne.KeyDown:
		row = min(row+1, n-1)
	case fyne.KeyUp:
		row = max(row-1, 0)
	case fyne.KeyHome:
		row = 0
	case fyne.KeyEnd:
		row = n - 1
	case fyne.KeyPageDown:
		row = min(row+t.pageRows(), n-1)
	case fyne.KeyPageUp:
		row = max(row-t.pageRows(), 0)
	default:
		t.Table.TypedKey(ev)
		return
	}
	if n > 0 {
		t.Select(widget.TableCellID{Row: row, Col: 0})
	}
}

// pageRows is about how many rows the table shows at once.
func (t *filesTable) pageRows() int {
	h := newMiddleLabel("").MinSize().Height + theme.Padding()
	return max(1, int(t.Size().Height/h)-2)
}

func fileCell(r *app.FileRow, col int) string {
	switch col {
	case colName:
		return app.ReadablePath(r.RelPath())
	case colDate:
		return shownDate(r.Date)
	case colSource:
		return sourceWords(r.Source)
	case colConfidence:
		if r.Status != media.StatusDone {
			return ""
		}
		return string(r.Confidence)
	case colType:
		return r.Kind
	case colStatus:
		return string(r.Status)
	}
	return ""
}

// sourceNames say where a file's date came from, in the window's words
// rather than the library's identifiers ("mtime", "sequence"), which the
// CLI and its JSON keep: a word or two for the Source column (each fits it,
// TestSourceWordsFitTheirColumn), as the detail pane's candidates are
// named (candidateKindWords), and a phrase for the detail pane's sentence
// "Taken … (from its file name, MEDIUM confidence)". Never written to.
var sourceNames = map[media.Source]struct{ word, phrase string }{
	media.SourceEXIF:     {"EXIF", "from its EXIF"},
	media.SourceFilename: {"file name", "from its file name"},
	media.SourceFolder:   {"folder", "from its folder's name"},
	media.SourceVideo:    {"video", "from the video's own date"},
	media.SourceSidecar:  {"sidecar", "from its XMP sidecar"},
	media.SourceMtime:    {"modified", "from when it was last modified"},
	media.SourceSequence: {"neighbours", "from its numbered neighbours"},
	app.SourceUser:       {"your date", "set by you"},
}

// sourceWords is the Source column's word for s (sourceNames).
func sourceWords(s media.Source) string {
	if n, ok := sourceNames[s]; ok {
		return n.word
	}
	return string(s)
}

// sourcePhrase is the detail pane's phrase for s (sourceNames).
func sourcePhrase(s media.Source) string {
	if n, ok := sourceNames[s]; ok {
		return n.phrase
	}
	return "from " + string(s)
}

// typeName is a short file type: "JPEG", "HEIC", "MP4".
func typeName(mime, name string) string { return app.TypeName(mime, name) }

// newFilesCell is a cell of the files table: a label over a background
// that marks the selected row across its width. The table itself marks
// only the cell clicked, which left a person reading along the row to the
// date or the status unsure which file it was.
func newFilesCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	return container.NewStack(bg, newMiddleLabel(""))
}

// filesCellParts are a files cell's background and label.
func filesCellParts(o fyne.CanvasObject) (*canvas.Rectangle, *middleLabel) {
	c := o.(*fyne.Container)
	return c.Objects[0].(*canvas.Rectangle), c.Objects[1].(*middleLabel)
}

func (v *filesView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	bg, l := filesCellParts(o)
	if id.Row >= len(v.rows) {
		l.SetFull("")
		setFill(bg, color.Transparent)
		return
	}
	r := v.row(id.Row)
	if id.Row == v.table.sel || (v.bulk != nil && v.bulk.isMarked(r)) {
		setFill(bg, theme.Color(theme.ColorNameSelection))
	} else {
		setFill(bg, color.Transparent)
	}
	imp := widget.MediumImportance
	switch {
	case id.Col == colStatus && r.Status == media.StatusError:
		imp = widget.DangerImportance
	case id.Col == colConfidence && (r.Confidence == media.ConfidenceLow || r.Confidence == media.ConfidenceNone):
		imp = widget.WarningImportance
	case id.Col == colConfidence && r.Confidence == media.ConfidenceHigh:
		imp = widget.SuccessImportance
	}
	if l.Importance != imp {
		l.Importance = imp
		l.Refresh()
	}
	text := fileCell(r, id.Col)
	if id.Col == 0 && v.bulk != nil && v.bulk.isMarked(r) {
		text = "✓ " + text
	}
	l.SetFull(text)
}

// setFill colours a rectangle, redrawing it only when the colour changed.
func setFill(r *canvas.Rectangle, c color.Color) {
	if r.FillColor == c {
		return
	}
	r.FillColor = c
	r.Refresh()
}
