//go:build linux

// Interim: replaced by the safefs-trash branch at merge.
package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

var ErrCrossDevice = errors.New("cross device")

type FileID struct{ Dev, Ino uint64 }

func RenameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if errors.Is(err, unix.EEXIST) {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: fs.ErrExist}
	}
	if errors.Is(err, unix.EXDEV) {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: ErrCrossDevice}
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

func IDOf(path string) (FileID, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return FileID{}, err
	}
	st := fi.Sys().(*syscall.Stat_t)
	return FileID{uint64(st.Dev), st.Ino}, nil
}

func SameVolume(a, b string) (bool, error) {
	x, err := IDOf(a)
	if err != nil {
		return false, err
	}
	y, err := IDOf(b)
	if err != nil {
		return false, err
	}
	return x.Dev == y.Dev, nil
}

func VolumeTop(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	id, err := IDOf(p)
	if err != nil {
		return "", err
	}
	for {
		parent := filepath.Dir(p)
		if parent == p {
			return p, nil
		}
		pid, err := IDOf(parent)
		if err != nil || pid.Dev != id.Dev {
			return p, nil
		}
		p = parent
	}
}

func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
