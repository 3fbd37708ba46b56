package app

import (
	"math"
	"os"
	"sync"
	"time"
)

func osPID() int { return os.Getpid() }

// progressTicker reports a run's progress a few times a second from the
// counters the writer keeps, so the cost does not grow with the file count.
type progressTicker struct {
	stopOnce sync.Once
	stopCh   chan struct{}
	stopped  chan struct{}
}

func (t *progressTicker) stop() {
	t.stopOnce.Do(func() { close(t.stopCh) })
	<-t.stopped
}

// rateWindow is how far back files per second are measured.
const rateWindow = 5 * time.Second

type rateSample struct {
	at        time.Time
	processed int64
}

func (r *run) startTicker() *progressTicker {
	t := &progressTicker{stopCh: make(chan struct{}), stopped: make(chan struct{})}
	r.report()
	go func() {
		defer close(t.stopped)
		tick := time.NewTicker(r.lib.opt.ProgressInterval)
		defer tick.Stop()
		var samples []rateSample
		for {
			select {
			case <-t.stopCh:
				return
			case now := <-tick.C:
				samples = append(samples, rateSample{now, r.processed.Load()})
				for len(samples) > 2 && now.Sub(samples[0].at) > rateWindow {
					samples = samples[1:]
				}
				if first, last := samples[0], samples[len(samples)-1]; last.at.After(first.at) {
					rate := float64(last.processed-first.processed) / last.at.Sub(first.at).Seconds()
					r.rate.Store(math.Float64bits(rate))
				}
				r.report()
			}
		}
	}()
	return t
}

// report sends one progress snapshot.
func (r *run) report() {
	cb := r.lib.callbacks().OnProgress
	if cb == nil {
		return
	}
	cb(r.snapshot())
}

func (r *run) snapshot() Progress {
	p := Progress{
		JobID:        r.job.ID,
		Roots:        r.job.Roots,
		State:        *r.state.Load(),
		Current:      int(r.processed.Load()),
		Total:        int(r.total.Load()),
		Errors:       int(r.errors.Load()),
		Skipped:      int(r.skipped.Load()),
		CurrentFile:  deref(r.current.Load()),
		FilesPerSec:  math.Float64frombits(r.rate.Load()),
		MaxErrorRate: r.settings.MaxErrorRate,
		Listing:      r.listing.Load(),
	}
	if msg := r.message.Load(); msg != nil {
		p.ErrorMessage = *msg
	}
	if p.FilesPerSec > 0 && p.Total > p.Current {
		p.Remaining = time.Duration(float64(p.Total-p.Current) / p.FilesPerSec * float64(time.Second))
	}
	return p
}
