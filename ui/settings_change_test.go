package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/media"
)

func TestOSCommandsNameTheFile(t *testing.T) {
	for _, how := range []openHow{openInViewer, showInFolder} {
		cmds := osCommands(how, "/photos/a b.jpg")
		if len(cmds) == 0 {
			t.Fatalf("no command for %v", how)
		}
		last := cmds[len(cmds)-1].args
		if how == openInViewer && last[len(last)-1] != "/photos/a b.jpg" {
			t.Errorf("open: %v", last)
		}
		if how == showInFolder && !strings.Contains(strings.Join(cmds[0].args, " "), "a%20b.jpg") && last[len(last)-1] != "/photos" {
			t.Errorf("reveal: %v", cmds)
		}
	}
}

func TestSettingsOrderTheKeeperRulesAndProtectFolders(t *testing.T) {
	f := newFake()
	f.ch.prefs = app.ChangePreferences{KeepRules: []string{"pixels"}, Action: "trash"}
	u := newTestUI(t, f)
	c := u.settings.change
	if !c.up[0].Disabled() || !c.action.Disabled() {
		t.Error("the choices can be changed before the library's are read")
	}
	c.load()
	text := joined(c.root)
	if !strings.Contains(text, "1. Most pixels\n") || !strings.Contains(text, "2. In a protected folder") {
		t.Errorf("rules not listed in the library's order:\n%s", text)
	}
	if c.action.Selected != actionChoices[1].label {
		t.Errorf("action shown %q, want the trash", c.action.Selected)
	}
	if !c.up[0].Disabled() || !c.down[len(c.down)-1].Disabled() {
		t.Error("the first rule cannot go up, the last cannot go down")
	}

	test.Tap(c.down[0]) // pixels below protected
	saved := f.ch.setPrefs[len(f.ch.setPrefs)-1]
	if saved.KeepRules[0] != "protected" || saved.KeepRules[1] != "pixels" || len(saved.KeepRules) != len(app.DefaultKeepRules()) {
		t.Errorf("after moving down: %v", saved.KeepRules)
	}
	test.Tap(findButton(c.root, "Reset to default order"))
	if got := f.ch.setPrefs[len(f.ch.setPrefs)-1].KeepRules; !slices.Equal(got, app.DefaultKeepRules()) {
		t.Errorf("reset saved %v", got)
	}

	c.addProtect("/photos/Originals")
	c.addProtect("/photos/Scans")
	if got := f.ch.setPrefs[len(f.ch.setPrefs)-1].Protect; !slices.Equal(got, []string{"/photos/Originals", "/photos/Scans"}) {
		t.Errorf("protected %v", got)
	}
	test.Tap(findButton(c.protect, "Remove"))
	if got := f.ch.setPrefs[len(f.ch.setPrefs)-1].Protect; !slices.Equal(got, []string{"/photos/Scans"}) {
		t.Errorf("after Remove: %v", got)
	}
	c.action.SetSelected(actionChoices[2].label)
	if got := f.ch.setPrefs[len(f.ch.setPrefs)-1]; got.Action != "hardlink" || got.Protect[0] != "/photos/Scans" {
		t.Errorf("action saved %+v", got)
	}
	if !strings.Contains(c.status.Text, "Saved") {
		t.Errorf("status %q", c.status.Text)
	}
}

func TestEmptyStateSaysWhenFilesMove(t *testing.T) {
	u := newTestUI(t, newFake())
	text := joined(u.scan.empty)
	// Every way files change is named: moved copies, organised files, dates written.
	if strings.Contains(text, "never moved") || !strings.Contains(text, "can be undone") ||
		!strings.Contains(text, "Duplicates moves copies") || !strings.Contains(text, "Organise copies or moves") ||
		!strings.Contains(text, "Write dates puts dates into them") {
		t.Errorf("empty state:\n%s", text)
	}
}

func TestFileDetailOffersOpenAndShowInFolder(t *testing.T) {
	u := newTestUI(t, newFake())
	var asked []string
	u.system = func(how openHow, path string) error {
		asked = append(asked, fmt.Sprint(how, " ", path))
		return nil
	}
	r := rec("2019/a.jpg", media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
	u.files.detail.show(r)
	test.Tap(findButton(u.files.detail.root, "Show in folder"))
	if want := fmt.Sprint(showInFolder, " ", r.AbsPath()); len(asked) != 1 || asked[0] != want {
		t.Errorf("asked %v, want %q", asked, want)
	}
}
