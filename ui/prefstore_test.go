package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// logTo collects what filePrefs logs.
func logTo(lines *[]string) func(string, ...any) {
	return func(format string, args ...any) { *lines = append(*lines, fmt.Sprintf(format, args...)) }
}

// Every kind of value reads back the same after a restart, lists copied in
// and out, ints included (JSON has none).
func TestFilePrefsReadBackAfterARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", prefsFileName)
	var logged []string
	p := openFilePrefs(path, "", logTo(&logged))
	recent := []string{"/home/ann/Pictures", "/media/card"}
	p.SetStringList("recent", recent)
	recent[0] = "changed by the caller"
	p.SetFloat("window.width", 1280.5)
	p.SetInt("count", 42)
	p.SetIntList("sizes", []int{3, 1})
	p.SetBool("adopted", true)
	p.SetBoolList("flags", []bool{true, false})
	p.SetFloatList("ratios", []float64{0.5})
	p.SetString("settings.workers", "2")
	p.SetStringList("empty", nil)
	p.SetString("gone", "x")
	p.RemoveValue("gone")
	changed := 0
	p.AddChangeListener(func() { changed++ })
	p.SetString("settings.workers", "3")

	q := openFilePrefs(path, "", logTo(&logged))
	got := []any{q.StringList("recent"), q.Float("window.width"), q.Int("count"), q.IntList("sizes"), q.Bool("adopted"),
		q.BoolList("flags"), q.FloatList("ratios"), q.String("settings.workers"), q.StringList("empty"),
		q.StringWithFallback("gone", "none"), q.IntWithFallback("missing", 7), q.Int("settings.workers")}
	want := []any{[]string{"/home/ann/Pictures", "/media/card"}, 1280.5, 42, []int{3, 1}, true,
		[]bool{true, false}, []float64{0.5}, "3", []string{}, "none", 7, 0}
	if !reflect.DeepEqual(got, want) || changed != 1 || len(logged) != 0 {
		t.Fatalf("read back %v\nwant %v\n(%d changes heard, logged %q)", got, want, changed, logged)
	}
}

// The first start adopts Fyne's own preferences (where earlier versions
// kept them) and keeps them in its own file; a file that does not parse is
// said in words, and the window starts with its defaults.
func TestFilePrefsAdoptFynesAndSurviveAnUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	fyneFile := filepath.Join(dir, "preferences.json")
	if err := os.WriteFile(fyneFile, []byte(`{"window.width":1400,"recent":["/a","/b"],"library /x.db settings.workers":"4"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, prefsFileName)
	var logged []string
	p := openFilePrefs(path, fyneFile, logTo(&logged))
	if p.Float("window.width") != 1400 || !reflect.DeepEqual(p.StringList("recent"), []string{"/a", "/b"}) ||
		p.String("library /x.db settings.workers") != "4" {
		t.Fatalf("adopted: %v", p.values)
	}
	// Fyne's file emptied (as its save does when killed): ours still holds them.
	if err := os.WriteFile(fyneFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if q := openFilePrefs(path, fyneFile, logTo(&logged)); q.Float("window.width") != 1400 || len(logged) != 0 {
		t.Fatalf("after Fyne's file was emptied: %v, logged %q", q.values, logged)
	}
	if err := os.WriteFile(path, []byte(`{"window.wid`), 0o600); err != nil {
		t.Fatal(err)
	}
	q := openFilePrefs(path, fyneFile, logTo(&logged))
	if q.Float("window.width") != 0 || len(logged) != 1 || !strings.Contains(logged[0], "could not be read") {
		t.Fatalf("a half file: %v, logged %q", q.values, logged)
	}
	q.SetFloat("window.width", 900) // the next change replaces it whole
	if r := openFilePrefs(path, fyneFile, logTo(&logged)); r.Float("window.width") != 900 {
		t.Fatalf("after a change: %v", r.values)
	}
}

// The window keeps its size in its own preferences file: closed at one
// size, the next window over the same storage opens at it, and the file
// holds it.
func TestWindowSizeIsKeptInTheWindowsOwnPreferences(t *testing.T) {
	a := withOwnPrefs(test.NewTempApp(t))
	if _, ok := a.Preferences().(*filePrefs); !ok || fynePrefs(a) == a.Preferences() {
		t.Fatalf("the app's preferences are %T", a.Preferences())
	}
	u := newUIIn(a, newMainWindow(a), newFake())
	u.win.Resize(fyne.NewSize(1234, 777))
	u.closeWindow()

	path := filepath.Join(a.Storage().RootURI().Path(), prefsFileName)
	var logged []string
	if p := openFilePrefs(path, "", logTo(&logged)); p.Float(prefWinWidth) != 1234 || p.Float(prefWinHeight) != 777 {
		t.Fatalf("the file holds %v (logged %q)", p.values, logged)
	}
	again := prefsApp{App: a.(prefsApp).App, prefs: openFilePrefs(path, "", logTo(&logged))}
	if s := savedWindowSize(again.Preferences()); s != fyne.NewSize(1234, 777) {
		t.Fatalf("the next window opens at %v", s)
	}
}
