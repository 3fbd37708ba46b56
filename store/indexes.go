package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// The SHA-256 and path indexes since schema 4 ("compact" layout):
//
//   - sha256p: the first shaPrefixLen bytes of the SHA-256, then the file's
//     key with its job and root index as uvarints (shaKey), to nothing. A run of entries with one prefix is decoded and split
//     by the records' full SHA-256 (dups.go), so a prefix two contents share
//     costs a decode, never a false group. At a million distinct files two
//     8-byte prefixes meet with odds of about 1 in 30 million.
//   - pathhash: FNV-1a (64 bits) of the absolute path, to the job, root
//     index and where the relative path starts in the absolute path
//     (pathValue). Previous rebuilds the file's key from these and the path
//     it was asked about, and checks that the record it reads is at that
//     path: two paths with one hash share an entry, and the one it does not
//     name is analysed again, never given the other's analysis.
//
// Before (schema 3 and older, "plain" layout) the index keys held the whole
// SHA-256 and the whole absolute path, and the path index the whole file
// key: 314 of the 924 bytes a file took at 100k files. The plain layout is
// still read from a library opened read-only; a read-write open converts it
// (migrateCompactIndexes). A library is in the plain layout exactly while it
// has the old sha256 bucket: the conversion deletes the old buckets in the
// transaction that writes schema 4.

var (
	bucketSHAPrefix = []byte("sha256p")  // sha256[:shaPrefixLen] + fileKey -> nothing
	bucketPathHash  = []byte("pathhash") // fnv64a(absolute path) -> pathValue
)

const shaPrefixLen = 8

// indexLayout says where a library keeps its SHA-256 and path indexes.
type indexLayout struct {
	sha, paths []byte
	shaPrefix  int  // bytes of the SHA-256 that start a sha index key
	hashed     bool // paths are keyed by pathHash, valued by pathValue
}

var (
	plainLayout   = indexLayout{sha: bucketSHA, paths: bucketPaths, shaPrefix: 32}
	compactLayout = indexLayout{sha: bucketSHAPrefix, paths: bucketPathHash, shaPrefix: shaPrefixLen, hashed: true}
)

// layoutOf is the layout of the library tx reads.
func layoutOf(tx *bolt.Tx) indexLayout {
	if tx.Bucket(bucketSHA) != nil {
		return plainLayout
	}
	return compactLayout
}

// shaKey is the SHA-256 index key of the file stored under k. In the
// compact layout the key's job and root index are uvarints (a byte or two
// each, where the file key spends 10).
func (l indexLayout) shaKey(sum, k []byte) []byte {
	out := append(make([]byte, 0, l.shaPrefix+len(k)), sum[:l.shaPrefix]...)
	if !l.hashed {
		return append(out, k...)
	}
	out = binary.AppendUvarint(out, be.Uint64(k))
	out = binary.AppendUvarint(out, uint64(be.Uint16(k[8:])))
	return append(out, k[10:]...)
}

// shaFileKey is the key of the file a SHA-256 index key names, or nil when
// the entry is damaged.
func (l indexLayout) shaFileKey(e []byte) []byte {
	if len(e) < l.shaPrefix {
		return nil
	}
	e = e[l.shaPrefix:]
	if !l.hashed {
		return e
	}
	job, w := binary.Uvarint(e)
	if w <= 0 {
		return nil
	}
	root, w2 := binary.Uvarint(e[w:])
	if w2 <= 0 || root > 0xffff {
		return nil
	}
	return fileKey(job, int(root), string(e[w+w2:]))
}

// pathKey is the path index key of an absolute path.
func (l indexLayout) pathKey(abs string) []byte {
	if !l.hashed {
		return []byte(abs)
	}
	h := fnv.New64a()
	h.Write([]byte(abs))
	return h.Sum(nil)
}

