package ui

import (
	"fyne.io/fyne/v2"
)

// Preference keys shared by every library: how the window was left.
const (
	prefWinWidth  = "window.width"
	prefWinHeight = "window.height"
	// prefClosed is when the window was last closed. Writing it as the
	// window closes makes Fyne save the preferences then, which keeps Fyne
	// 2.7.1 from reading its own exit save back half-written ("Preferences
	// load error: EOF"): see closeWindow.
	prefClosed = "window.closed"
)

// defaultWindowSize is the window's size the first time it opens.
var defaultWindowSize = fyne.NewSize(1100, 720)

// libraryPath is the path of the library an engine works on, when it says.
func libraryPath(eng Engine) string {
	if p, ok := eng.(interface{ Path() string }); ok {
		return p.Path()
	}
	return ""
}

// libKey is the preference key of one library's choice: recent folders and
// scan settings are kept per library, keyed by the library's path.
func (u *UI) libKey(key string) string {
	if u.library == "" {
		return key
	}
	return "library " + u.library + " " + key
}

// adoptSharedPrefs gives a library that has no choices of its own yet the
// ones every library shared before they were kept per library, once.
func (u *UI) adoptSharedPrefs() {
	done := u.libKey("adopted_shared")
	if u.library == "" || u.prefs.Bool(done) {
		return
	}
	if l := u.prefs.StringList(prefRecent); len(l) > 0 && len(u.prefs.StringList(u.libKey(prefRecent))) == 0 {
		u.prefs.SetStringList(u.libKey(prefRecent), l)
	}
	for _, st := range settingsList() {
		if v := u.prefs.String(st.key); v != "" && u.prefs.String(u.libKey(st.key)) == "" {
			u.prefs.SetString(u.libKey(st.key), v)
		}
	}
	u.prefs.SetBool(done, true)
}

// savedWindowSize is the size the window had when it was last closed.
func savedWindowSize(p fyne.Preferences) fyne.Size {
	w, h := p.Float(prefWinWidth), p.Float(prefWinHeight)
	if w < 200 || h < 150 {
		return defaultWindowSize
	}
	return fyne.NewSize(float32(w), float32(h))
}

// closeWindow remembers the window's size, then closes it. Fyne offers no
// way to read or set a window's position, so the window manager places it.
func (u *UI) closeWindow() {
	if s := u.win.Canvas().Size(); s.Width > 0 && s.Height > 0 {
		u.prefs.SetFloat(prefWinWidth, float64(s.Width))
		u.prefs.SetFloat(prefWinHeight, float64(s.Height))
	}
	// Fyne saves its own preferences once more as the app stops, truncating
	// the file first, although the window keeps its own elsewhere
	// (prefstore.go). Once its loop has stopped, its file watcher reads the
	// file at once on its own goroutine and, unless a save happened within
	// the last 100 ms, finds it empty: "Preferences load error: EOF". A
	// change to Fyne's preferences now saves them now, and the exit save
	// falls in that window.
	fynePrefs(u.app).SetString(prefClosed, u.now().UTC().Format("2006-01-02T15:04:05.000Z"))
	u.win.Close()
}
