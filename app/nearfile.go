package app

import (
	"fmt"
	"sort"
	"strings"

	"shoebox/media"
	"shoebox/near"
	"shoebox/store"
)

// Look-alike grouping works on what it reads of each file (nearFile), which
// comes either from the look-alike index (store.EachIndexedNear, or
// store.EachNearEntry checking each record against its entry) or from
// records. The groups it finds name files by index and keep their evidence
// as facts; the files of the groups are then read whole and the facts worded
// (describe). So a million files are grouped from ~100 bytes each, and only
// the few thousand in groups are decoded.

// nearFile is what grouping and the same-shot rules read of one file.
type nearFile struct {
	item    int    // index of its near.Item in nearSet.items; -1: no hashes (or not analysed)
	capture uint64 // done image: store.CaptureHash of its camera and EXIF capture time; 0: none
	name    uint64 // done image whose name carries the time to the second: nameHash; 0: none
}

// nearSet is the files grouping looks at, in processing order.
type nearSet struct {
	files   []nearFile
	items   []near.Item      // of the hashed files; an item's ID is its file's index
	screens near.ScreenNames // a folder's screenshot word, looked at once
}

// addRecord adds a file from its record.
func (s *nearSet) addRecord(f *store.FileRecord) {
	done := f.Status == media.StatusDone
	nf := nearFile{item: -1}
	if f.HasPHash && done {
		nf.item = s.addItem(near.Item{PHash: f.PHash, DHash: f.DHash, Width: f.Width, Height: f.Height,
			LumaMean: f.LumaMean, LumaStdDev: f.LumaStdDev, ChromaCb: f.ChromaCb, ChromaCr: f.ChromaCr,
			HasStats: f.Analysis >= 2, Screen: s.screens.Is(f.RelPath)})
	}
	if done && strings.HasPrefix(f.MIME, "image/") {
		if camera, when, ok := f.ShotCapture(); ok {
			nf.capture = store.CaptureHash(camera, when)
		}
		if _, ok := f.ShotNameTime(); ok {
			nf.name = nameHash(f.RelPath)
		}
	}
	s.files = append(s.files, nf)
}

// addEntry adds a file from its look-alike index entry: the same as
// addRecord of its record.
func (s *nearSet) addEntry(e *store.NearEntry) {
	rel := e.RelPathBytes() // not copied: a million strings took a tenth of a second
	nf := nearFile{item: -1}
	if e.HasPHash && e.Done {
		nf.item = s.addItem(near.Item{PHash: e.PHash, DHash: e.DHash, Width: e.Width, Height: e.Height,
			LumaMean: e.LumaMean, LumaStdDev: e.LumaStdDev, ChromaCb: e.ChromaCb, ChromaCr: e.ChromaCr,
			HasStats: e.Measured, Screen: s.screens.IsBytes(rel)})
	}
	if e.Done && e.Image {
		nf.capture = e.Capture
		if e.NameTime {
			nf.name = nameHash(rel)
		}
	}
	s.files = append(s.files, nf)
}

func (s *nearSet) addItem(it near.Item) int {
	it.ID = uint64(len(s.files))
	s.items = append(s.items, it)
	return len(s.items) - 1
}

// findLookAlikes groups the set's items (near.FindInPlace: without a copy
// of them, 64 MB at a million), which reorders them, and points each file at
// its item again.
func (s *nearSet) findLookAlikes(opt near.Options) []near.Group {
	groups := near.FindInPlace(s.items, opt)
	for i := range s.items {
		s.files[s.items[i].ID].item = i
	}
	return groups
}

// factKind is what a piece of evidence says.
type factKind int

const (
	factLook         factKind = iota // a and b look alike (near.Find)
	factCrop                         // a and b are one camera shot, hashes further apart (sameShot)
	factUnhashed                     // a camera shot's files without hashes joined to it
	factUnhashedName                 // a time-stamped name's files without hashes joined to it
)

// nearFact is one line of a group's evidence, by file index.
type nearFact struct {
	kind     factKind
	a, b     int // the pair (factLook, factCrop); a: the file whose key words the shot (factUnhashed*)
	pd, dd   int // pHash and dHash distances of the pair
	reason   string
	unhashed []int // factUnhashed*: the files without hashes
}

// nearGroup is one group found, by file index.
type nearGroup struct {
	members     []int
	maxDistance int
	relinked    bool // hash groups joined by a shot: maxDistance is to be measured
	facts       []nearFact
}

// groupNear groups the files by perceptual hash (near.Find) and then joins
// the files that their metadata says are one shot (see sameShot): a crop
// whose hashes moved too far for a look-alike, and images that cannot be
// hashed (HEIC). Groups come in the order of their first file.
func groupNear(set *nearSet, distance int) []nearGroup {
	j := joinLookAlikes(set, distance)
	for _, link := range sameShot(set, distance, j.uf) { // sameShot joins them in uf
		j.evidence[link.members[0]] = append(j.evidence[link.members[0]], link.why)
		if link.distance > 0 {
			j.relinked[link.members[0]] = true
		}
	}
	return j.groups(len(set.files))
}

