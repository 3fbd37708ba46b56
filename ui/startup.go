package ui

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"shoebox/store"
)

// library is an engine the window opened and closes when it closes.
// *app.Library satisfies it; tests pass a fake.
type library interface {
	Engine
	Close() error
}

// startup shows the window first and fills it afterwards (issue 14: the
// window shows within 1 s, cold cache included, at 10k files as at 1M).
// The window appears saying the library is opening; the library opens off
// the UI goroutine (a cold open can take long when it has to walk the file,
// store/verified.go), and the views are built in the same window once it is
// open. Building every view takes as long again as showing the window on a
// machine drawing in software, so it never comes first.
type startup struct {
	a   fyne.App
	win fyne.Window // says "Opening your library…" until the views are built in it
	// open opens the library at path ("" = the default one).
	open func(path string) (library, error)
	// do runs f on the UI goroutine (fyne.Do), spawn off it (go f());
	// tests replace both.
	do, spawn func(f func())

	mu     sync.Mutex
	closed bool    // the app has stopped: a library opened now is closed at once
	lib    library // the library the main window shows, once open
	stop   func()  // stops the main window's pump
}

// newStartup makes the window, at its remembered size, saying that the
// library is opening. It neither shows it nor opens the library (begin).
func newStartup(a fyne.App, open func(path string) (library, error)) *startup {
	s := &startup{a: a, open: open, do: fyne.Do, spawn: func(f func()) { go f() }, stop: func() {}}
	s.win = newMainWindow(a)
	opening := widget.NewLabel("Opening your library…")
	opening.Importance = widget.LowImportance
	s.win.SetContent(container.NewCenter(opening))
	return s
}

// begin opens the library off the UI goroutine, then shows it in the
// window, or shows why it could not.
func (s *startup) begin() {
	s.spawn(func() {
		l, err := s.open("")
		s.do(func() { s.opened(l, err) })
	})
}

// opened builds the views in the window on the library just opened, or
// replaces the window with one that explains, and for a damaged library
// offers to repair it. UI goroutine, or the opening goroutine once the app
// has stopped (Fyne then runs fyne.Do inline).
func (s *startup) opened(l library, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		if l != nil {
			l.Close()
		}
		return
	}
	var damage *store.DamagedError
	switch {
	case errors.As(err, &damage):
		// Offer to recover or restore; the repaired library then opens in
		// a main window of its own (on the UI goroutine, from the damaged
		// window).
		damagedWindow(s.a, err, repairFor(damage.Path, func(path string) error {
			l, err := s.open(path)
			if err != nil {
				return err
			}
			fyne.Do(func() {
				s.mu.Lock()
				defer s.mu.Unlock()
				if s.closed {
					l.Close()
					return
				}
				s.show(newMainWindow(s.a), l).win.Show()
			})
			return nil
		})).Show()
		s.win.Close()
	case err != nil:
		problemWindow(s.a, err).Show()
		s.win.Close()
	default:
		s.show(s.win, l)
	}
}

// show builds the main window's views in w on an open library. s.mu is
// held, so that finish closes the library shown, or it is never shown.
func (s *startup) show(w fyne.Window, l library) *UI {
	u := newUIIn(s.a, w, l)
	u.do, u.spawn = s.do, s.spawn
	s.lib, s.stop = l, u.start()
	u.win.SetMaster()
	return u
}

// finish closes the library once the app has stopped, and returns the
// process's exit status: 1 when no library was shown or it failed to close.
func (s *startup) finish() int {
	s.mu.Lock()
	s.closed = true
	lib, stop := s.lib, s.stop
	s.mu.Unlock()
	stop()
	if lib == nil {
		return 1
	}
	if err := lib.Close(); err != nil {
		return 1
	}
	return 0
}
