package app

import (
	"slices"
	"sync"

	"shoebox/store"
)

// Groups found so far. A whole search of a job's look-alikes walks the
// look-alike index of all its files and compares every hash: 3 s at a
// million files in a plain process, 4-6 s in the window beside Files (a
// library an older Shoebox wrote, a distance above the largest searched).
// Its exact groups come from their own index in a fraction of that, and
// look-alikes lie mostly among files the walk reads close together (its
// order is the files' paths: a burst, a photo's edits, a folder copied
// beside its original). So SearchDuplicates tells its caller what it has
// found before its end, for the window to show while it waits: the exact
// groups, then with them the look-alikes among the first firstLookFiles
// files the walk read, grouped on another goroutine while it reads on.

// firstLookFiles is how many files the walk reads before their look-alikes
// are grouped apart (about 6 MB copied, a twentieth of a second); a job of
// fewer than firstLookMinFactor times as many files is searched whole in
// about the time that takes to show.
const (
	firstLookFiles     = 1 << 16
	firstLookMinFactor = 4
)

// SearchDuplicates' soFar is told, from the goroutine that searches and
// only when a search is needed (no groups remembered or kept answer),
// first the exact groups (those of the answer), then, when the whole index
// is walked for a job of many files, the exact groups with the look-alikes
// among the files read first. Each look-alike group told is
// inside one of the answer's, which may hold more files; the groups are
// for looking at, not acting on, and soFar may keep them.

// partsTold is what a search tells SearchDuplicates' soFar.
type partsTold struct {
	soFar func(Duplicates)
	jobID uint64
	scope DupScope
	exact []store.DupGroup // the answer's exact groups, once found
	moved map[string]bool  // copies moved away, left out of every group
}

// tellExact tells the exact groups.
func (t *partsTold) tellExact() {
	t.tell(Duplicates{Exact: cloneGroups(t.exact)})
}

// tellLooks tells the exact groups with the look-alikes found so far.
func (t *partsTold) tellLooks(looks []store.DupGroup) {
	t.tell(Duplicates{Exact: cloneGroups(t.exact), Near: withoutSameBytes(withoutMoved(looks, t.moved))})
}

// tell tells d kept to the scope. The look's goroutine tells after the
// exact groups are told and before the search returns (firstLook.wait).
func (t *partsTold) tell(d Duplicates) {
	t.soFar(inScope(d, t.jobID, t.scope))
}

// firstLook groups the first files a walk read while it reads on.
type firstLook struct {
	l        *Library
	told     *partsTold
	distance int
	files    int // read before the look; the job needs firstLookMinFactor times as many
	running  sync.WaitGroup
}

// firstLookOf is the look of a search told its parts, nil when it is not.
func (l *Library) firstLookOf(distance int, told *partsTold) *firstLook {
	if told == nil || l.firstLookFiles <= 0 {
		return nil
	}
	return &firstLook{l: l, told: told, distance: distance, files: l.firstLookFiles}
}

// after is how many files the walk of a job of about n files reads before
// the look starts; 0 means it does not (a nil look, a small job).
func (f *firstLook) after(n int) int {
	if f == nil || n < firstLookMinFactor*f.files {
		return 0
	}
	return f.files
}

// start groups part, a copy of what the walk read, on another goroutine,
// and tells its groups with the exact ones.
func (f *firstLook) start(part nearRead) {
	f.running.Go(func() {
		found := groupLookAlikes(&part.set, f.distance)
		if len(found) == 0 {
			return
		}
		// Checked against their records as the answer's are; a record
		// that disagrees tells nothing (the whole search decides).
		groups, trusted, err := f.l.describeNear(part, found, indexAlone, nil)
		if trusted && err == nil && len(groups) > 0 {
			f.told.tellLooks(groups)
		}
	})
}

// wait waits for the look begun, if any.
func (f *firstLook) wait() {
	if f != nil {
		f.running.Wait()
	}
}

// copyOfPart is a copy of what the walk has read so far, to be grouped on
// another goroutine while it reads on (the grouping sorts its items).
func (r *nearRead) copyOfPart() nearRead {
	return nearRead{set: nearSet{files: slices.Clone(r.set.files), items: slices.Clone(r.set.items)},
		keys: r.keys.frozen(), crcs: slices.Clone(r.crcs)}
}
