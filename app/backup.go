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
// the job: the job's results are committed; the backup only guards them
// against a later fault, and `shoebox backups` shows when one is missing.
func (l *Library) backupAfterJob(id uint64) {
	_, _ = l.Backup(fmt.Sprintf("after-job-%d", id))
}
