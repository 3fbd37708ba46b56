package ui

import (
	"image"

	"shoebox/app"
	"shoebox/store"
)

// Engine is what the window needs from the import engine. *app.Library
// satisfies it through libraryEngine (library.go); tests pass a fake.
//
// SetCallbacks' functions are called from engine goroutines; every other
// method may block on disk and is therefore only called off the UI goroutine.
type Engine interface {
	SetCallbacks(cb app.Callbacks)
	Start(roots []string, s app.Settings) (jobID uint64, err error)
	Pause(jobID uint64) error
	Resume(jobID uint64) error
	RetryFailed(jobID uint64) error // Resume, analysing the failed files again too
	Cancel(jobID uint64) error
	Discard(jobID uint64) error
	Jobs() ([]store.Job, error)
	Job(id uint64) (store.Job, error)
	Interrupted() ([]store.Job, error)
	Files(jobID uint64) ([]store.FileRecord, error)
	Duplicates(jobID uint64, distance int) (DupGroups, error)
	Thumbnail(rec store.FileRecord, maxSide int) (image.Image, error)
}

// DupGroups are the duplicate groups of one job, as the window shows them.
type DupGroups struct {
	Exact []DupGroup
	Near  []DupGroup
}

// DupGroup is one set of files that are the same picture.
type DupGroup struct {
	Near        bool
	SHA256      string // exact groups
	MaxDistance int    // near groups
	Evidence    []string
	Files       []store.FileRecord
}
