package app

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// A library can be open read-write in one process at a time (the store's
// lock). So that a second process can say who holds it ("a scan, job 12"),
// the holder keeps a one-line note beside the library file, named
// library.db-owner: its process ID and what it is doing. The note is only a
// description; the lock alone decides. A note left by a process that died is
// recognised by its dead PID and ignored, and the next holder overwrites it.

// ownerNotePath is the note's file. It starts with the library's name and a
// dash, which the folder walk never lists (walkOptions.exclude).
func ownerNotePath(db string) string { return db + "-owner" }

// LockedError is returned by OpenLibrary when another process holds the
// library. It wraps ErrLibraryLocked.
type LockedError struct {
	Path   string
	Holder string // "`shoebox scan` running job 12 (process 4567)"; "" when unknown
	Err    error  // store.ErrLocked, wrapped
}

func (e *LockedError) Error() string {
	if e.Holder == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("the library %s is in use by %s", e.Path, e.Holder)
}

func (e *LockedError) Unwrap() error { return e.Err }

// lockedError describes who holds the library at path, from its note.
func lockedError(path string, err error) error {
	return &LockedError{Path: path, Holder: readOwnerNote(path), Err: err}
}

// writeOwnerNote records what this process is doing with the library.
// Failing to write it only makes a second process's message vaguer.
func (l *Library) writeOwnerNote() {
	if l.opt.Purpose == "" {
		return
	}
	what := l.opt.Purpose
	l.mu.Lock()
	for id := range l.runs {
		what += fmt.Sprintf(" running job %d", id)
		break
	}
	l.mu.Unlock()
	line := fmt.Sprintf("%d\t%s\n", os.Getpid(), what)
	l.noteMu.Lock()
	defer l.noteMu.Unlock()
	_ = os.WriteFile(ownerNotePath(l.db.Path()), []byte(line), 0o600)
}

func (l *Library) removeOwnerNote() {
	if l.opt.Purpose != "" {
		_ = os.Remove(ownerNotePath(l.db.Path()))
	}
}

// readOwnerNote returns the holder's description, or "" when there is no
// note or its process is gone.
func readOwnerNote(db string) string {
	data, err := os.ReadFile(ownerNotePath(db))
	if err != nil {
		return ""
	}
	pidText, what, ok := strings.Cut(strings.TrimSpace(string(data)), "\t")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || pid <= 0 || !processAlive(pid) {
		return ""
	}
	return fmt.Sprintf("%s (process %d)", what, pid)
}
