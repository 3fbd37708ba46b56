package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// runFlag is what a running job has been asked to do. It is checked before
// each file is handed to a worker.
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

	flag   atomic.Int32
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	// Counters read by the progress ticker; written by the writer.
	processed, errors, skipped, total atomic.Int64
	current                           atomic.Pointer[string]
	state                             atomic.Pointer[store.JobState]
	listing                           atomic.Bool
	fedAll                            atomic.Bool // the feeder handed out every pending file
	failure                           atomic.Pointer[string]
	message                           atomic.Pointer[string] // the job's error_message once it stops
	rate                              atomic.Uint64          // files/s as float64 bits, from the ticker
}

func newRun(l *Library, j store.Job, s Settings) *run {
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{lib: l, settings: s, job: j, ctx: ctx, cancel: cancel, done: make(chan struct{})}
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
		err := r.list()
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
	r.process()
}

// list walks the roots and stores every file as pending (or as done, when an
// unchanged file's analysis can be reused), so the total is known and a
// resumed job continues exactly where it was.
//
// A pause stops the listing too, within an entry or two: list then returns
// nil with the job not Listed, process sees the pause flag and records
// PAUSED, and resuming lists again (AddFiles keeps the records already
// stored). A cancel returns the context's error.
func (r *run) list() error {
	j := &r.job
	stop := func() error {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if runFlag(r.flag.Load()) != flagRun {
			return errListingPaused
		}
		return nil
	}
	recs, err := listFiles(r.ctx, j.Roots, walkOptions{exclude: r.lib.db.Path(), stop: stop})
	if errors.Is(err, errListingPaused) {
		return nil // nothing stored: the job stays as it was, not listed
	}
	if err != nil {
		return err
	}
	for i := range recs {
		if i%256 == 0 {
			if err := stop(); err != nil {
				return ignorePause(err)
			}
		}
		recs[i].JobID = j.ID
		if !r.settings.Rehash && recs[i].Status == media.StatusPending {
			if err := r.reuse(&recs[i]); err != nil {
				return err
			}
		}
	}
	const chunk = 5000
	for start := 0; start < len(recs); start += chunk {
		if err := stop(); err != nil {
			if !errors.Is(err, errListingPaused) {
				return err
			}
			break // count what was stored, so the paused job agrees with its files
		}
		end := min(start+chunk, len(recs))
		// The last chunk is stored with the job marked listed, in one
		// transaction. If it fails the job must not claim to be listed, or a
		// resume would find nothing left to do.
		j.Listed = end == len(recs)
		if _, err := r.lib.db.AddFiles(j, recs[start:end]); err != nil {
			j.Listed = false
			return err
		}
	}
	if len(recs) == 0 {
		j.Listed = true
	}
	// Count from the store: after a crash during listing some files were
	// already there, perhaps already analysed.
	counts, err := r.lib.db.CountFiles(j.ID)
	if err != nil {
		return err
	}
	j.ProgressTotal = counts.Total
	j.ProgressCurrent = counts.Total - counts.Pending
	j.ErrorCount, j.SkippedCount, j.ReusedCount = counts.Error, counts.Skipped, counts.Reused
	if err := r.lib.db.PutJob(j); err != nil {
		return err
	}
	r.setCounters()
	return nil
}

// ignorePause is err, except that a paused listing is not an error (see list).
func ignorePause(err error) error {
	if errors.Is(err, errListingPaused) {
		return nil
	}
	return err
}

// reuse copies the latest analysis of the same path when the file is
// unchanged: same size and mtime, and same change time and inode where the
// OS reports them. Failed files are never reused: they are tried again, and
// neither are analyses of an older media.AnalysisVersion.
func (r *run) reuse(rec *store.FileRecord) error {
	prev, ok, err := r.lib.db.Previous(rec.AbsPath())
	if err != nil || !ok {
		return err
	}
	if prev.Size != rec.Size || prev.MtimeNS != rec.MtimeNS ||
		(prev.CtimeNS != 0 && rec.CtimeNS != 0 && prev.CtimeNS != rec.CtimeNS) ||
		(prev.Inode != 0 && rec.Inode != 0 && prev.Inode != rec.Inode) {
		return nil
	}
	if prev.Status != media.StatusDone && prev.Status != media.StatusSkipped {
		return nil
	}
	if prev.Analysis != media.AnalysisVersion {
		return nil // measured by an older Shoebox: analyse it again
	}
	keep := *rec
	*rec = prev
	rec.JobID, rec.RootIndex, rec.Root, rec.RelPath = keep.JobID, keep.RootIndex, keep.Root, keep.RelPath
	rec.CtimeNS, rec.Inode = keep.CtimeNS, keep.Inode
	rec.Reused = true
	return nil
}

type analysed struct {
	rec store.FileRecord
	res media.Result
}

// process hands pending files to the workers in order and commits their
// results until there are none left or the run is asked to stop.
func (r *run) process() {
	s := r.settings
	work := make(chan store.FileRecord)
	results := make(chan analysed, s.Workers)

	go r.feed(work)
	var workers sync.WaitGroup
	for range s.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			r.work(work, results)
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()
	r.write(results)
}

