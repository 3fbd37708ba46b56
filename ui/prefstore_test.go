package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
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

// TestFilePrefsCrashChild saves preferences in a child process and kills
// itself with SIGKILL at one stage of one save, for the test below.
func TestFilePrefsCrashChild(t *testing.T) {
	path := os.Getenv("SHOEBOX_PREFS_CRASH")
	if path == "" {
		t.Skip("run by TestFilePrefsSurviveKill9 in a child process")
	}
	at, _ := strconv.Atoi(os.Getenv("SHOEBOX_PREFS_AT"))
	stages := 0
	p := openFilePrefs(path, "", func(string, ...any) {})
	p.step = func(string) {
		if stages++; stages == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	for i := 1; i <= 4; i++ {
		p.SetStringList("recent", strings.Fields(strings.Repeat("/folder ", i)))
		p.SetInt("saves", i)
	}
	fmt.Printf("stages %d\n", stages)
	os.Exit(0)
}

// A process killed at every stage of a save leaves the preferences as they
// were before it or after it, whole: never empty, never half written.
func TestFilePrefsSurviveKill9(t *testing.T) {
	child := func(path string, at int) (killed bool, out string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFilePrefsCrashChild$")
		cmd.Env = append(os.Environ(), "SHOEBOX_PREFS_CRASH="+path, "SHOEBOX_PREFS_AT="+strconv.Itoa(at))
		b, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
				return true, string(b)
			}
		}
		if err != nil {
			t.Fatalf("child at %d: %v\n%s", at, err, b)
		}
		return false, string(b)
	}
	seed := func(t *testing.T) string {
		path := filepath.Join(t.TempDir(), prefsFileName)
		if err := os.WriteFile(path, []byte(`{"window.width":1280}`), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	_, out := child(seed(t), 0)
	var stages int
	if _, err := fmt.Sscanf(out, "stages %d", &stages); err != nil || stages < 24 {
		t.Fatalf("a whole run: %q (%v)", out, err)
	}
	for at := 1; at <= stages; at++ {
		path := seed(t)
		if killed, _ := child(path, at); !killed {
			t.Fatalf("stage %d: the child was not killed", at)
		}
		data, err := os.ReadFile(path)
		values := map[string]any{}
		if err != nil || json.Unmarshal(data, &values) != nil {
			t.Fatalf("stage %d: the preferences are not whole: %q, %v", at, data, err)
		}
		var logged []string
		p := openFilePrefs(path, "", logTo(&logged))
		saves, recent := p.Int("saves"), len(p.StringList("recent"))
		if p.Float("window.width") != 1280 || len(logged) != 0 || (recent != saves && recent != saves+1) {
			t.Fatalf("stage %d: read back width %v, %d saves, %d recent folders, logged %q", at, p.Float("window.width"), saves, recent, logged)
		}
		if left, _ := filepath.Glob(path + ".*.tmp"); len(left) > 0 {
			t.Fatalf("stage %d: %d temporary files left after a restart", at, len(left))
		}
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
