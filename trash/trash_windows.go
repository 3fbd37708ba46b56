package trash

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"shoebox/safefs"
)

var (
	shell32          = windows.NewLazySystemDLL("shell32.dll")
	procSHFileOpertn = shell32.NewProc("SHFileOperationW")
)

const (
	foDelete          = 0x3
	fofSilent         = 0x4
	fofNoConfirmation = 0x10
	fofAllowUndo      = 0x40
	fofNoConfirmMkdir = 0x200
	fofNoErrorUI      = 0x400
	// fofWantNukeWarning asks before deleting for good a file the bin
	// cannot take (too big for it): without it FOF_NOCONFIRMATION deletes
	// such a file silently. Refusing the question aborts, and Commit fails.
	fofWantNukeWarning = 0x4000
)

// shFileOpStruct is SHFILEOPSTRUCTW as laid out on 64-bit Windows (shellapi.h
// packs it to 1 byte only on 32-bit, which Commit refuses).
type shFileOpStruct struct {
	hwnd                  uintptr
	wFunc                 uint32
	pFrom                 *uint16
	pTo                   *uint16
	fFlags                uint16
	fAnyOperationsAborted int32
	hNameMappings         uintptr
	lpszProgressTitle     *uint16
}

// Prepare checks that path's volume has a Recycle Bin and returns its entry;
// the shell chooses the name, so nothing is reserved. Only fixed drives are
// accepted: on removable and network drives the shell deletes for good,
// silently, even when asked to allow undo.
func Prepare(path string, opt Options) (Entry, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Entry{}, fmt.Errorf("find the Recycle Bin for %s: %w", path, err)
	}
	if _, err := os.Lstat(abs); err != nil {
		return Entry{}, fmt.Errorf("find the Recycle Bin for %s: %w", path, err)
	}
	vol, err := safefs.VolumeTop(abs)
	if err != nil {
		return Entry{}, fmt.Errorf("find the Recycle Bin for %s: %w", path, err)
	}
	v, err := windows.UTF16PtrFromString(vol)
	if err != nil {
		return Entry{}, fmt.Errorf("find the Recycle Bin for %s: %w", path, err)
	}
	if windows.GetDriveType(v) != windows.DRIVE_FIXED {
		return Entry{}, fmt.Errorf("%s is not on a fixed drive, where Windows would delete it for good: %w", path, ErrNoTrash)
	}
	bin, err := userBin(vol)
	if err != nil {
		return Entry{}, fmt.Errorf("find the Recycle Bin for %s: %w", path, err)
	}
	return Entry{Original: abs, Trash: bin}, nil
}

// userBin is the current user's folder in the volume's Recycle Bin.
func userBin(vol string) (string, error) {
	tok, err := windows.OpenCurrentProcessToken()
	if err != nil {
		return "", err
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return "", err
	}
	return filepath.Join(vol, "$Recycle.Bin", u.User.Sid.String()), nil
}

// Commit sends the file to the Recycle Bin through the shell, then checks
// both that it left its place and that the bin holds it: the shell reports
// success in cases where nothing was moved, or where it deleted for good.
func Commit(e Entry) error {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		return fmt.Errorf("move %s to the Recycle Bin: %w", e.Original, errors.ErrUnsupported)
	}
	from, err := windows.UTF16FromString(e.Original)
	if err != nil {
		return fmt.Errorf("move %s to the Recycle Bin: %w", e.Original, err)
	}
	from = append(from, 0) // the list of paths ends with a second NUL
	op := shFileOpStruct{
		wFunc:  foDelete,
		pFrom:  &from[0],
		fFlags: fofAllowUndo | fofNoConfirmation | fofSilent | fofNoErrorUI | fofNoConfirmMkdir | fofWantNukeWarning,
	}
	r, _, _ := procSHFileOpertn.Call(uintptr(unsafe.Pointer(&op)))
	if r != 0 {
		return fmt.Errorf("move %s to the Recycle Bin: the shell failed with code 0x%X", e.Original, r)
	}
	if op.fAnyOperationsAborted != 0 {
		return fmt.Errorf("move %s to the Recycle Bin: the operation was cancelled", e.Original)
	}
	if _, err := os.Lstat(e.Original); err == nil {
		return fmt.Errorf("move %s to the Recycle Bin: Windows said it did, but the file is still there", e.Original)
	}
	if _, _, err := findRecycled(e); err != nil {
		return fmt.Errorf("move %s to the Recycle Bin: the file left its place but is not found in the bin: %w", e.Original, err)
	}
	return nil
}

// Abandon has nothing to undo on Windows: Prepare reserved nothing.
func Abandon(e Entry) error { return nil }

// Restore finds the newest item in the Recycle Bin whose original path is
// e.Original, moves its $R file back without replacing anything (fs.ErrExist
// if something stands there; nothing changed) and deletes its $I record.
func Restore(e Entry) error {
	iPath, rPath, err := findRecycled(e)
	if err != nil {
		return fmt.Errorf("restore %s: %w", e.Original, err)
	}
	if err := os.MkdirAll(filepath.Dir(e.Original), 0o755); err != nil {
		return fmt.Errorf("restore %s: %w", e.Original, err)
	}
	if err := safefs.RenameNoReplace(rPath, e.Original); err != nil {
		return fmt.Errorf("restore %s from the Recycle Bin: %w", e.Original, err)
	}
	if err := os.Remove(iPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("restored %s but could not remove its record %s: %w", e.Original, iPath, err)
	}
	return nil
}

// findRecycled returns the $I record and $R file of the newest bin item
// whose original path is e.Original (compared without regard to case, as
// Windows does).
func findRecycled(e Entry) (iPath, rPath string, err error) {
	bin := e.Trash
	if bin == "" {
		vol, err := safefs.VolumeTop(e.Original)
		if err != nil {
			return "", "", err
		}
		if bin, err = userBin(vol); err != nil {
			return "", "", err
		}
	}
	ents, err := os.ReadDir(bin)
	if err != nil {
		return "", "", err
	}
	var newest time.Time
	for _, d := range ents {
		name := d.Name()
		if !strings.HasPrefix(name, "$I") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(bin, name))
		if err != nil {
			continue
		}
		it, err := ParseRecycleBinInfo(b)
		if err != nil || !strings.EqualFold(it.Path, e.Original) {
			continue
		}
		r := filepath.Join(bin, "$R"+name[2:])
		if _, err := os.Lstat(r); err != nil {
			continue
		}
		if iPath == "" || it.Deleted.After(newest) {
			iPath, rPath, newest = filepath.Join(bin, name), r, it.Deleted
		}
	}
	if iPath == "" {
		return "", "", fmt.Errorf("no item in %s was deleted from %s: %w", bin, e.Original, fs.ErrNotExist)
	}
	return iPath, rPath, nil
}

// DropStaleReservations does nothing on Windows: the shell chooses the name
// when the file goes in, so nothing is reserved beforehand.
func DropStaleReservations(path string, opt Options) (int, error) { return 0, nil }
