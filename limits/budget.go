package limits

import (
	"context"
	"sync"
)

// MemoryBudget bounds the memory that concurrent decodes take together. Each
// decode acquires its estimated size before allocating and releases it when
// done; Acquire blocks (first come, first served) until enough has been
// released. A single request larger than the whole budget is admitted when
// nothing else holds memory, so one huge image is slow, never refused.
type MemoryBudget struct {
	mu      sync.Mutex
	total   int64
	used    int64
	waiters []*budgetWaiter
	peak    int64
}

type budgetWaiter struct {
	n     int64
	ready chan struct{}
}

// NewMemoryBudget returns a budget of the given size in bytes (at least 1).
func NewMemoryBudget(bytes int64) *MemoryBudget {
	return &MemoryBudget{total: max(bytes, 1)}
}

// Total is the size of the budget in bytes.
func (b *MemoryBudget) Total() int64 { return b.total }

// InUse is how many bytes are currently acquired.
func (b *MemoryBudget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Waiting is how many requests are queued for memory.
func (b *MemoryBudget) Waiting() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiters)
}

// Peak is the largest amount ever acquired at once.
func (b *MemoryBudget) Peak() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// clamp maps a request to what it will hold: at most the whole budget.
func (b *MemoryBudget) clamp(n int64) int64 {
	return min(max(n, 0), b.total)
}

// Waiter is the running-time clock of the file that asks for memory
// (*FileClock is one). Acquire stops it for as long as the request is queued
// behind memory other files hold: waiting for another file is not this
// file's running time, and must not make its watchdog abandon it.
type Waiter interface {
	WaitBegin() // the file stops running: its clock stops
	WaitEnd()   // the file runs again: its clock restarts
}

// Acquire blocks until n bytes are available (a request over the whole budget
// waits until the budget is empty) or ctx is done. While it blocks, the
// waiting file's clock is stopped (nil: no clock). On success it returns a
// function that releases the bytes; call it exactly once. A nil budget admits
// everything.
func (b *MemoryBudget) Acquire(ctx context.Context, n int64, clock Waiter) (release func(), err error) {
	if b == nil {
		return func() {}, nil
	}
	n = b.clamp(n)
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used+n <= b.total {
		b.take(n)
		b.mu.Unlock()
		return b.releaser(n), nil
	}
	w := &budgetWaiter{n: n, ready: make(chan struct{})}
	b.waiters = append(b.waiters, w)
	b.mu.Unlock()
	// Waiting for memory another file holds is not this file's running time.
	if clock != nil {
		clock.WaitBegin()
		defer clock.WaitEnd()
	}

	select {
	case <-w.ready:
		return b.releaser(n), nil
	case <-ctx.Done():
		b.mu.Lock()
		select {
		case <-w.ready:
			// Granted while we were cancelled: give it back.
			b.used -= n
			b.grant()
		default:
			for i, x := range b.waiters {
				if x == w {
					b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
					break
				}
			}
			b.grant() // the head may have changed
		}
		b.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (b *MemoryBudget) take(n int64) {
	b.used += n
	b.peak = max(b.peak, b.used)
}

func (b *MemoryBudget) releaser(n int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			b.mu.Lock()
			b.used -= n
			b.grant()
			b.mu.Unlock()
		})
	}
}

// grant admits waiters in order while they fit. Called with mu held.
func (b *MemoryBudget) grant() {
	for len(b.waiters) > 0 {
		w := b.waiters[0]
		if b.used+w.n > b.total {
			return
		}
		b.take(w.n)
		b.waiters = b.waiters[1:]
		close(w.ready)
	}
}
