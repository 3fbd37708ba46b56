package store

import (
	"errors"

	"shoebox/media"
)

// DefaultEachBatch is how many records EachFile reads in one transaction:
// enough that a million files take a thousand transactions, few enough that
// a batch of decoded records stays in the low megabytes.
const DefaultEachBatch = 1000

// EachFile calls fn with every file of a job's view in processing order,
// never holding more than one batch of records: each batch is read (copied
// out) in a read transaction of its own, which is closed before fn sees it,
// so fn may take its time and even write to the library. A record that
// cannot be decoded is skipped and counted: the walk goes on and ends with a
// *DamagedRecords error for all of them. An error from fn stops the walk and
// is returned.
func (db *DB) EachFile(jobID uint64, fn func(FileRecord) error) error {
	return db.EachFileBatch(jobID, DefaultEachBatch, func(batch []FileRecord) error {
		for i := range batch {
			if err := fn(batch[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// EachFileBatch is EachFile handing fn batches of at most size records
// (DefaultEachBatch when size <= 0); fn must not keep the slice.
func (db *DB) EachFileBatch(jobID uint64, size int, fn func([]FileRecord) error) error {
	if size <= 0 {
		size = DefaultEachBatch
	}
	var after []byte
	var damaged *DamagedRecords
	for {
		recs, last, err := db.scanFiles(jobID, after, size, func(media.Status) bool { return true })
		var d *DamagedRecords
		if errors.As(err, &d) {
			if damaged == nil {
				damaged = &DamagedRecords{Path: d.Path, First: d.First}
			}
			damaged.Count += d.Count
		} else if err != nil {
			return err
		}
		if len(recs) > 0 {
			if err := fn(recs); err != nil {
				return err
			}
		}
		if len(recs) < size || last == nil {
			break
		}
		after = last
	}
	if damaged != nil {
		return damaged
	}
	return nil
}
