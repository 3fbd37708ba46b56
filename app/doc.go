// Package app is Shoebox's job engine and everything a person can do without
// a window: the job state machine with pause/resume/cancel and the error
// threshold, settings, and the command line. It reports through callbacks
// and never imports Fyne.
//
// The engine (engine.go, run.go, threshold.go, ticker.go, storefail.go) runs
// a job of any kind: the worker pool, batched commits with the job's
// progress, the flush timer, the error threshold, pause, cancel, failure
// and crash-resume are the same for every kind. A kind (jobKind) supplies
// only how its items are listed and stored, how one is done and how results
// are committed. A scan (scan.go, with walk.go listing the folders) is the
// one kind today.
//
// Dates (dates*.go): decisions about when a photo was taken, stored by its
// content (store.Correction) and seen by the report and organise, and the
// dates change run that writes them back to XMP sidecars, modification
// times or, through EXIFDateWriter, inside the file.
package app
