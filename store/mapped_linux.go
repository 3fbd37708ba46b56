//go:build linux

package store

import "syscall"

// dropMapped tells the kernel this process no longer needs the pages of
// the map from start for size bytes (MADV_DONTNEED). On a shared file map
// the pages are only unmapped: the file and the page cache keep them. Its
// error is dropped: a refusal only leaves the pages counted, as before.
func dropMapped(start uintptr, size int64) {
	if start == 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, uintptr(size), syscall.MADV_DONTNEED)
}
