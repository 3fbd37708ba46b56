package ui

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/store"
)

// openHow is what the system is asked to do with a file.
type openHow int

const (
	openInViewer openHow = iota // open it in the program the system uses for it
	showInFolder                // open its folder in the file manager, the file selected
)

// osCommand is one way to ask the system. Programs that answer at once
// and tell whether they managed (dbus-send --print-reply) are waited for,
// so the next way can be tried; the others (viewers, file managers) are
// started and left to run.
type osCommand struct {
	args []string
	wait bool
}

// systemOpen opens or reveals path with the first of the OS's commands
// whose program exists and that does not fail. It is UI.system outside
// tests and is called off the UI goroutine.
func systemOpen(how openHow, path string) error {
	var missing []string
	var failed []error
	for _, c := range osCommands(how, path) {
		if _, err := exec.LookPath(c.args[0]); err != nil {
			missing = append(missing, c.args[0])
			continue
		}
		cmd := exec.Command(c.args[0], c.args[1:]...)
		prepare(cmd, how, path)
		if c.wait {
			if out, err := cmd.CombinedOutput(); err != nil {
				failed = append(failed, fmt.Errorf("%s: %w: %s", c.args[0], err, strings.TrimSpace(string(out))))
				continue
			}
			return nil
		}
		if err := cmd.Start(); err != nil {
			failed = append(failed, fmt.Errorf("%s: %w", c.args[0], err))
			continue
		}
		go cmd.Wait() //nolint:errcheck // reaps the child; a viewer's exit status says nothing useful
		return nil
	}
	if len(failed) == 0 {
		return fmt.Errorf("this computer has no program Shoebox can ask to open files (it looks for %s)", strings.Join(missing, ", "))
	}
	if len(missing) > 0 {
		failed = append(failed, fmt.Errorf("not found: %s", strings.Join(missing, ", ")))
	}
	return fmt.Errorf("%s could not be shown: %w", path, errors.Join(failed...))
}

// revealButtons are a card's Open and Show in folder.
func (a *dupsAct) revealButtons(f store.FileRecord) fyne.CanvasObject {
	return a.v.u.revealButtons(f.AbsPath())
}

// revealButtons lets a person look at a file before deciding.
func (u *UI) revealButtons(path string) fyne.CanvasObject {
	ask := func(how openHow, failure string) func() {
		return func() { u.call(failure, func() error { return u.system(how, path) }, nil) }
	}
	open := widget.NewButtonWithIcon("Open", theme.VisibilityIcon(), ask(openInViewer, "Could not open the file"))
	show := widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), ask(showInFolder, "Could not show the file in its folder"))
	open.Importance = widget.LowImportance
	show.Importance = widget.LowImportance
	return container.NewHBox(open, show)
}

// dirOf is the folder holding path.
func dirOf(path string) string { return filepath.Dir(path) }
