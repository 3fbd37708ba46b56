package ui

import (
	"image/color"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/media"
)

// openFiles shows the files fixture in the Files view.
func openFiles(t *testing.T) *filesView {
	t.Helper()
	f := newFake()
	f.files[1] = filesFixture()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabFiles)
	return u.files
}

// highlighted is the file of the highlighted row, or "".
func highlighted(v *filesView) string {
	if v.table.sel < 0 || v.table.sel >= len(v.rows) {
		return ""
	}
	return v.row(v.table.sel).RelPath()
}

func TestSelectionFollowsTheFileAfterASort(t *testing.T) {
	v := openFiles(t)
	selectPath(t, v, "d.jpg") // fourth by name
	v.sortBy(colDate)
	v.sortBy(colDate) // newest first: d.jpg is first
	if v.row(0).RelPath() != "d.jpg" {
		t.Fatalf("newest first: %s", rowPaths(v))
	}
	if got := highlighted(v); got != "d.jpg" {
		t.Errorf("after the sort the highlight is on %q, want d.jpg", got)
	}
	if v.detail.key != "/photos/d.jpg" || v.detail.name.Text != "d.jpg" {
		t.Errorf("the detail panel shows %q", v.detail.key)
	}
}

func TestSelectionFollowsTheFileAfterAFilterAndIsClearedWhenFilteredOut(t *testing.T) {
	v := openFiles(t)
	selectPath(t, v, "d.jpg")
	v.confSel.SetSelected(string(media.ConfidenceMedium)) // only d.jpg is MEDIUM
	if got := highlighted(v); got != "d.jpg" || rowPaths(v) != "d.jpg" {
		t.Errorf("rows %s, highlight %q", rowPaths(v), got)
	}
	v.confSel.SetSelected(confLowNone)
	if got := highlighted(v); got != "" {
		t.Errorf("d.jpg is filtered out, yet %q is highlighted", got)
	}
	if v.detail.body.Visible() || !strings.Contains(v.detail.empty.Text, "d.jpg") ||
		!strings.Contains(v.detail.empty.Text, "hidden by the filters") {
		t.Errorf("the detail panel should say d.jpg is hidden, says %q (body shown %v)",
			v.detail.empty.Text, v.detail.body.Visible())
	}
	v.confSel.SetSelected(confAll)
	if got := highlighted(v); got != "d.jpg" || !v.detail.body.Visible() || v.detail.name.Text != "d.jpg" {
		t.Errorf("back to all files: highlight %q, detail %q", got, v.detail.name.Text)
	}
}

func TestArrowKeysSelect(t *testing.T) {
	v := openFiles(t)
	selectPath(t, v, "2018/b.jpg") // first by name
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := highlighted(v); got != "2019/a.jpg" || v.detail.name.Text != "2019/a.jpg" {
		t.Fatalf("Down: highlight %q, detail %q", got, v.detail.name.Text)
	}
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd})
	if got := highlighted(v); got != "notes.txt" {
		t.Errorf("End: %q", got)
	}
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown}) // stays on the last
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if got := highlighted(v); got != "e.jpg" || v.detail.name.Text != "e.jpg" {
		t.Errorf("Up from the last: highlight %q, detail %q", got, v.detail.name.Text)
	}
}

// rowsLit is the rows whose cells draw the selection's background, by
// path; a row only partly marked is named with the columns it has marked.
func rowsLit(v *filesView) []string {
	var lit []string
	cell := v.table.CreateCell()
	for row := range v.rows {
		var cols []string
		for col := range numFileColumns {
			v.updateCell(widget.TableCellID{Row: row, Col: col}, cell)
			if bg, _ := filesCellParts(cell); bg.FillColor != color.Transparent {
				cols = append(cols, fileColumns[col].title)
			}
		}
		switch len(cols) {
		case 0:
		case numFileColumns:
			lit = append(lit, v.row(row).RelPath())
		default:
			lit = append(lit, v.row(row).RelPath()+" "+strings.Join(cols, ","))
		}
	}
	return lit
}

// The selected row is marked across its width, and the mark moves with
// the selection; several files chosen with Ctrl-click are all marked.
func TestTheSelectedRowIsMarkedAcrossItsWidth(t *testing.T) {
	v := openFiles(t)
	if lit := rowsLit(v); len(lit) != 0 {
		t.Fatalf("rows marked before any is chosen: %q", lit)
	}
	v.table.Select(widget.TableCellID{Row: rowAt(v, "c.jpg"), Col: colDate}) // a click on the date
	if lit := rowsLit(v); !slices.Equal(lit, []string{"c.jpg"}) {
		t.Errorf("after a click on c.jpg's date the rows marked are %q", lit)
	}
	v.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if lit, want := rowsLit(v), highlighted(v); len(lit) != 1 || lit[0] != want || want == "c.jpg" {
		t.Errorf("after Down the rows marked are %q, the selection %q", lit, want)
	}
	v.bulk.selectAllShown()
	if lit := rowsLit(v); len(lit) != len(v.rows) {
		t.Errorf("all %d files chosen, %d rows marked: %q", len(v.rows), len(lit), lit)
	}
}

