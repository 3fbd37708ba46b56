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
// stores no file of its own, or the same ones as the rescan before it (the
// files that differ from their base), so it sees exactly what that job saw,
// and the groups kept before it for a job with that view are its groups too.
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

// carryGroupsOverRescan keeps, for a scan over a base that completed
// alone, the groups kept before it for each job whose view is the same
// (sameView).
func (l *Library) carryGroupsOverRescan(r *run) {
	before := r.groupsBefore
	if before == nil || r.job.Kind != store.KindScan || !l.completedAlone(r) {
		return
	}
	l.mu.Lock()
	alone := l.launched == before.launched+1
	l.mu.Unlock()
	through, err := l.db.ReadID()
	if !alone || err != nil || through-before.kept.At != l.db.Epoch()-before.epoch {
		return // another process or run wrote meanwhile
	}
	scan, err := l.db.Job(r.job.ID)
	if err != nil || scan.Base == 0 {
		return
	}
	var carried []store.GroupsCarried
	named := map[string]bool{} // two earlier jobs may both have the view
	for _, name := range before.kept.Names() {
		from, distance, scope, ok := splitSavedName(name)
		to := savedName(scan.ID, distance, scope)
		if !ok || named[string(to)] || !l.sameView(from, scan) {
			continue
		}
		named[string(to)] = true
		carried = append(carried, store.GroupsCarried{From: name, To: to, FromJob: from, ToJob: scan.ID})
	}
	if len(carried) == 0 {
		return
	}
	// Not carried (refused, or the write failed): the next reader searches.
	_, _ = l.db.CarryDupGroups(before.kept, through, carried...)
}

// maxCarriedOwn is how many files of its own a rescan may have stored and
// still have groups carried over it: comparing them with the earlier job's
// reads both (store.SameOwnFiles).
const maxCarriedOwn = 10000

// sameView says whether job id sees what scan (stored over a base) does:
// the base itself when scan stored nothing of its own, or another scan over
// the same base that stored the same files of its own. A rescan stores the
// files that differ from its base, so after one file changed, every rescan
// over that base stores it again.
func (l *Library) sameView(id uint64, scan store.Job) bool {
	if id == scan.Base {
		none, err := l.db.OwnsNoFiles(scan.ID)
		return err == nil && none
	}
	j, err := l.db.Job(id)
	if err != nil || id == scan.ID || j.Kind != store.KindScan || j.Base != scan.Base {
		return false
	}
	same, err := l.db.SameOwnFiles(id, scan.ID, maxCarriedOwn)
	return err == nil && same
}

// splitSavedName reads what savedName wrote.
func splitSavedName(name []byte) (jobID uint64, distance int, scope DupScope, ok bool) {
	if len(name) != 13 {
		return 0, 0, 0, false
	}
	return binary.BigEndian.Uint64(name), int(binary.BigEndian.Uint32(name[8:])), DupScope(name[12]), true
}
