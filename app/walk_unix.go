//go:build linux || darwin || freebsd || netbsd || openbsd

package app

import (
	"io/fs"
	"syscall"
)

// changeTimeAndInode returns what the OS knows beyond size and mtime, so a
// rescan notices a file replaced in place with the same size and mtime.
func changeTimeAndInode(info fs.FileInfo) (int64, uint64) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	sec, nsec := ctimeOf(st)
	return sec*1e9 + nsec, uint64(st.Ino)
}
