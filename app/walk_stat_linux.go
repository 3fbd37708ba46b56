package app

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"

	"shoebox/store"
)

// statListed is what a listing keeps of the regular file e of the open
// folder dir (its Root and RelPath are the caller's), as listedOf keeps it
// from an os.FileInfo. It asks relative to the folder, so the kernel looks up
// one name, not every folder of the path again: a million lstats of whole
// paths were a quarter of an unchanged rescan.
func statListed(dir *os.File, e fs.DirEntry) (store.Listed, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(int(dir.Fd()), e.Name(), &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return store.Listed{}, &fs.PathError{Op: "lstat", Path: e.Name(), Err: err}
	}
	return store.Listed{
		Size:    st.Size,
		MtimeNS: st.Mtim.Sec*1e9 + st.Mtim.Nsec,
		CtimeNS: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
		Inode:   st.Ino,
	}, nil
}
