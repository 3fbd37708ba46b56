package processing

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// The per-file watchdog measures the time a file's analysis runs, not the
// time it waits: a file queued behind another's memory (MemoryBudget) has
// done nothing wrong. MemoryBudget.Acquire pauses the watchdog found in its
// context while it blocks.

// fileClock runs down while the analysis runs and stops while it waits. When
// it runs out it cancels the analysis and closes expired.
type fileClock struct {
	mu      sync.Mutex
	left    time.Duration // running time left when paused
	started time.Time     // when it last started running; zero while paused
	waits   int           // nested waits in progress
	timer   *time.Timer
	expired chan struct{}
	cancel  context.CancelFunc
	done    bool
}

func newFileClock(limit time.Duration, cancel context.CancelFunc) *fileClock {
	c := &fileClock{left: limit, started: time.Now(), expired: make(chan struct{}), cancel: cancel}
	c.timer = time.AfterFunc(limit, c.fire)
	return c
}

func (c *fileClock) fire() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.waits > 0 {
		return // stopped, or paused just as it fired: waitEnd restarts it
	}
	if left := c.left - time.Since(c.started); left > 0 {
		c.timer.Reset(left) // a pause and resume moved the end
		return
	}
	c.done = true
	c.cancel() // before expired closes: whoever sees expired sees the analysis cancelled
	close(c.expired)
}

// waitBegin pauses the clock (waits may nest).
func (c *fileClock) waitBegin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits++
	if c.waits == 1 && !c.done {
		c.left -= time.Since(c.started)
		c.started = time.Time{}
		c.timer.Stop()
	}
}

// waitEnd resumes the clock with the running time it had left.
func (c *fileClock) waitEnd() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits--
	if c.waits == 0 && !c.done {
		c.started = time.Now()
		c.timer.Reset(max(c.left, 0))
	}
}

// stop releases the timer once the analysis has returned.
func (c *fileClock) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
	c.timer.Stop()
}

type fileClockKey struct{}

// pauseWatchdog pauses the watchdog of ctx, if any, until the returned
// function is called.
func pauseWatchdog(ctx context.Context) (resume func()) {
	c, _ := ctx.Value(fileClockKey{}).(*fileClock)
	if c == nil {
		return func() {}
	}
	c.waitBegin()
	return c.waitEnd
}

// withWatchdog runs fn with a running-time limit. A file whose analysis
// outlives it is marked failed and the caller moves on; the goroutine left
// behind holds no lock and stops at its next context check. A cancelled ctx
// returns its error.
func withWatchdog(ctx context.Context, limit time.Duration, fn func(context.Context) (Result, error)) (Result, error) {
	fileCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	clock := newFileClock(limit, cancel)
	defer clock.stop()
	fileCtx = context.WithValue(fileCtx, fileClockKey{}, clock)
	type outcome struct {
		res Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := fn(fileCtx)
		done <- outcome{res, err}
	}()
	tooLong := errorResult(fmt.Sprintf("analysis took longer than %s and was abandoned", limit))
	select {
	case o := <-done:
		if o.err != nil && ctx.Err() == nil && isExpired(clock) {
			return tooLong, nil
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
		return tooLong, nil
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
}

func isExpired(c *fileClock) bool {
	select {
	case <-c.expired:
		return true
	default:
		return false
	}
}
