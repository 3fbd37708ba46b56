package app

import "shoebox/store"

// present shows a job as the library would hold it after recoverInterrupted
// when the library is open read-only and so was not written: a job found
// RUNNING or PENDING has no live owner (the shared lock we hold proves no
// writer has the file), so it is interrupted.
func (l *Library) present(j *store.Job) {
	j.Kind = kindName(*j)
	if !l.db.ReadOnly() || (j.Status != store.StateRunning && j.Status != store.StatePending) {
		return
	}
	j.Status, j.Interrupted, j.CurrentFilename = store.StatePaused, true, ""
}
