package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// AnalysedRecords are records made by the real analysis (codec_test.go).
func AnalysedRecords(t testing.TB) []FileRecord { return analysedRecords(t) }

// PutPlainRecords stores recs, and their index entries, as Shoebox wrote
// them before schema 3 (and the indexes before schema 4), and sets the
// library's schema to 2: a library written by the previous version.
func PutPlainRecords(db *DB, recs []FileRecord) error {
	return db.h.bolt.Update(func(tx *bolt.Tx) error {
		if err := usePlainLayout(tx); err != nil {
			return err
		}
		for i := range recs {
			k := recs[i].Key()
			if err := putFile(tx, k, &recs[i]); err != nil { // the indexes
				return err
			}
			v, err := encodeFilePlain(&recs[i])
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketFiles).Put(k, v); err != nil {
				return err
			}
		}
		if err := oldNearIndex(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(2))
	})
}

// OldNearIndex turns a library written by this Shoebox into one written
// before the look-alike index (schema 3): its phash bucket rewritten as it
// was, 24 bytes of hashes and size for each hashed file.
func OldNearIndex(db *DB) error {
	return db.h.bolt.Update(func(tx *bolt.Tx) error {
		if err := oldNearIndex(tx); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(3))
	})
}

func oldNearIndex(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketPHash); err != nil {
		return err
	}
	ph, err := tx.CreateBucket(bucketPHash)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketFiles).ForEach(func(k, v []byte) error {
		var r FileRecord
		if isGone(v) || decodeFile(k, v, &r) != nil || !r.HasPHash {
			return nil
		}
		val := make([]byte, 24)
		be.PutUint64(val, r.PHash)
		be.PutUint64(val[8:], r.DHash)
		be.PutUint32(val[16:], uint32(r.Width))
		be.PutUint32(val[20:], uint32(r.Height))
		return ph.Put(k, val)
	})
}

// usePlainLayout puts the library's indexes in the plain layout of schema 3
// and older (indexes.go), empty.
func usePlainLayout(tx *bolt.Tx) error {
	for _, name := range [][]byte{compactLayout.sha, compactLayout.paths} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	for _, name := range [][]byte{plainLayout.sha, plainLayout.paths} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}
