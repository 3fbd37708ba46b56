package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// fakePicker stands for the system's folder chooser: it records what it
// was asked and answers with dir and err.
type fakePicker struct {
	dir  string
	err  error
	asks []folderRequest
}

func (p *fakePicker) pick(req folderRequest) (string, error) {
	p.asks = append(p.asks, req)
	return p.dir, p.err
}

// fyneFolderDialogOpen says whether Fyne's own folder dialog is the top
// overlay: titled Open Folder, with an Open button.
func fyneFolderDialogOpen(u *UI) bool {
	top := u.win.Canvas().Overlays().Top()
	return top != nil && findButton(top, "Open") != nil && strings.Contains(overlayText(u.win), "Open Folder")
}

// While a chooser is open, asking again opens no second one.
func TestPickerOneChooserAtATime(t *testing.T) {
	u := newTestUI(t, newFake())
	var waiting []func()
	u.spawn = func(f func()) { waiting = append(waiting, f) }
	p := &fakePicker{}
	u.picker = p.pick
	u.chooseFolder()
	u.chooseFolder()
	if len(waiting) != 1 {
		t.Fatalf("%d choosers asked for while one was open", len(waiting))
	}
	waiting[0]()
	u.chooseFolder()
	if len(waiting) != 2 {
		t.Errorf("no chooser after the first one answered")
	}
}

func TestChooseFolderUsesThePickerAndStartsTheScan(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	dir := filepath.Join(t.TempDir(), "Été 2024")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &fakePicker{dir: dir}
	u.picker = p.pick
	test.Tap(findButton(u.win.Content(), "Choose folder…"))

	if len(p.asks) != 1 || p.asks[0].Title != "Choose a folder to scan" {
		t.Fatalf("the picker was asked %+v", p.asks)
	}
	// Where Fyne's dialog's choice lands: one job over the folder, which
	// becomes the most recent.
	if len(f.starts) != 1 || strings.Join(f.starts[0], ",") != dir {
		t.Fatalf("starts = %v, want one job over %s", f.starts, dir)
	}
	if got := u.recentFolders(); len(got) == 0 || got[0] != dir {
		t.Errorf("recent folders = %v", got)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog showed after the system's chooser: %q", overlayText(u.win))
	}

	// The next chooser opens in the folder just scanned.
	u.clearJob()
	u.chooseFolder()
	if len(p.asks) != 2 || p.asks[1].Start != dir {
		t.Errorf("the second chooser starts in %+v, want %s", p.asks, dir)
	}
}

func TestChooseFolderCancelledDoesNothing(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.picker = (&fakePicker{}).pick
	u.chooseFolder()
	if len(f.starts) != 0 || u.win.Canvas().Overlays().Top() != nil || u.picking {
		t.Fatalf("a cancelled chooser started %v, dialog %q, picking %v", f.starts, overlayText(u.win), u.picking)
	}
}

func TestChooseFolderFallsBackToFynesDialog(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.picker = (&fakePicker{err: errors.New("no portal")}).pick
	u.chooseFolder()
	if !fyneFolderDialogOpen(u) {
		t.Fatalf("no Fyne folder dialog after the system's chooser failed; dialog %q", overlayText(u.win))
	}
	if len(f.starts) != 0 {
		t.Errorf("starts = %v", f.starts)
	}
}

// The other askers say what the folder is for, through the same picker.
func TestPickerTitlesSayWhatTheFolderIsFor(t *testing.T) {
	u := newTestUI(t, newFake())
	p := &fakePicker{}
	u.picker = p.pick
	u.chooseWipeCheck()
	if len(p.asks) != 1 || !strings.Contains(p.asks[0].Title, "check") {
		t.Fatalf("asks = %+v", p.asks)
	}
}

func TestPickerStartsInPicturesWithNoRecentFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	u := newTestUI(t, newFake())
	if got := u.startFolder(); got != home {
		t.Errorf("start = %q with no Pictures, want %s", got, home)
	}
	pics := filepath.Join(home, "Pictures")
	if err := os.Mkdir(pics, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := u.startFolder(); got != pics {
		t.Errorf("start = %q, want %s", got, pics)
	}
}
