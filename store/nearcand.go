package store

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Look-alike candidates (issue 14: "Duplicates: first groups < 1 s"). The
// groups kept in dupsfound.go are current only until the next write, and
// only for the distance they were found at: at a million files, an older
// scan opened from History, or a look-alike distance changed in Settings,
// meant a walk of the whole index and a search of seconds. But a finished
// job's files never change, and two files that are look-alikes at one
// distance are look-alikes at every larger one. So once, after a job
// completes, the engine searches at a large distance and keeps the files
// that search put in a group, or that share a shot's key with another file
// (app/nearcand.go): the candidates. The groups at any smaller distance are
// found among them alone, a few thousand files instead of a million.
//
// A set is kept under the job's ID with the job's view stamp (ViewStamp):
// a digest of the job's record and its base's, which every write of their
// files rewrites (progress, counts, status), and of the schema, which every
// migration of records or index moves on. A set whose stamp is not the
// view's is out of date and not used. The set is only where to look: the
// caller reads each candidate's index entry, and checks the records of the
// groups it finds against their entries (FilesOfNearEntries), as a whole
// search does.

// bucketNearCandidates holds jobKey(id) -> nearCandidatesVersion(1)
// stamp(8) distance(1) count(uvarint) then, per file in processing order,
// flags(1) len(uvarint) and its key after the job ID (root and path). It is
// made by the first save: a library without it has no candidates.
var bucketNearCandidates = []byte("nearcand")

const nearCandidatesVersion = 1

// Flags of a candidate: whether its shot keys count (the key is shared by
// between two and app's maxShotFiles files of the whole view). A key shared
// by more is no shot; among the candidates alone it could look like one.
const (
	CandidateCapture = 1 << 0 // NearEntry.Capture is a shot's key
	CandidateName    = 1 << 1 // NearEntry.NameTime is a shot's key
)

// ViewStamp identifies what a completed job's view holds: ok is false when
// the job is not completed (its files may still change) or cannot be read.
func (db *DB) ViewStamp(jobID uint64) (stamp uint64, ok bool, err error) {
	err = db.view(func(tx *bolt.Tx) error {
		stamp, _, ok = viewStamp(tx, jobID)
		return nil
	})
	return stamp, ok, err
}

// viewStamp is ViewStamp in tx, with the job's base (read on the way).
func viewStamp(tx *bolt.Tx, jobID uint64) (stamp, base uint64, ok bool) {
	jobs := tx.Bucket(bucketJobs)
	v := jobs.Get(jobKey(jobID))
	var j Job
	if v == nil || decodeJob(v, &j) != nil || j.Status != StateCompleted {
		return 0, 0, false
	}
	h := sha256.New()
	h.Write(tx.Bucket(bucketMeta).Get(keySchema))
	h.Write(u64(nearIndexSchema))
	h.Write(u64(uint64(len(v))))
	h.Write(v)
	if j.Base != 0 {
		bv := jobs.Get(jobKey(j.Base))
		if bv == nil {
			return 0, 0, false
		}
		h.Write(bv)
	}
	return binary.BigEndian.Uint64(h.Sum(nil)), j.Base, true
}

// NearCandidates is a set of candidates to keep for a job (SaveNearCandidates).
type NearCandidates struct {
	// Distance is the largest look-alike distance the set answers for.
	Distance int
	// Keys are the candidates' keys in the job (NearEntry.Key), in
	// processing order; Flags their CandidateCapture and CandidateName.
	Keys  [][]byte
	Flags []byte
}

// SaveNearCandidates keeps c for the job, found from its view as it was
// when ViewStamp said stamp. It saves nothing and says false when the view
// is no longer that one. Saving changes no duplicate group: the groups kept
// stay current.
func (db *DB) SaveNearCandidates(jobID, stamp uint64, c NearCandidates) (bool, error) {
	if len(c.Keys) != len(c.Flags) || c.Distance < 0 || c.Distance > 64 {
		return false, fmt.Errorf("candidates of job %d: %d keys, %d flags, distance %d", jobID, len(c.Keys), len(c.Flags), c.Distance)
	}
	v := []byte{nearCandidatesVersion}
	v = binary.BigEndian.AppendUint64(v, stamp)
	v = append(v, byte(c.Distance))
	v = binary.AppendUvarint(v, uint64(len(c.Keys)))
	for i, k := range c.Keys {
		if len(k) < 8 || be.Uint64(k) != jobID {
			return false, fmt.Errorf("candidates of job %d: the key %x is not the job's", jobID, k)
		}
		v = append(v, c.Flags[i])
		v = binary.AppendUvarint(v, uint64(len(k)-8))
		v = append(v, k[8:]...)
	}
	saved := false
	err := db.updateKeepingGroups(func(tx *bolt.Tx) error {
		now, _, ok := viewStamp(tx, jobID)
		if !ok || now != stamp {
			return nil
		}
		b, err := tx.CreateBucketIfNotExists(bucketNearCandidates)
		if err != nil {
			return err
		}
		saved = true
		return b.Put(jobKey(jobID), v)
	})
	if err != nil {
		return false, fmt.Errorf("cannot keep the look-alike candidates in %s: %w", db.path, err)
	}
	return saved, nil
}

