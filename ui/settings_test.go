package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"shoebox/app"
)

func TestARefusedSettingKeepsTheChosenFolder(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	v := u.settings
	v.entries[0].SetText("0")    // workers: refused
	v.entries[5].SetText("lots") // near-duplicate distance: refused too
	dir := filepath.Join(t.TempDir(), "Family photos")
	u.startJob([]string{dir})
	if len(f.starts) != 0 {
		t.Fatal("a scan started with a refused setting")
	}
	dialog := overlayText(u.win)
	_, err := v.current()
	if err == nil || !strings.Contains(dialog, err.Error()) || !strings.Contains(v.status.Text, err.Error()) {
		t.Fatalf("the dialog and the banner must name the same error %v:\ndialog %q\nbanner %q", err, dialog, v.status.Text)
	}
	if !strings.Contains(err.Error(), "Workers") {
		t.Errorf("the first refused setting is not named: %v", err)
	}
	if got := u.recentFolders(); len(got) == 0 || got[0] != dir {
		t.Errorf("the folder was forgotten: recent %v", got)
	}
	if u.tabs.SelectedIndex() != tabSettings || !v.scanWaiting.Visible() || !v.scanWaiting.Disabled() ||
		v.scanWaiting.Text != "Scan Family photos" {
		t.Fatalf("Settings should offer the folder, disabled until corrected: %q shown %v disabled %v",
			v.scanWaiting.Text, v.scanWaiting.Visible(), v.scanWaiting.Disabled())
	}
	u.dismissTop()
	v.entries[0].SetText("2")
	if _, err := v.current(); err == nil || !strings.Contains(v.status.Text, err.Error()) {
		t.Errorf("the banner should name the next problem %v: %q", err, v.status.Text)
	}
	v.entries[5].SetText("8")
	if v.scanWaiting.Disabled() {
		t.Fatalf("corrected, the folder cannot be scanned: %q", v.status.Text)
	}
	test.Tap(v.scanWaiting)
	if len(f.starts) != 1 || f.starts[0][0] != dir || f.settings[0].Workers != 2 {
		t.Fatalf("starts %v with %+v", f.starts, f.settings)
	}
	if v.scanWaiting.Visible() {
		t.Error("the folder is still offered once scanned")
	}
}

func TestMaxPixelsAndFileTimeoutAreSettings(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	v := u.settings
	var pixels, timeout int = -1, -1
	for i, st := range v.list {
		switch st.key {
		case "settings.max_pixels":
			pixels = i
		case "settings.file_timeout":
			timeout = i
		}
	}
	if pixels < 0 || timeout < 0 {
		t.Fatal("max pixels or file timeout is missing from Settings")
	}
	if v.entries[pixels].Text != "100" || v.entries[timeout].Text != "30" {
		t.Errorf("defaults shown: %q megapixels, %q s", v.entries[pixels].Text, v.entries[timeout].Text)
	}
	v.entries[pixels].SetText("250")
	v.entries[timeout].SetText("90")
	u.startJob([]string{t.TempDir()})
	if len(f.settings) != 1 || f.settings[0].MaxPixels != 250_000_000 || f.settings[0].FileTimeout != app.Duration(90e9) {
		t.Fatalf("the scan ran with %+v", f.settings)
	}
	v.entries[timeout].SetText("0")
	if !strings.Contains(v.status.Text, "file timeout") {
		t.Errorf("a zero timeout: %q", v.status.Text)
	}
}
