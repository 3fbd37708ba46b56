package app

import (
	"encoding/binary"

	"shoebox/store"
)

// Groups carried over an unchanged rescan. The groups the window and the CLI
// read are kept in the library while no write has committed since they were
// found (dups_saved.go). A scan's own writes move them out of date, and the
// rescan a script runs every week finds nothing changed: at a million files
// the next visit to Duplicates searched for 10 s (issue 14). Such a rescan
// stores no file of its own, so it sees exactly what its base saw, and the
// groups kept before it for a job with that view are its groups too.
//
// The engine vouches for the writes between (store.CarryDupGroups): the
// sets are read before the scan's job is created (groupsBefore), and carried
// only when every transaction committed since was this process's (the
// library's transaction ID moved as far as this handle's writes did, and
// its lock was never let go: store.DB.Epoch) and no other job or run was
// started meanwhile. The writes this process makes outside jobs and runs
// (a date decision, the change preferences, a job's record) change no
// group.

// groupsBefore is what was kept before a scan or change run started, and
// how far the library had gone then.
type groupsBefore struct {
	kept     store.DupGroupsKept
	epoch    uint64 // this handle's writes and lock changes (store.DB.Epoch)
	launched uint64 // jobs and runs launched in this process (Library.launched)
}

// keptBeforeJob reads the groups kept before a scan or change run is
// created; nil when none are current, or another job or run is going on.
func (l *Library) keptBeforeJob() *groupsBefore {
	l.mu.Lock()
	busy, launched := len(l.runs) > 0, l.launched
	l.mu.Unlock()
	if busy || l.db.ReadOnly() {
		return nil
	}
	epoch := l.db.Epoch()
	kept, err := l.db.KeptDupGroups()
	if err != nil || kept.At == 0 || l.db.Epoch() != epoch {
		return nil
	}
	return &groupsBefore{kept: kept, epoch: epoch, launched: launched}
}

// carryGroupsOverRescan keeps, for a scan that completed alone having
// stored no file of its own, the groups kept before it for each job whose
// view is the same (its base, or another scan over that base that stored
// nothing either). It says whether it kept any for the scan.
func (l *Library) carryGroupsOverRescan(r *run) bool {
	before := r.groupsBefore
	if before == nil || r.job.Kind != store.KindScan || !l.completedAlone(r) {
		return false
	}
	l.mu.Lock()
	alone := l.launched == before.launched+1
	l.mu.Unlock()
	through, err := l.db.ReadID()
	if !alone || err != nil || through-before.kept.At != l.db.Epoch()-before.epoch {
		return false // another process or run wrote meanwhile
	}
	scan, err := l.db.Job(r.job.ID)
	if err != nil || scan.Base == 0 || !l.ownsNoFiles(scan.ID) {
		return false
	}
	var carried []store.GroupsCarried
	named := map[string]bool{} // two earlier jobs may both have the view
	for _, name := range before.kept.Names() {
		from, rest, ok := splitSavedName(name)
		to := append(binary.BigEndian.AppendUint64(nil, scan.ID), rest...)
		if !ok || named[string(to)] || !l.sameView(from, scan) {
			continue
		}
		named[string(to)] = true
		carried = append(carried, store.GroupsCarried{From: name, To: to, FromJob: from, ToJob: scan.ID})
	}
	if len(carried) == 0 {
		return false
	}
	ok, err := l.db.CarryDupGroups(before.kept, through, carried...)
	return ok && err == nil
}

// sameView says whether job id sees what scan does: scan's base, or
// another scan over the same base that stored nothing of its own. (scan
// itself stored nothing: its view is its base's.)
func (l *Library) sameView(id uint64, scan store.Job) bool {
	if id == scan.Base {
		return true
	}
	j, err := l.db.Job(id)
	return err == nil && id != scan.ID && j.Kind == store.KindScan && j.Base == scan.Base && l.ownsNoFiles(id)
}

func (l *Library) ownsNoFiles(jobID uint64) bool {
	none, err := l.db.OwnsNoFiles(jobID)
	return err == nil && none
}

// splitSavedName is savedName's job, and what follows it (distance and
// scope).
func splitSavedName(name []byte) (jobID uint64, rest []byte, ok bool) {
	if len(name) != 13 {
		return 0, nil, false
	}
	return binary.BigEndian.Uint64(name), name[8:], true
}
