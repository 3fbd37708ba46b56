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
		byPath := map[string]FileRecord{}
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
			abs := r.AbsPath()
			if cur, ok := byPath[abs]; !ok || analysed(r) || !analysed(cur) {
				byPath[abs] = r
			}
		}
		out = make([]FileRecord, 0, len(byPath))
		for _, r := range byPath {
			out = append(out, r)
		}
		return nil
	})
	sort.Slice(out, func(a, b int) bool { return out[a].AbsPath() < out[b].AbsPath() })
	if err != nil {
		return out, err
	}
	return out, bad.err(db.path)
}

// analysed says whether a record holds an analysis (what the paths bucket
// points to), rather than a file listed but not reached, or one that failed.
func analysed(r FileRecord) bool {
	return r.Status == media.StatusDone || r.Status == media.StatusSkipped
}
