package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

func TestEmptyStateInvitesADrop(t *testing.T) {
	u := newTestUI(t, newFake())
	text := joined(u.win.Content())
	if !strings.Contains(text, "Drop a folder here") {
		t.Fatalf("empty state says %q", text)
	}
	if b := findButton(u.win.Content(), "Choose folder…"); b == nil || b.Disabled() {
		t.Fatal("no enabled Choose folder… button")
	}
	if u.win.Canvas().Focused() != u.scan.chooseBtn {
		t.Error("Choose folder… should have the keyboard focus in the empty state")
	}
	if u.scan.job.Visible() {
		t.Error("the job view shows with no job")
	}
}

func TestDropFoldersStartsOneJob(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	a, b := t.TempDir(), t.TempDir()
	u.handleDrop(fyne.Position{}, []fyne.URI{storage.NewFileURI(a), storage.NewFileURI(b)})

	if len(f.starts) != 1 || strings.Join(f.starts[0], ",") != a+","+b {
		t.Fatalf("starts = %v, want one job over %s and %s", f.starts, a, b)
	}
	if u.jobID != 1 || !u.scan.job.Visible() || u.scan.empty.Visible() {
		t.Fatalf("the job view should show job 1 (jobID %d)", u.jobID)
	}
	if u.win.Canvas().Focused() != u.scan.pauseBtn {
		t.Error("the keyboard focus should move to Pause")
	}
	if got := u.recentFolders(); len(got) != 2 || got[0] != a {
		t.Errorf("recent folders = %v", got)
	}
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a dialog showed for a folder drop: %q", overlayText(u.win))
	}
}

func TestDropFilesExplainsItself(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	file := filepath.Join(t.TempDir(), "IMG_0001.jpg")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	u.handleDrop(fyne.Position{}, []fyne.URI{storage.NewFileURI(file)})

	if len(f.starts) != 0 {
		t.Fatalf("a file drop started a job: %v", f.starts)
	}
	msg := overlayText(u.win)
	if !strings.Contains(msg, "IMG_0001.jpg") || !strings.Contains(msg, "folder") {
		t.Fatalf("the explanation is %q", msg)
	}
}

func TestDropFolderAndFileStartsAndExplains(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	u.handleDrop(fyne.Position{}, []fyne.URI{storage.NewFileURI(dir), storage.NewFileURI(file)})
	if len(f.starts) != 1 || len(f.starts[0]) != 1 || f.starts[0][0] != dir {
		t.Fatalf("starts = %v", f.starts)
	}
	if msg := overlayText(u.win); !strings.Contains(msg, "notes.txt") {
		t.Fatalf("the file was ignored silently: %q", msg)
	}
}

func TestDropWhileRunningDoesNotStartASecondJob(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.handleDrop(fyne.Position{}, []fyne.URI{storage.NewFileURI(t.TempDir())})
	if len(f.starts) != 1 {
		t.Fatalf("starts = %v", f.starts)
	}
	if !strings.Contains(overlayText(u.win), "one scan or change run at a time") {
		t.Fatalf("dialog = %q", overlayText(u.win))
	}
}

func TestStartErrorIsShownAndEmptyStateComesBack(t *testing.T) {
	f := newFake()
	f.startErr = errors.New("the folder cannot be read")
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	if !u.scan.empty.Visible() || u.jobID != 0 {
		t.Fatal("the empty state should come back")
	}
	if !strings.Contains(overlayText(u.win), "cannot be read") {
		t.Fatalf("dialog = %q", overlayText(u.win))
	}
}

func TestRecentFoldersAreOffered(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	dir := t.TempDir()
	u.addRecent([]string{dir})
	u.clearJob()
	b := findButton(u.scan.empty, homeShort(dir))
	if b == nil {
		t.Fatalf("no button for %s in %q", dir, joined(u.scan.empty))
	}
	// Keyboard: Tab from Choose folder… reaches the typed path (its Scan
	// is disabled while it is empty), the safe-to-wipe question, then
	// Organise…, then the recent folder.
	u.win.Canvas().Focus(u.scan.chooseBtn)
	u.win.Canvas().FocusNext()
	if u.win.Canvas().Focused() != u.scan.typed.entry {
		t.Errorf("Tab from Choose folder… focuses %T, not the typed path", u.win.Canvas().Focused())
	}
	u.win.Canvas().FocusNext()
	if w, ok := u.win.Canvas().Focused().(*widget.Button); !ok || !strings.HasPrefix(w.Text, "Is a card or folder safe to wipe") {
		t.Errorf("Tab from the typed path focuses %v, not the safe-to-wipe question", u.win.Canvas().Focused())
	}
	u.win.Canvas().FocusNext()
	if w, ok := u.win.Canvas().Focused().(*widget.Button); !ok || !strings.HasPrefix(w.Text, "Organise into a dated library") {
		t.Errorf("a second Tab focuses %v, not Organise…", u.win.Canvas().Focused())
	}
	u.win.Canvas().FocusNext()
	if u.win.Canvas().Focused() != b {
		t.Errorf("a third Tab focuses %v, not the recent folder", u.win.Canvas().Focused())
	}
	test.Tap(b)
	if len(f.starts) != 1 || f.starts[0][0] != dir {
		t.Fatalf("starts = %v", f.starts)
	}
}

