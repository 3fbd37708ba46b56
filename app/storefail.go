package app

import (
	"fmt"

	"shoebox/store"
)

// storeFailure says in words why the library could not be written, and what
// the person can do. A full disk is the usual reason and gets its own
// sentence: nothing is lost, the job resumes once there is room.
func (r *run) storeFailure(err error) string {
	path := r.lib.db.Path()
	if isDiskFull(err) {
		return fmt.Sprintf("The disk that holds the library (%s) is full. Nothing analysed so far is lost: "+
			"free some space, then resume job %d (`shoebox resume %d`) to finish the files not yet stored.",
			path, r.job.ID, r.job.ID)
	}
	return fmt.Sprintf("Could not write to the library %s: %v. Resume job %d (`shoebox resume %d`) once the problem is fixed.",
		path, err, r.job.ID, r.job.ID)
}

// rememberUnsaved keeps how a run ended when the library could not store it
// (a full disk): Job and Jobs show it instead of the stale RUNNING record, and
// Resume accepts the job. Only the state and its message are kept; the counts
// stay those of the library, which are what a resume continues from.
func (l *Library) rememberUnsaved(j store.Job) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unsaved[j.ID] = j
}

// withUnsaved lays a run's unsaved ending over the job the library stored.
func (l *Library) withUnsaved(j store.Job) store.Job {
	l.mu.Lock()
	u, ok := l.unsaved[j.ID]
	l.mu.Unlock()
	stale := !stopped(j.Status)
	if ok && stale && l.running(j.ID) == nil {
		j.Status, j.ErrorMessage, j.CurrentFilename, j.Interrupted = u.Status, u.ErrorMessage, "", u.Interrupted
	}
	return j
}

func isDiskFull(err error) bool { return err != nil && isDiskFullErrno(err) }
