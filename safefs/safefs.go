package safefs

import (
	"errors"
	"io/fs"
	"os"
)

// ErrCrossDevice is what RenameNoReplace's error matches (errors.Is) when the
// source and the target are on different volumes: a rename cannot move a
// file there, and a copy is the caller's decision, not this package's.
var ErrCrossDevice = errors.New("the source and the target are on different volumes")

// FileID names one file on one machine: the device and inode on unix, the
// volume serial number and file index on Windows. Two paths with equal
// FileIDs are one file (hard links, or one folder reached twice).
type FileID struct {
	Dev, Ino uint64
}

// crossDevice keeps the system's own error (EXDEV, ERROR_NOT_SAME_DEVICE)
// while matching ErrCrossDevice.
type crossDevice struct{ err error }

func (e crossDevice) Error() string        { return ErrCrossDevice.Error() }
func (e crossDevice) Is(target error) bool { return target == ErrCrossDevice }
func (e crossDevice) Unwrap() error        { return e.err }

// renameError names both paths, as os.Rename does, so a person reading it
// knows which file was left where it was.
func renameError(from, to string, err error) error {
	return &os.LinkError{Op: "move", Old: from, New: to, Err: err}
}

// existError is the refusal when something already stands at the target.
func existError(from, to string) error {
	return renameError(from, to, fs.ErrExist)
}
