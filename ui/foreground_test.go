package ui

import "testing"

// A yield waits while anything holds the foreground, and returns once the
// last holder lets go; a release called twice counts once.
func TestForegroundMakesTheBackgroundWait(t *testing.T) {
	var f foreground
	f.yield() // nothing holds it: returns at once
	first, second := f.hold(), f.hold()
	waiting := make(chan struct{}, 4)
	f.mu.Lock()
	f.onWait = func() { waiting <- struct{}{} }
	f.mu.Unlock()
	done := make(chan struct{})
	go func() {
		f.yield()
		close(done)
	}()
	<-waiting
	first()
	first() // again: still held by second
	if f.holders() != 1 {
		t.Fatalf("%d holders after one release, called twice; want 1", f.holders())
	}
	select {
	case <-done:
		t.Fatal("yield returned while the foreground was still held")
	default:
	}
	second()
	<-done
	if f.holders() != 0 {
		t.Errorf("%d holders after both released", f.holders())
	}
}
