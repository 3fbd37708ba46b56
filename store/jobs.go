package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// CreateJob stores a new job, giving it the next ID.
func (db *DB) CreateJob(j *Job) error {
	return db.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketJobs)
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		j.ID = id
		return putJob(tx, j)
	})
}

// PutJob writes the job record on its own.
func (db *DB) PutJob(j *Job) error {
	return db.update(func(tx *bolt.Tx) error { return putJob(tx, j) })
}

func putJob(tx *bolt.Tx, j *Job) error {
	v, err := encodeJob(j)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketJobs).Put(jobKey(j.ID), v)
}

// Job reads one job.
func (db *DB) Job(id uint64) (Job, error) {
	var j Job
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketJobs).Get(jobKey(id))
		if v == nil {
			return fmt.Errorf("job %d: %w", id, ErrNotFound)
		}
		if err := decodeJob(v, &j); err != nil { // decodeJob copies out of the mmap
			return &DamagedRecords{Path: db.path, Count: 1, First: fmt.Sprintf("job %d: %v", id, err)}
		}
		return nil
	})
	return j, err
}

// Jobs lists every job, newest first. A job record that cannot be decoded
// is skipped: the others come with a *DamagedRecords error.
func (db *DB) Jobs() ([]Job, error) {
	var jobs []Job
	var bad skipped
	err := db.view(func(tx *bolt.Tx) error {
		jobs, bad = nil, skipped{}
		c := tx.Bucket(bucketJobs).Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var j Job
			if err := decodeJob(v, &j); err != nil {
				bad.add("job", k, err)
				continue
			}
			jobs = append(jobs, j)
		}
		return nil
	})
	if err != nil {
		return jobs, err
	}
	return jobs, bad.err(db.path)
}