// A click on a row gives the table the keyboard: the arrow keys typed
// next move the selection on from the row clicked. (The window's driver,
// unlike the test driver, did not find the table's canvas from inside
// widget.Table's Tapped: that part was seen under Xvfb.)
func TestArrowKeysGoOnFromTheRowClicked(t *testing.T) {
	v := openFiles(t)
	c := v.u.win.Canvas()
	c.Focus(v.u.scan.chooseBtn) // where the focus is after start
	cell := v.table.CreateCell()
	h := cell.MinSize().Height + theme.Padding()
	header := v.table.CreateHeader().MinSize().Height + theme.Padding()
	at := fyne.NewPos(v.table.widths[colName]+30, header+2*h+h/2) // the third row's date
	v.table.Tapped(&fyne.PointEvent{Position: at})
	clicked := highlighted(v)
	if clicked == "" || c.Focused() != fyne.Focusable(v.table) {
		t.Fatalf("after a click: highlight %q, focus %T", clicked, c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := highlighted(v); got == clicked || got == "" || v.detail.name.Text != got {
		t.Errorf("Down after clicking %s: highlight %q, detail %q", clicked, got, v.detail.name.Text)
	}
}

func TestSortAndFilterRunOffTheUIGoroutine(t *testing.T) {
	v := openFiles(t)
	var queued []func()
	v.u.spawn = func(f func()) { queued = append(queued, f) }
	v.sortBy(colName)
	v.search.SetText("jpg")
	if got := rowPaths(v); got != "2018/b.jpg 2019/a.jpg c.jpg d.jpg e.jpg notes.txt" || len(queued) != 2 {
		t.Fatalf("the rows changed before the work ran (%d queued): %s", len(queued), got)
	}
	for _, f := range queued {
		f()
	}
	// The sort was overtaken by the filter, which saw both.
	if got := rowPaths(v); got != "e.jpg d.jpg c.jpg 2019/a.jpg 2018/b.jpg" {
		t.Errorf("by name descending, jpg only: %s", got)
	}
	// One copy of the rows: the table's rows are indexes into it.
	if len(v.rows) != 5 || len(v.set.rows) != 6 {
		t.Fatalf("%d rows shown of %d", len(v.rows), len(v.set.rows))
	}
}

func TestNameColumnTakesTheWidthAndDatesAreWhole(t *testing.T) {
	v := openFiles(t)
	v.u.win.Resize(fyne.NewSize(1920, 1080))
	tw := v.table.Size().Width
	sum := float32(0)
	for _, w := range v.table.widths {
		sum += w
	}
	t.Logf("table %.0f columns %.0f name %.0f date %.0f", tw, sum, v.table.widths[colName], v.table.widths[colDate])
	if v.table.widths[colName] < 500 || tw-sum > 80 {
		t.Errorf("at 1920 px: table %.0f, columns %.0f, Name %.0f", tw, sum, v.table.widths[colName])
	}
	// The longest dates a scan shows: with a zone and a fraction, and in
	// UTC (a file's modification time), said " UTC", not "Z".
	for _, long := range []string{"2019-07-04T15:30:12.345Z", "2019-07-04T15:30:12.345+02:00"} { // the column only widens
		rows := slices.Clone(v.set.rows)
		rows[0].Date = long
		v.set = newRowSet(1, rows)
		v.apply()
		cell := v.table.CreateCell()
		_, l := filesCellParts(cell)
		l.Resize(fyne.NewSize(v.table.widths[colDate], l.MinSize().Height))
		v.updateCell(widget.TableCellID{Row: rowAt(v, rows[0].RelPath()), Col: colDate}, cell)
		if want := shownDate(long); l.Text != want || strings.Contains(want, "4T") || strings.HasSuffix(want, "Z") {
			t.Errorf("the date %s is shown as %q (%q whole) in a %.0f px column", long, l.Text, want, v.table.widths[colDate])
		}
	}
	v.u.win.Resize(fyne.NewSize(800, 600))
	if v.table.widths[colName] < minNameWidth {
		t.Errorf("at 800 px Name is %.0f", v.table.widths[colName])
	}
}

func TestALongDetailLineDoesNotPushTheDivider(t *testing.T) {
	v := openFiles(t)
	r := rec("IMG_0001.HEIC", media.ConfidenceHigh, media.StatusDone, "2021-06-01T12:00:00")
	r.Time.Candidates = []media.Candidate{{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF,
		Value: "2021-06-01T12:00:00", Detail: strings.Repeat("heic-item-property-", 40), Chosen: true}}
	r.Note = strings.Repeat("x", 600)
	v.detail.show(r)
	if w := v.detail.root.MinSize().Width; w > 300 {
		t.Errorf("the detail panel asks for %.0f px", w)
	}
}
