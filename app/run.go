package app

import (
	"context"
	"sync/atomic"
	"time"

	"shoebox/store"
)

// runFlag is what a running job has been asked to do. It is checked before
// each item is handed to a worker.
type runFlag int32

const (
	flagRun    runFlag = iota
	flagPause          // finish the files in flight, commit, become PAUSED
	flagHalt           // too many errors: finish in flight, commit, become HALTED
	flagCancel         // stop now (in-flight analyses are abandoned), commit, become CANCELLED
	flagFail           // the library cannot be written: stop, become FAILED
)

// run is one execution of a job, from Start or Resume until it stops.
type run struct {
	lib      *Library
	settings Settings
	job      store.Job // owned by the writer (the run's own goroutine)
	// backupDue says the job completed and was stored: the backup after it
	// is taken once the library is compacted (backUp).
	backupDue bool
	stages    kindStages // what the job's kind does (engine.go)
	// groupsBefore is what was kept before the scan or change run was
	// created: carried over a scan that stored nothing (dups_carry.go), or
	// found again after it (keepGroupsAfterJob); nil when nothing was.
	groupsBefore *groupsBefore

	flag   atomic.Int32
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// Counters read by the progress ticker; written by the writer.
	processed, errors, skipped, total atomic.Int64
	current                           atomic.Pointer[string]
	state                             atomic.Pointer[store.JobState]
	listing                           atomic.Bool
	fedAll                            atomic.Bool // the feeder handed out every pending item
	failure                           atomic.Pointer[string]
	message                           atomic.Pointer[string] // the job's error_message once it stops
	rate                              atomic.Uint64          // files/s as float64 bits, from the ticker
}

func newRun(l *Library, j store.Job, s Settings, k kindStages) *run {
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{lib: l, settings: s, job: j, stages: k, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	r.setCounters()
	return r
}

// request asks the run to stop in one of the ways above. The first request
// wins, except that a cancel overrides a pause or halt still draining.
func (r *run) request(f runFlag) {
	if f == flagCancel || f == flagFail {
		for {
			cur := runFlag(r.flag.Load())
			if cur == flagCancel || cur == flagFail {
				break
			}
			if r.flag.CompareAndSwap(int32(cur), int32(f)) {
				break
			}
		}
		r.cancel()
		return
	}
	r.flag.CompareAndSwap(int32(flagRun), int32(f))
}

func (r *run) setCounters() {
	j := &r.job
	r.processed.Store(int64(j.ProgressCurrent))
	r.errors.Store(int64(j.ErrorCount))
	r.skipped.Store(int64(j.SkippedCount))
	r.total.Store(int64(j.ProgressTotal))
	st := j.Status
	r.state.Store(&st)
}

func (r *run) now() time.Time { return r.lib.opt.Now() }

// execute runs the job until it completes or is stopped, and records how it ended.
func (r *run) execute() {
	defer r.cancel()
	j := &r.job
	if err := transition(j, store.StateRunning); err != nil {
		r.failure.Store(ptr(err.Error()))
		return
	}
	if j.StartedAt.IsZero() {
		j.StartedAt = r.now()
	}
	j.CompletedAt = time.Time{}
	j.ErrorMessage = ""
	j.OwnerPID = osPID()
	if err := r.lib.db.PutJob(j); err != nil {
		r.finish(store.StateFailed, r.storeFailure(err))
		return
	}
	r.setCounters()

	r.listing.Store(!j.Listed)
	ticker := r.startTicker()
	defer ticker.stop()

	if !j.Listed {
		err := r.stages.list(r)
		r.listing.Store(false)
		if err != nil {
			if r.ctx.Err() != nil {
				r.finish(store.StateCancelled, "")
				return
			}
			r.finish(store.StateFailed, r.storeFailure(err))
			return
		}
	}
	r.stages.process(r)
}

// stopListing is asked between the items a job lists: a cancel ends the
// listing with the context's error, a pause (or a halt or failure) with
// errListingPaused.
func (r *run) stopListing() error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if runFlag(r.flag.Load()) != flagRun {
		return errListingPaused
	}
	return nil
}

// finalState is how a run ends once its workers are done, from the flag.
func (r *run) finalState() (store.JobState, string) {
	msg := r.job.ErrorMessage
	switch runFlag(r.flag.Load()) {
	case flagPause:
		return store.StatePaused, msg
	case flagHalt:
		return store.StateHalted, msg
	case flagCancel:
		return store.StateCancelled, msg
	case flagFail:
		return store.StateFailed, deref(r.failure.Load())
	}
	if !r.fedAll.Load() {
		return store.StatePaused, msg // should not happen; never claim completion with items left
	}
	return store.StateCompleted, msg
}

// tellFailures tells the failures of a committed batch, after a progress
// report that counts them: the ticker's last one may predate them, and a
// window showing the last error beside an error count of 0 contradicts
// itself (issue 14).
func (r *run) tellFailures(failed []outcome) {
	if len(failed) == 0 {
		return
	}
	r.report()
	if cb := r.lib.callbacks().OnFileError; cb != nil {
		for _, f := range failed {
			cb(r.job.ID, f.name, f.err)
		}
	}
}

// finish records how the run ended when no results are waiting.
func (r *run) finish(st store.JobState, msg string) { r.finishWith(st, msg, r.stages.commitJob, nil) }

// finishWith records how the run ended: commit stores the job in its end
// state with the results still waiting, whose failures are told once stored.
func (r *run) finishWith(st store.JobState, msg string, commit func(*store.Job) error, failed []outcome) {
	j := &r.job
	if err := transition(j, st); err != nil {
		j.Status = store.StateFailed
		msg = err.Error()
	}
	j.ErrorMessage = msg
	j.CurrentFilename = ""
	if st != store.StatePaused && st != store.StateHalted {
		j.CompletedAt = r.now()
	}
	err := commit(j)
	if err != nil {
		// The library keeps the job as it last stored it: RUNNING, with the
		// counts of its last committed batch. The library remembers how the
		// run really ended (Library.Job shows it, Resume accepts it); the
		// next open finds the job RUNNING with no owner and offers to resume.
		j.Status = store.StateFailed
		if r.failure.Load() == nil || st != store.StateFailed {
			j.ErrorMessage = r.storeFailure(err)
		}
		if stored, serr := r.lib.db.Job(j.ID); serr == nil {
			// Show the counts of what is stored, which a resume continues from.
			j.ProgressCurrent, j.ProgressTotal = stored.ProgressCurrent, stored.ProgressTotal
			j.ErrorCount, j.SkippedCount, j.ReusedCount = stored.ErrorCount, stored.SkippedCount, stored.ReusedCount
		}
		r.lib.rememberUnsaved(*j)
	} else {
		r.tellFailures(failed)
	}
	// The backup waits until the library is compacted (Library.launch), so
	// that it is a copy of the compacted file.
	r.backupDue = err == nil && j.Status == store.StateCompleted
	r.message.Store(ptr(j.ErrorMessage))
	r.setCounters()
	r.report()
}

// backUp takes the backup after a completed job (backupDue); one that
// cannot be written says so in the job's message, which is reported again.
func (r *run) backUp() {
	if !r.backupDue {
		return
	}
	r.lib.backupAfterJob(&r.job)
	if msg := r.job.ErrorMessage; msg != deref(r.message.Load()) {
		r.message.Store(ptr(msg))
		r.report()
	}
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
