package app

import (
	"fmt"

	"shoebox/store"
)

// KeepBackups is how many automatic backups of a library are kept.
const KeepBackups = 3

// Backup writes a consistent copy of the library to backups/ beside it
// (library.db -> backups/library-<UTC time>-<reason>.db) while jobs may go
// on, and keeps the newest KeepBackups. A job that changes files calls it
// before it starts; every completed job takes one.
func (l *Library) Backup(reason string) (string, error) {
	return l.db.Backup(reason, l.opt.Now(), KeepBackups)
}

// Backups lists the library's backups, newest first.
func (l *Library) Backups() ([]string, error) { return store.Backups(l.Path()) }

// backupAfterJob is the backup taken when a job completes. It does not fail
// the job (its results are committed; the backup only guards them against a
// later fault), but a backup that could not be written is said in the job's
// message, so the person knows the newest backup is older than the job.
func (l *Library) backupAfterJob(j *store.Job) {
	if _, err := l.Backup(fmt.Sprintf("after-job-%d", j.ID)); err != nil {
		j.ErrorMessage = fmt.Sprintf("The job completed, but the library's backup after it could not be written (%v). "+
			"The library itself is fine; `shoebox backups` lists the backups there are.", err)
		_ = l.db.PutJob(j) // a message only: the job's results are already stored
	}
}
