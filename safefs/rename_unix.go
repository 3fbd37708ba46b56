//go:build unix

package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// mapErr turns the system's errors into the ones this package promises.
func mapErr(from, to string, err error) error {
	switch {
	case errors.Is(err, unix.EXDEV):
		return renameError(from, to, crossDevice{err})
	case errors.Is(err, unix.EEXIST), errors.Is(err, unix.ENOTEMPTY):
		// ENOTEMPTY: a folder at the target; still "something stands there".
		return renameError(from, to, errors.Join(fs.ErrExist, err))
	}
	return renameError(from, to, err)
}

// unsupported says the filesystem or kernel does not offer the call, as
// opposed to refusing this particular move.
func unsupported(err error) bool {
	return errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) ||
		errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP)
}

// renameByLink moves from to to by giving the file its second name and then
// dropping the first. A link never replaces an existing name, so this cannot
// overwrite; a crash between the two steps leaves two names for one inode,
// which loses nothing. Filesystems without hard links (FAT, exFAT) and
// folders (which cannot be linked) go on to renameAfterLstat.
func renameByLink(from, to string) error {
	err := os.Link(from, to)
	if err == nil {
		if err := os.Remove(from); err != nil {
			// Both names are one inode: dropping the new name puts things
			// back as they were.
			_ = os.Remove(to)
			return renameError(from, to, err)
		}
		return nil
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	if errors.Is(err, unix.EPERM) || unsupported(err) || errors.Is(err, unix.EMLINK) {
		return renameAfterLstat(from, to)
	}
	return mapErr(from, to, err)
}

// renameAfterLstat is the last resort: look, then rename. Another process
// creating the target between the look and the rename would be replaced;
// that window is a few microseconds and only on filesystems that offer
// neither an exclusive rename nor hard links.
func renameAfterLstat(from, to string) error {
	if _, err := os.Lstat(to); err == nil {
		return existError(from, to)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return renameError(from, to, err)
	}
	if err := os.Rename(from, to); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err
		}
		return mapErr(from, to, err)
	}
	return nil
}

// IDOf identifies the file at path without following a final symlink: a
// link's ID is its own, not its target's.
func IDOf(path string) (FileID, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return FileID{}, err
	}
	id, ok := IDOfInfo(fi)
	if !ok {
		return FileID{}, &fs.PathError{Op: "identify", Path: path, Err: errors.ErrUnsupported}
	}
	return id, nil
}

// IDOfInfo reads the ID from a FileInfo that came from os.Stat, os.Lstat or a
// directory listing's Info; false when it carries no device and inode.
func IDOfInfo(fi fs.FileInfo) (FileID, bool) {
	if fi == nil {
		return FileID{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return FileID{}, false
	}
	return FileID{Dev: uint64(st.Dev), Ino: uint64(st.Ino)}, true
}

// devOf is the device of path itself (Lstat).
func devOf(path string) (uint64, error) {
	id, err := IDOf(path)
	return id.Dev, err
}

// VolumeTop returns the mount point of the volume holding path, an existing
// file or folder: the highest ancestor on the same device, which is how the
// freedesktop trash specification finds $topdir. Folders above path are
// resolved first (filepath.EvalSymlinks), since a rename goes where they
// point; the final name is not followed.
func VolumeTop(path string) (string, error) {
	cur, err := resolveParent(path)
	if err != nil {
		return "", err
	}
	dev, err := devOf(cur)
	if err != nil {
		return "", err
	}
	for {
		parent := filepath.Dir(cur)
		if parent == cur {
			return cur, nil
		}
		pdev, err := devOf(parent)
		if err != nil {
			return "", err
		}
		if pdev != dev {
			return cur, nil
		}
		cur = parent
	}
}

// resolveParent makes path absolute with its folders' symlinks resolved and
// its last element kept as it is.
func resolveParent(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	dir, base := filepath.Split(abs)
	if base == "" { // the root itself
		return abs, nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(real, base), nil
}

// SameVolume says whether a and b are on one device, so that a rename
// between them can work. Neither final name is followed: pass the folder
// you will rename into, not a symlink to it.
func SameVolume(a, b string) (bool, error) {
	da, err := devOf(a)
	if err != nil {
		return false, err
	}
	db, err := devOf(b)
	if err != nil {
		return false, err
	}
	return da == db, nil
}

// SyncDir flushes a folder's entries to disk, so that a rename into or out of
// it survives a power cut. Filesystems that cannot sync a folder (EINVAL) are
// not an error: there is nothing more to do on them.
func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil && (errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTSUP)) {
		return nil
	}
	if err != nil {
		return &fs.PathError{Op: "sync folder", Path: dir, Err: err}
	}
	return nil
}
