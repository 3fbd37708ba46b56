package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Carrying kept groups over to a job that sees what an earlier one saw. An
// unchanged rescan stores no file of its own (view.go): its view is its
// base's, and so its groups are those kept for a job with the same view,
// each file under the new job's ID. Every write moves the groups out of
// date (dupsfound.go), the rescan's own writes too; but the engine knows
// them to be only a job record and its listing, and so it can vouch that
// the groups current before the rescan still are (app/dups_carry.go). The
// store takes its word for what happened between, and checks the rest:
// nothing else committed since the engine looked, and the sets were
// current when they were read.

// DupGroupsKept is the sets of groups kept in the library, as they were at
// one transaction (KeptDupGroups).
type DupGroupsKept struct {
	// At is the transaction they were read in; 0 when none were current.
	At   uint64
	sets map[string][]byte // name -> stored value (stamp and JSON), copied
}

// Names is the names of the sets kept.
func (k DupGroupsKept) Names() [][]byte {
	names := make([][]byte, 0, len(k.sets))
	for n := range k.sets {
		names = append(names, []byte(n))
	}
	return names
}

// KeptDupGroups reads every set of groups kept in the library, when they
// are current.
func (db *DB) KeptDupGroups() (DupGroupsKept, error) {
	var kept DupGroupsKept
	err := db.view(func(tx *bolt.Tx) error {
		kept = DupGroupsKept{}
		if !foundCurrentIn(tx) {
			return nil
		}
		kept = DupGroupsKept{At: uint64(tx.ID()), sets: map[string][]byte{}}
		return tx.Bucket(bucketDupsFound).ForEach(func(k, v []byte) error {
			if !bytes.Equal(k, keyFoundThrough) {
				kept.sets[string(k)] = bytes.Clone(v)
			}
			return nil
		})
	})
	return kept, err
}

// GroupsCarried says which kept set becomes which: the set named From is
// kept again as To, each file key of job FromJob made one of job ToJob.
type GroupsCarried struct {
	From, To       []byte
	FromJob, ToJob uint64
}

// CarryDupGroups keeps the sets carried, current through a new
// transaction, and drops every other: kept again at each weekly rescan, the
// sets of the jobs before would pile up for as long as the library lives,
// and only the newest scan's are asked for without a search. The caller
// vouches that every transaction committed since kept.At changed none of
// the groups, and that the carried sets are the groups of their new names;
// through is the last of those transactions. It saves nothing and says
// false when another has committed since, or when no set was current at
// kept.At.
func (db *DB) CarryDupGroups(kept DupGroupsKept, through uint64, carried ...GroupsCarried) (bool, error) {
	if kept.At == 0 {
		return false, nil
	}
	return db.writeFound(through, func(tx *bolt.Tx, b *bolt.Bucket) error {
		if err := dropFound(b); err != nil {
			return err
		}
		for _, c := range carried {
			v, ok := kept.sets[string(c.From)]
			if !ok {
				continue
			}
			var groups []foundGroup
			if decodeFound(v, &groups) != nil {
				continue // a damaged set is found again, not carried
			}
			from, to := jobKey(c.FromJob), jobKey(c.ToJob)
			for _, g := range groups {
				for i, k := range g.Keys {
					if bytes.HasPrefix(k, from) {
						g.Keys[i] = append(bytes.Clone(to), k[len(from):]...)
					}
				}
			}
			if err := putFound(tx, b, c.To, groups); err != nil {
				return err
			}
		}
		return nil
	})
}

// OwnsNoFiles says whether a job stored no file of its own, not even a mark
// for a file of its base it did not find: its view is its base's (view.go).
func (db *DB) OwnsNoFiles(jobID uint64) (bool, error) {
	none := false
	err := db.view(func(tx *bolt.Tx) error {
		none = ownsNone(tx, jobID)
		return nil
	})
	return none, err
}

// SameOwnFiles says whether jobs a and b stored the same files of their own
// over their bases (view.go), at most limit each: the same paths, marked
// gone in both or with records equal but for the job they belong to and
// whether it reused them. Two rescans of a folder over the same base that
// found it as it was then see the same. More than limit files of its own,
// and the answer is false: comparing them would cost more than it saves.
// SameOwnFiles(j, j, 0) says whether j stored none.
func (db *DB) SameOwnFiles(a, b uint64, limit int) (bool, error) {
	same := false
	err := db.view(func(tx *bolt.Tx) error {
		files := tx.Bucket(bucketFiles)
		ra, rb := rangeCursor(files, a, nil), rangeCursor(files, b, nil)
		ka, va := ra.first()
		kb, vb := rb.first()
		for n := 0; ka != nil || kb != nil; n++ {
			if n >= limit || ka == nil || kb == nil || !bytes.Equal(ka[8:], kb[8:]) || !sameOwnRecord(ka, va, kb, vb) {
				return nil
			}
			ka, va = ra.next()
			kb, vb = rb.next()
		}
		same = true
		return nil
	})
	return same, err
}

// sameOwnRecord says whether two stored values are both gone marks, or
// records that decode equal but for their job and whether it reused them.
func sameOwnRecord(ka, va, kb, vb []byte) bool {
	if isGone(va) || isGone(vb) {
		return isGone(va) && isGone(vb)
	}
	var ra, rb FileRecord
	if decodeFile(ka, va, &ra) != nil || decodeFile(kb, vb, &rb) != nil {
		return false
	}
	ra.JobID, ra.Reused, rb.JobID, rb.Reused = 0, false, 0, false
	ma, err1 := marshalFile(&ra)
	mb, err2 := marshalFile(&rb)
	return err1 == nil && err2 == nil && bytes.Equal(ma, mb)
}
