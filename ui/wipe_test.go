package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shoebox/app"
)

// A folder whose every file has a copy elsewhere is said safe to wipe, with
// the count.
func TestWipeCheckSaysSafe(t *testing.T) {
	eng := newFake()
	eng.unique = app.UniqueReport{Dir: "/media/card", Total: 3}
	u := newTestUI(t, eng)
	u.checkWipe("/media/card")
	got := overlayText(u.win)
	if !strings.Contains(got, "Safe to wipe") || !strings.Contains(got, "Each of the 3 files under /media/card") {
		t.Fatalf("dialog: %q", got)
	}
	if calls := eng.Calls(); len(calls) != 1 || calls[0] != "unique /media/card" {
		t.Fatalf("engine calls %v", calls)
	}
}

// A folder with files that have no copy elsewhere lists them with their
// reasons, says how many the library never saw, and copies the list.
func TestWipeCheckListsTheFilesToSave(t *testing.T) {
	eng := newFake()
	eng.unique = app.UniqueReport{Dir: "/media/card", Total: 5, Unknown: 1, Files: []app.UniqueFile{
		{Path: "/media/card/DCIM/IMG_1.JPG", Reason: "no other file has its bytes"},
		{Path: "/media/card/DCIM/IMG_2.JPG", Reason: "the library has never seen it", Unknown: true},
	}}
	u := newTestUI(t, eng)
	u.checkWipe("/media/card")
	got := overlayText(u.win)
	for _, want := range []string{"Not safe to wipe yet", "2 files of the 5 files under /media/card have no copy elsewhere",
		"1 of them the library has never seen", "IMG_1.JPG — no other file has its bytes", "Scan /media/card"} {
		if !strings.Contains(got, want) {
			t.Errorf("dialog lacks %q:\n%s", want, got)
		}
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Copy the list"))
	if clip := u.app.Clipboard().Content(); clip != "/media/card/DCIM/IMG_1.JPG\tno other file has its bytes\n"+
		"/media/card/DCIM/IMG_2.JPG\tthe library has never seen it" {
		t.Errorf("clipboard: %q", clip)
	}
}

// A reason names its copy's path as the list names the file, short under
// the home folder; the copied list keeps both whole.
func TestWipeReasonsNameTheirCopyShort(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	copyPath := filepath.Join(home, "Pictures", "Family photos", "IMG_1070.HEIC")
	eng := newFake()
	eng.unique = app.UniqueReport{Dir: "/media/card", Total: 1, Files: []app.UniqueFile{
		{Path: "/media/card/IMG_1070.HEIC", Reason: "its other path is the same file, not a copy: " + copyPath},
	}}
	u := newTestUI(t, eng)
	u.checkWipe("/media/card")
	if got := overlayText(u.win); !strings.Contains(got, "IMG_1070.HEIC — its other path is the same file, not a copy: ~/Pictures/Family photos/IMG_1070.HEIC") {
		t.Errorf("dialog:\n%s", got)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Copy the list"))
	if clip := u.app.Clipboard().Content(); !strings.HasSuffix(clip, copyPath) {
		t.Errorf("clipboard: %q", clip)
	}
}

// An engine error is shown in words, not as a verdict.
func TestWipeCheckError(t *testing.T) {
	eng := newFake()
	u := newTestUI(t, eng)
	u.checkWipe("/nowhere")
	if got := overlayText(u.win); !strings.Contains(got, "Could not check") || strings.Contains(got, "safe to wipe") {
		t.Fatalf("dialog: %q", got)
	}
}

// When the library has never seen the folder, the answer offers to scan it.
func TestWipeCheckOffersToScanAnUnknownFolder(t *testing.T) {
	eng := newFake()
	eng.unique = app.UniqueReport{Dir: "/media/card", Total: 1, Unknown: 1, Files: []app.UniqueFile{
		{Path: "/media/card/a.jpg", Reason: "not in the library: scan the folder first", Unknown: true}}}
	u := newTestUI(t, eng)
	u.checkWipe("/media/card")
	if got := overlayText(u.win); !strings.Contains(got, "None of the 1 file under /media/card has a copy") {
		t.Fatalf("dialog: %q", got)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Scan /media/card"))
	if len(eng.starts) != 1 || eng.starts[0][0] != "/media/card" {
		t.Fatalf("scans started: %v", eng.starts)
	}
}

// Escape closes the check's dialogs: they were not among the window's
// dialogs, and a field focused in one took the key for itself (Fyne gives
// every key to the focused widget).
func TestEscapeClosesTheWipeCheck(t *testing.T) {
	eng := newFake()
	eng.unique = app.UniqueReport{Dir: "/media/card", Total: 5, Files: []app.UniqueFile{
		{Path: "/media/card/DCIM/IMG_1.JPG", Reason: "no other file has its bytes"}}}
	u := newTestUI(t, eng)
	u.checkWipe("/media/card")
	if !strings.Contains(overlayText(u.win), "Not safe to wipe yet") {
		t.Fatalf("no report: %q", overlayText(u.win))
	}
	escape := &fyne.KeyEvent{Name: fyne.KeyEscape}
	u.win.Canvas().OnTypedKey()(escape) // nothing focused: the window has the key
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Escape left the report open: %q", overlayText(u.win))
	}

	u.picker = (&fakePicker{err: errors.New("no portal")}).pick
	u.chooseWipeCheck()
	entry, ok := typedFolderOpen(u)
	if !ok {
		t.Fatalf("no typed-path dialog: %q", overlayText(u.win))
	}
	u.win.Canvas().Focus(entry)
	entry.TypedKey(escape) // as the driver gives it to the focused field
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("Escape left the folder dialog open: %q", overlayText(u.win))
	}
}
