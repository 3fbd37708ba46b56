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
