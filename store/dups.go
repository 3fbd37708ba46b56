package store

import (
	"bytes"
	"encoding/hex"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// HashedFile is one file's perceptual hashes, for near-duplicate search.
type HashedFile struct {
	Key           []byte
	PHash, DHash  uint64
	Width, Height int
}

// PerceptualHashes lists the hashes of a job's files, in path order.
func (db *DB) PerceptualHashes(jobID uint64) ([]HashedFile, error) {
	var out []HashedFile
	prefix := jobKey(jobID)
	err := db.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPHash).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(v) != 24 {
				continue
			}
			out = append(out, HashedFile{
				Key:    bytes.Clone(k),
				PHash:  be.Uint64(v),
				DHash:  be.Uint64(v[8:]),
				Width:  int(be.Uint32(v[16:])),
				Height: int(be.Uint32(v[20:])),
			})
		}
		return nil
	})
	return out, err
}

// FileByKey reads one file record.
func (db *DB) FileByKey(k []byte) (FileRecord, error) {
	var r FileRecord
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFiles).Get(k)
		if v == nil {
			return ErrNotFound
		}
		return decodeFile(k, v, &r)
	})
	return r, err
}

// DupGroup is one set of files that are the same picture: an exact group
// (the same bytes: SHA256 is set) or a near group (look-alikes: Near is set,
// with the largest perceptual-hash distance and the evidence). It is the one
// duplicate-group type: the store finds the exact groups, the engine the near
// ones (app.Duplicates), and the window and the CLI show both.
type DupGroup struct {
	Near        bool
	SHA256      string   // exact groups: the files' common SHA-256
	MaxDistance int      // near groups: the largest pHash distance inside the group
	Evidence    []string // near groups: one line per pair that joined the group
	Files       []FileRecord
}

// ExactDuplicates groups the files of a job by SHA-256 with every other file
// in the library that has the same bytes. A file seen by several jobs (a
// rescan) counts once, by its latest record, so a rescan is not its own copy.
func (db *DB) ExactDuplicates(jobID uint64) ([]DupGroup, error) {
	var groups []DupGroup
	var bad skipped
	prefix := jobKey(jobID)
	err := db.view(func(tx *bolt.Tx) error {
		groups, bad = nil, skipped{}
		seen := map[string]bool{}
		files, shaIdx := tx.Bucket(bucketFiles), tx.Bucket(bucketSHA)
		c := files.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var r FileRecord
			if err := decodeFile(k, v, &r); err != nil {
				bad.add("file record", k[10:], err)
				continue
			}
			if r.SHA256 == "" || seen[r.SHA256] {
				continue
			}
			seen[r.SHA256] = true
			sum, err := hex.DecodeString(r.SHA256)
			if err != nil {
				continue
			}
			byPath := map[string]FileRecord{}
			sc := shaIdx.Cursor()
			for sk, _ := sc.Seek(sum); sk != nil && bytes.HasPrefix(sk, sum); sk, _ = sc.Next() {
				fk := sk[len(sum):]
				fv := files.Get(fk)
				if fv == nil {
					continue
				}
				var m FileRecord
				if err := decodeFile(fk, fv, &m); err != nil {
					continue // counted where the scan of its own job meets it
				}
				abs := m.AbsPath()
				if cur, ok := byPath[abs]; !ok || preferRecord(m, cur, jobID) {
					byPath[abs] = m
				}
			}
			if len(byPath) < 2 {
				continue
			}
			g := DupGroup{SHA256: r.SHA256}
			for _, m := range byPath {
				g.Files = append(g.Files, m)
			}
			sort.Slice(g.Files, func(a, b int) bool { return g.Files[a].AbsPath() < g.Files[b].AbsPath() })
			groups = append(groups, g)
		}
		return nil
	})
	if err != nil {
		return groups, err
	}
	return groups, bad.err(db.path)
}

// preferRecord says whether m should stand for its path instead of cur: the
// record of the job being reported first, then the newest job's.
func preferRecord(m, cur FileRecord, jobID uint64) bool {
	if (m.JobID == jobID) != (cur.JobID == jobID) {
		return m.JobID == jobID
	}
	return m.JobID > cur.JobID
}
