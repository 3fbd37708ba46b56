package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"shoebox/app"
	"shoebox/assets"
)

// AppID is the application ID; FyneApp.toml carries the same.
const AppID = "app.shoebox.Shoebox"

// Run opens the window and returns the process exit status when it closes.
// The window shows before the library opens and before its views are built
// (startup.go): at start-up nothing that grows with the library, and nothing
// but the window itself, stands between the person and the window.
func Run() int {
	if err := displayProblem(); err != nil {
		fmt.Fprintln(os.Stderr, noDisplayMessage(err))
		return 1
	}
	a := withOwnPrefs(fyneapp.NewWithID(AppID))
	a.SetIcon(assets.Icon())
	a.Settings().SetTheme(newTheme())
	s := newStartup(a, func(path string) (library, error) {
		l, err := app.OpenLibraryWith(path, libraryOptions())
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return l, nil
	})
	s.win.Show()
	s.begin()
	a.Run()
	return s.finish()
}

// prefsApp is the Fyne app with the window's preferences in a file of its
// own, saved atomically (prefstore.go).
type prefsApp struct {
	fyne.App
	prefs *filePrefs
}

func (a prefsApp) Preferences() fyne.Preferences { return a.prefs }

// withOwnPrefs gives the app the window's own preferences, beside Fyne's
// in its storage folder, adopting Fyne's the first time.
func withOwnPrefs(a fyne.App) fyne.App {
	root := a.Storage().RootURI().Path()
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	return prefsApp{App: a, prefs: openFilePrefs(filepath.Join(root, prefsFileName), filepath.Join(root, "preferences.json"), logf)}
}

// fynePrefs is Fyne's own preferences of the app, under its own ones.
func fynePrefs(a fyne.App) fyne.Preferences {
	if p, ok := a.(prefsApp); ok {
		return p.App.Preferences()
	}
	return a.Preferences()
}

// libraryOptions are the engine's options for the window's library.
func libraryOptions() app.LibraryOptions {
	return app.LibraryOptions{
		Purpose: "the Shoebox window",
		// Idle for 3 s, the window lets `shoebox report` and `jobs` read the
		// library from a terminal (issue 14); a job keeps the lock while it
		// runs.
		ReleaseWhenIdle: 3 * time.Second,
		// Duplicates is what the person looks at after a scan or a run: its
		// groups are found before the job is seen to end, and kept.
		FindDuplicatesAfterJob: true,
	}
}
