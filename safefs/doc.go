// Package safefs holds the file operations a change run is built on, each of
// which refuses rather than overwrites: RenameNoReplace moves a file only when
// nothing stands at the target, FileID names a file by device and inode (the
// volume serial and file index on Windows) so that two paths to one file are
// seen as one file, and VolumeTop, SameVolume and SyncDir say where a volume
// starts, whether two paths share one, and make a rename durable.
//
// It is a leaf: it imports only the standard library and golang.org/x/sys.
package safefs
