package trash

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"shoebox/safefs"
)

// Prepare chooses the trash for path and a free name in it: ~/.Trash when
// path is on the home volume, else $topdir/.Trashes/$uid. macOS keeps no
// info file, so nothing is reserved: if another program takes the name
// before Commit, Commit refuses (fs.ErrExist) and Prepare can be asked
// again. Options.DataHome is not used.
func Prepare(path string, opt Options) (Entry, error) {
	opt, abs, id, err := locate(path, opt)
	if err != nil {
		return Entry{}, err
	}
	trashDir, err := darwinTrash(abs, id.Dev, opt.UID)
	if err != nil {
		return Entry{}, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	name, err := freeName(trashDir, filepath.Base(abs))
	if err != nil {
		return Entry{}, fmt.Errorf("find a name in %s for %s: %w", trashDir, path, err)
	}
	return Entry{Original: abs, File: filepath.Join(trashDir, name), Trash: trashDir}, nil
}

func darwinTrash(abs string, dev uint64, uid int) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	homeTrash := filepath.Join(home, ".Trash")
	homeDev, err := nearestDev(homeTrash)
	if err != nil {
		return "", err
	}
	if homeDev == dev {
		if err := os.MkdirAll(homeTrash, 0o700); err != nil {
			return "", err
		}
		return homeTrash, nil
	}
	real, err := resolveParent(abs)
	if err != nil {
		return "", err
	}
	top, err := safefs.VolumeTop(real)
	if err != nil {
		return "", err
	}
	trashes := filepath.Join(top, ".Trashes")
	// The system makes .Trashes writable and searchable by all but listable
	// by none (1333); make it the same way if the volume has none yet.
	if err := os.Mkdir(trashes, 0o333|fs.ModeSticky); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", errors.Join(ErrNoTrash, err)
	}
	mine := filepath.Join(trashes, strconv.Itoa(uid))
	if err := ensureOwnedDir(mine, uid); err != nil {
		return "", errors.Join(ErrNoTrash, err)
	}
	return mine, nil
}

// freeName is base, or "stem 2.ext", "stem 3.ext"… as Finder names them,
// whichever is free in dir first.
func freeName(dir, base string) (string, error) {
	ext := filepath.Ext(base)
	if ext == base {
		ext = ""
	}
	stem := base[:len(base)-len(ext)]
	for n := 1; n <= 10000; n++ {
		name := base
		if n > 1 {
			name = stem + " " + strconv.Itoa(n) + ext
		}
		if _, err := os.Lstat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			return name, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name for %s after 10000 tries", base)
}

// DropStaleReservations does nothing on macOS: Prepare reserves no name
// there (there are no info files), so a killed process leaves nothing.
func DropStaleReservations(path string, opt Options) (int, error) { return 0, nil }
