package safefs

import "golang.org/x/sys/unix"

// RenameNoReplace moves from to to within one volume, atomically, and never
// replaces an existing to: then the error matches fs.ErrExist and nothing
// changed. Across volumes the error matches ErrCrossDevice and from is left
// as it was.
//
// It uses renameat2(RENAME_NOREPLACE). Filesystems without it fall back to
// link then remove, and those without hard links (FAT, exFAT) to a look then
// a rename, which has a small race (see renameAfterLstat).
func RenameNoReplace(from, to string) error {
	err := unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
	if err == nil {
		return nil
	}
	if unsupported(err) {
		return renameByLink(from, to)
	}
	return mapErr(from, to, err)
}
