package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// Bulk date corrections (issue 13) in the Files view. The table selects one
// file at a time, so the view keeps a selection of its own: a click selects
// a file, Shift-click the files from the last click to this one, Ctrl-click
// (Cmd on a Mac) adds or removes one, and "Select all shown" takes every
// file the filters show. Selected files carry a ✓ in the Name column. The
// bar under the table says how many are selected and opens the bulk dialogs
// (bulk_*.go), each of which previews before → after before anything is
// stored.

// bulkSel is the Files view's selection and its bar. UI goroutine only.
type bulkSel struct {
	v      *filesView
	marked map[string]bool // fileKey of each selected file
	anchor string          // the file clicked last: a Shift-click's other end

	// mods is the keys held at a click; tests replace it.
	mods func() fyne.KeyModifier

	bar   *fyne.Container
	count *widget.Label
	fix   *widget.Button
	write *widget.Button
}

func newBulkSel(v *filesView) *bulkSel {
	b := &bulkSel{v: v, marked: map[string]bool{}, mods: heldModifiers}
	b.count = caption("")
	b.count.Truncation = fyne.TextTruncateEllipsis
	all := widget.NewButton("Select all shown", b.selectAllShown)
	all.Importance = widget.LowImportance
	b.fix = widget.NewButtonWithIcon("Fix dates", theme.MenuDropDownIcon(), b.showMenu)
	b.fix.IconPlacement = widget.ButtonIconTrailingText
	b.write = widget.NewButtonWithIcon("Write dates to files…", theme.DocumentSaveIcon(), func() { v.u.openWriteDates(b) })
	buttons := container.NewHBox(all, b.fix, b.write)
	b.bar = container.NewBorder(nil, nil, nil, buttons, b.count)
	b.refresh()
	return b
}

// heldModifiers asks the desktop driver which modifier keys are down; none
// where there is no keyboard (the test driver).
func heldModifiers() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// clicked follows a click on r's row (the table's OnSelected).
func (b *bulkSel) clicked(r *app.FileRow) {
	key := rowKey(r)
	m := b.mods()
	switch {
	case m&fyne.KeyModifierShift != 0 && b.anchor != "":
		from, to := b.shownAt(b.anchor), b.shownAt(key)
		if from < 0 || to < 0 {
			b.marked[key] = true
			break
		}
		for i := min(from, to); i <= max(from, to); i++ {
			b.marked[rowKey(b.v.row(i))] = true
		}
	case m&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0:
		if b.marked[key] {
			delete(b.marked, key)
		} else {
			b.marked[key] = true
		}
		b.anchor = key
	case key == b.anchor && b.marked[key]:
		// The same file selected again (after a reload): the selection stays.
	default:
		b.marked = map[string]bool{key: true}
		b.anchor = key
	}
	b.refresh()
}

// shownAt is the table row showing the file of key, -1 when none does.
func (b *bulkSel) shownAt(key string) int {
	for i := range b.v.rows {
		if isRowKey(b.v.row(i), key) {
			return i
		}
	}
	return -1
}

// selectAllShown selects every file the filters show.
func (b *bulkSel) selectAllShown() {
	b.marked = make(map[string]bool, len(b.v.rows))
	for i := range b.v.rows {
		b.marked[rowKey(b.v.row(i))] = true
	}
	b.refresh()
}

// isMarked says whether r's row shows the ✓: only when several files are
// selected, as one is the table's own highlight.
func (b *bulkSel) isMarked(r *app.FileRow) bool {
	return len(b.marked) > 1 && b.marked[rowKey(r)]
}

// files is the selected files among those shown, in the table's order.
func (b *bulkSel) files() []*app.FileRow {
	if len(b.marked) == 0 {
		return nil
	}
	var out []*app.FileRow
	for i := range b.v.rows {
		if r := b.v.row(i); b.isSelected(r) {
			out = append(out, r)
		}
	}
	return out
}

// isSelected says whether r is among the selected files; with a few
// selected, as most often, it builds no key.
func (b *bulkSel) isSelected(r *app.FileRow) bool {
	if len(b.marked) > 8 {
		return b.marked[rowKey(r)]
	}
	for k := range b.marked {
		if isRowKey(r, k) {
			return true
		}
	}
	return false
}

// paths is the absolute paths of the selected files shown.
func (b *bulkSel) paths() []string {
	var out []string
	for _, r := range b.files() {
		out = append(out, r.AbsPath())
	}
	return out
}

// current is the file the detail panel shows (the last clicked), if any.
func (b *bulkSel) current() (store.FileRecord, bool) {
	d := b.v.detail
	if !d.shown || d.key != b.v.selected {
		return store.FileRecord{}, false
	}
	return d.rec, true
}

func (b *bulkSel) refresh() {
	n := len(b.files())
	switch n {
	case 0:
		b.count.SetText("No file selected · Shift-click: a range · Ctrl-click: one more")
	case 1:
		b.count.SetText("1 file selected · Shift-click: a range · Ctrl-click: one more")
	default:
		b.count.SetText(fmt.Sprintf("%s selected", plural(n, "file")))
	}
	if b.v.table != nil {
		b.v.table.Refresh()
	}
}

// showMenu opens the list of bulk corrections under the Fix dates button.
func (b *bulkSel) showMenu() {
	u := b.v.u
	menu := fyne.NewMenu("",
		fyne.NewMenuItem("Set a date for the selected files…", func() { u.openBulkSet(b) }),
		fyne.NewMenuItem("Use the file-name date for the selected files…", func() { u.openBulkFrom(b, fromName) }),
		fyne.NewMenuItem("Use the Takeout date for the selected files…", func() { u.openBulkFrom(b, fromTakeout) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Shift a camera's clock…", func() { u.openShiftClock(b) }),
		fyne.NewMenuItem("Correct the time zone of a trip…", func() { u.openZone(b) }),
	)
	c := fyne.CurrentApp().Driver().CanvasForObject(b.fix)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.fix)
	widget.ShowPopUpMenuAtPosition(menu, c, pos.Add(fyne.NewPos(0, b.fix.Size().Height)))
}
