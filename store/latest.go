package store

import (
	"sort"

	bolt "go.etcd.io/bbolt"
)

// LatestFiles returns, for every absolute path the library knows, its latest
// record: the one of the newest job that listed the path, whatever its
// status (pending, error, skipped or done). A file rescanned by several jobs
// counts once, as in ExactDuplicates, and a later failure or a later change
// of its bytes wins over an older analysis, so a caller that asks "is this
// still true?" never trusts a stale answer. The records come sorted by
// absolute path. A record that cannot be decoded is skipped and counted: the
// others are returned with a *DamagedRecords error.
func (db *DB) LatestFiles() ([]FileRecord, error) {
	var out []FileRecord
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		out, bad = nil, skipped{}
		byPath := map[string]FileRecord{}
		c := tx.Bucket(bucketFiles).Cursor()
		// Keys start with the big-endian job ID, so a later job's record
		// comes after (and replaces) an earlier one's.
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var r FileRecord
			if err := decodeFile(k, v, &r); err != nil {
				bad.add("file record", k, err)
				continue
			}
			byPath[r.AbsPath()] = r
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