// EachNearCandidate calls fn with the look-alike index entry of every
// candidate kept for the job, in processing order, and its flags. When
// the job has no current set of its own but stored no file over its base
// (an unchanged rescan), it sees what the base saw, and the base's set is
// read for it. distance is the set's; ok is false, and fn not called, when
// there is no current set (or it names a file the view lacks). An entry
// that does not decode is made from its record and counted in a
// *DamagedRecords error, as EachIndexedNear does. fn's entry is valid only
// during the call; fn must not write to the library.
func (db *DB) EachNearCandidate(jobID uint64, fn func(e NearEntry, flags byte)) (distance int, ok bool, err error) {
	if !db.nearIndex {
		return 0, false, nil
	}
	var bad skipped
	err = db.view(func(tx *bolt.Tx) error {
		bad, ok = skipped{}, false
		v := keptCandidates(tx, jobID)
		if v == nil {
			return nil
		}
		var keys [][]byte
		var flags []byte
		distance, keys, flags, ok = decodeCandidates(v, jobID)
		if !ok {
			return nil
		}
		in := viewFiles{tx: tx}
		ph := tx.Bucket(bucketPHash)
		// Each candidate's record and entry lie anywhere in the file: the
		// pages touched are given back as the reads go (mapped.go), or at a
		// million files they held 400 MB of the process's memory.
		pages := pageDropper{db: db, tx: tx}
		entries := make([]NearEntry, 0, len(keys))
		for _, k := range keys {
			pages.readScattered()
			pages.readScattered()
			fe, err := in.stored(k)
			if err != nil {
				ok = false
				return nil // the set is not this view's: search the whole view
			}
			at := k
			if fe.inherited {
				at = append(jobKey(in.baseOf(jobID)), k[8:]...)
			}
			e := NearEntry{Key: k}
			if _, err := decodeNear(ph.Get(at), &e); err == nil {
				entries = append(entries, e)
				continue
			}
			nearFromRecord(fe, &bad, func(e NearEntry) { entries = append(entries, e) })
		}
		// fn runs only once the whole set is known to be the view's.
		for i := range entries {
			fn(entries[i], flags[i])
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return distance, ok, bad.err(db.path)
}

// NearCandidatesReach is the largest distance the candidates kept for the
// job answer for (read as EachNearCandidate would); ok is false when none
// are current. It reads the set's header, not its files.
func (db *DB) NearCandidatesReach(jobID uint64) (distance int, ok bool, err error) {
	if !db.nearIndex {
		return 0, false, nil
	}
	err = db.view(func(tx *bolt.Tx) error {
		if v := keptCandidates(tx, jobID); v != nil {
			distance, ok = int(v[9]), true
		}
		return nil
	})
	return distance, ok, err
}

// keptCandidates is the current set kept for the job, or for its base when
// the job stored nothing of its own; nil when neither has one.
func keptCandidates(tx *bolt.Tx, jobID uint64) []byte {
	b := tx.Bucket(bucketNearCandidates)
	if b == nil {
		return nil
	}
	// The set kept for id, when its stamp is stamp.
	stamped := func(id, stamp uint64) []byte {
		v := b.Get(jobKey(id))
		if len(v) < 10 || v[0] != nearCandidatesVersion || be.Uint64(v[1:9]) != stamp {
			return nil
		}
		return v
	}
	stamp, base, ok := viewStamp(tx, jobID)
	if !ok {
		return nil
	}
	if v := stamped(jobID, stamp); v != nil {
		return v
	}
	if base == 0 || !ownsNone(tx, jobID) {
		return nil
	}
	baseStamp, _, ok := viewStamp(tx, base)
	if !ok {
		return nil
	}
	return stamped(base, baseStamp)
}

// decodeCandidates reads a set's value, its keys made the job's.
func decodeCandidates(v []byte, jobID uint64) (distance int, keys [][]byte, flags []byte, ok bool) {
	distance = int(v[9])
	rest := v[10:]
	n, w := binary.Uvarint(rest)
	if w <= 0 || n > uint64(len(rest)) {
		return 0, nil, nil, false
	}
	rest = rest[w:]
	keys, flags = make([][]byte, 0, n), make([]byte, 0, n)
	for range n {
		if len(rest) < 2 {
			return 0, nil, nil, false
		}
		f := rest[0]
		l, w := binary.Uvarint(rest[1:])
		if w <= 0 || l > uint64(len(rest)-1-w) {
			return 0, nil, nil, false
		}
		rest = rest[1+w:]
		keys = append(keys, append(jobKey(jobID), rest[:l]...))
		flags = append(flags, f)
		rest = rest[l:]
	}
	if len(rest) != 0 {
		return 0, nil, nil, false
	}
	return distance, keys, flags, true
}
