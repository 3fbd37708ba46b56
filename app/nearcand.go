package app

import (
	"errors"

	"shoebox/near"
	"shoebox/store"
)

// Look-alike candidates (store/nearcand.go). A search for a completed job's
// look-alikes reads the whole look-alike index and compares a million
// hashes: seconds at a million files. Its answer can change only with the
// distance asked, and the groups at a distance are found among the files
// that are in a group at any larger one, or that share a shot's key with
// another file. So the first search of a completed job searches at
// candidateReach (or the distance asked, when larger), keeps those files,
// and answers from them; every later search at a distance up to that reach,
// in this process or another, reads only them (nearGroupsOfCandidates):
// an older scan opened from History, a distance changed in Settings.
//
// The groups are the same as a whole search's: near.Find's acceptance of a
// pair does not depend on the distance but for the pHash limit, so a group
// at a smaller distance is inside one at the reach; the same-shot rules look
// only at files that share a key (all candidates), with each key counted as
// it was among all the files (store.CandidateCapture, CandidateName). So is
// their evidence, but for a group of more than 256 files, whose spanning
// tree near.Find keeps in the order its search found the pairs.

// candidateReach is the smallest distance candidates are searched at: the
// default distance, so that the first search, at the default, costs what
// it did before candidates were kept. Searching further costs more than
// the first search saves: at a million files (scripts/scalelib) the search
// at 8 took 3.7 s, at 10 about 8 s (grouping at 10 alone, 7 s).
const candidateReach = near.DefaultDistance

// maxCandidateReach is the largest distance candidates are searched at;
// above it a search takes minutes at a million files, and its candidates
// would be most of the library.
const maxCandidateReach = 16

// candidateReachFor is the distance a search at distance keeps candidates for.
func candidateReachFor(distance int) int { return max(candidateReach, distance) }

// candidatesWanted says whether a search of the job at distance should keep
// its candidates, and with which view stamp (read before the search): the
// job is completed, the library writable, and the distance not too large.
func (l *Library) candidatesWanted(jobID uint64, distance int) (stamp uint64, ok bool) {
	if l.db.ReadOnly() || distance > maxCandidateReach {
		return 0, false
	}
	stamp, ok, err := l.db.ViewStamp(jobID)
	return stamp, ok && err == nil
}

// foundCandidates is the candidates a search found for a job whose view
// had the stamp, to keep once its groups are kept (keepCandidates).
type foundCandidates struct {
	jobID, stamp uint64
	set          store.NearCandidates
}

// keepCandidates keeps the candidates a search found, if any. Not kept (the
// job changed since, the library is read-only, the write failed), the next
// search finds them again.
func (l *Library) keepCandidates(c *foundCandidates) {
	if c != nil {
		_, _ = l.db.SaveNearCandidates(c.jobID, c.stamp, c.set)
	}
}

// nearGroupsOfCandidates is nearGroupsOf from the candidates kept for the
// job; ok is false when there are none current for distance, or a record
// of a group found disagrees with its entry: a whole search is needed.
func (l *Library) nearGroupsOfCandidates(jobID uint64, distance int) (groups []store.DupGroup, ok bool, err error) {
	var read nearRead
	reach, ok, damaged := l.db.EachNearCandidate(jobID, func(e store.NearEntry, flags byte) {
		if read.add(&e) {
			keepShotKeys(&read.set.files[len(read.set.files)-1], flags)
		}
	})
	if !ok || distance > reach || (damaged != nil && !errors.Is(damaged, store.ErrDamaged)) {
		return nil, false, nil
	}
	groups, trusted, err := l.describeNear(read, groupNear(&read.set, distance), candidatesOnly, damaged)
	if !trusted {
		return nil, false, nil
	}
	return groups, true, err
}

// keepShotKeys clears the shot keys of a candidate that its flags say are
// no shot's among all the job's files.
func keepShotKeys(f *nearFile, flags byte) {
	if flags&store.CandidateCapture == 0 {
		f.capture = 0
	}
	if flags&store.CandidateName == 0 {
		f.name = 0
	}
}

// candidatesOf finds the candidates among what a walk read, at reach: the
// files of its look-alike groups, and those sharing a shot's key. It
// returns them to keep, and as what grouping reads (sub), in the walk's
// order.
func candidatesOf(read *nearRead, reach int) (kept store.NearCandidates, sub nearRead) {
	set := &read.set
	flags := make([]byte, len(set.files))
	const chosen = 1 << 7 // beside the store's flags
	for _, g := range set.findLookAlikes(near.Options{MaxDistance: nearDistance(reach)}) {
		for _, id := range g.IDs {
			flags[id] |= chosen
		}
	}
	mark := func(key func(nearFile) uint64, flag byte) {
		for _, g := range shotGroups(set.files, key) {
			for _, i := range g {
				flags[i] |= chosen | flag
			}
		}
	}
	mark(func(f nearFile) uint64 { return f.capture }, store.CandidateCapture)
	mark(func(f nearFile) uint64 { return f.name }, store.CandidateName)

	kept.Distance = reach
	for i, f := range set.files {
		if flags[i]&chosen == 0 {
			continue
		}
		if f.item >= 0 {
			f.item = sub.set.addItem(set.items[f.item])
		}
		keepShotKeys(&f, flags[i])
		sub.set.files = append(sub.set.files, f)
		sub.keys.add(read.keys.at(i))
		sub.crcs = append(sub.crcs, read.crcs[i])
		kept.Flags = append(kept.Flags, flags[i]&^chosen)
	}
	kept.Keys = make([][]byte, len(kept.Flags))
	for n := range kept.Keys {
		kept.Keys[n] = sub.keys.at(n)
	}
	return kept, sub
}
