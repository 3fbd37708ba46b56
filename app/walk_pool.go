package app

import (
	"sync"

	"shoebox/store"
)

// A listing of a million files is mostly the kernel's work reading folders
// and each file's metadata, on one core when one goroutine walks. walk lists
// a root's folders on several goroutines instead, each with its own
// listing, and joins them: the order does not matter, the caller sorts.

// dirToList is a folder waiting to be listed (walker.dir's arguments).
type dirToList struct{ abs, real, rel string }

// dirQueue holds the folders found and not yet listed, and how many are
// queued or being listed, so the walkers know when the walk is over.
type dirQueue struct {
	mu      sync.Mutex
	wake    *sync.Cond
	dirs    []dirToList
	pending int   // queued or being listed
	err     error // the first error that ends the walk (a cancel, a pause)
}

func (q *dirQueue) push(d dirToList) {
	q.mu.Lock()
	q.dirs = append(q.dirs, d)
	q.pending++
	q.mu.Unlock()
	q.wake.Signal()
}

// next waits for a folder to list; ok is false once none is left or the
// walk ended with an error.
func (q *dirQueue) next() (d dirToList, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.dirs) == 0 && q.pending > 0 && q.err == nil {
		q.wake.Wait()
	}
	if q.err != nil || len(q.dirs) == 0 {
		return dirToList{}, false
	}
	d = q.dirs[len(q.dirs)-1] // deepest first: the queue stays short
	q.dirs = q.dirs[:len(q.dirs)-1]
	return d, true
}

// done says a folder was listed; err, when not nil, ends the walk.
func (q *dirQueue) done(err error) {
	q.mu.Lock()
	q.pending--
	if err != nil && q.err == nil {
		q.err = err
	}
	end := q.pending == 0 || q.err != nil
	q.mu.Unlock()
	if end {
		q.wake.Broadcast()
	}
}

// walk lists the folder root (real path real) and everything under it on
// workers goroutines, and returns the listing, unsorted.
func (w *walker) walk(root, real string, workers int) ([]store.Listed, error) {
	q := &dirQueue{}
	q.wake = sync.NewCond(&q.mu)
	q.push(dirToList{root, real, ""})
	walkers := make([]walker, max(workers, 1))
	var wg sync.WaitGroup
	for i := range walkers {
		walkers[i] = walker{ctx: w.ctx, stop: w.stop, index: w.index, reals: w.reals, exclude: w.exclude, queue: q}
		wg.Add(1)
		go func(ww *walker) {
			defer wg.Done()
			for d, ok := q.next(); ok; d, ok = q.next() {
				q.done(ww.dir(d.abs, d.real, d.rel))
			}
		}(&walkers[i])
	}
	wg.Wait()
	if q.err != nil {
		return nil, q.err
	}
	var all listedChunks
	for i := range walkers {
		all.full = append(all.full, walkers[i].out.full...)
		if len(walkers[i].out.cur) > 0 {
			all.full = append(all.full, walkers[i].out.cur)
		}
	}
	return all.all(), nil
}
