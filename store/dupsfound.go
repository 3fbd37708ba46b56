package store

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Duplicate groups found, kept in the library (issue 14: "Duplicates: first
// groups < 1 s"). At a million files a search for a job's groups takes
// seconds and hundreds of megabytes, and its answer changes only when the
// library does. So the groups found are kept, each set under a name the
// engine chooses (job, distance, scope), and the bucket says through which
// bbolt transaction they are all current (keyFoundThrough): they are the
// library's answer while no other transaction has committed since, which
// bbolt's transaction ID tells without trusting anyone to say what changed.
// A rescan, a change run, another program: any write moves the ID on and
// the groups are found again.
//
// The few writes that cannot change a group (a date decision, the change
// preferences, the size a compaction measured) carry the groups over to
// their own transaction (updateKeepingGroups): a person who sets dates in
// the window does not wait for a search on the next visit to Duplicates.
//
// A compaction copies the groups only while they are current, and marks
// them current through the copy's last transaction (compact.go): the
// compacted file counts its transactions from one again.

// bucketDupsFound holds name -> stamp(8) + foundDeflated(1) + JSON
// []foundGroup deflated (RFC 1951), the stamp being the transaction that
// saved the set, and keyFoundThrough. A set saved before foundDeflated is
// the JSON itself, which is read as well. It is made
// by the first save, not at open: a library compacted under a running handle
// lacks it until then, and a read of a library without it finds nothing.
var bucketDupsFound = []byte("dupsfound")

// keyFoundThrough, in bucketDupsFound, is the last transaction through which
// every set kept is current (8 bytes, big-endian). No set's name is this
// short. A library saved before the key existed has none: its sets are
// taken as out of date and dropped by the next save.
var keyFoundThrough = []byte("through")

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
// that were current at seen stay current; otherwise they are dropped, so
// the bucket holds only what can still be used.
func (db *DB) SaveDupGroups(seen uint64, sets ...FoundGroups) (bool, error) {
	return db.writeFound(seen, func(tx *bolt.Tx, b *bolt.Bucket) error {
		if foundThrough(b) != seen {
			if err := dropFound(b); err != nil {
				return err
			}
		}
		for _, s := range sets {
			if err := putFound(tx, b, s.Name, keptGroups(s.Groups)); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeFound writes kept sets (fill) in the transaction right after
// transaction after, and marks every set in the bucket current through it.
// It writes nothing and says false when another transaction committed
// since after: what the sets were found from may have changed.
func (db *DB) writeFound(after uint64, fill func(tx *bolt.Tx, b *bolt.Bucket) error) (bool, error) {
	saved := false
	err := db.update(func(tx *bolt.Tx) error {
		if uint64(tx.ID()) != after+1 {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(bucketDupsFound)
		if err != nil {
			return err
		}
		if err := fill(tx, b); err != nil {
			return err
		}
		saved = true
		return b.Put(keyFoundThrough, u64(uint64(tx.ID())))
	})
	if err != nil {
		return false, fmt.Errorf("cannot keep the duplicate groups found in %s: %w", db.path, err)
	}
	return saved, nil
}

// foundThrough is the transaction through which the sets in b are current;
// 0 when it does not say.
func foundThrough(b *bolt.Bucket) uint64 {
	if v := b.Get(keyFoundThrough); len(v) == 8 {
		return be.Uint64(v)
	}
	return 0
}

// dropFound deletes every set kept in b.
func dropFound(b *bolt.Bucket) error {
	var names [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		names = append(names, append([]byte(nil), k...))
	}
	for _, k := range names {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// keepFoundCurrent carries the groups kept over a write that cannot change
// any of them, when they were current just before it: the write is the
// only transaction since.
func keepFoundCurrent(tx *bolt.Tx) error {
	b := tx.Bucket(bucketDupsFound)
	if b == nil || foundThrough(b) != uint64(tx.ID())-1 {
		return nil
	}
	return b.Put(keyFoundThrough, u64(uint64(tx.ID())))
}

// foundCurrentIn says whether the groups kept in tx are current in it.
func foundCurrentIn(tx *bolt.Tx) bool {
	b := tx.Bucket(bucketDupsFound)
	return b != nil && foundThrough(b) == uint64(tx.ID())
}

// updateKeepingGroups is update for a write that cannot change any
// duplicate group: it touches no file record, job, index or change run.
func (db *DB) updateKeepingGroups(fn func(*bolt.Tx) error) error {
	return db.update(func(tx *bolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return keepFoundCurrent(tx)
	})
}

// keptGroups is groups as kept: their files by record key.
func keptGroups(groups []DupGroup) []foundGroup {
	out := make([]foundGroup, len(groups))
	for i, g := range groups {
		keys := make([][]byte, len(g.Files))
		for j := range g.Files {
			keys[j] = g.Files[j].Key()
		}
		out[i] = foundGroup{Near: g.Near, SHA256: g.SHA256, MaxDistance: g.MaxDistance, Evidence: g.Evidence, Keys: keys}
	}
	return out
}

// foundDeflated follows the stamp of a set kept deflated. Kept as JSON, the
// groups of a million-file library searched at distance 12 took 6.8 MB a
// set, mostly keys and evidence that repeat each other's paths, and put the
// library over 600 MB.
const foundDeflated = 0x01

// putFound keeps a set under name, stamped with the transaction saving it.
func putFound(tx *bolt.Tx, b *bolt.Bucket, name []byte, groups []foundGroup) error {
	var v bytes.Buffer
	v.Write(u64(uint64(tx.ID())))
	v.WriteByte(foundDeflated)
	z, err := flate.NewWriter(&v, flate.DefaultCompression)
	if err != nil {
		return err
	}
	if err := json.NewEncoder(z).Encode(groups); err != nil {
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	return b.Put(name, v.Bytes())
}

// decodeFound reads a set as putFound kept it, deflated or, saved by an
// older Shoebox, as plain JSON.
func decodeFound(v []byte, kept *[]foundGroup) error {
	if len(v) < 9 {
		return errors.New("the set is cut short")
	}
	if v[8] != foundDeflated {
		return json.Unmarshal(v[8:], kept)
	}
	d := json.NewDecoder(flate.NewReader(bytes.NewReader(v[9:])))
	if err := d.Decode(kept); err != nil {
		return err
	}
	if d.More() {
		return errors.New("the set goes on after its groups")
	}
	return nil
}

// SavedDupGroups reads the groups kept under name, with their files' whole
// records, when they are still the library's answer (no transaction has
// committed since they were saved). ok is false when there are none, when
// they are out of date, or when one of their records can no longer be
// read: the caller then searches again, which reports what is damaged.
func (db *DB) SavedDupGroups(name []byte) (groups []DupGroup, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		groups, ok = nil, false
		if !foundCurrentIn(tx) {
			return nil
		}
		var kept []foundGroup
		if decodeFound(tx.Bucket(bucketDupsFound).Get(name), &kept) != nil {
			return nil // none, or a damaged set: found again, not trusted
		}
		groups = make([]DupGroup, len(kept))
		in := viewFiles{tx: tx}
		// The groups' files lie all over the file, and the kernel maps the
		// pages around each one read (mapped.go): reading the kept groups
		// of a million-file library left 175 MB of it resident.
		pages := pageDropper{db: db, tx: tx}
		for i, g := range kept {
			groups[i] = DupGroup{Near: g.Near, SHA256: g.SHA256, MaxDistance: g.MaxDistance, Evidence: g.Evidence,
				Files: make([]FileRecord, len(g.Keys))}
			for j, k := range g.Keys {
				pages.readScattered()
				if in.read(k, &groups[i].Files[j]) != nil {
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
