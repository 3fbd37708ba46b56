package store

import (
	bolt "go.etcd.io/bbolt"
)

// faulty wraps fn with the WriteFault hook.
func (db *DB) faulty(fn func(*bolt.Tx) error) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error {
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
