package app

import (
	"slices"
	"sync"

	"shoebox/store"
)

// dupsMemo keeps the last groups DuplicatesIn found, with what they were
// found from, so that asking again while the library has not changed
// costs nothing: the window asks for a job's groups and then for the plan
// of the same groups (PlanDuplicates), and again on every visit to the
// tab; at a million files one search takes seconds.
type dupsMemo struct {
	mu     sync.Mutex
	valid  bool
	key    dupsMemoKey
	groups Duplicates
}

// dupsMemoKey is what a search's groups depend on. The store's epoch moves
// with every write and every time another program may have written; the
// moved-away files come from the change journal, which is in the library.
type dupsMemoKey struct {
	job      uint64
	distance int
	scope    DupScope
	epoch    uint64
}

// get returns a copy of the remembered groups for k.
func (m *dupsMemo) get(k dupsMemoKey) (Duplicates, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.valid || m.key != k {
		return Duplicates{}, false
	}
	return cloneDuplicates(m.groups), true
}

// put remembers groups found without an error at the epoch read before the
// search began: a write during it moves the epoch, so they are never
// taken for newer than they are.
func (m *dupsMemo) put(k dupsMemoKey, d Duplicates) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.valid, m.key, m.groups = true, k, cloneDuplicates(d)
}

// cloneDuplicates copies the groups and their file lists, so a caller that
// filters or sorts what it got cannot change what is remembered.
func cloneDuplicates(d Duplicates) Duplicates {
	out := d
	out.Exact = cloneGroups(d.Exact)
	out.Near = cloneGroups(d.Near)
	return out
}

func cloneGroups(gs []store.DupGroup) []store.DupGroup {
	if gs == nil {
		return nil
	}
	out := make([]store.DupGroup, len(gs))
	for i, g := range gs {
		g.Files = slices.Clone(g.Files)
		g.Evidence = slices.Clone(g.Evidence)
		out[i] = g
	}
	return out
}

// searchGate lets one whole search for a job's groups at a distance run at
// a time. As a job ends, the engine searches for its groups to keep them
// (keepGroupsAfterJob) while the window, seeing the job end with
// Duplicates in front, asks for the same groups (DuplicatesIn): at a
// million files each search holds a few hundred megabytes and both cores,
// and two side by side only double that. A second asker waits for the
// search under way, then reads what it kept (or searches, when it kept
// nothing).
type searchGate struct {
	mu      sync.Mutex
	running map[searchKey]chan struct{} // closed when the search ends
	// searched and waited count the searches let in and the askers who
	// waited for one, for the tests.
	searched, waited int
}

// searchKey is what one search finds: a job's groups in the whole library
// at a distance; each scope is cut from them (inScope).
type searchKey struct {
	job      uint64
	distance int
}

// enter returns leave when no search for k is under way: the caller
// searches, and calls leave once what it found is kept. Otherwise it waits
// for the search under way to end and returns nil: the caller looks again
// for what that one kept.
func (g *searchGate) enter(k searchKey) (leave func()) {
	g.mu.Lock()
	if done, ok := g.running[k]; ok {
		g.waited++
		g.mu.Unlock()
		<-done
		return nil
	}
	if g.running == nil {
		g.running = map[searchKey]chan struct{}{}
	}
	done := make(chan struct{})
	g.running[k] = done
	g.searched++
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		delete(g.running, k)
		g.mu.Unlock()
		close(done)
	}
}

// enterUnless is enter, tried again after every search it waited for,
// until found says what is wanted is there (leave is then nil) or no
// search for k is under way (the caller searches, and calls leave).
func (g *searchGate) enterUnless(k searchKey, found func() bool) (leave func()) {
	for !found() {
		if leave = g.enter(k); leave != nil {
			return leave
		}
	}
	return nil
}

// counts returns searched and waited.
func (g *searchGate) counts() (searched, waited int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.searched, g.waited
}
