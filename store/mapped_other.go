//go:build !linux

package store

// dropMapped does nothing here: only Linux promises that MADV_DONTNEED on
// a shared file map unmaps the pages at once (elsewhere it is a hint, and
// untested with bbolt's map), so the pages stay counted until the library
// is closed.
func dropMapped(start uintptr, size int64) {}