// feed sends pending files in key order, checking the flag before each. It
// continues from the stored key of the last file read, never from a key
// recomputed from a decoded record, and refuses to go backwards: whatever a
// record holds, every pending file is handed out once per run.
func (r *run) feed(work chan<- store.FileRecord) {
	defer close(work)
	var after []byte
	for {
		batch, last, err := r.lib.db.PendingAfter(r.job.ID, after, 256)
		if err != nil {
			r.failure.Store(ptr("could not read the library: " + err.Error()))
			r.request(flagFail)
			return
		}
		if len(batch) > 0 && after != nil && bytes.Compare(last, after) <= 0 {
			r.failure.Store(ptr(fmt.Sprintf("could not read the library: the pending files of job %d do not move forward after %q",
				r.job.ID, ReadablePath(string(after[10:])))))
			r.request(flagFail)
			return
		}
		if len(batch) == 0 {
			r.fedAll.Store(true)
			return
		}
		for i := range batch {
			if runFlag(r.flag.Load()) != flagRun {
				return
			}
			r.current.Store(&batch[i].RelPath)
			select {
			case work <- batch[i]:
			case <-r.ctx.Done():
				return
			}
		}
		after = last
	}
}

func (r *run) work(work <-chan store.FileRecord, results chan<- analysed) {
	opt := processing.AnalyzeOptions{
		MinYear:    r.settings.MinYear,
		MaxPixels:  r.settings.MaxPixels,
		Budget:     r.lib.budget,
		ReadBudget: r.lib.readBudget,
		Timeout:    time.Duration(r.settings.FileTimeout),
		RunClock:   r.lib.runClock,
		Now:        r.now(),
	}
	for rec := range work {
		res, err := r.lib.opt.Analyze(r.ctx, processing.Input{
			Path: rec.AbsPath(), RelPath: rec.RelPath, ModTime: rec.Mtime(), Size: rec.Size,
		}, opt)
		if err != nil {
			continue // cancelled: the file stays pending
		}
		select {
		case results <- analysed{rec, res}:
		case <-r.ctx.Done():
			return
		}
	}
}

// write is the job's one writer: it commits results in batches (every
// BatchSize results, and at most FlushInterval after the oldest uncommitted
// one), with the job's progress in the same transaction, and decides when
// the error threshold halts the job.
func (r *run) write(results <-chan analysed) {
	j := &r.job
	th := newErrorThreshold(r.settings, j)
	var batch []store.FileRecord
	var failedInBatch []store.FileRecord
	flushAfter := time.Duration(r.settings.FlushInterval)
	timer := time.NewTimer(flushAfter)
	timer.Stop()
	defer timer.Stop()

	flush := func() bool {
		if len(batch) == 0 {
			return true
		}
		if err := r.lib.db.CommitBatch(j, batch); err != nil {
			// The batch was rolled back. It stays in batch: the final commit
			// tries it again with the job's end state, and if that fails too
			// its files stay pending in the library for a resume.
			r.failure.Store(ptr(r.storeFailure(err)))
			r.request(flagFail)
			return false
		}
		batch = batch[:0]
		if cb := r.lib.callbacks().OnFileError; cb != nil {
			for _, f := range failedInBatch {
				cb(j.ID, f.RelPath, f.Error)
			}
		}
		failedInBatch = failedInBatch[:0]
		return true
	}

	ok := true
	for more := true; more; {
		select {
		case <-timer.C:
			if ok {
				ok = flush()
			}
			continue
		case a, open := <-results:
			if !open {
				more = false
				continue
			}
			rec := a.rec
			rec.ApplyResult(a.res, r.now())
			j.ProgressCurrent++
			switch rec.Status {
			case media.StatusError:
				j.ErrorCount++
				failedInBatch = append(failedInBatch, rec)
			case media.StatusSkipped:
				j.SkippedCount++
			}
			j.CurrentFilename = rec.RelPath
			r.processed.Store(int64(j.ProgressCurrent))
			r.errors.Store(int64(j.ErrorCount))
			r.skipped.Store(int64(j.SkippedCount))
			var failedPath string
			if rec.Status == media.StatusError {
				failedPath = rec.RelPath
			}
			th.observe(j.ProgressCurrent, j.ErrorCount, failedPath, rec.Error)
			batch = append(batch, rec)
			if len(batch) == 1 {
				timer.Reset(flushAfter)
			}
			if th.exceeded() && runFlag(r.flag.Load()) == flagRun {
				j.ErrorMessage = th.message()
				r.request(flagHalt)
			}
			if len(batch) >= r.settings.BatchSize && ok {
				ok = flush()
				timer.Stop()
			}
		}
	}
	// The workers are done: commit what is left together with the final state.
	var final store.JobState
	msg := j.ErrorMessage
	switch runFlag(r.flag.Load()) {
	case flagPause:
		final = store.StatePaused
	case flagHalt:
		final = store.StateHalted
	case flagCancel:
		final = store.StateCancelled
	case flagFail:
		final, msg = store.StateFailed, deref(r.failure.Load())
	default:
		final = store.StateCompleted
		if !r.fedAll.Load() {
			final = store.StatePaused // should not happen; never claim completion with files left
		}
	}
	r.finishWith(final, msg, batch, failedInBatch)
}

// finish records how the run ended when no results are waiting.
func (r *run) finish(st store.JobState, msg string) { r.finishWith(st, msg, nil, nil) }

func (r *run) finishWith(st store.JobState, msg string, batch, failed []store.FileRecord) {
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
	err := r.lib.db.CommitBatch(j, batch)
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
	} else if cb := r.lib.callbacks().OnFileError; cb != nil {
		for _, f := range failed {
			cb(j.ID, f.RelPath, f.Error)
		}
	}
	r.message.Store(ptr(j.ErrorMessage))
	r.setCounters()
	r.report()
	if err == nil && j.Status == store.StateCompleted {
		r.lib.backupAfterJob(j.ID)
	}
}

func ptr[T any](v T) *T { return &v }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
