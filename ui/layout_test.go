package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// fitsIn fails when the window's content cannot be as small as w x h.
func fitsIn(t *testing.T, u *UI, w, h float32, when string) {
	t.Helper()
	m := u.win.Content().MinSize()
	if m.Width > w || m.Height > h {
		t.Errorf("%s: the window needs at least %.0f x %.0f, more than %.0f x %.0f", when, m.Width, m.Height, w, h)
	}
}

func TestTheWindowWorksAt800x600(t *testing.T) {
	const w, h = 800, 600
	f, u, _ := actFixture(t)
	f.files[1] = filesFixture()
	fitsIn(t, u, w, h, "Duplicates")
	u.prefs.SetStringList(prefRecent, []string{"/home/someone/Pictures/A folder with a rather long name indeed/and more"})
	u.clearJob()
	u.tabs.SelectIndex(tabScan)
	fitsIn(t, u, w, h, "the empty state")

	u.startJob([]string{t.TempDir()})
	p := running(2, 400, 1000, 60)
	p.CurrentFile = "a/very/long/path/of/folders/that/goes/on/and/on/IMG_20190704_153012_with_a_long_name.jpg"
	f.emit(p)
	u.flush()
	fitsIn(t, u, w, h, "a running scan with a warning")
	p.State, p.ErrorMessage = store.StateHalted, "Stopped: 60 of 400 files failed (15%), over the 10% limit. Resume to go on anyway."
	f.emit(p)
	u.flush()
	fitsIn(t, u, w, h, "a halted scan")
	f.emit(app.Progress{JobID: 2, Roots: []string{"/photos"}, State: store.StateCompleted, Current: 1000, Total: 1000, Errors: 3})
	u.flush()
	fitsIn(t, u, w, h, "a finished scan")

	u.tabs.SelectIndex(tabFiles)
	u.files.table.Select(widget.TableCellID{Row: 0, Col: 0})
	fitsIn(t, u, w, h, "Files with a file selected")
	for _, tab := range []int{tabHistory, tabSettings} {
		u.tabs.SelectIndex(tab)
		fitsIn(t, u, w, h, u.tabs.Selected().Text)
	}
	u.win.Resize(fyne.NewSize(w, h))
	if s := u.win.Canvas().Size(); s.Width > w {
		t.Errorf("resized to %.0f x %.0f, the canvas is %.0f wide", float32(w), float32(h), s.Width)
	}
}
