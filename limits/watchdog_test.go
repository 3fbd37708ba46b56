package limits

import (
	"context"
	"testing"
	"time"
)

// fakeRunClock is a RunClock without its ticker, on a clock the test moves.
type fakeRunClock struct {
	*RunClock
	t time.Time
}

func newFakeRunClock() *fakeRunClock {
	f := &fakeRunClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	f.RunClock = &RunClock{tick: runTick, gap: runGap, now: func() time.Time { return f.t }, clocks: map[*FileClock]struct{}{}}
	return f
}

// pass moves the time by d in ticks of at most runTick, as a running process
// sees it.
func (f *fakeRunClock) pass(d time.Duration) {
	for d > 0 {
		step := min(d, runTick)
		f.jump(step)
		d -= step
	}
}

// jump moves the time by d in one step, as a stopped process sees it.
func (f *fakeRunClock) jump(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.t = f.t.Add(d)
	f.advance()
}

func expired(c *FileClock) bool { return isExpired(c) }

func TestRunClockSkipsAWholeProcessGap(t *testing.T) {
	f := newFakeRunClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := f.start(time.Second, cancel)
	defer c.stop()
	f.pass(400 * time.Millisecond)
	f.jump(10 * time.Minute) // SIGSTOP, Ctrl-Z: the process did not run
	f.pass(250 * time.Millisecond)
	if expired(c) || ctx.Err() != nil {
		t.Fatal("a stopped process expired its file: the gap counted as running time")
	}
	f.pass(250 * time.Millisecond) // 0.4 + one tick of the gap + 0.25 + 0.25 = 1.15 s
	if !expired(c) || ctx.Err() == nil {
		t.Fatal("a file that ran longer than its limit did not expire")
	}
}

func TestRunClockRunsDownWhileRunning(t *testing.T) {
	f := newFakeRunClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := f.start(time.Second, cancel)
	defer c.stop()
	f.pass(750 * time.Millisecond)
	if expired(c) {
		t.Fatal("expired early")
	}
	f.jump(time.Second + 500*time.Millisecond) // a slow tick, not a gap
	if !expired(c) || ctx.Err() == nil {
		t.Fatal("a 1.5 s tick within the gap threshold is running time, and the file ran 2.25 s")
	}
}

func TestRunClockPausedWhileWaitingForMemory(t *testing.T) {
	f := newFakeRunClock()
	_, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := f.start(time.Second, cancel)
	defer c.stop()
	other := f.start(time.Second, func() {})
	defer other.stop()
	f.pass(500 * time.Millisecond)
	c.WaitBegin()
	f.pass(5 * time.Second)
	if expired(c) {
		t.Fatal("time queued for memory counted")
	}
	if !expired(other) {
		t.Fatal("the clock of a file that did not wait stopped too")
	}
	c.WaitEnd()
	f.pass(500 * time.Millisecond)
	if !expired(c) {
		t.Fatal("the clock did not run again after the wait")
	}
}

func TestRunClockTicksOnlyWhileFilesAreLive(t *testing.T) {
	r := NewRunClock()
	c1 := r.start(time.Hour, func() {})
	c2 := r.start(time.Hour, func() {})
	r.mu.Lock()
	running := r.stop != nil
	r.mu.Unlock()
	if !running {
		t.Fatal("no ticker while files are live")
	}
	c1.stop()
	c2.stop()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stop != nil || len(r.clocks) != 0 {
		t.Fatalf("ticker left running after the last file: %d clocks", len(r.clocks))
	}
}

func TestFileClockPausesAndRunsOut(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := NewRunClock().start(100*time.Millisecond, cancel)
	defer c.stop()
	c.WaitBegin()
	select {
	case <-c.expired:
		t.Fatal("expired while paused")
	case <-time.After(250 * time.Millisecond):
	}
	c.WaitEnd()
	select {
	case <-c.expired:
	case <-time.After(5 * time.Second):
		t.Fatal("never expired after resuming")
	}
	if ctx.Err() == nil {
		t.Error("running out did not cancel the analysis")
	}
}

// The clock a file hands to MemoryBudget.Acquire stops while its request is
// queued behind another file's memory, and runs again once it is granted.
func TestAcquireStopsTheWaitingFilesClock(t *testing.T) {
	f := newFakeRunClock()
	_, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := f.start(time.Second, cancel)
	defer c.stop()
	waits := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return c.waits
	}
	until := func(want int) {
		for deadline := time.Now().Add(5 * time.Second); waits() != want; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the clock's waits stayed %d, want %d", waits(), want)
			}
		}
	}
	b := NewMemoryBudget(100)
	hold, _ := b.Acquire(context.Background(), 100, nil) // another file holds it all
	got := make(chan func())
	go func() {
		r, _ := b.Acquire(context.Background(), 50, c)
		got <- r
	}()
	until(1)
	f.pass(5 * time.Second)
	if expired(c) {
		t.Fatal("time queued for memory counted")
	}
	hold()
	release := <-got
	defer release()
	until(0)
	f.pass(1500 * time.Millisecond)
	if !expired(c) {
		t.Fatal("the clock did not run again once the memory was granted")
	}
}
