package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"shoebox/media"
	"shoebox/store"
)

// jobKind is what one kind of job supplies to the engine: how its work items
// are listed and stored, how one item is done, and how results are
// committed. Everything else is the engine's and the same for every kind:
// the worker pool, batched commits with the job's progress, the flush timer,
// the error threshold, pause, cancel and failure, crash-resume (items stay
// pending until committed) and progress reports. A scan (scan.go) is one
// kind. I is one work item as the kind stores it, R the result of doing it.
type jobKind[I, R any] interface {
	// list stores the job's work items, pending (or already done), sets
	// j.Listed and the job's counts and stores the job. stop is asked
	// between items; list returns the error it returns. A pause is
	// errListingPaused: the job stays unlisted and is listed again when it
	// is resumed, so list must keep the items already stored.
	list(ctx context.Context, j *store.Job, stop func() error) error
	// pendingAfter returns up to n pending items of the job in key order,
	// after the stored key after (nil: from the first), and the stored key
	// of the last one.
	pendingAfter(jobID uint64, after []byte, n int) (items []I, last []byte, err error)
	// describeKey names the item a stored key belongs to, for a person.
	describeKey(key []byte) string
	// name is how an item is shown while it is done (the current file).
	name(it I) string
	// do does one item, on a worker. It returns an error only when ctx was
	// cancelled: the item then stays pending.
	do(ctx context.Context, it I) (R, error)
	// apply records a result in its item, on the job's one writer, and says
	// how the item ended.
	apply(it I, res R) (I, outcome)
	// commit stores done items and the job's progress in one transaction;
	// with no items it stores the job alone.
	commit(j *store.Job, done []I) error
	// resetFailed makes the job's failed items pending again (RetryFailed).
	resetFailed(j *store.Job) error
}

// outcome is how one work item ended, as the engine counts it.
type outcome struct {
	name   string       // shown as the current item, and in failures
	status media.Status // media.StatusDone, StatusError or StatusSkipped
	err    string       // why it failed
}

// kindStages is a job kind as a run drives it, whatever its item type.
type kindStages interface {
	list(r *run) error
	process(r *run)
	commitJob(j *store.Job) error
	resetFailed(j *store.Job) error
}

// engineOf runs the stages of a job of kind k.
type engineOf[I, R any] struct{ k jobKind[I, R] }

func stagesOf[I, R any](k jobKind[I, R]) kindStages { return engineOf[I, R]{k} }

// list lists the job's items, so the total is known and a resumed job
// continues exactly where it was. A pause stops the listing too, within an
// item or two: list then returns nil with the job not Listed, process sees
// the pause flag and records PAUSED, and resuming lists again. A cancel
// returns the context's error.
func (e engineOf[I, R]) list(r *run) error {
	err := e.k.list(r.ctx, &r.job, r.stopListing)
	if errors.Is(err, errListingPaused) {
		return nil
	}
	if err != nil {
		return err
	}
	r.setCounters()
	return nil
}

func (e engineOf[I, R]) commitJob(j *store.Job) error { return e.k.commit(j, nil) }

func (e engineOf[I, R]) resetFailed(j *store.Job) error { return e.k.resetFailed(j) }

// done is an item and the result of doing it, on its way to the writer.
type done[I, R any] struct {
	it  I
	res R
}

// process hands pending items to the workers in order and commits their
// results until there are none left or the run is asked to stop.
func (e engineOf[I, R]) process(r *run) {
	work := make(chan I)
	results := make(chan done[I, R], r.settings.Workers)

	go e.feed(r, work)
	var workers sync.WaitGroup
	for range r.settings.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			e.work(r, work, results)
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()
	e.write(r, results)
}

// feed sends pending items in key order, checking the flag before each. It
// continues from the stored key of the last item read, never from a key
// recomputed from a decoded record, and refuses to go backwards: whatever a
// record holds, every pending item is handed out once per run.
func (e engineOf[I, R]) feed(r *run, work chan<- I) {
	defer close(work)
	var after []byte
	for {
		batch, last, err := e.k.pendingAfter(r.job.ID, after, 256)
		if err != nil {
			r.failure.Store(ptr("could not read the library: " + err.Error()))
			r.request(flagFail)
			return
		}
		if len(batch) > 0 && after != nil && bytes.Compare(last, after) <= 0 {
			r.failure.Store(ptr(fmt.Sprintf("could not read the library: the pending files of job %d do not move forward after %q",
				r.job.ID, e.k.describeKey(after))))
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
			r.current.Store(ptr(e.k.name(batch[i])))
			select {
			case work <- batch[i]:
			case <-r.ctx.Done():
				return
			}
		}
		after = last
	}
}

