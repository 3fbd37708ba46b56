package ui

import (
	"context"
	"image"

	"shoebox/app"
	"shoebox/store"
)

// Engine is what the window needs from the import engine. *app.Library
// satisfies it; tests pass a fake.
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
	// FileRows hands fn a job's files as rows, in batches as they are read
	// (the last one with the dates numbered neighbours give); FileOfRow
	// reads one row's whole record, FailedFiles the files that failed.
	FileRows(jobID uint64, opt app.FileRowsOptions, fn func(app.FileRowsBatch) error) error
	FileOfRow(jobID uint64, row app.FileRow) (store.FileRecord, error)
	FailedFiles(jobID uint64) ([]store.FileRecord, error)
	// SearchDuplicates finds a job's groups within the scan's own files
	// (app.ScopeJob) or with their copies across the library. soFar,
	// unless nil, is told on the searching goroutine the groups found
	// before the answer: shown while the search goes on.
	SearchDuplicates(jobID uint64, distance int, scope app.DupScope, soFar func(app.Duplicates)) (app.Duplicates, error)
	// KeptDuplicates is SearchDuplicates' answer when it needs no search
	// (remembered, or kept in the library); ok is false otherwise.
	KeptDuplicates(jobID uint64, distance int, scope app.DupScope) (d app.Duplicates, ok bool)
	Thumbnail(rec store.FileRecord, maxSide int) (image.Image, error)

	// Change runs (issue 11): a plan of keepers, applying it, undoing it.
	PlanDuplicates(jobID uint64, opt app.PlanOptions) (app.Plan, error)
	ApplyPlan(p app.Plan) (runID uint64, err error)
	Undo(runID uint64) (undoRunID uint64, err error)
	Runs() ([]app.RunSummary, error)
	ChangeItems(runID uint64) ([]store.ChangeItem, error)
	ChangePreferences() (app.ChangePreferences, error)
	SetChangePreferences(p app.ChangePreferences) error
	// Unique answers "is this folder safe to wipe?": its files with no
	// verified copy elsewhere in the library.
	Unique(ctx context.Context, dir string, opt app.UniqueOptions) (app.UniqueReport, error)

	// Organising into a dated library (issue 12): the dry run, the run, and
	// every input's fate once it ran.
	PlanOrganise(ctx context.Context, opt app.OrganiseOptions) (app.OrganisePlan, error)
	Organise(ctx context.Context, opt app.OrganiseOptions) (runID uint64, p app.OrganisePlan, err error)
	Ledger(runID uint64) (store.Job, []app.LedgerEntry, error)

	// Correcting dates (issue 13): a date the person decided for the files
	// named, stored by content; it touches no file.
	SetDate(sel app.DatesSelection, date string) ([]app.DateDecision, error)
	// Bulk corrections: what a change would decide (nothing stored), then
	// deciding it; and writing the decided dates back, as a change run.
	PreviewDates(ch app.DatesChange) ([]app.DateDecision, error)
	DecideDates(ch app.DatesChange) ([]app.DateDecision, error)
	PlanDatesWrite(opt app.DatesWriteOptions) ([]app.DateWrite, error)
	WriteDates(opt app.DatesWriteOptions) (runID uint64, writes []app.DateWrite, err error)
}

var _ Engine = (*app.Library)(nil)
