package store

import (
	"sort"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// LatestFiles returns, for every absolute path the library knows, the record
// that stands for it: its latest analysis (done or skipped) from the newest
// job that analysed it, as the paths bucket and ExactDuplicates pick it; a
// path never analysed is represented by its newest record (pending or
// error), so a caller can say why it has no analysis. A file rescanned by
// several jobs counts once, so a rescan is not its own copy. An older
// analysis is only as true as the file is unchanged: a caller compares the
// record's size and modification time with the disk before trusting it, as
// a rescan does before reusing it. The records come sorted by absolute path.
// A record that cannot be decoded is skipped and counted: the others are
// returned with a *DamagedRecords error.
func (db *DB) LatestFiles() ([]FileRecord, error) {
	var out []FileRecord
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		out, bad = nil, skipped{}
		byPath := latestByPath{}
		c := tx.Bucket(bucketFiles).Cursor()
		// Keys start with the big-endian job ID, so a later job's record
		// comes after an earlier one's.
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if isGone(v) {
				continue // a job's mark for a file of its base it did not find
			}
			var r FileRecord
			if err := decodeFile(k, v, &r); err != nil {
				bad.add("file record", k, err)
				continue
			}
			byPath.keep(r)
		}
		out = byPath.records()
		return nil
	})
	return out, db.readErr(err, bad)
}

// latestByPath is, for each absolute path, the record that stands for it:
// an analysis wins over an earlier record and over a later one without an
// analysis (LatestFiles). Records are given in job order.
type latestByPath map[string]FileRecord

func (m latestByPath) keep(r FileRecord) {
	abs := r.AbsPath()
	if cur, ok := m[abs]; !ok || analysed(r) || !analysed(cur) {
		m[abs] = r
	}
}

// records are the records kept, sorted by absolute path.
func (m latestByPath) records() []FileRecord {
	out := make([]FileRecord, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sortByPath(out)
	return out
}

func sortByPath(recs []FileRecord) {
	sort.Slice(recs, func(a, b int) bool { return recs[a].AbsPath() < recs[b].AbsPath() })
}

// readErr is a read's error: the transaction's, else the count of records
// it skipped as damaged (*DamagedRecords), else nil.
func (db *DB) readErr(err error, bad skipped) error {
	if err != nil {
		return err
	}
	return bad.err(db.path)
}

// analysed says whether a record holds an analysis (what the paths bucket
// points to), rather than a file listed but not reached, or one that failed.
func analysed(r FileRecord) bool {
	return r.Status == media.StatusDone || r.Status == media.StatusSkipped
}
