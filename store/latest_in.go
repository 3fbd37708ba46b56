package store

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// LatestIn is LatestFiles for the files at or under the given paths only
// (absolute, cleaned; a path may name a folder or a file). It reads only the
// keys that can lie there: for every job and each of its roots, the root's
// own range of the files bucket, narrowed to the path's part below the root
// when the path lies inside it. So asking about one folder of a library of a
// million files costs about what that folder holds, where LatestFiles reads
// (and holds) every record. resolve, when not nil, maps a root as recorded
// to the form the paths are given in (the engine resolves symbolic links);
// the records keep their roots as recorded.
func (db *DB) LatestIn(paths []string, resolve func(root string) string) ([]FileRecord, error) {
	if resolve == nil {
		resolve = func(root string) string { return root }
	}
	var out []FileRecord
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		out, bad = nil, skipped{}
		byPath := latestByPath{}
		resolved := map[string]string{}
		files := tx.Bucket(bucketFiles)
		c := files.Cursor()
		jobs := tx.Bucket(bucketJobs).Cursor()
		// Job IDs ascend, so a later job's record is met after an earlier one's,
		// as in LatestFiles.
		for jk, _ := jobs.First(); jk != nil; jk, _ = jobs.Next() {
			if len(jk) != 8 {
				continue
			}
			job := be.Uint64(jk)
			for k, v := c.Seek(jobKey(job)); len(k) >= 10 && be.Uint64(k) == job; k, v = c.Seek(fileKey(job, int(be.Uint16(k[8:]))+1, "")) {
				root := int(be.Uint16(k[8:]))
				var first FileRecord
				if err := decodeFile(k, v, &first); err != nil && !isGone(v) {
					bad.add("file record", k, err)
				}
				recorded := first.Root
				if isGone(v) || recorded == "" {
					recorded = rootOfRange(files, job, root, &bad)
				}
				real, ok := resolved[recorded]
				if !ok {
					real = resolve(recorded)
					resolved[recorded] = real
				}
				for _, prefix := range relPrefixes(real, paths) {
					db.latestInRange(files, fileKey(job, root, prefix), paths, resolve, byPath, &bad)
				}
				if root == 0xffff {
					break
				}
			}
		}
		out = byPath.records()
		return nil
	})
	return out, db.readErr(err, bad)
}

// rootOfRange is the root recorded by the first readable record of a
// job's root range (a range may start with a "gone" mark, which holds no
// record).
func rootOfRange(files *bolt.Bucket, job uint64, root int, bad *skipped) string {
	prefix := fileKey(job, root, "")
	c := files.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if isGone(v) {
			continue
		}
		var r FileRecord
		if err := decodeFile(k, v, &r); err == nil {
			return r.Root
		}
	}
	return ""
}

// relPrefixes says which part of a root's range can hold files at or
// under the paths: the whole range ("") when a path holds the root, the
// path below the root when the root holds the path; none when they are apart.
func relPrefixes(root string, paths []string) []string {
	if root == "" {
		return nil
	}
	var out []string
	for _, p := range paths {
		switch {
		case PathWithin(root, p):
			return []string{""}
		case PathWithin(p, root):
			rel, err := filepath.Rel(root, p)
			if err == nil {
				out = append(out, filepath.ToSlash(rel))
			}
		}
	}
	return out
}

// latestInRange keeps, from the records whose keys start with prefix, those
// at or under one of the paths, by LatestFiles' rule: an analysis wins over
// an earlier one and over a later record without one.
func (db *DB) latestInRange(files *bolt.Bucket, prefix []byte, paths []string, resolve func(string) string, byPath latestByPath, bad *skipped) {
	c := files.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if isGone(v) {
			continue
		}
		var r FileRecord
		if err := decodeFile(k, v, &r); err != nil {
			bad.add("file record", k, err)
			continue
		}
		real := filepath.Join(resolve(r.Root), filepath.FromSlash(r.RelPath))
		if !withinAny(real, paths) {
			continue // a name that merely starts like the path: "a/b2" for "a/b"
		}
		byPath.keep(r)
	}
}

func withinAny(p string, dirs []string) bool {
	for _, d := range dirs {
		if PathWithin(p, d) {
			return true
		}
	}
	return false
}

// PathWithin says whether the path p is dir or lies under it (both
// absolute and cleaned).
func PathWithin(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) { // only "/" or `C:\` end with one
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// LatestCopies lists the files whose latest analysis says they hold the
// bytes of the SHA-256 sum (hex), from the SHA-256 index: a file analysed
// again since, with other bytes, is not one of them. Each path comes once,
// sorted. It costs what the copies cost, whatever the library holds.
func (db *DB) LatestCopies(sum string) ([]FileRecord, error) {
	raw, err := hex.DecodeString(sum)
	if err != nil || len(raw) != 32 {
		return nil, fmt.Errorf("%q is not a SHA-256", sum)
	}
	var out []FileRecord
	var bad skipped
	err = db.view(func(tx *bolt.Tx) error {
		out, bad = nil, skipped{}
		files, l := tx.Bucket(bucketFiles), layoutOf(tx)
		prefix := raw[:l.shaPrefix]
		c := tx.Bucket(l.sha).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			fk := l.shaFileKey(k)
			if fk == nil {
				continue // a damaged entry: check reports it
			}
			v := files.Get(fk)
			if v == nil || isGone(v) {
				continue
			}
			var r FileRecord
			if err := decodeFile(fk, v, &r); err != nil {
				bad.add("file record", fk, err)
				continue
			}
			if r.SHA256 != hex.EncodeToString(raw) {
				continue // another content whose hash starts alike (indexes.go)
			}
			if !bytes.Equal(previousKey(tx, r.AbsPath()), fk) {
				continue // an older analysis of a path analysed again since
			}
			out = append(out, r)
		}
		return nil
	})
	sortByPath(out)
	return out, db.readErr(err, bad)
}
