package ui

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

func TestX11DisplayIsCheckedBeforeGLFWPanics(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("unix", filepath.Join(dir, "X5"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, c := range []struct {
		display string
		ok      bool
	}{
		{"", false},
		{"garbage", false},
		{":x", false},
		{":5", true},
		{":5.0", true},
		{"unix:5", true},
		{":6", false},
		{"127.0.0.1:93", false}, // nothing listens on port 6093
	} {
		err := x11Display(c.display, dir)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, errNoDisplay)) {
			t.Errorf("DISPLAY=%q: %v", c.display, err)
		}
	}
	msg := noDisplayMessage(x11Display("", dir))
	if !strings.Contains(msg, "no display") || !strings.Contains(msg, "shoebox scan") || strings.Count(msg, ". ") > 2 {
		t.Errorf("message %q", msg)
	}
}
