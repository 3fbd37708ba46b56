package store

import (
	"bytes"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// HashedFile is one file's perceptual hashes, for near-duplicate search.
type HashedFile struct {
	Key           []byte
	PHash, DHash  uint64
	Width, Height int
}

// PerceptualHashes lists the hashes of a job's files, in path order, from
// the look-alike index (EachNearEntry).
func (db *DB) PerceptualHashes(jobID uint64) ([]HashedFile, error) {
	var out []HashedFile
	err := db.EachNearEntry(jobID, func(e NearEntry) {
		if e.HasPHash {
			out = append(out, HashedFile{Key: bytes.Clone(e.Key), PHash: e.PHash, DHash: e.DHash, Width: e.Width, Height: e.Height})
		}
	})
	return out, err
}

// FileByKey reads one file record: a job's own, or the one its base holds
// for it (view.go).
func (db *DB) FileByKey(k []byte) (FileRecord, error) {
	var r FileRecord
	err := db.view(func(tx *bolt.Tx) error { return (&viewFiles{tx: tx}).read(k, &r) })
	return r, err
}

// viewFiles reads records of jobs' views by key in one transaction,
// learning each job's base once: decoding the job for every inherited
// record took a sixth of reading the groups kept at a million files.
type viewFiles struct {
	tx    *bolt.Tx
	bases map[uint64]uint64 // job -> its base (baseOf)
}

func (vf *viewFiles) baseOf(jobID uint64) uint64 {
	base, ok := vf.bases[jobID]
	if !ok {
		if vf.bases == nil {
			vf.bases = map[uint64]uint64{}
		}
		base = baseOf(vf.tx, jobID)
		vf.bases[jobID] = base
	}
	return base
}

// read reads the record of a key of a job's view: the job's own, or the
// one its base holds for it.
func (vf *viewFiles) read(k []byte, r *FileRecord) error {
	e, err := vf.stored(k)
	if err != nil {
		return err
	}
	return decodeEntry(e, r)
}

// stored is the stored value of a key of a job's view, not decoded: the
// job's own, or the one its base holds for it (inherited).
func (vf *viewFiles) stored(k []byte) (viewEntry, error) {
	files := vf.tx.Bucket(bucketFiles)
	if v := files.Get(k); v != nil {
		if isGone(v) {
			return viewEntry{}, ErrNotFound
		}
		return viewEntry{k: k, v: v}, nil
	}
	if len(k) < 10 {
		return viewEntry{}, ErrNotFound
	}
	base := vf.baseOf(be.Uint64(k))
	if base == 0 {
		return viewEntry{}, ErrNotFound
	}
	bv := files.Get(append(jobKey(base), k[8:]...))
	if bv == nil || isGone(bv) {
		return viewEntry{}, ErrNotFound
	}
	return viewEntry{k: k, v: bv, inherited: true}, nil
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
//
// It reads the SHA-256 index, not the job: a run of index entries with one
// hash is decoded only when it has two entries or more, so memory and time
// follow the duplicates, not the library. The groups come in the job's
// processing order (of their first file in the job). A record of the job
// met there that cannot be decoded is skipped and counted (*DamagedRecords);
// one whose hash has no copy is not met: the job's own walk (EachFile)
// counts it.
func (db *DB) ExactDuplicates(jobID uint64) ([]DupGroup, error) {
	type placed struct {
		at []byte // the key of the group's first file in the job
		g  DupGroup
	}
	var found []placed
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		found, bad = nil, skipped{}
		l := layoutOf(tx)
		files, shaIdx := tx.Bucket(bucketFiles), tx.Bucket(l.sha)
		base := baseOf(tx, jobID)
		// inJob says whether a record is in the job's view, and makes an
		// inherited one the job's (view.go).
		inJob := func(m *FileRecord) bool {
			if m.JobID == jobID {
				return true
			}
			if base != 0 && m.JobID == base && files.Get(fileKey(jobID, m.RootIndex, m.RelPath)) == nil {
				m.JobID, m.Reused = jobID, true
				return true
			}
			return false
		}
		pages := pageDropper{db: db, tx: tx} // the whole index is walked (mapped.go)
		c := shaIdx.Cursor()
		var entries [][]byte // one run's index keys
		k, _ := c.First()
		for k != nil {
			pages.read(len(k))
			if len(k) < l.shaPrefix {
				k, _ = c.Next()
				continue
			}
			// Index keys are bbolt's memory, which stays in place for the
			// transaction: nothing is copied nor made of a run until it
			// has two entries, and a million files have a million runs of
			// one.
			sum := k[:l.shaPrefix]
			entries = entries[:0]
			for ; k != nil && bytes.HasPrefix(k, sum); k, _ = c.Next() {
				entries = append(entries, k)
			}
			if len(entries) < 2 {
				continue
			}
			var run [][]byte
			for _, e := range entries {
				if fk := l.shaFileKey(e); fk != nil {
					run = append(run, bytes.Clone(fk))
				}
			}
			if len(run) < 2 {
				continue
			}
			for _, g := range exactGroups(files, run, jobID, inJob, &bad) {
				found = append(found, placed{at: g.at, g: g.g})
			}
		}
		return nil
	})
	sort.Slice(found, func(a, b int) bool { return bytes.Compare(found[a].at, found[b].at) < 0 })
	groups := make([]DupGroup, len(found))
	for i := range found {
		groups[i] = found[i].g
	}
	if err != nil {
		return groups, err
	}
	return groups, bad.err(db.path)
}

