package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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

// typedFolderOpen says whether Shoebox's own folder dialog (the fallback)
// is the top overlay, and returns its path entry.
func typedFolderOpen(u *UI) (*appEntry, bool) {
	top := u.win.Canvas().Overlays().Top()
	if top == nil || findButton(top, "Use this folder") == nil || findButton(top, "Browse…") == nil {
		return nil, false
	}
	var entry *appEntry
	eachVisible(top, func(o fyne.CanvasObject) bool {
		if e, ok := o.(*appEntry); ok && entry == nil {
			entry = e
		}
		return entry == nil
	})
	return entry, entry != nil
}

// When the system's chooser cannot be used, a path can be typed or pasted
// (Fyne's dialog takes none): checked in words, and chosen once it is a
// folder. Browse still offers Fyne's dialog.
func TestChooseFolderFallsBackToATypedPath(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	pics := filepath.Join(home, "Pictures", "Été 2024")
	if err := os.MkdirAll(pics, 0o755); err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(home, "Pictures", "a.jpg")
	if err := os.WriteFile(photo, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := newFake()
	u := newTestUI(t, f)
	u.picker = (&fakePicker{err: errors.New("no portal")}).pick
	u.chooseFolder()
	entry, ok := typedFolderOpen(u)
	if !ok {
		t.Fatalf("no typed-path dialog after the system's chooser failed; dialog %q", overlayText(u.win))
	}
	if !strings.Contains(overlayText(u.win), "Choose a folder to scan") {
		t.Errorf("the dialog does not say what the folder is for: %q", overlayText(u.win))
	}
	if entry.Text != "~/Pictures" {
		t.Errorf("the path starts as %q, want ~/Pictures", entry.Text)
	}
	top := u.win.Canvas().Overlays().Top()
	for _, c := range []struct{ typed, want string }{
		{"~/Pictures/nowhere", "There is no folder at ~/Pictures/nowhere"},
		{"~/Pictures/a.jpg", "is a file, not a folder"},
		{"Pictures", "is not a whole path"},
	} {
		test.Type(entry, "") // focus
		entry.SetText(c.typed)
		test.Tap(findButton(top, "Use this folder"))
		if len(f.starts) != 0 || !strings.Contains(overlayText(u.win), c.want) {
			t.Errorf("%q: starts %v, dialog %q, want it to say %q", c.typed, f.starts, overlayText(u.win), c.want)
		}
	}
	entry.SetText("~/Pictures/Été 2024/")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if len(f.starts) != 1 || strings.Join(f.starts[0], ",") != pics {
		t.Fatalf("starts = %v, want one job over %s", f.starts, pics)
	}
	if _, open := typedFolderOpen(u); open {
		t.Error("the dialog stayed open after its folder was chosen")
	}

	u.clearJob()
	u.chooseFolder()
	top = u.win.Canvas().Overlays().Top()
	test.Tap(findButton(top, "Browse…"))
	if !fyneFolderDialogOpen(u) {
		t.Fatalf("Browse opened no Fyne folder dialog; dialog %q", overlayText(u.win))
	}
	if len(f.starts) != 1 {
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

// A destination is proposed beside the folder last scanned, not in it:
// organising ~/Pictures/phone into itself is refused, and the chooser
// started there.
func TestADestinationStartsBesideTheLastFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	phone := filepath.Join(home, "Pictures", "phone")
	if err := os.MkdirAll(phone, 0o755); err != nil {
		t.Fatal(err)
	}
	u := newTestUI(t, newFake())
	u.addRecent([]string{phone})
	p := &fakePicker{}
	u.picker = p.pick
	u.askFolder("Choose where to organise the files to", destinationFolder, func(string) {})
	u.askFolder("Choose a folder to scan", existingFolder, func(string) {})
	if len(p.asks) != 2 || p.asks[0].Start != filepath.Dir(phone) || p.asks[1].Start != phone {
		t.Fatalf("the choosers start in %+v; want %s for the destination, %s to scan", p.asks, filepath.Dir(phone), phone)
	}
	u.typedFolderDialog("Choose where to organise the files to", destinationFolder, func(string) {})
	entry, ok := typedFolderOpen(u)
	if !ok {
		t.Fatalf("no typed-path dialog: %q", overlayText(u.win))
	}
	if entry.Text != "~/Pictures" {
		t.Errorf("the typed destination starts as %q", entry.Text)
	}
}

// Organise's destination may be typed before it exists (the run makes
// it); the start folder is selected, so typing replaces it.
func TestATypedDestinationMayBeNew(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.Mkdir(filepath.Join(home, "Pictures"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, u, form := organiseFixture(t)
	u.picker = (&fakePicker{err: errors.New("no portal")}).pick
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Choose…"))
	entry, ok := typedFolderOpen(u)
	if !ok {
		t.Fatalf("no typed-path dialog over Organise; dialog %q", overlayText(u.win))
	}
	test.Type(entry, "~/Pictures/Library 2024")
	if entry.Text != "~/Pictures/Library 2024" {
		t.Fatalf("typing gave %q: the start folder was not replaced", entry.Text)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Use this folder"))
	want := filepath.Join(home, "Pictures", "Library 2024")
	if form.dest != want {
		t.Fatalf("destination %q, want %s (dialog %q)", form.dest, want, overlayText(u.win))
	}
	if _, err := checkDestination("Library"); err == nil {
		t.Error("a relative destination was taken")
	}
	file := filepath.Join(home, "Pictures", "a.jpg")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkDestination(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("a file as destination: %v", err)
	}
	if _, err := checkFolder(want); err == nil {
		t.Error("a folder that does not exist was taken to scan")
	}
}
