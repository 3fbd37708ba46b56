//go:build unix

package trash

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"shoebox/safefs"
)

// Commit moves the file into the trash under the name Prepare reserved. It
// never replaces anything; on an error the file is where it was, and the
// caller should Abandon the entry.
func Commit(e Entry) error {
	if e.File == "" || e.Original == "" {
		return errors.New("trash entry has no file or original path: was it prepared?")
	}
	if err := safefs.RenameNoReplace(e.Original, e.File); err != nil {
		return fmt.Errorf("move %s to the trash: %w", e.Original, err)
	}
	return syncBoth(filepath.Dir(e.File), filepath.Dir(e.Original))
}

// Abandon removes the reservation of a file that was never moved in. It
// refuses when e.File exists: that file is in the trash, and dropping its
// .trashinfo would hide it from the desktop's Restore.
func Abandon(e Entry) error {
	if e.File != "" {
		if _, err := os.Lstat(e.File); err == nil {
			return fmt.Errorf("abandon %s: it is already in the trash as %s; restore it instead", e.Original, e.File)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("abandon %s: %w", e.Original, err)
		}
	}
	if e.Info == "" {
		return nil
	}
	if err := os.Remove(e.Info); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the trash reservation %s: %w", e.Info, err)
	}
	return nil
}

// Restore puts e.File back at e.Original, creating the folder it was in if
// that is gone. If something stands at e.Original the error matches
// fs.ErrExist and nothing changed. On success the .trashinfo is removed.
func Restore(e Entry) error {
	if e.File == "" || e.Original == "" {
		return errors.New("trash entry has no file or original path")
	}
	if _, err := os.Lstat(e.File); err != nil {
		return fmt.Errorf("restore %s: it is not in the trash: %w", e.Original, err)
	}
	if err := os.MkdirAll(filepath.Dir(e.Original), 0o755); err != nil {
		return fmt.Errorf("restore %s: %w", e.Original, err)
	}
	if err := safefs.RenameNoReplace(e.File, e.Original); err != nil {
		return fmt.Errorf("restore %s from the trash: %w", e.Original, err)
	}
	if e.Info != "" {
		if err := os.Remove(e.Info); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restored %s but could not remove %s: %w", e.Original, e.Info, err)
		}
	}
	return syncBoth(filepath.Dir(e.Original), filepath.Dir(e.File))
}

func syncBoth(a, b string) error {
	if err := safefs.SyncDir(a); err != nil {
		return err
	}
	if a == b {
		return nil
	}
	return safefs.SyncDir(b)
}

// ensureOwnedDir makes dir (mode 0700) unless it exists, and accepts it only
// as a real folder (not a symlink) owned by uid: on a shared volume another
// user could otherwise lay a trap for our files.
func ensureOwnedDir(dir string, uid int) error {
	err := os.Mkdir(dir, 0o700)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder (it may be a symlink); it is not used as a trash", dir)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) != uid {
		return fmt.Errorf("%s belongs to another user; it is not used as a trash", dir)
	}
	return nil
}

// nearestDev is the device of dir, or of its nearest existing ancestor when
// dir does not exist yet: where dir would be created.
func nearestDev(dir string) (uint64, error) {
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			id, ok := safefs.IDOfInfo(fi)
			if !ok {
				return 0, fmt.Errorf("%s: no device number", dir)
			}
			return id.Dev, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return 0, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return 0, err
		}
		dir = parent
	}
}

// resolveParent is path made absolute with the folders above it resolved, so
// that it can be put relative to a volume's top; the final name is kept.
func resolveParent(abs string) (string, error) {
	dir, base := filepath.Split(abs)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(real, base), nil
}

// locate is what Prepare needs first on unix: the options with their
// defaults, the absolute path, and its device (which trash serves it).
func locate(path string, opt Options) (Options, string, safefs.FileID, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return opt, "", safefs.FileID{}, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return opt, "", safefs.FileID{}, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	id, err := safefs.IDOf(abs)
	if err != nil {
		return opt, "", safefs.FileID{}, fmt.Errorf("find the trash for %s: %w", path, err)
	}
	return opt, abs, id, nil
}
