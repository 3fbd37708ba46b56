package store

import (
	"fmt"
	"os"
	"strings"
)

// Opening a library must cost the same at a million files as at ten
// thousand, but a damaged file must still be refused before bbolt, which
// trusts its pages, reads it (pagewalk.go). Walking every page at every open
// read the whole file: 34 s for 2 GB from a cold cache.
//
// So a library that Shoebox closed cleanly after writing it carries a stamp
// beside it (<library>-verified; a scan leaves out every file named like the library followed by "-"): the file's identity as it was left (size,
// modification and change times, inode). An open whose file still matches its
// stamp checks only the header pages and the free list (checkHeader); any
// other file (a copy, a restore, one cut short or edited by anything else,
// one left by a process that died) is walked whole first, as before. The
// change time cannot be set back by other programs, so an outside write
// always forces the walk. Damage that bypasses the file system (a failing
// disk returning other bytes) is still met when the record is read: guard
// turns bbolt's panic into a DamagedError that names check and recover.

// stampPath is where the library's stamp is kept.
func stampPath(path string) string { return path + "-verified" }

// fileStamp describes the file at path as a line of text; "" when it
// cannot be read.
func fileStamp(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("shoebox-verified 1 size=%d mtime=%d %s", fi.Size(), fi.ModTime().UnixNano(), sysStamp(fi))
}

// stampMatches says whether the file is as Shoebox last left it.
func stampMatches(path string) bool {
	want, err := os.ReadFile(stampPath(path))
	if err != nil {
		return false
	}
	got := fileStamp(path)
	return got != "" && strings.TrimSpace(string(want)) == got
}

// writeStamp records the file as it is now: called while the exclusive lock
// is still held, after the last transaction. A stamp that cannot be written
// only costs the next open a walk, so its errors are dropped.
func writeStamp(path string) {
	s := fileStamp(path)
	if s == "" {
		return
	}
	tmp := stampPath(path) + ".tmp"
	if err := os.WriteFile(tmp, []byte(s+"\n"), 0o600); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, stampPath(path)); err != nil {
		os.Remove(tmp)
	}
}

// dropStamp forgets the stamp, so that the next open walks the file: called
// when damage was met while the library was open.
func dropStamp(path string) { os.Remove(stampPath(path)) }