// pathEntry is the path index value naming the file stored under k, found
// at abs. r, when not nil, is its record: the entry ends with its stamp
// (pathstamp.go) unless the entry holds the relative path itself.
func (l indexLayout) pathEntry(abs string, k []byte, r *FileRecord) []byte {
	if !l.hashed {
		return k
	}
	v, relInside := pathValue(abs, be.Uint64(k), int(be.Uint16(k[8:])), string(k[10:]))
	if r == nil || relInside {
		return v
	}
	return appendPathStamp(v, abs, r)
}

// pathValue is uvarint(job) uvarint(root) uvarint(start), where the relative
// path is abs[start:] with '/' separators. When it is not (a path that
// filepath.Join cleaned), start is 0 and the relative path follows
// (relInside).
func pathValue(abs string, job uint64, root int, rel string) (v []byte, relInside bool) {
	v = binary.AppendUvarint(nil, job)
	v = binary.AppendUvarint(v, uint64(root))
	start := len(abs) - len(rel)
	if start > 0 && filepath.ToSlash(abs[start:]) == rel {
		return binary.AppendUvarint(v, uint64(start)), false
	}
	return append(binary.AppendUvarint(v, 0), rel...), true
}

// pathIndexEntry is a path index value read: the key of the file it names,
// by parts, and its stamp when it has one (nil before schema 6, or when the
// entry holds the relative path).
type pathIndexEntry struct {
	job   uint64
	root  int
	rel   string
	stamp []byte
}

// parsePathValue reads a pathValue; abs is the path it was found under, or
// "" when it is not known (then rel is "" unless the value holds it).
func parsePathValue(abs string, v []byte) (pathIndexEntry, error) {
	var n [3]uint64
	for i := range n {
		x, w := binary.Uvarint(v)
		if w <= 0 {
			return pathIndexEntry{}, fmt.Errorf("bad path index value %x", v)
		}
		n[i], v = x, v[w:]
	}
	e := pathIndexEntry{job: n[0], root: int(n[1])}
	start := n[2]
	if start == 0 {
		e.rel = string(v)
		return e, nil
	}
	switch len(v) {
	case 0:
	case pathStampLen:
		e.stamp = v
	default:
		return pathIndexEntry{}, fmt.Errorf("bad path index value %x", v)
	}
	if abs == "" {
		return e, nil
	}
	if start > uint64(len(abs)) {
		return pathIndexEntry{}, fmt.Errorf("bad path index value for %s", abs)
	}
	e.rel = filepath.ToSlash(abs[start:])
	return e, nil
}

// previousKey is the key of the latest record of the file at abs according
// to the path index, or nil.
func previousKey(tx *bolt.Tx, abs string) []byte {
	l := layoutOf(tx)
	v := tx.Bucket(l.paths).Get(l.pathKey(abs))
	if v == nil || !l.hashed {
		return v
	}
	e, err := parsePathValue(abs, v)
	if err != nil {
		return nil
	}
	return fileKey(e.job, e.root, e.rel)
}

// checkPathEntry says what is wrong with a path index entry, or "".
func checkPathEntry(l indexLayout, files *bolt.Bucket, k, v []byte) string {
	if !l.hashed {
		if files.Get(v) == nil {
			return fmt.Sprintf("the path index entry %q names a file that is not stored", k)
		}
		return ""
	}
	e, err := parsePathValue("", v)
	if err != nil || len(k) != 8 {
		return fmt.Sprintf("the path index entry %x is damaged", k)
	}
	job, root, rel := e.job, e.root, e.rel
	// Without the path only the job and root can be checked, unless the
	// entry holds the relative path.
	prefix := fileKey(job, root, rel)
	if rel != "" {
		if files.Get(prefix) == nil {
			return fmt.Sprintf("the path index entry %x names a file that is not stored", k)
		}
		return ""
	}
	if fk, _ := files.Cursor().Seek(prefix); !bytes.HasPrefix(fk, prefix) {
		return fmt.Sprintf("the path index entry %x names a job or root with no files", k)
	}
	return ""
}
