package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/store"
)

// readingLibrary is a fake library that also records the reads the window
// makes of its job records, and whether it was closed.
type readingLibrary struct {
	*fakeEngine
	closed int
}

func (l *readingLibrary) Jobs() ([]store.Job, error) {
	l.record("jobs")
	return l.fakeEngine.Jobs()
}

func (l *readingLibrary) Interrupted() ([]store.Job, error) {
	l.record("interrupted")
	return l.fakeEngine.Interrupted()
}

func (l *readingLibrary) Runs() ([]app.RunSummary, error) {
	l.record("runs")
	return l.fakeEngine.Runs()
}

func (l *readingLibrary) Close() error { l.closed++; return nil }

// queuedStartup is a startup whose work off the UI goroutine waits in a
// queue until the test runs it; fyne.Do runs inline.
type queuedStartup struct {
	*startup
	spawned          // the queue (drain runs it)
	opened  []string // the paths open was asked for
}

func newQueuedStartup(t *testing.T, a fyne.App, lib library, err error) *queuedStartup {
	t.Helper()
	q := &queuedStartup{}
	q.startup = newStartup(a, func(path string) (library, error) {
		q.opened = append(q.opened, path)
		return lib, err
	})
	q.do = func(f func()) { f() }
	q.spawn = func(f func()) { q.fns = append(q.fns, f) }
	return q
}

func TestTheWindowShowsBeforeTheLibraryOpensAndItsViewsAreBuilt(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFake()
	f.jobs = []store.Job{{ID: 2, Kind: store.KindScan, Status: store.StateCompleted, ProgressTotal: 6}}
	f.files[2] = filesFixture()
	lib := &readingLibrary{fakeEngine: f}
	q := newQueuedStartup(t, a, lib, nil)
	q.win.Show()
	q.begin()
	if len(q.opened) != 0 {
		t.Fatalf("the library was opened before the window showed: %v", q.opened)
	}
	if got := joined(q.win.Content()); got != "Opening your library…" {
		t.Fatalf("the window shows %q while the library opens", got)
	}

	q.fns[0]() // the library opens, and the views are built in the same window
	q.fns = q.fns[1:]
	tabs, ok := q.win.Content().(*container.AppTabs)
	if !ok || len(tabs.Items) != 5 {
		t.Fatalf("the window shows %T once the library is open, not the five views", q.win.Content())
	}
	if calls := lib.Calls(); len(calls) != 0 {
		t.Errorf("building the window read the library on the UI goroutine: %v", calls)
	}
	// fyne.Do runs inline here: the pump's flushes would run on its own
	// goroutine beside the queued work, which the real driver keeps on the
	// UI goroutine. The pump is stopped first (finish stops it again).
	q.stop()
	q.drain() // the start-up reads, off the UI goroutine
	calls := strings.Join(lib.Calls(), ";")
	if !strings.Contains(calls, "interrupted") || !strings.Contains(calls, "files 2") {
		t.Errorf("the start-up reads did not find the latest scan: %v", calls)
	}
	if q.startup.lib != library(lib) {
		t.Errorf("the window does not hold the library it opened")
	}
	q.win.Close()
	if status := q.finish(); status != 0 || lib.closed != 1 {
		t.Errorf("closing: status %d, library closed %d times", status, lib.closed)
	}
}

func TestALockedOrDamagedLibraryReplacesTheOpeningWindowWithOneThatSaysSo(t *testing.T) {
	for _, c := range []struct {
		err  error
		says string
	}{
		{fmt.Errorf("opening /tmp/x.db: %w", app.ErrLibraryLocked), "Shoebox is already open"},
		{&store.DamagedError{Path: filepath.Join(t.TempDir(), "library.db"), Detail: "cut short"}, "Your library is damaged"},
	} {
		a := test.NewTempApp(t)
		q := newQueuedStartup(t, a, nil, c.err)
		q.win.Show()
		q.begin()
		q.drain()
		var told fyne.Window
		for _, w := range a.Driver().AllWindows() {
			if w == q.win {
				t.Fatalf("%v: the opening window stays open", c.err)
			}
			if strings.Contains(joined(w.Content()), c.says) {
				told = w
			}
		}
		if told == nil {
			t.Fatalf("%v: no window says %q", c.err, c.says)
		}
		told.Close()
		if status := q.finish(); status != 1 {
			t.Errorf("%v: status %d when no library could be opened", c.err, status)
		}
	}
}

func TestALibraryThatOpensAfterTheWindowClosedIsClosed(t *testing.T) {
	a := test.NewTempApp(t)
	lib := &readingLibrary{fakeEngine: newFake()}
	q := newQueuedStartup(t, a, lib, nil)
	before := len(a.Driver().AllWindows())
	q.win.Show()
	q.begin()
	q.win.Close() // the person closed the window while the library opened
	status := q.finish()
	q.drain()
	if status != 1 || lib.closed != 1 {
		t.Errorf("status %d, library closed %d times", status, lib.closed)
	}
	if len(a.Driver().AllWindows()) != before-1 {
		t.Errorf("a window was built after the app stopped")
	}
}
