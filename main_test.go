package main

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"shoebox/internal/testproc"
)

// TestMain lets a test run this very binary as the shoebox command: with
// SHOEBOX_AS_MAIN set, the test binary is main with the arguments after
// "--". The package initialisation is the real one, Fyne's included.
func TestMain(m *testing.M) {
	if os.Getenv("SHOEBOX_AS_MAIN") == "1" {
		for i, a := range os.Args {
			if a == "--" {
				os.Args = append([]string{"shoebox"}, os.Args[i+1:]...)
				break
			}
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// shoebox runs the command with the given environment changes.
func shoebox(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	env = append([]string{"SHOEBOX_AS_MAIN=1", "SHOEBOX_DB=" + t.TempDir() + "/lib.db"}, env...)
	return testproc.Run(t, "", append([]string{"--"}, args...), env...)
}

// Under LANG=C.UTF-8 (containers, SSH) Fyne's init used to print three lines
// of "Fyne error: Error parsing user locale C" before every command.
func TestCommandsAreQuietUnderTheCLocale(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE="},
		{"LC_ALL=POSIX.UTF-8"},
	} {
		code, out, errOut := shoebox(t, env, "help")
		if code != 0 || !strings.Contains(out, "Usage") || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q", env, code, errOut)
		}
		code, _, errOut = shoebox(t, env, "jobs", "--json")
		if strings.Contains(errOut, "Fyne") {
			t.Errorf("%v: jobs: exit %d, stderr %q", env, code, errOut)
		}
	}
}

// Without a display the window says so in one sentence and names the CLI,
// instead of a GLFW panic and a goroutine dump.
func TestNoDisplaySaysSoInOneSentence(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the X11 display check is for Linux and the BSDs")
	}
	for _, display := range []string{"", ":987"} {
		code, _, errOut := shoebox(t, []string{"DISPLAY=" + display, "WAYLAND_DISPLAY="})
		if code != 1 || !strings.Contains(errOut, "no display") || !strings.Contains(errOut, "shoebox scan") ||
			strings.Contains(errOut, "goroutine") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("DISPLAY=%q: exit %d, stderr %q", display, code, errOut)
		}
	}
}
