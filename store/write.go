package store

import (
	bolt "go.etcd.io/bbolt"
)

// faulty wraps fn with the WriteFault hook, and sets the file's growth
// step for the file as it is now (growthStep): AllocSize is read only when
// a write transaction commits, and set here inside one, so bbolt's writer
// lock orders the two.
func (db *DB) faulty(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		tx.DB().AllocSize = growthStep(tx.Size())
		if err := fn(tx); err != nil {
			return err
		}
		n := db.writes.Add(1)
		if db.fault != nil {
			// After fn, as a failed write or fsync would: the transaction did
			// all its work and is then rolled back whole.
			return db.fault(n)
		}
		return nil
	}
}
