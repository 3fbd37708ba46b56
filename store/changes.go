package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// JobKind is what a job does.
type JobKind string

const (
	KindScan JobKind = "scan" // analyse the files under the job's roots
	KindDups JobKind = "dups" // act on duplicate copies: a change run made from a plan
	KindUndo JobKind = "undo" // put back what one change run changed
)

// ChangeRun is what a change run is about, beside its job's counts.
type ChangeRun struct {
	// Action is the plan's action (quarantine, trash or hardlink) for a dups
	// run; "restore" for an undo run.
	Action string `json:"action"`
	// Protect is every protected folder the run was checked against: the
	// plan's and the library's. Each item is checked against it again just
	// before it is acted on.
	Protect []string `json:"protect,omitempty"`
	// Quarantine is the quarantine folder beside the library for this run
	// (files on other volumes go to .shoebox-quarantine at their volume's
	// top; each item says where it went).
	Quarantine string `json:"quarantine,omitempty"`
	// Bytes is the total size of the files the run has changed so far.
	Bytes int64 `json:"bytes"`
	// UndoOf is, for an undo run, the run it undoes.
	UndoOf uint64 `json:"undo_of,omitempty"`
	// UndoneBy is the undo run started on this run, once there is one.
	UndoneBy uint64 `json:"undone_by,omitempty"`
	// Undone is set when that undo run has completed.
	Undone bool `json:"undone,omitempty"`
	// LeftAlone says what the plan held that the run does not act on (look-
	// alike groups not approved), for its summary.
	LeftAlone string `json:"left_alone,omitempty"`
}

// ChangeState is where one change item is in its life.
type ChangeState string

const (
	ChangePending ChangeState = "pending" // nothing done yet
	// ChangeStarted is the journal's intent: stored before the filesystem is
	// touched. An item found started after a crash is looked at on disk to
	// learn how far it got.
	ChangeStarted ChangeState = "started"
	ChangeDone    ChangeState = "done"    // changed and verified
	ChangeSkipped ChangeState = "skipped" // left alone on purpose (changed since the scan, ...); Reason says why
	ChangeError   ChangeState = "error"   // could not be done; the file is where it was, Reason says why
)

// ChangeItem is one file of a change run and its journal entry. Paths are
// absolute.
type ChangeItem struct {
	JobID uint64 `json:"job"`
	Seq   uint64 `json:"seq"`
	// Op is the operation: quarantine, trash or hardlink for a dups run,
	// restore for an undo run (Undoes then says which).
	Op     string `json:"op"`
	Undoes string `json:"undoes,omitempty"`
	Group  int    `json:"group"` // the plan's group index
	// Path is the file acted on: the copy removed, or for a restore the
	// path it is put back at.
	Path string `json:"path"`
	// Size, MtimeNS and SHA256 are Path's as the plan was made from them.
	// Mode is its permission bits, to recreate it on undo of a hard link.
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
	SHA256  string `json:"sha256"`
	Mode    uint32 `json:"mode,omitempty"`
	// Keep is the file its group keeps, with what it was when planned.
	Keep       string `json:"keep,omitempty"`
	KeepSize   int64  `json:"keep_size,omitempty"`
	KeepMtime  int64  `json:"keep_mtime_ns,omitempty"`
	KeepSHA256 string `json:"keep_sha256,omitempty"`
	// Dest is where the file's bytes go (the quarantine or trash path), or
	// for a hard link the temporary link made beside Path. It is decided and
	// stored with the intent, before anything moves.
	Dest string `json:"dest,omitempty"`
	// TrashInfo is the .trashinfo file reserved for it (Linux trash), and
	// Trash the trash folder.
	TrashInfo string `json:"trash_info,omitempty"`
	Trash     string `json:"trash,omitempty"`
	// FromSeq is, for a restore, the item of the undone run it reverses.
	FromSeq  uint64         `json:"from_seq,omitempty"`
	Organise *OrganiseEntry `json:"organise,omitempty"` // an organise run's ledger entry (organise.go)
	Dates    *DatesEntry    `json:"dates,omitempty"`    // a dates run's write (corrections.go)

	State     ChangeState `json:"state"`
	Reason    string      `json:"reason,omitempty"`
	StartedAt time.Time   `json:"started_at,omitzero"`
	DoneAt    time.Time   `json:"done_at,omitzero"`
}

// Key is the item's key in the changes bucket.
func (c *ChangeItem) Key() []byte { return changeKey(c.JobID, c.Seq) }

// changeKey orders a run's items by their sequence number.
func changeKey(job, seq uint64) []byte {
	k := make([]byte, 16)
	be.PutUint64(k, job)
	be.PutUint64(k[8:], seq)
	return k
}

// Finished says whether the item needs no more work in its run.
func (c *ChangeItem) Finished() bool {
	return c.State != ChangePending && c.State != ChangeStarted
}

