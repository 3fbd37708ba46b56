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
	err := db.view(func(tx *bolt.Tx) error {
		out = nil
		ph := tx.Bucket(bucketPHash)
		base := baseOf(tx, jobID)
		eachInView(tx, jobID, base, nil, func(e viewEntry) bool {
			at := e.k
			if e.inherited {
				at = append(jobKey(base), e.k[8:]...)
			}
			v := ph.Get(at)
			if len(v) != 24 {
				return true
			}
			out = append(out, HashedFile{
				Key:    bytes.Clone(e.k),
				PHash:  be.Uint64(v),
				DHash:  be.Uint64(v[8:]),
				Width:  int(be.Uint32(v[16:])),
				Height: int(be.Uint32(v[20:])),
			})
			return true
		})
		return nil
	})
	return out, err
}

// FileByKey reads one file record: a job's own, or the one its base holds
// for it (view.go).
func (db *DB) FileByKey(k []byte) (FileRecord, error) {
	var r FileRecord
	err := db.view(func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		v := files.Get(k)
		if v != nil {
			if isGone(v) {
				return ErrNotFound
			}
			return decodeFile(k, v, &r)
		}
		if len(k) < 10 {
			return ErrNotFound
		}
		base := baseOf(tx, be.Uint64(k))
		if base == 0 {
			return ErrNotFound
		}
		bv := files.Get(append(jobKey(base), k[8:]...))
		if bv == nil || isGone(bv) {
			return ErrNotFound
		}
		return decodeEntry(viewEntry{k: k, v: bv, inherited: true}, &r)
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
	err := db.view(func(tx *bolt.Tx) error {
		groups, bad = nil, skipped{}
		seen := map[string]bool{}
		files, shaIdx := tx.Bucket(bucketFiles), tx.Bucket(bucketSHA)
		base := baseOf(tx, jobID)
		// A record of the base that the job did not store itself is the
		// job's (view.go).
		asJobs := func(m *FileRecord) {
			if base != 0 && m.JobID == base && files.Get(fileKey(jobID, m.RootIndex, m.RelPath)) == nil {
				m.JobID, m.Reused = jobID, true
			}
		}
		eachInView(tx, jobID, base, nil, func(e viewEntry) bool {
			var r FileRecord
			if err := decodeEntry(e, &r); err != nil {
				bad.add("file record", e.k[10:], err)
				return true
			}
			if r.SHA256 == "" || seen[r.SHA256] {
				return true
			}
			seen[r.SHA256] = true
			if g, ok := exactGroup(files, shaIdx, r.SHA256, jobID, asJobs); ok {
				groups = append(groups, g)
			}
			return true
		})
		return nil
	})
	if err != nil {
		return groups, err
	}
	return groups, bad.err(db.path)
}

// exactGroup is every file of the library with the given SHA-256, each path
// once (preferRecord), when there are at least two.
func exactGroup(files, shaIdx *bolt.Bucket, sha string, jobID uint64, asJobs func(*FileRecord)) (DupGroup, bool) {
	sum, err := hex.DecodeString(sha)
	if err != nil {
		return DupGroup{}, false
	}
	byPath := map[string]FileRecord{}
	sc := shaIdx.Cursor()
	for sk, _ := sc.Seek(sum); sk != nil && bytes.HasPrefix(sk, sum); sk, _ = sc.Next() {
		fk := sk[len(sum):]
		fv := files.Get(fk)
		if fv == nil || isGone(fv) {
			continue
		}
		var m FileRecord
		if err := decodeFile(fk, fv, &m); err != nil {
			continue // counted where the scan of its own job meets it
		}
		asJobs(&m)
		abs := m.AbsPath()
		if cur, ok := byPath[abs]; !ok || preferRecord(m, cur, jobID) {
			byPath[abs] = m
		}
	}
	if len(byPath) < 2 {
		return DupGroup{}, false
	}
	g := DupGroup{SHA256: sha}
	for _, m := range byPath {
		g.Files = append(g.Files, m)
	}
	sort.Slice(g.Files, func(a, b int) bool { return g.Files[a].AbsPath() < g.Files[b].AbsPath() })
	return g, true
}

// preferRecord says whether m should stand for its path instead of cur: the
// record of the job being reported first, then the newest job's.
func preferRecord(m, cur FileRecord, jobID uint64) bool {
	if (m.JobID == jobID) != (cur.JobID == jobID) {
		return m.JobID == jobID
	}
	return m.JobID > cur.JobID
}
