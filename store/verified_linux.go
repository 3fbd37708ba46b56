//go:build linux

package store

import (
	"fmt"
	"os"
	"syscall"
)

// sysStamp adds what only the system knows of the file: its device, inode
// and change time, which no program can set back.
func sysStamp(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("dev=%d ino=%d ctime=%d.%09d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
}