// exactGroups are the groups of one run of the SHA-256 index, whose keys
// share a prefix of the SHA-256 (indexes.go): its files by full SHA-256, each
// path once (preferRecord), where there are two or more and one is in the
// job; at is the key in the job of a group's first file there.
func exactGroups(files *bolt.Bucket, run [][]byte, jobID uint64, inJob func(*FileRecord) bool, bad *skipped) []struct {
	g  DupGroup
	at []byte
} {
	bySum := map[string]map[string]FileRecord{}
	ats := map[string][]byte{}
	for _, fk := range run {
		fv := files.Get(fk)
		if fv == nil || isGone(fv) {
			continue
		}
		var m FileRecord
		if err := decodeFile(fk, fv, &m); err != nil {
			if len(fk) >= 10 && be.Uint64(fk) == jobID {
				bad.add("file record", fk[10:], err)
			}
			continue
		}
		if inJob(&m) {
			if k, at := m.Key(), ats[m.SHA256]; at == nil || bytes.Compare(k, at) < 0 {
				ats[m.SHA256] = k
			}
		}
		byPath := bySum[m.SHA256]
		if byPath == nil {
			byPath = map[string]FileRecord{}
			bySum[m.SHA256] = byPath
		}
		abs := m.AbsPath()
		if cur, ok := byPath[abs]; !ok || preferRecord(m, cur, jobID) {
			byPath[abs] = m
		}
	}
	var out []struct {
		g  DupGroup
		at []byte
	}
	for sum, byPath := range bySum {
		if len(byPath) < 2 || ats[sum] == nil || sum == "" {
			continue
		}
		g := DupGroup{SHA256: sum}
		for _, m := range byPath {
			g.Files = append(g.Files, m)
		}
		sort.Slice(g.Files, func(a, b int) bool { return g.Files[a].AbsPath() < g.Files[b].AbsPath() })
		out = append(out, struct {
			g  DupGroup
			at []byte
		}{g, ats[sum]})
	}
	return out
}

// preferRecord says whether m should stand for its path instead of cur: the
// record of the job being reported first, then the newest job's.
func preferRecord(m, cur FileRecord, jobID uint64) bool {
	if (m.JobID == jobID) != (cur.JobID == jobID) {
		return m.JobID == jobID
	}
	return m.JobID > cur.JobID
}
