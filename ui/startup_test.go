package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shoebox/store"
)

func TestTheLatestScanOpensAtStart(t *testing.T) {
	f := newFake()
	f.jobs = []store.Job{
		{ID: 1, Kind: store.KindScan, Status: store.StateCompleted, ProgressTotal: 4},
		{ID: 2, Kind: store.KindScan, Status: store.StateCompleted, ProgressTotal: 6},
		{ID: 3, Kind: store.KindDups, Status: store.StateCompleted, ProgressTotal: 2}, // a change run
		{ID: 4, Kind: store.KindScan, Status: store.StateCancelled},                   // cancelled while listing: nothing to show
	}
	f.files[2] = filesFixture()
	u := newTestUI(t, f)
	u.checkInterrupted() // as start does
	if u.scan.job.Visible() {
		t.Error("the Scan view should stay on its empty state")
	}
	u.tabs.SelectIndex(tabFiles)
	if u.files.loaded != 2 || len(u.files.rows) != 6 || u.files.placehold.Visible() {
		t.Fatalf("Files shows job %d with %d rows (placeholder shown %v)", u.files.loaded, len(u.files.rows), u.files.placehold.Visible())
	}
	u.tabs.SelectIndex(tabDuplicates)
	if !strings.Contains(strings.Join(f.Calls(), ";"), "dups 2") || u.dups.place.Visible() {
		t.Errorf("Duplicates did not open job 2: %v", f.Calls())
	}
}

// libraryFake is a fake engine that names its library, as *app.Library does.
type libraryFake struct {
	*fakeEngine
	path string
}

func (l libraryFake) Path() string { return l.path }

func TestRecentFoldersAndSettingsAreKeptPerLibrary(t *testing.T) {
	a := test.NewTempApp(t)
	a.Preferences().SetStringList(prefRecent, []string{"/shared/before"}) // as every library shared them
	a.Preferences().SetString("settings.workers", "5")
	open := func(path string) *UI {
		u := newUI(a, libraryFake{newFake(), path})
		u.do = func(fn func()) { fn() }
		u.spawn = func(fn func()) { fn() }
		return u
	}
	one := open("/libraries/one.db")
	if got := one.recentFolders(); len(got) != 1 || got[0] != "/shared/before" {
		t.Fatalf("the first library should adopt the shared recent folders: %v", got)
	}
	dir := t.TempDir()
	one.startJob([]string{dir})
	one.settings.entries[0].SetText("3")
	one.win.Close()

	two := open("/libraries/two.db")
	defer two.win.Close()
	if got := two.recentFolders(); len(got) != 1 || got[0] != "/shared/before" {
		t.Errorf("another library sees %v", got)
	}
	if s, _ := two.settings.current(); s.Workers != 5 {
		t.Errorf("another library runs with %d workers", s.Workers)
	}
	again := open("/libraries/one.db")
	defer again.win.Close()
	if got := again.recentFolders(); len(got) != 2 || got[0] != dir {
		t.Errorf("the first library's recent folders: %v", got)
	}
	if s, _ := again.settings.current(); s.Workers != 3 {
		t.Errorf("the first library runs with %d workers", s.Workers)
	}
}

func TestTheWindowSizeIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	u := newUI(a, newFake())
	u.win.Resize(fyne.NewSize(1300, 850))
	u.askQuit() // nothing runs: the window closes
	again := newUI(a, newFake())
	defer again.win.Close()
	if got := again.win.Canvas().Size(); got != fyne.NewSize(1300, 850) {
		t.Errorf("the window reopens at %v", got)
	}
}
