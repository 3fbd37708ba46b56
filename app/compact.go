package app

import "shoebox/store"

// completedAlone says whether r completed, in a library this process may
// write, with no other job or run going on: the housekeeping after a job
// (keepGroupsAfterJob, compactAfterJob) is done only then.
func (l *Library) completedAlone(r *run) bool {
	if l.db.ReadOnly() || *r.state.Load() != store.StateCompleted {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.closed && len(l.runs) == 1 && l.runs[r.job.ID] == r
}

// compactAfterJob gives the library file back its slack once a scan or run
// has completed (store.CompactIfSlack: only when the file is large and much
// of it is unused), so that a library of a million files stays near the
// bytes it holds. It runs before the job is seen to end (Wait returns
// after it), and never beside another job or change run: the store refuses
// while anything holds writes, and so it is not tried while another run is
// going on. A compaction that fails or is given up leaves the library as
// it was; the next completed job tries again, so its error is not the
// job's.
func (l *Library) compactAfterJob(r *run) {
	if !l.completedAlone(r) {
		return
	}
	opt := l.opt.Compact
	said := false
	opt.OnCompacting = func(c store.CompactResult) {
		if cb := l.callbacks().OnProgress; cb != nil {
			p := r.snapshot()
			p.Compacting, p.LibraryBytes = true, c.Before
			cb(p)
			said = true
		}
	}
	_, _ = l.db.CompactIfSlack(opt)
	if said {
		r.report() // the job as it ended, no longer compacting
	}
}