func (e engineOf[I, R]) work(r *run, work <-chan I, results chan<- done[I, R]) {
	for it := range work {
		res, err := e.k.do(r.ctx, it)
		if err != nil {
			continue // cancelled: the item stays pending
		}
		select {
		case results <- done[I, R]{it, res}:
		case <-r.ctx.Done():
			return
		}
	}
}

// write is the job's one writer: it commits results in batches (every
// BatchSize results, and at most FlushInterval after the oldest uncommitted
// one), with the job's progress in the same transaction, and decides when
// the error threshold halts the job.
func (e engineOf[I, R]) write(r *run, results <-chan done[I, R]) {
	w := &batchWriter[I]{r: r, commit: e.k.commit, th: newErrorThreshold(r.settings, &r.job), ok: true}
	flushAfter := time.Duration(r.settings.FlushInterval)
	timer := time.NewTimer(flushAfter)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			w.flush()
			continue
		case d, open := <-results:
			if !open {
				// The workers are done: commit what is left together with the final state.
				st, msg := r.finalState()
				r.finishWith(st, msg, func(j *store.Job) error { return e.k.commit(j, w.batch) }, w.failed)
				return
			}
			if w.add(e.k.apply(d.it, d.res)) == 1 {
				timer.Reset(flushAfter)
			}
			if len(w.batch) >= r.settings.BatchSize {
				w.flush()
				timer.Stop()
			}
		}
	}
}

// batchWriter holds the results not yet committed.
type batchWriter[I any] struct {
	r      *run
	commit func(*store.Job, []I) error
	th     errorThreshold
	batch  []I
	failed []outcome // the failures in batch, told once they are committed
	ok     bool      // false once a commit failed: the rest waits for the final one
}

// add counts one done item in the job, asks for a halt when the threshold
// is exceeded, and returns how many results wait to be committed.
func (w *batchWriter[I]) add(it I, out outcome) int {
	r, j := w.r, &w.r.job
	j.ProgressCurrent++
	switch out.status {
	case media.StatusError:
		j.ErrorCount++
		w.failed = append(w.failed, out)
	case media.StatusSkipped:
		j.SkippedCount++
	}
	j.CurrentFilename = out.name
	r.processed.Store(int64(j.ProgressCurrent))
	r.errors.Store(int64(j.ErrorCount))
	r.skipped.Store(int64(j.SkippedCount))
	var failedName string
	if out.status == media.StatusError {
		failedName = out.name
	}
	w.th.observe(j.ProgressCurrent, j.ErrorCount, failedName, out.err)
	w.batch = append(w.batch, it)
	switch flag := runFlag(r.flag.Load()); {
	case flag == flagRun && w.th.exceeded():
		j.ErrorMessage = w.th.message()
		r.request(flagHalt)
	case flag == flagHalt:
		// The files in flight when the halt was asked still finish and
		// count in the job: the message counts them too, so it names the
		// number of failed files the job (and its list of them) holds.
		j.ErrorMessage = w.th.message()
	}
	return len(w.batch)
}

// flush commits the batch with the job's progress, once no commit failed.
func (w *batchWriter[I]) flush() {
	if !w.ok || len(w.batch) == 0 {
		return
	}
	r, j := w.r, &w.r.job
	if err := w.commit(j, w.batch); err != nil {
		// The batch was rolled back. It stays in batch: the final commit
		// tries it again with the job's end state, and if that fails too
		// its items stay pending in the library for a resume.
		r.failure.Store(ptr(r.storeFailure(err)))
		r.request(flagFail)
		w.ok = false
		return
	}
	w.batch = w.batch[:0]
	r.tellFailures(w.failed)
	w.failed = w.failed[:0]
}
