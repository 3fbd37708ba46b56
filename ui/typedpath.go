package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// typedPath is the empty state's entry for a folder's path, typed or
// pasted (a path, "~/…" or a file:// address from a file manager), with
// Scan beside it.
type typedPath struct {
	u     *UI
	root  fyne.CanvasObject
	entry *appEntry
	scan  *widget.Button
	err   *widget.Label
}

func newTypedPath(u *UI) *typedPath {
	p := &typedPath{u: u}
	p.entry = newEntry()
	p.entry.SetPlaceHolder("or type or paste a folder's path, like ~/Pictures")
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.entry.OnChanged = func(text string) {
		p.err.Hide()
		enableIf(p.scan, strings.TrimSpace(text) != "")
	}
	p.scan = widget.NewButtonWithIcon("Scan", theme.SearchIcon(), p.submit)
	p.scan.Disable()
	p.err = widget.NewLabel("")
	p.err.Importance = widget.DangerImportance
	p.err.Wrapping = fyne.TextWrapWord
	p.err.Hide()
	p.root = container.NewVBox(container.NewBorder(nil, nil, nil, p.scan, p.entry), p.err)
	return p
}

// submit scans the folder typed, or says in words why it cannot.
func (p *typedPath) submit() {
	dir, err := checkFolder(p.entry.Text)
	if err != nil {
		p.err.SetText(upperFirst(err.Error()) + ".")
		p.err.Show()
		return
	}
	p.err.Hide()
	p.u.startJob([]string{dir})
}

// checkFolder turns a typed path into a folder Shoebox can read (to scan,
// protect or check), or says why it is not one.
func checkFolder(text string) (string, error) {
	p, err := wholePath(text)
	if err == nil {
		err = readableFolder(p)
	}
	if err != nil {
		return "", err
	}
	return p, nil
}

// checkDestination turns a typed path into a folder to organise into,
// which may not exist yet (the run makes it), or says why it cannot be one.
func checkDestination(text string) (string, error) {
	p, err := wholePath(text)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err := readableFolder(p); err != nil {
		return "", err
	}
	return p, nil
}

// wholePath is a typed or pasted path ("~/…", a file:// address, quoted)
// as a clean absolute path, or why it is not one.
func wholePath(text string) (string, error) {
	p := strings.TrimSpace(text)
	p = strings.Trim(p, `"'`) // pasted with quotes
	if p == "" {
		return "", errors.New("type or paste the path of a folder first")
	}
	if strings.HasPrefix(p, "file://") {
		u, err := url.Parse(p)
		if err != nil || u.Path == "" {
			return "", fmt.Errorf("%s is not a folder's address that Shoebox understands", text)
		}
		p = u.Path
	}
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("your home folder is unknown (%w), so write the whole path", err)
		}
		p = filepath.Join(home, p[1:])
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("%s is not a whole path: start it from the top, like /home/you/Pictures, or with ~ for your home folder", p)
	}
	return filepath.Clean(p), nil
}

// readableFolder says in words why p is not a folder Shoebox can read.
func readableFolder(p string) error {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("there is no folder at %s. Check the spelling; letters' case matters", homeShort(p))
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("you are not allowed to open %s", homeShort(p))
	case err != nil:
		return fmt.Errorf("%s cannot be opened: %w", homeShort(p), err)
	case !fi.IsDir():
		return fmt.Errorf("%s is a file, not a folder: give the folder that holds it", homeShort(p))
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("you are not allowed to read %s", homeShort(p))
	}
	return f.Close()
}
