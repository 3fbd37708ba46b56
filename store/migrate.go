package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// migrateBatch is how many index entries one transaction of
// migrateCompactIndexes converts: a transaction holds the pages it changes
// in memory until it commits, so a million-file library is converted in
// steps of a few MB.
const migrateBatch = 20000

var errConverted = errors.New("the indexes are already compact")

// migrateCompactIndexes converts the SHA-256 and path indexes of a library
// in the plain layout into the compact one (indexes.go), batch entries a
// transaction. The old buckets stay, and are read, until the last
// transaction deletes them and writes the schema version: a conversion cut
// short (a crash, a full disk) leaves the library as it was, with partial
// new buckets that the next open empties and converts again.
func migrateCompactIndexes(db *DB, batch int) error {
	update := func(fn func(tx *bolt.Tx) error) error {
		return guard(db.path, func() error { return db.h.bolt.Update(fn) })
	}
	err := update(func(tx *bolt.Tx) error {
		if layoutOf(tx).hashed {
			return errConverted // nothing to convert: never empty the indexes
		}
		for _, name := range [][]byte{compactLayout.sha, compactLayout.paths} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errConverted) {
		return nil
	}
	if err != nil {
		return err
	}
	toSHA := func(k, _ []byte) ([]byte, []byte, bool) {
		if len(k) < 32+10 {
			return nil, nil, false // damaged: Check reports it, and a rescan writes it anew
		}
		return compactLayout.shaKey(k[:32], k[32:]), nil, true
	}
	toPath := func(k, v []byte) ([]byte, []byte, bool) {
		if len(v) < 10 {
			return nil, nil, false
		}
		abs := string(k)
		return compactLayout.pathKey(abs), compactLayout.pathEntry(abs, v, nil), true
	}
	// The SHA-256 keys keep their order, the hashed paths have none.
	if err := convertIndex(update, plainLayout.sha, compactLayout.sha, orderedFillPercent, batch, toSHA); err != nil {
		return err
	}
	if err := convertIndex(update, plainLayout.paths, compactLayout.paths, bolt.DefaultFillPercent, batch, toPath); err != nil {
		return err
	}
	return update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{plainLayout.sha, plainLayout.paths} {
			if tx.Bucket(name) != nil {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		// Writing the current version says every index is current: the
		// look-alike index too, when this library's version predates it
		// (Open rebuilds it first; a conversion run on its own may not have).
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(keySchema); len(v) == 8 && be.Uint64(v) < nearIndexSchema {
			if err := migrateNearIndex(tx); err != nil {
				return err
			}
		}
		// The path stamps come next (migratePathStamps), in their own steps.
		return meta.Put(keySchema, u64(pathStampSchema-1))
	})
}

// migratePathStamps gives every path index entry of a library written
// before schema 6 the stamp of the record it names (pathstamp.go), batch
// records a transaction in the files bucket's order, and writes the
// schema version in the last one. Cut short, it starts again at the next
// read-write open; entries already stamped are left as they are. A record
// that cannot be read, or that its path's entry does not name, changes
// nothing: the next scan of that path reads its record, as before.
func migratePathStamps(db *DB, batch int) error {
	update := func(fn func(tx *bolt.Tx) error) error {
		return guard(db.path, func() error { return db.h.bolt.Update(fn) })
	}
	var after []byte
	for done := false; !done; {
		err := update(func(tx *bolt.Tx) error {
			l := layoutOf(tx)
			paths := tx.Bucket(l.paths)
			c := tx.Bucket(bucketFiles).Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for n := 0; k != nil && n < batch; k, v = c.Next() {
				after, n = bytes.Clone(k), n+1
				if err := stampPathEntry(l, paths, k, v); err != nil {
					return err
				}
			}
			if done = k == nil; done {
				return tx.Bucket(bucketMeta).Put(keySchema, u64(SchemaVersion))
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("cannot stamp the path index of %s: %w", db.path, err)
		}
	}
	return nil
}

// stampPathEntry stamps the path index entry of the record (k, v) when the
// entry names it and has no stamp yet.
func stampPathEntry(l indexLayout, paths *bolt.Bucket, k, v []byte) error {
	if !l.hashed || isGone(v) {
		return nil
	}
	if st, _, err := fileHeader(v); err != nil || (st != media.StatusDone && st != media.StatusSkipped) {
		return nil
	}
	var r FileRecord
	if decodeFile(k, v, &r) != nil {
		return nil
	}
	abs := r.AbsPath()
	pk := l.pathKey(abs)
	e, err := parsePathValue(abs, paths.Get(pk))
	if err != nil || e.stamp != nil || e.job != r.JobID || e.root != r.RootIndex || e.rel != r.RelPath {
		return nil
	}
	if nv := l.pathEntry(abs, k, &r); len(nv) != len(paths.Get(pk)) { // else it holds its relative path: no stamp
		return paths.Put(pk, nv)
	}
	return nil
}

// convertIndex puts every entry of the bucket from, converted, into the
// bucket to, batch entries a transaction, in from's order.
func convertIndex(update func(func(*bolt.Tx) error) error, from, to []byte, fill float64, batch int,
	conv func(k, v []byte) (nk, nv []byte, ok bool)) error {
	var after []byte
	for done := false; !done; {
		err := update(func(tx *bolt.Tx) error {
			src := tx.Bucket(from)
			if src == nil {
				done = true
				return nil
			}
			dst := tx.Bucket(to)
			dst.FillPercent = fill
			cur := src.Cursor()
			k, v := cur.First()
			if after != nil {
				if k, v = cur.Seek(after); bytes.Equal(k, after) {
					k, v = cur.Next()
				}
			}
			for n := 0; k != nil && n < batch; k, v = cur.Next() {
				if nk, nv, ok := conv(k, v); ok {
					if err := dst.Put(nk, nv); err != nil {
						return err
					}
				}
				after, n = bytes.Clone(k), n+1
			}
			done = k == nil
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