// CreateChangeRun stores a new change run and all its items (pending), in
// one transaction: a run exists with its whole list or not at all. The job
// gets the next ID; items are numbered from 1. When undone is given (the
// run an undo run undoes), its Change.UndoneBy is set to the new run and
// stored in the same transaction.
func (db *DB) CreateChangeRun(j *Job, items []ChangeItem, undone *Job) error {
	return db.update(func(tx *bolt.Tx) error {
		id, err := tx.Bucket(bucketJobs).NextSequence()
		if err != nil {
			return err
		}
		j.ID = id
		j.Listed, j.ProgressTotal = true, len(items)
		for i := range items {
			items[i].JobID, items[i].Seq = id, uint64(i+1)
			if err := putChange(tx, &items[i]); err != nil {
				return err
			}
		}
		if undone != nil && undone.Change != nil {
			undone.Change.UndoneBy = id
			if err := putJob(tx, undone); err != nil {
				return err
			}
		}
		return putJob(tx, j)
	})
}

// PutChange writes one item on its own: the journal's intent, before the
// file is touched.
func (db *DB) PutChange(c *ChangeItem) error {
	return db.update(func(tx *bolt.Tx) error { return putChange(tx, c) })
}

// CommitChanges writes finished items and the run's progress in one
// transaction, with any other jobs given (the run an undo run completes).
func (db *DB) CommitChanges(j *Job, items []ChangeItem, also ...*Job) error {
	err := db.update(func(tx *bolt.Tx) error {
		for i := range items {
			if err := putChange(tx, &items[i]); err != nil {
				return err
			}
		}
		for _, o := range also {
			if err := putJob(tx, o); err != nil {
				return err
			}
		}
		return putJob(tx, j)
	})
	if err == nil {
		db.commits.Add(1)
	}
	return err
}

func putChange(tx *bolt.Tx, c *ChangeItem) error {
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	b := tx.Bucket(bucketChanges)
	if b == nil {
		return fmt.Errorf("the library has no change journal: %w", ErrDamaged)
	}
	return b.Put(c.Key(), v)
}

// UnfinishedChangesAfter returns up to limit items of a run that are pending
// or started, in order, after the stored key after (nil: from the first).
func (db *DB) UnfinishedChangesAfter(jobID uint64, after []byte, limit int) (items []ChangeItem, last []byte, err error) {
	err = db.scanChanges(jobID, after, func(k []byte, c ChangeItem) bool {
		if !c.Finished() {
			items, last = append(items, c), append([]byte(nil), k...)
		}
		return len(items) < limit
	})
	return items, last, err
}

// Changes lists every item of a run in order.
func (db *DB) Changes(jobID uint64) ([]ChangeItem, error) {
	var items []ChangeItem
	err := db.scanChanges(jobID, nil, func(_ []byte, c ChangeItem) bool {
		items = append(items, c)
		return true
	})
	return items, err
}

// EachChange calls fn on every item of a run in order, one at a time (a
// run of a million items is not held at once), until fn returns false.
func (db *DB) EachChange(jobID uint64, fn func(ChangeItem) bool) error {
	return db.scanChanges(jobID, nil, func(_ []byte, c ChangeItem) bool { return fn(c) })
}

// scanChanges calls fn on the run's items after the key after until it
// returns false. An item that cannot be decoded is an error naming it: a
// change run must never skip part of its journal silently.
func (db *DB) scanChanges(jobID uint64, after []byte, fn func(k []byte, c ChangeItem) bool) error {
	return db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChanges)
		if b == nil {
			return nil // an older library: no change run yet
		}
		prefix := u64(jobID)
		c := b.Cursor()
		var k, v []byte
		if after == nil {
			k, v = c.Seek(prefix)
		} else {
			k, v = c.Seek(after)
			if bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var item ChangeItem
			if err := json.Unmarshal(v, &item); err != nil { // copies out of the mmap
				return &DamagedRecords{Path: db.path, Count: 1,
					First: fmt.Sprintf("change %d of job %d: %v", be.Uint64(k[8:]), jobID, err)}
			}
			if !fn(k, item) {
				return nil
			}
		}
		return nil
	})
}

// ChangePreferences are the library's own choices for change runs, shared
// by the window and the command line: the keeper rules' order, the
// protected folders (refused by the core whatever asks) and the action.
type ChangePreferences struct {
	KeepRules []string `json:"keep_rules,omitempty"`
	Protect   []string `json:"protect,omitempty"`
	Action    string   `json:"action,omitempty"`
}

// ChangePreferences reads the library's preferences (zero when never set).
func (db *DB) ChangePreferences() (ChangePreferences, error) {
	var p ChangePreferences
	err := db.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(keyPrefs)
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &p); err != nil {
			return &DamagedRecords{Path: db.path, Count: 1, First: "change preferences: " + err.Error()}
		}
		return nil
	})
	return p, err
}

// SetChangePreferences stores the library's preferences.
func (db *DB) SetChangePreferences(p ChangePreferences) error {
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	// Preferences say which copy a plan keeps, not which files are copies.
	return db.updateKeepingGroups(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyPrefs, v) })
}
