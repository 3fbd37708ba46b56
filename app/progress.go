package app

import (
	"time"

	"shoebox/store"
)

// Progress is a snapshot of a running (or just stopped) job, reported a few
// times a second by one ticker and once more at every change of state.
type Progress struct {
	JobID        uint64
	Roots        []string
	State        store.JobState
	Current      int // files processed: done + error + skipped
	Total        int
	Errors       int
	Skipped      int
	CurrentFile  string        // path relative to its root of the file most recently handed to a worker
	FilesPerSec  float64       // over the last few seconds
	Remaining    time.Duration // estimate; 0 when unknown
	ErrorMessage string        // set when the job halted or failed
	MaxErrorRate float64       // the threshold the job runs with, so a UI can warn before it is reached
	Listing      bool          // still walking the folders; Total is not final yet
	// Compacting is reported once the job has ended, when the library file
	// is being rewritten without its unused room (compact.go); the job's
	// end is seen when that is done. LibraryBytes is then the file's size.
	Compacting   bool
	LibraryBytes int64
	// Grouping is reported once the job has ended, while the duplicate
	// groups of the newest scan are found and kept in the library
	// (keepGroupsAfterJob), before any compaction.
	Grouping bool
}

// ErrorRate is errors / processed, or 0 before anything was processed.
func (p Progress) ErrorRate() float64 {
	if p.Current == 0 {
		return 0
	}
	return float64(p.Errors) / float64(p.Current)
}

// Finished reports whether the job is in a state where nothing runs.
func (p Progress) Finished() bool { return stopped(p.State) }

// stopped says whether a job in state st has stopped: nothing of it runs
// (not RUNNING nor PENDING).
func stopped(st store.JobState) bool {
	switch st {
	case store.StateRunning, store.StatePending:
		return false
	}
	return true
}

// Callbacks let a caller (the CLI or the window) follow a job without the
// engine knowing anything about it. Both may be nil. They are called from the
// engine's goroutines and must not block.
type Callbacks struct {
	OnProgress func(Progress)
	// OnFileError is called once per failed file, after it is committed.
	OnFileError func(jobID uint64, relPath, message string)
}