func TestInterruptedJobIsOffered(t *testing.T) {
	home, _ := os.UserHomeDir()
	job := store.Job{ID: 7, Roots: []string{filepath.Join(home, "Pictures")}, Status: store.StatePaused,
		Interrupted: true, Listed: true, ProgressCurrent: 3412, ProgressTotal: 10000}

	for _, button := range []string{"Resume", "Discard"} {
		t.Run(button, func(t *testing.T) {
			f := newFake()
			f.interrupted = []store.Job{job}
			u := newTestUI(t, f)
			u.checkInterrupted()
			want := "A scan of ~/Pictures stopped at 3,412 of 10,000."
			if home == "" {
				want = "stopped at 3,412 of 10,000."
			}
			if text := joined(u.scan.interrupted); !strings.Contains(text, want) {
				t.Fatalf("offer = %q, want %q", text, want)
			}
			test.Tap(findButton(u.scan.interrupted, button))
			calls := strings.Join(f.Calls(), ";")
			switch button {
			case "Resume":
				if !strings.Contains(calls, "resume 7") || u.jobID != 7 || !u.scan.job.Visible() {
					t.Fatalf("calls %q, jobID %d", calls, u.jobID)
				}
			case "Discard":
				if !strings.Contains(calls, "discard 7") || u.jobID != 0 {
					t.Fatalf("calls %q, jobID %d", calls, u.jobID)
				}
			}
			if len(u.scan.interrupted.Objects) != 0 {
				t.Error("the offer stays after it was answered")
			}
		})
	}
}

func TestPausedJobsAreOfferedToo(t *testing.T) {
	f := newFake()
	crashed := store.Job{ID: 7, Roots: []string{"/a"}, Status: store.StatePaused, Interrupted: true, ProgressCurrent: 1, ProgressTotal: 9}
	f.interrupted = []store.Job{crashed}
	f.jobs = []store.Job{
		{ID: 9, Roots: []string{"/b"}, Status: store.StatePaused, ProgressCurrent: 5, ProgressTotal: 9},
		{ID: 8, Roots: []string{"/c"}, Status: store.StateCompleted},
		crashed,
	}
	u := newTestUI(t, f)
	u.checkInterrupted()
	text := joined(u.scan.interrupted)
	if len(u.scan.interrupted.Objects) != 2 || !strings.Contains(text, "/a stopped at 1 of 9") ||
		!strings.Contains(text, "/b is paused at 5 of 9") || strings.Contains(text, "/c") {
		t.Fatalf("%d offers: %q", len(u.scan.interrupted.Objects), text)
	}
}

func TestFilesTabOrderStartsWithTheFilters(t *testing.T) {
	u := newTestUI(t, newFake())
	u.tabs.SelectIndex(tabFiles)
	c := u.win.Canvas()
	c.Unfocus()
	c.FocusNext()
	if c.Focused() != u.files.confSel {
		t.Fatalf("first focus in Files: %T", c.Focused())
	}
}

func TestLockedLibraryGetsADialogWindow(t *testing.T) {
	a := test.NewTempApp(t)
	w := problemWindow(a, fmt.Errorf("opening /tmp/x.db: %w", app.ErrLibraryLocked))
	defer w.Close()
	text := joined(w.Content())
	if !strings.Contains(text, "already open") || !strings.Contains(text, "another Shoebox window") {
		t.Fatalf("locked window says %q", text)
	}
	other := joined(problemWindow(a, errors.New("permission denied")).Content())
	if strings.Contains(other, "already open") || !strings.Contains(other, "permission denied") {
		t.Fatalf("a library that cannot be opened says %q", other)
	}
	if findButton(w.Content(), "Close") == nil {
		t.Fatal("no Close button")
	}
	held := joined(problemWindow(a, &app.LockedError{Path: "/tmp/x.db", Holder: "`shoebox scan` running job 12 (process 4567)",
		Err: app.ErrLibraryLocked}).Content())
	if !strings.Contains(held, "in use by `shoebox scan` running job 12") {
		t.Fatalf("a library held by a scan says %q", held)
	}
}

func TestShortcutsReachTheActions(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	f.emit(running(1, 10, 100, 0))
	u.flush()
	sc := u.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) })
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault})
	if !contains(f.Calls(), "pause 1") {
		t.Fatalf("Ctrl+P did not pause: %v", f.Calls())
	}
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key3, Modifier: fyne.KeyModifierShortcutDefault})
	if u.tabs.SelectedIndex() != tabDuplicates {
		t.Fatalf("Ctrl+3 selected tab %d", u.tabs.SelectedIndex())
	}
	sc.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyPeriod, Modifier: fyne.KeyModifierShortcutDefault})
	if u.scan.confirm == nil {
		t.Fatal("Ctrl+. did not ask to cancel")
	}
}

// The window's shortcuts work while the cursor is in a field: Fyne gives
// a shortcut to the focused entry, which dropped those it did not know.
func TestShortcutsReachTheWindowFromAField(t *testing.T) {
	u := newTestUI(t, newFake())
	u.tabs.SelectIndex(tabFiles)
	u.win.Canvas().Focus(u.files.search)
	test.Type(u.files.search, "IMG")
	focused, ok := u.win.Canvas().Focused().(fyne.Shortcutable)
	if !ok || focused != fyne.Shortcutable(u.files.search) {
		t.Fatalf("the filter is not focused: %T", u.win.Canvas().Focused())
	}
	// As the driver does with a focused widget that takes shortcuts.
	focused.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key4, Modifier: fyne.KeyModifierShortcutDefault})
	if u.tabs.SelectedIndex() != tabHistory {
		t.Errorf("Ctrl+4 in Files' filter selected tab %d", u.tabs.SelectedIndex())
	}
	if u.files.search.Text != "IMG" {
		t.Errorf("the filter reads %q after the shortcut", u.files.search.Text)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
