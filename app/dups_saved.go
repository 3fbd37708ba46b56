package app

import (
	"encoding/binary"
	"runtime/debug"

	"shoebox/store"
)

// Groups kept in the library (store.SaveDupGroups): one search at a million
// files takes seconds, and the window asks for a job's groups on every
// visit to Duplicates, after every restart. A search saves its groups for
// both scopes; they are read back while no write has committed since.

// savedName is the name a job's groups are kept under, for one distance
// and scope: the job's ID, the distance and the scope, big-endian.
func savedName(jobID uint64, distance int, scope DupScope) []byte {
	name := binary.BigEndian.AppendUint64(nil, jobID)
	name = binary.BigEndian.AppendUint32(name, uint32(distance))
	return append(name, byte(scope))
}

// savedDuplicates reads the groups kept for the job, distance and scope,
// when they are current.
func (l *Library) savedDuplicates(jobID uint64, distance int, scope DupScope) (Duplicates, bool) {
	groups, ok, err := l.db.SavedDupGroups(savedName(jobID, distance, scope))
	if err != nil || !ok {
		return Duplicates{}, false
	}
	var d Duplicates
	for _, g := range groups {
		if g.Near {
			d.Near = append(d.Near, g)
		} else {
			d.Exact = append(d.Exact, g)
		}
	}
	return d, true
}

// saveDuplicates keeps the groups of the whole library (findDuplicates)
// and those of the job alone, found from the library as it was at
// transaction seen. Not keeping them costs only a search the next time: a
// library opened to read, or written since, is simply not written, and
// nothing is written while a job or run is going on, or compacting the
// library after it (compactAfterJob gives up when the library is written
// during its copy).
func (l *Library) saveDuplicates(seen uint64, jobID uint64, distance int, all Duplicates) {
	l.mu.Lock()
	busy := l.closed || len(l.runs) > 0
	l.mu.Unlock()
	if busy || l.db.ReadOnly() {
		return
	}
	l.keepDuplicates(seen, jobID, distance, all)
}

// lacksCandidates says whether r is a scan whose view has no look-alike
// candidates kept (nearcand.go): a scan that stored nothing of its own
// sees what its base saw, and reads its base's.
func (l *Library) lacksCandidates(r *run) bool {
	if r.job.Kind != store.KindScan || l.db.ReadOnly() {
		return false
	}
	_, ok, err := l.db.NearCandidatesReach(r.job.ID)
	return err == nil && !ok
}

// keepDuplicates is saveDuplicates without asking whether anything else
// is going on: for the job that has just completed (keepGroupsAfterJob).
func (l *Library) keepDuplicates(seen uint64, jobID uint64, distance int, all Duplicates) {
	sets := []store.FoundGroups{
		{Name: savedName(jobID, distance, ScopeLibrary), Groups: flatGroups(all)},
		{Name: savedName(jobID, distance, ScopeJob), Groups: flatGroups(inScope(all, jobID, ScopeJob))},
	}
	_, _ = l.db.SaveDupGroups(seen, sets...)
}

// flatGroups is the exact groups, then the near ones, in one list.
func flatGroups(d Duplicates) []store.DupGroup {
	return append(append(make([]store.DupGroup, 0, len(d.Exact)+len(d.Near)), d.Exact...), d.Near...)
}

// keepGroupsAfterJob finds the groups of the newest scan once a job has
// completed, alone, and keeps them in the library (when
// LibraryOptions.FindDuplicatesAfterJob), so that the window's
// Duplicates and the CLI's dups read them instead of searching: after a
// scan, its own groups; after a change run, the groups it changed. It runs
// before the compaction and the backup after the job, which copy them, and
// is reported as Progress.Grouping. A search that fails or is overtaken by
// a write keeps nothing; the next reader searches, as before. A scan that
// stored nothing of its own gets the groups kept before it, without a
// search and whatever the option says (dups_carry.go). Without the option
// (the CLI), a scan or change run that found groups kept before it keeps
// the newest scan's too: someone looks at them (the window kept them), and
// would otherwise wait for the search on their next visit to Duplicates.
// And a scan whose view has no look-alike candidates yet (one that stored
// files of its own) keeps them, in the CLI too (lacksCandidates): at a
// million files that search takes about 4 s after a scan of 20 minutes,
// and spares the first visit to Duplicates, in the window or `dups`, the
// same search, then 6 to 8 s.
func (l *Library) keepGroupsAfterJob(r *run) {
	l.carryGroupsOverRescan(r)
	wanted := l.opt.FindDuplicatesAfterJob || r.groupsBefore != nil || l.lacksCandidates(r)
	if !wanted || !l.completedAlone(r) {
		return
	}
	scan, err := l.LatestJob()
	if err != nil || scan.Status != store.StateCompleted {
		return
	}
	distance := l.jobSettings(scan.ID).NearDistance
	leave := l.searches.enterUnless(searchKey{job: scan.ID, distance: distance}, func() bool {
		_, ok := l.savedDuplicates(scan.ID, distance, ScopeLibrary)
		return ok
	})
	if leave == nil {
		return // kept already, by a search this one waited for or an earlier one
	}
	defer leave()
	if cb := l.callbacks().OnProgress; cb != nil {
		p := r.snapshot()
		p.Grouping = true
		cb(p)
		defer r.report() // the job as it ended, no longer grouping
	}
	seen, err := l.db.ReadID()
	if err != nil {
		return
	}
	if all, cands, err := l.findDuplicates(scan.ID, distance, nil); err == nil {
		l.keepDuplicates(seen, scan.ID, distance, all)
		l.keepCandidates(cands)
	}
	// The search's tables (about 300 MB at a million files) are garbage
	// now: give them back to the system rather than keep them for as long
	// as the window stays open, and before the compaction that may follow
	// (measured at 1M: 350 MB resident while it measures the file, 100 MB
	// with this).
	debug.FreeOSMemory()
}
