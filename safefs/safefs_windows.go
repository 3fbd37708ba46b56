package safefs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

// RenameNoReplace moves from to to within one volume and never replaces an
// existing to: then the error matches fs.ErrExist and nothing changed. Across
// volumes the error matches ErrCrossDevice and from is left as it was.
//
// MoveFileEx without MOVEFILE_REPLACE_EXISTING refuses an existing target,
// and without MOVEFILE_COPY_ALLOWED refuses to copy across volumes.
func RenameNoReplace(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return renameError(from, to, err)
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return renameError(from, to, err)
	}
	err = windows.MoveFileEx(f, t, 0)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, windows.ERROR_ALREADY_EXISTS), errors.Is(err, windows.ERROR_FILE_EXISTS):
		return renameError(from, to, errors.Join(fs.ErrExist, err))
	case errors.Is(err, windows.ERROR_NOT_SAME_DEVICE):
		return renameError(from, to, crossDevice{err})
	}
	return renameError(from, to, err)
}

// IDOf identifies the file at path by its volume serial number and file
// index, without following a final symlink or junction.
// The 64-bit index is unique on NTFS; ReFS has 128-bit IDs, of which this is
// the low half.
func IDOf(path string) (FileID, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return FileID{}, &fs.PathError{Op: "identify", Path: path, Err: err}
	}
	h, err := windows.CreateFile(p, 0,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE, nil,
		windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS|windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err != nil {
		return FileID{}, &fs.PathError{Op: "identify", Path: path, Err: err}
	}
	defer windows.CloseHandle(h)
	var d windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &d); err != nil {
		return FileID{}, &fs.PathError{Op: "identify", Path: path, Err: err}
	}
	return FileID{Dev: uint64(d.VolumeSerialNumber), Ino: uint64(d.FileIndexHigh)<<32 | uint64(d.FileIndexLow)}, nil
}

// IDOfInfo is false on Windows: a FileInfo there carries no file index; use
// IDOf.
func IDOfInfo(fi fs.FileInfo) (FileID, bool) { return FileID{}, false }

// VolumeTop returns the root of path's volume ("C:\", or "\\server\share\").
// Folders mounted inside another volume are not seen.
func VolumeTop(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	v := filepath.VolumeName(abs)
	if v == "" {
		return "", &fs.PathError{Op: "find volume", Path: path, Err: errors.New("the path names no volume")}
	}
	return v + `\`, nil
}

// SameVolume says whether a and b name the same volume, comparing volume
// names without regard to case.
func SameVolume(a, b string) (bool, error) {
	va, err := VolumeTop(a)
	if err != nil {
		return false, err
	}
	vb, err := VolumeTop(b)
	if err != nil {
		return false, err
	}
	return strings.EqualFold(va, vb), nil
}

// SyncDir does nothing on Windows: NTFS journals its folder entries, and a
// folder cannot be opened for flushing there.
func SyncDir(dir string) error { return nil }
