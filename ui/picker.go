package ui

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"
)

// folderRequest is what the system's folder chooser is asked.
type folderRequest struct {
	// Title is the chooser's title, saying what the folder is for.
	Title string
	// Start is the folder the chooser opens in; "" leaves it to the chooser.
	Start string
	// Parent is the window's native handle (an X11 window ID or a Windows
	// HWND), so the chooser sits over it; 0 = none known.
	Parent uintptr
}

// folderPicker shows the system's folder chooser and waits for the person.
// It returns the folder chosen, "" with no error when they cancelled, or an
// error when the chooser could not be shown or failed: the window then opens
// its own dialog instead (typedFolderDialog), so a person is never left
// without a way to choose. It blocks, so it never runs on the UI goroutine.
type folderPicker func(req folderRequest) (string, error)

// folderUse says what a folder asked for is for, which decides whether it
// must exist already.
type folderUse int

const (
	existingFolder    folderUse = iota // scanned, protected or checked: it must exist
	destinationFolder                  // organised into: a run makes it when it does not exist yet
)

// askFolder asks for a folder with the system's chooser (UI.picker), or
// Shoebox's own dialog when that fails (typedFolderDialog), and calls
// chosen with the folder picked (not when cancelled). title says what the
// folder is for, use whether it must exist. While a chooser is open,
// further asks are ignored: a second chooser would only hide behind the
// first. UI goroutine only.
func (u *UI) askFolder(title string, use folderUse, chosen func(dir string)) {
	if u.picking {
		return
	}
	u.picking = true
	req := folderRequest{Title: title, Start: u.startFolderFor(use), Parent: nativeHandle(u.win)}
	u.spawn(func() {
		dir, err := u.picker(req)
		u.do(func() {
			u.picking = false
			switch {
			case err != nil:
				fyne.LogError("The system's folder chooser could not be used, so Shoebox's own opens instead", err)
				u.typedFolderDialog(title, use, chosen)
			case dir != "":
				chosen(dir)
			}
		})
	})
}

// startFolder is where a chooser opens: the most recent folder while it
// exists, else the person's Pictures folder, else their home.
func (u *UI) startFolder() string {
	if recent := u.recentFolders(); len(recent) > 0 && isDir(recent[0]) {
		return recent[0]
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	if p := filepath.Join(home, "Pictures"); isDir(p) {
		return p
	}
	return home
}

// startFolderFor is startFolder, except that a destination starts beside
// the most recent folder, not in it: organising a folder into itself is
// refused, and a dated library is usually made next to what it is made
// from.
func (u *UI) startFolderFor(use folderUse) string {
	if recent := u.recentFolders(); use == destinationFolder && len(recent) > 0 && isDir(recent[0]) {
		return filepath.Dir(recent[0])
	}
	return u.startFolder()
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// nativeHandle is the window's X11 window ID or Windows HWND, or 0 (the
// test driver, Wayland, macOS, where the choosers find their parent
// otherwise or not at all). UI goroutine only: Fyne runs RunNative inline.
func nativeHandle(w fyne.Window) uintptr {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return 0
	}
	var h uintptr
	nw.RunNative(func(ctx any) {
		switch c := ctx.(type) {
		case driver.X11WindowContext:
			h = c.WindowHandle
		case driver.WindowsWindowContext:
			h = c.HWND
		}
	})
	return h
}

// fyneFolderDialog is the fallback: Fyne's folder dialog, starting beside
// the most recent folder (so its siblings are a click away), else in the
// Pictures folder, calling chosen with the folder picked.
func (u *UI) fyneFolderDialog(chosen func(dir string)) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError("Could not open the folder", err)
			return
		}
		if dir == nil {
			return
		}
		chosen(dir.Path())
	}, u.win)
	start := u.startFolder()
	if recent := u.recentFolders(); len(recent) > 0 {
		start = filepath.Dir(recent[0])
	}
	if l, err := listerFor(start); start != "" && err == nil {
		d.SetLocation(l)
	}
	d.Resize(fyne.NewSize(900, 600))
	u.showDialog(d)
}
