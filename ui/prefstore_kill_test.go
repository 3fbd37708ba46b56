//go:build unix

package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

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
