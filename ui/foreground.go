package ui

import "sync"

// foreground lets what the person has just asked to see go first. Files
// reads a million rows for about half a minute, taking both cores with the
// collector; Duplicates opened meanwhile read its kept groups, a fraction
// of a second alone, in 1.3 to 3.4 s beside it. While a view holds the
// foreground, a background read waits between its batches (yield).
//
// Only short reads hold it (Duplicates reading groups that need no
// search), so the background waits a fraction of a second at most.
type foreground struct {
	mu   sync.Mutex
	free sync.Cond // signalled when held drops to 0
	held int
	// onWait, when set, is called as a goroutine starts waiting in yield,
	// with the lock held; tests set it to know that it waits.
	onWait func()
}

// hold takes the foreground until the release returned is called.
func (f *foreground) hold() (release func()) {
	f.mu.Lock()
	f.held++
	f.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			f.mu.Lock()
			f.held--
			if f.held == 0 {
				f.cond().Broadcast()
			}
			f.mu.Unlock()
		})
	}
}

// yield returns once nothing holds the foreground.
func (f *foreground) yield() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.held > 0 {
		if f.onWait != nil {
			f.onWait()
		}
		f.cond().Wait()
	}
}

// holders is how many hold the foreground now.
func (f *foreground) holders() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.held
}

// cond is free, tied to mu on first use; f.mu is held.
func (f *foreground) cond() *sync.Cond {
	if f.free.L == nil {
		f.free.L = &f.mu
	}
	return &f.free
}
