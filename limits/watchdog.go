package limits

import (
	"context"
	"errors"
	"sync"
	"time"
)

// The per-file watchdog measures the time a file's analysis runs, not the
// time it waits:
//
//   - a file queued behind another's memory (MemoryBudget) has done nothing
//     wrong: the analysis hands its FileClock down (DecodeLimits.Clock, the
//     read budget) to MemoryBudget.Acquire, which stops it while it blocks;
//   - a whole process that did not run (SIGSTOP, Ctrl-Z, a debugger, a VM
//     paused) has no stuck file: the RunClock sees the gap and no file clock
//     counts it.
//
// Go's monotonic clock (time.Now, timers) is CLOCK_MONOTONIC on Linux
// (runtime nanotime) and mach_absolute_time on macOS: both stop while the
// machine is suspended, so a closed lid is no time at all there. Both keep
// counting while the process alone is stopped (SIGSTOP), and on Windows the
// interrupt time Go reads also counts suspend: the RunClock's gap detection
// covers those cases.

// RunClock measures how long the process actually runs and runs down the
// file clocks of all the analyses in flight. It ticks every runTick while a
// file clock is live; when two ticks are more than runGap apart, the process
// did not run in between (stopped or suspended) and the excess counts for no
// file. One RunClock serves every worker of a process: create it where the
// analysis options are made and share it. The zero value is not usable; use
// NewRunClock.
type RunClock struct {
	tick, gap time.Duration
	now       func() time.Time
	autoTick  bool // false in tests, which call advance themselves

	mu     sync.Mutex
	clocks map[*FileClock]struct{}
	last   time.Time     // the last advance
	stop   chan struct{} // closes the ticking goroutine; nil when none runs
}

const (
	runTick = 250 * time.Millisecond
	// runGap is a tick interval that cannot be a busy process (the ticker is
	// a timer goroutine; even a loaded machine runs it within a second or
	// so): the process was not running.
	runGap = 2 * time.Second
)

// NewRunClock returns a run clock for one process (or one library).
func NewRunClock() *RunClock {
	return &RunClock{tick: runTick, gap: runGap, now: time.Now, autoTick: true, clocks: map[*FileClock]struct{}{}}
}

// advance runs every live, unpaused file clock down by the running time since
// the last advance and expires those that ran out. Called with mu held, by
// the ticker and before every change of a clock's state, so each clock is
// always up to date as of last.
func (r *RunClock) advance() {
	now := r.now()
	ran := now.Sub(r.last)
	r.last = now
	if ran > r.gap {
		ran = r.tick // the process did not run: count only one tick of it
	}
	for c := range r.clocks {
		if c.waits > 0 {
			continue
		}
		c.left -= ran
		if c.left <= 0 {
			c.cancel() // before expired closes: whoever sees expired sees the analysis cancelled
			close(c.expired)
			delete(r.clocks, c)
		}
	}
	if len(r.clocks) == 0 && r.stop != nil {
		close(r.stop)
		r.stop = nil
	}
}

func (r *RunClock) run(stop <-chan struct{}) {
	t := time.NewTicker(r.tick)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.mu.Lock()
			r.advance()
			r.mu.Unlock()
		case <-stop:
			return
		}
	}
}

// start registers a new file clock with limit of running time; cancel is
// called when it runs out.
func (r *RunClock) start(limit time.Duration, cancel context.CancelFunc) *FileClock {
	c := &FileClock{run: r, left: limit, expired: make(chan struct{}), cancel: cancel}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.clocks) == 0 {
		r.last = r.now() // nothing ran down since the last clock stopped
	} else {
		r.advance()
	}
	r.clocks[c] = struct{}{}
	if r.autoTick && r.stop == nil {
		r.stop = make(chan struct{})
		go r.run(r.stop)
	}
	return c
}

// FileClock is the running time one analysis has left. Its RunClock runs it
// down while the analysis runs; it stops while the analysis waits (it is the
// Waiter MemoryBudget.Acquire stops). When it runs out it cancels the
// analysis and closes expired. A nil *FileClock is no clock: its waits do
// nothing.
type FileClock struct {
	run     *RunClock
	left    time.Duration // guarded by run.mu, as are the fields below
	waits   int           // nested waits in progress
	expired chan struct{}
	cancel  context.CancelFunc
}

// WaitBegin pauses the clock (waits may nest).
func (c *FileClock) WaitBegin() {
	if c == nil {
		return
	}
	c.run.mu.Lock()
	defer c.run.mu.Unlock()
	c.run.advance()
	c.waits++
}

// WaitEnd resumes the clock with the running time it had left.
func (c *FileClock) WaitEnd() {
	if c == nil {
		return
	}
	c.run.mu.Lock()
	defer c.run.mu.Unlock()
	c.run.advance()
	c.waits--
}

// stop releases the clock once the analysis has returned.
func (c *FileClock) stop() {
	r := c.run
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.clocks, c)
	if len(r.clocks) == 0 && r.stop != nil {
		close(r.stop)
		r.stop = nil
	}
}

// ErrTooLong is what Watch returns for a file whose analysis ran out of its
// running time and was abandoned.
var ErrTooLong = errors.New("ran longer than its limit of running time")

// Watch runs fn with a limit of running time measured by run (nil: a clock of
// its own). fn gets the file's clock to hand to whatever may wait for memory
// (MemoryBudget.Acquire), so that waiting does not count. A file whose
// analysis outlives the limit returns ErrTooLong and the caller moves on; the
// goroutine left behind holds no lock and stops at its next context check. A
// cancelled ctx returns its error.
func Watch[T any](ctx context.Context, run *RunClock, limit time.Duration, fn func(context.Context, *FileClock) (T, error)) (T, error) {
	if run == nil {
		run = NewRunClock()
	}
	fileCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := run.start(limit, cancel)
	defer clock.stop()
	type outcome struct {
		res T
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := fn(fileCtx, clock)
		done <- outcome{res, err}
	}()
	var zero T
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() == nil && isExpired(clock) {
			return zero, ErrTooLong
		}
		return o.res, o.err
	case <-clock.expired:
		select {
		case o := <-done: // finished as the clock ran out: keep a good result
			if o.err == nil {
				return o.res, nil
			}
		default:
		}
		return zero, ErrTooLong
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

func isExpired(c *FileClock) bool {
	select {
	case <-c.expired:
		return true
	default:
		return false
	}
}
