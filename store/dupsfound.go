package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Duplicate groups found, kept in the library (issue 14: "Duplicates: first
// groups < 1 s"). At a million files a search for a job's groups takes
// seconds and hundreds of megabytes, and its answer changes only when the
// library does. So the groups found are kept, each set under a name the
// engine chooses (job, distance, scope), stamped with the bbolt transaction
// that wrote them: they are the library's answer while no other
// transaction has committed since, which bbolt's transaction ID tells
// without trusting anyone to say what changed. A rescan, a change run, a
// decision, another program: any write moves the ID on and the groups are
// found again.
//
// The sets are not copied by a compaction (compact.go): the compacted file
// counts its transactions from one again, so a stamp carried over could
// meet a later transaction of the same number and be taken for current.

// bucketDupsFound holds name -> stamp(8) + JSON []foundGroup. It is made by
// the first save, not at open: a library compacted under a running handle
// lacks it until then, and a read of a library without it finds nothing.
var bucketDupsFound = []byte("dupsfound")

// foundGroup is a DupGroup as kept: its files by record key, read again
// whole when the groups are.
type foundGroup struct {
	Near        bool     `json:"near,omitempty"`
	SHA256      string   `json:"sha256,omitempty"`
	MaxDistance int      `json:"max_distance,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	Keys        [][]byte `json:"keys"`
}

// FoundGroups is one set of groups to keep under a name (SaveDupGroups).
type FoundGroups struct {
	Name   []byte
	Groups []DupGroup
}

// ReadID is the library's last committed transaction: groups found from
// reads made after it can be saved with it (SaveDupGroups).
func (db *DB) ReadID() (uint64, error) {
	var id uint64
	err := db.view(func(tx *bolt.Tx) error {
		id = uint64(tx.ID())
		return nil
	})
	return id, err
}

// SaveDupGroups keeps sets of groups found from the library as it was at
// transaction seen (ReadID, taken before the search read anything). It
// saves nothing and says false when another transaction committed since
// seen: the groups may already be out of date. Kept sets of other names
// that were current at seen stay current; the others are dropped, so the
// bucket holds only what can still be used.
func (db *DB) SaveDupGroups(seen uint64, sets ...FoundGroups) (bool, error) {
	saved := false
	err := db.update(func(tx *bolt.Tx) error {
		if uint64(tx.ID()) != seen+1 {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(bucketDupsFound)
		if err != nil {
			return err
		}
		stamp := u64(uint64(tx.ID()))
		if err := restampCurrent(b, seen, stamp); err != nil {
			return err
		}
		for _, s := range sets {
			v, err := encodeFoundGroups(s.Groups)
			if err != nil {
				return err
			}
			if err := b.Put(s.Name, append(stamp[:len(stamp):len(stamp)], v...)); err != nil {
				return err
			}
		}
		saved = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("cannot keep the duplicate groups found in %s: %w", db.path, err)
	}
	return saved, nil
}

// restampCurrent moves the sets current at seen on to stamp and deletes
// the rest.
func restampCurrent(b *bolt.Bucket, seen uint64, stamp []byte) error {
	type kept struct{ k, v []byte }
	var current []kept
	var stale [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(v) >= 8 && be.Uint64(v) == seen {
			current = append(current, kept{append([]byte(nil), k...), append(append([]byte(nil), stamp...), v[8:]...)})
		} else {
			stale = append(stale, append([]byte(nil), k...))
		}
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, e := range current {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

func encodeFoundGroups(groups []DupGroup) ([]byte, error) {
	out := make([]foundGroup, len(groups))
	for i, g := range groups {
		keys := make([][]byte, len(g.Files))
		for j := range g.Files {
			keys[j] = g.Files[j].Key()
		}
		out[i] = foundGroup{Near: g.Near, SHA256: g.SHA256, MaxDistance: g.MaxDistance, Evidence: g.Evidence, Keys: keys}
	}
	return json.Marshal(out)
}

// SavedDupGroups reads the groups kept under name, with their files' whole
// records, when they are still the library's answer (no transaction has
// committed since they were saved). ok is false when there are none, when
// they are out of date, or when one of their records can no longer be
// read: the caller then searches again, which reports what is damaged.
func (db *DB) SavedDupGroups(name []byte) (groups []DupGroup, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		groups, ok = nil, false
		b := tx.Bucket(bucketDupsFound)
		if b == nil {
			return nil
		}
		v := b.Get(name)
		if len(v) < 8 || be.Uint64(v) != uint64(tx.ID()) {
			return nil
		}
		var kept []foundGroup
		if json.Unmarshal(v[8:], &kept) != nil {
			return nil // a damaged set is found again, not trusted
		}
		groups = make([]DupGroup, len(kept))
		for i, g := range kept {
			groups[i] = DupGroup{Near: g.Near, SHA256: g.SHA256, MaxDistance: g.MaxDistance, Evidence: g.Evidence,
				Files: make([]FileRecord, len(g.Keys))}
			for j, k := range g.Keys {
				if fileInView(tx, k, &groups[i].Files[j]) != nil {
					groups = nil // gone or damaged: the search says which
					return nil
				}
			}
		}
		ok = true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return groups, ok, nil
}
