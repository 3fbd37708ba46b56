package store

import (
	"encoding/binary"
	"path/filepath"
)

var be = binary.BigEndian

func u64(v uint64) []byte {
	b := make([]byte, 8)
	be.PutUint64(b, v)
	return b
}

// jobKey is the big-endian job ID: jobs sort by creation.
func jobKey(id uint64) []byte { return u64(id) }

// fileKey orders one job's files by root, then by path relative to the root,
// so a prefix scan on the job ID visits them in processing order.
func fileKey(job uint64, root int, rel string) []byte {
	k := make([]byte, 10+len(rel))
	be.PutUint64(k, job)
	be.PutUint16(k[8:], uint16(root))
	copy(k[10:], rel)
	return k
}

// Key is the record's key in the files bucket.
func (f *FileRecord) Key() []byte { return fileKey(f.JobID, f.RootIndex, f.RelPath) }

// AbsPath is where the file is on disk.
func (f *FileRecord) AbsPath() string {
	return filepath.Join(f.Root, filepath.FromSlash(f.RelPath))
}
