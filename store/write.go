package store

import (
	bolt "go.etcd.io/bbolt"
)

// update runs fn in a write transaction, guarded like view (damage.go).
// Every write of the library goes through here, so a test can make any one
// of them fail the way a full disk or a failing drive would
// (Options.WriteFault) and check that the engine loses nothing.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	return db.noteDamage(guard(db.path, func() error { return db.bolt.Update(db.faulty(fn)) }))
}

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
