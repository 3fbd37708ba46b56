package store

import (
	"bytes"
	"encoding/binary"
	"hash/fnv"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// A path stamp (schema 6) ends a path index entry (pathValue) and says what
// a rescan needs to know of the latest record at that path without reading
// the record: whether the file is still what it was when analysed, and how
// it was analysed. An unchanged rescan of a million files then reads the
// path index, not a million compressed records (PlanListing).
//
//	fingerprint  8 bytes: FNV-1a 64 of the absolute path, size, modification
//	             and change times and inode (stampFingerprint)
//	analysis     1 byte: the record's media.AnalysisVersion (255 and over: 255)
//	flags        1 byte: stampHEIF, stampHashed
//
// Only done and skipped records have path entries (putFile), so a stamp is
// never that of a failed file; the record's own header is still checked
// before its analysis is kept.
const pathStampLen = 10

// pathStampSchema is the schema from which path index entries are stamped.
// An older library's entries are stamped at its first read-write open
// (migratePathStamps); until then a rescan reads records, as before.
const pathStampSchema = 6

// stampBatch is how many records a transaction of migratePathStamps reads:
// the hashed path entries are in no order, so each transaction rewrites
// pages all over the path index, and fewer, larger ones write less.
const stampBatch = 200000

const (
	stampHEIF   = 1 << 0 // the file is a HEIF picture (media.IsHEIF)
	stampHashed = 1 << 1 // the record holds perceptual hashes
)

// PathStamp is what a path stamp says of an analysis, for the rules that
// decide whether a rescan may keep it (the engine's).
type PathStamp struct {
	Analysis int  // the record's media.AnalysisVersion
	HEIF     bool // a HEIF picture
	Hashed   bool // with perceptual hashes
}

// stampFingerprint identifies a file at a path as a listing sees it. Two
// paths share a path index entry only when their FNV hashes meet; the
// fingerprint hashes the path again with what was listed, so such a meeting
// is never taken for the same file.
func stampFingerprint(abs string, size, mtimeNS, ctimeNS int64, inode uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(abs))
	var b [33]byte // a zero byte ends the path: no path holds one
	be.PutUint64(b[1:], uint64(size))
	be.PutUint64(b[9:], uint64(mtimeNS))
	be.PutUint64(b[17:], uint64(ctimeNS))
	be.PutUint64(b[25:], inode)
	h.Write(b[:])
	return h.Sum64()
}

// appendPathStamp appends the stamp of record r, stored at abs.
func appendPathStamp(v []byte, abs string, r *FileRecord) []byte {
	v = binary.BigEndian.AppendUint64(v, stampFingerprint(abs, r.Size, r.MtimeNS, r.CtimeNS, r.Inode))
	var flags byte
	if media.IsHEIF(r.MIME) {
		flags |= stampHEIF
	}
	if r.HasPHash {
		flags |= stampHashed
	}
	return append(v, byte(min(max(r.Analysis, 0), 255)), flags)
}

// parsePathStamp reads a stamp.
func parsePathStamp(b []byte) (fingerprint uint64, s PathStamp) {
	return be.Uint64(b), PathStamp{Analysis: int(b[8]), HEIF: b[9]&stampHEIF != 0, Hashed: b[9]&stampHashed != 0}
}

// unchangedByStamp appends to toFill the indexes of the listed files (sorted,
// of job j) that the path index cannot show unchanged since base analysed
// them, and returns it. A file is unchanged when the base has a done or
// skipped record of it, the path index names that record as the latest at
// its path, the entry's stamp has the fingerprint the file has now, and
// keeps accepts the stamp. The base's records are met by one cursor walking
// alongside the sorted listing, and none is decoded.
func unchangedByStamp(tx *bolt.Tx, j *Job, base uint64, part []Listed, keeps func(PathStamp) bool, toFill []int,
	pages pageDropper) []int {
	l := layoutOf(tx)
	if keeps == nil || !l.hashed || len(part) == 0 {
		for i := range part {
			toFill = append(toFill, i)
		}
		return toFill
	}
	paths := tx.Bucket(l.paths)
	c := tx.Bucket(bucketFiles).Cursor()
	k, v := c.Seek(fileKey(base, int(part[0].Root), part[0].RelPath))
	for i := range part {
		f := &part[i]
		bk := fileKey(base, int(f.Root), f.RelPath)
		for k != nil && bytes.Compare(k, bk) < 0 {
			k, v = c.Next()
		}
		pages.read(len(v) + len(bk) + pathStampLen) // the record's header and the path entry
		if !bytes.Equal(k, bk) || !stampShowsUnchanged(paths, l, j, base, f, v, keeps) {
			toFill = append(toFill, i)
		}
	}
	return toFill
}

// stampShowsUnchanged says whether listed file f of job j is unchanged since
// base analysed it into bv, by the path index entry at its path (see
// unchangedByStamp).
func stampShowsUnchanged(paths *bolt.Bucket, l indexLayout, j *Job, base uint64, f *Listed, bv []byte,
	keeps func(PathStamp) bool) bool {
	if f.Status != ListedPending || int(f.Root) >= len(j.Roots) || isGone(bv) {
		return false
	}
	if st, _, err := fileHeader(bv); err != nil || (st != media.StatusDone && st != media.StatusSkipped) {
		return false
	}
	abs := filepath.Join(j.Roots[f.Root], filepath.FromSlash(f.RelPath))
	e, err := parsePathValue(abs, paths.Get(l.pathKey(abs)))
	if err != nil || e.stamp == nil || e.job != base || e.root != int(f.Root) || e.rel != f.RelPath {
		return false
	}
	fp, s := parsePathStamp(e.stamp)
	return fp == stampFingerprint(abs, f.Size, f.MtimeNS, f.CtimeNS, f.Inode) && keeps(s)
}

// pathStampAgrees says whether the path index entry at record r's path,
// when it names r (stored under k) and is stamped, holds r's stamp. An
// entry naming another record, or none, is checked as an entry
// (checkPathEntry): a later scan's record is the one named.
func pathStampAgrees(l indexLayout, paths *bolt.Bucket, k []byte, r *FileRecord) bool {
	if !l.hashed || (r.Status != media.StatusDone && r.Status != media.StatusSkipped) {
		return true
	}
	abs := r.AbsPath()
	e, err := parsePathValue(abs, paths.Get(l.pathKey(abs)))
	if err != nil || e.stamp == nil || !bytes.Equal(fileKey(e.job, e.root, e.rel), k) {
		return true
	}
	return bytes.Equal(e.stamp, appendPathStamp(nil, abs, r))
}