// groupLookAlikes is groupNear by perceptual hash alone. Its groups among
// some of a job's files are each inside one of groupNear's among all of
// them: whether two pictures look alike depends on that pair alone, where
// a shot's key links nothing when too many files share it (maxShotFiles).
func groupLookAlikes(set *nearSet, distance int) []nearGroup {
	return joinLookAlikes(set, distance).groups(len(set.files))
}

// nearJoins is the files joined so far, with the evidence of each join
// filed under the group's first file.
type nearJoins struct {
	uf       *near.UnionFind[int]
	maxDist  map[int]int        // file index of a group's first member -> its largest distance
	relinked map[int]bool       // a file joined to another hashed group by a shot link
	evidence map[int][]nearFact // same key: evidence
}

// joinLookAlikes joins the files whose pictures look alike (near.Find).
func joinLookAlikes(set *nearSet, distance int) *nearJoins {
	j := &nearJoins{uf: near.NewUnionFind[int](len(set.files)), maxDist: map[int]int{},
		relinked: map[int]bool{}, evidence: map[int][]nearFact{}}
	for _, g := range set.findLookAlikes(near.Options{MaxDistance: nearDistance(distance)}) {
		first := int(g.IDs[0])
		for _, id := range g.IDs[1:] {
			j.uf.Union(first, int(id))
		}
		j.maxDist[first] = g.MaxDistance
		for _, e := range g.Evidence {
			j.evidence[first] = append(j.evidence[first], nearFact{kind: factLook, a: int(e.A), b: int(e.B),
				pd: e.PHashDistance, dd: e.DHashDistance, reason: e.Reason})
		}
	}
	return j
}

// groups is the joined files of n, in the order of their first file.
func (j *nearJoins) groups(n int) []nearGroup {
	// Members by root, without a map entry for each of a million singletons.
	size := make([]int32, n)
	for i := range n {
		size[j.uf.Find(i)]++
	}
	var roots []int
	members := map[int][]int{}
	for i := range n {
		r := j.uf.Find(i)
		if size[r] < 2 {
			continue
		}
		if members[r] == nil {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	var out []nearGroup
	for _, r := range roots {
		g := nearGroup{members: members[r]}
		for _, i := range g.members {
			g.maxDistance = max(g.maxDistance, j.maxDist[i])
			g.facts = append(g.facts, j.evidence[i]...)
			g.relinked = g.relinked || j.relinked[i]
		}
		out = append(out, g)
	}
	return out
}

// describe turns groups into duplicate groups of whole records: rec gives
// the record of a file index, or nil when it could not be read (the file is
// then left out, with the evidence that names it, and a group left with
// fewer than two files).
func describe(groups []nearGroup, rec func(int) *store.FileRecord) []store.DupGroup {
	var out []store.DupGroup
	for _, ng := range groups {
		g := store.DupGroup{Near: true, MaxDistance: ng.maxDistance}
		for _, i := range ng.members {
			if f := rec(i); f != nil {
				g.Files = append(g.Files, *f)
			}
		}
		if len(g.Files) < 2 {
			continue
		}
		for _, fact := range ng.facts {
			if line, ok := fact.words(rec); ok {
				g.Evidence = append(g.Evidence, line)
			}
		}
		if ng.relinked {
			// Hash groups joined by metadata: their members were never
			// compared across the join, so measure the largest distance.
			g.MaxDistance = maxPHashDistance(g.Files)
		}
		out = append(out, g)
	}
	return out
}

// words is the fact in words, false when a file it names could not be read.
func (f nearFact) words(rec func(int) *store.FileRecord) (string, bool) {
	a := rec(f.a)
	if a == nil {
		return "", false
	}
	switch f.kind {
	case factLook, factCrop:
		b := rec(f.b)
		if b == nil {
			return "", false
		}
		if f.kind == factLook {
			return fmt.Sprintf("%s ~ %s: pHash distance %d, dHash distance %d%s (%s)",
				a.RelPath, b.RelPath, f.pd, f.dd, colourEvidence(a, b), f.reason), true
		}
		return fmt.Sprintf("%s ~ %s: %s; pHash distance %d, dHash distance %d%s: further apart than look-alikes may be, as after a crop, but the same shape and colour",
			a.RelPath, b.RelPath, captureWhat(a), f.pd, f.dd, colourEvidence(a, b)), true
	}
	what := captureWhat(a)
	if f.kind == factUnhashedName {
		what = nameWhat(a)
	}
	var names []string
	for _, i := range f.unhashed {
		if u := rec(i); u != nil {
			names = append(names, u.RelPath)
		}
	}
	if len(names) == 0 {
		return "", false
	}
	verb := "cannot be decoded here, so its pixels were"
	if len(names) > 1 {
		verb = "cannot be decoded here, so their pixels were"
	}
	return fmt.Sprintf("%s; %s %s not compared", what, strings.Join(names, ", "), verb), true
}

// sortedKeys is the file indexes of groups' members, once each, in order.
func sortedKeys(groups []nearGroup) []int {
	seen := map[int]bool{}
	var out []int
	for _, g := range groups {
		for _, i := range g.members {
			if !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	sort.Ints(out)
	return out
}
