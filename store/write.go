package store

import (
	bolt "go.etcd.io/bbolt"
)

// update runs fn in a write transaction. Every write of the library goes
// through here, so a test can make any one of them fail the way a full disk
// or a failing drive would (Options.WriteFault) and check that the engine
// loses nothing.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if db.fault != nil {
			// After fn, as a failed fsync would: the transaction did all its
			// work and is then rolled back whole.
			if err := db.fault(db.writes.Add(1)); err != nil {
				return err
			}
		}
		return nil
	})
}
