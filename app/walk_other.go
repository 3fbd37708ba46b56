//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package app

import "io/fs"

// changeTimeAndInode: this OS reports neither through os.FileInfo; size and
// mtime alone decide whether a rescan reuses a file's analysis.
func changeTimeAndInode(fs.FileInfo) (int64, uint64) { return 0, 0 }
