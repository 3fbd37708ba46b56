package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestATypedPathIsScannedOrExplained(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	p := u.scan.typed
	dir := t.TempDir()
	photo := filepath.Join(dir, "IMG_0001.jpg")
	if err := os.WriteFile(photo, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !p.scan.Disabled() {
		t.Error("Scan is enabled with nothing typed")
	}
	for _, c := range []struct{ typed, says string }{
		{filepath.Join(dir, "Nope"), "There is no folder at"},
		{photo, "is a file, not a folder"},
		{"Pictures/2019", "is not a whole path"},
	} {
		p.entry.SetText(c.typed)
		test.Tap(p.scan)
		if !p.err.Visible() || !strings.Contains(p.err.Text, c.says) || !strings.HasSuffix(p.err.Text, ".") {
			t.Errorf("%q: says %q (shown %v), want %q", c.typed, p.err.Text, p.err.Visible(), c.says)
		}
		if len(f.starts) != 0 {
			t.Fatalf("%q started a scan", c.typed)
		}
	}
	p.entry.SetText(`"file://` + dir + `"`) // pasted from a file manager, with quotes
	if p.err.Visible() {
		t.Error("the error stays while the path is being corrected")
	}
	test.Tap(p.scan)
	if len(f.starts) != 1 || f.starts[0][0] != dir {
		t.Fatalf("starts %v, want %s", f.starts, dir)
	}
}

func TestATypedPathMayStartAtHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, "Pictures"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := checkFolder(" ~/Pictures/ ")
	if err != nil || got != filepath.Join(home, "Pictures") {
		t.Errorf("~/Pictures is %q, %v", got, err)
	}
}
