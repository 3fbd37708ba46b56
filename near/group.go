package near

import (
	"math/bits"
	"runtime"
	"slices"
	"sort"
)

// Defaults of Options, chosen from measurements on the benchmark corpora
// (shared/bench make-corpus.sh 1 200 and 2 600): see testdata/README.md.
const (
	// DefaultDistance is the default largest pHash Hamming distance of a
	// near-duplicate pair. Real pHashes have as many bits set as clear, so their
	// distances are even: 8 admits 0, 2, 4, 6 and 8.
	DefaultDistance = 8
	// DefaultDHashDistance is the default largest dHash distance of a pair.
	DefaultDHashDistance = 10
	// DefaultScreenDHashDistance is the default largest dHash distance
	// when either image is a screenshot. 54 copies of 18 screenshots
	// (recompressed at q85 and q75, halved at q60) measured 0 to 3; the two
	// pairs of distinct screenshots that passed every other check on the
	// benchmark folders measured 7 and 9.
	DefaultScreenDHashDistance = 4
	// DefaultAspectDiff is the default largest relative difference of the
	// width/height ratios (0.05: 16:9 and 16:10 screens differ by 0.11).
	DefaultAspectDiff = 0.05
	// DefaultChromaDiff and DefaultChromaRel make the default largest
	// difference of mean Cb and of mean Cr (0..255 scale) of a pair: 4 plus 15%
	// of the larger magnitude (WebP and brightness edits scale saturation).
	DefaultChromaDiff = 4
	DefaultChromaRel  = 0.15
	// DefaultFlatStdDev is the luma standard deviation under which an image
	// counts as flat (black frames, blank pages): its hashes are mostly noise.
	DefaultFlatStdDev = 3
	// DefaultFlatMeanDiff is the default largest luma mean difference of two
	// flat images.
	DefaultFlatMeanDiff = 3
)

// Item is one hashed file offered to near-duplicate grouping.
type Item struct {
	ID            uint64 // caller's identifier (a file key)
	PHash         uint64
	DHash         uint64
	Width, Height int
	// The second signal besides DHash, from the image hasher's 64x64 image
	// (ImageHashes): luma mean and standard deviation (0..255), and the mean
	// colour as BT.601 Cb and Cr offsets from grey (-128..127; 0,0 is a grey
	// image; leave both 0 while the hasher does not measure them: the chroma
	// check then passes). HasStats says these are filled; a pair where either
	// item lacks them is judged on hashes and shape alone.
	LumaMean, LumaStdDev float32
	ChromaCb, ChromaCr   float32
	HasStats             bool
	// Screen marks a screenshot (IsScreenshotName). Distinct screenshots of
	// one app share their layout, and with it pHash, shape and colour; only a
	// tight dHash tells them apart, and copies of a screenshot (recompressed,
	// halved) keep it within 3 bits.
	Screen bool
}

// Options are the knobs of Find. A zero field means its default; a
// negative tolerance turns its check off.
// ExactPHashOnly, as Options.MaxDistance, asks for pairs whose pHashes are
// identical: a distance of 0, which the zero value cannot say (it means
// DefaultDistance).
const ExactPHashOnly = -1

type Options struct {
	// MaxDistance is the largest pHash Hamming distance of a near-duplicate pair;
	// 0 means DefaultDistance, ExactPHashOnly identical pHashes alone.
	// Values above 64 act as 64; above ~12 a million hashes take minutes.
	MaxDistance int
	// MaxDHashDistance is the largest dHash Hamming distance of a pair;
	// 0 means DefaultDHashDistance.
	MaxDHashDistance int
	// MaxAspectDiff is the largest relative difference of the two images'
	// width/height ratios; 0 means DefaultAspectDiff. Items without a size
	// (0) skip the check.
	MaxAspectDiff float64
	// MaxChromaDiff + ChromaRel * the larger magnitude is the largest difference
	// of mean Cb and of mean Cr; 0 means DefaultChromaDiff and
	// DefaultChromaRel. Needs HasStats on both items.
	MaxChromaDiff, ChromaRel float32
	// MaxScreenDHashDistance is the largest dHash distance of a pair in which
	// either item is a screenshot; 0 means DefaultScreenDHashDistance.
	MaxScreenDHashDistance int
	// FlatStdDev: an item whose LumaStdDev is below it is flat, and a flat item
	// only joins another flat item whose luma mean is within FlatMeanDiff.
	// 0 means DefaultFlatStdDev / DefaultFlatMeanDiff.
	FlatStdDev, FlatMeanDiff float32
}

// Edge is one pair that joined a group, with the evidence for it.
type Edge struct {
	A, B          uint64 // A < B
	PHashDistance int
	DHashDistance int
	Reason        string // why the pair was accepted (one of the Reason constants)
}

// Group is a connected component of near-duplicates (size >= 2).
type Group struct {
	IDs         []uint64 // sorted
	MaxDistance int      // the largest pHash distance between any two members
	Evidence    []Edge   // the pairs that joined the group (a spanning tree)
}

// Reasons given in Edge.Reason.
const (
	ReasonIdentical  = "identical hashes and statistics"
	ReasonHashes     = "pHash and dHash close, same shape and colour"
	ReasonFlat       = "flat images: hashes close, same brightness, shape and colour"
	ReasonColourEdit = "pHash and dHash almost equal, same shape; the colour differs (an edit)"
)

// SameStructureBits: two detailed images whose pHash and dHash are both
// within this many bits are near duplicates even when their mean colours
// differ. On the benchmark folders a brightness edit (+10%) moved the mean Cr
// by 5.5 at pHash 2, dHash 0, while every false pair the colour check rejects
// is at pHash >= 4 and dHash >= 5.
const SameStructureBits = 2

type nearConfig struct {
	maxP      int
	maxD      int     // < 0: off
	maxScreen int     // dHash limit with a screenshot in the pair; < 0: off
	maxAspect float64 // < 0: off
	maxChroma float32 // < 0: off
	chromaRel float32
	flatStd   float32 // < 0: off
	flatMean  float32
}

func (o Options) config() nearConfig {
	c := nearConfig{maxP: o.MaxDistance, maxD: o.MaxDHashDistance, maxScreen: o.MaxScreenDHashDistance, maxAspect: o.MaxAspectDiff,
		maxChroma: o.MaxChromaDiff, chromaRel: o.ChromaRel, flatStd: o.FlatStdDev, flatMean: o.FlatMeanDiff}
	switch {
	case c.maxP == ExactPHashOnly:
		c.maxP = 0
	case c.maxP <= 0:
		c.maxP = DefaultDistance
	}
	if c.maxP > 64 {
		c.maxP = 64
	}
	if c.maxD == 0 {
		c.maxD = DefaultDHashDistance
	}
	if c.maxScreen == 0 {
		c.maxScreen = DefaultScreenDHashDistance
	}
	if c.maxAspect == 0 {
		c.maxAspect = DefaultAspectDiff
	}
	if c.maxChroma == 0 {
		c.maxChroma = DefaultChromaDiff
	}
	if c.chromaRel <= 0 {
		c.chromaRel = DefaultChromaRel
	}
	if c.flatStd == 0 {
		c.flatStd = DefaultFlatStdDev
	}
	if c.flatMean <= 0 {
		c.flatMean = DefaultFlatMeanDiff
	}
	return c
}

// accept decides whether two items are near-duplicates, and says why.
func (c *nearConfig) accept(a, b *Item) (ok bool, pd, dd int, reason string) {
	pd = bits.OnesCount64(a.PHash ^ b.PHash)
	dd = bits.OnesCount64(a.DHash ^ b.DHash)
	if pd > c.maxP {
		return false, pd, dd, ""
	}
	if sameSignature(a, b) {
		return true, pd, dd, ReasonIdentical
	}
	if c.maxD >= 0 && dd > c.maxD {
		return false, pd, dd, ""
	}
	if (a.Screen || b.Screen) && c.maxScreen >= 0 && dd > c.maxScreen {
		return false, pd, dd, ""
	}
	if c.maxAspect >= 0 && a.Width > 0 && a.Height > 0 && b.Width > 0 && b.Height > 0 {
		ra := float64(a.Width) / float64(a.Height)
		rb := float64(b.Width) / float64(b.Height)
		if ra < rb {
			ra, rb = rb, ra
		}
		if ra/rb-1 > c.maxAspect+1e-9 {
			return false, pd, dd, ""
		}
	}
	if !a.HasStats || !b.HasStats {
		return true, pd, dd, ReasonHashes
	}
	fa := c.flatStd >= 0 && a.LumaStdDev < c.flatStd
	fb := c.flatStd >= 0 && b.LumaStdDev < c.flatStd
	colourClose := c.maxChroma < 0 || (c.chromaClose(a.ChromaCb, b.ChromaCb) && c.chromaClose(a.ChromaCr, b.ChromaCr))
	if !colourClose {
		// The colour check exists for pictures whose hashes collide. When both
		// hashes agree within SameStructureBits on detailed images, the
		// structure is the same at every scale the hashes see: a colour
		// difference is then an edit (brightness, white balance, a filter),
		// and an edited copy is a near duplicate.
		sameStructure := pd <= SameStructureBits && dd <= SameStructureBits && !fa && !fb
		if !sameStructure {
			return false, pd, dd, ""
		}
		return true, pd, dd, ReasonColourEdit
	}
	if c.flatStd >= 0 {
		if fa != fb {
			return false, pd, dd, "" // a flat image is no copy of a detailed one
		}
		if fa {
			if absf(a.LumaMean-b.LumaMean) > c.flatMean {
				return false, pd, dd, ""
			}
			return true, pd, dd, ReasonFlat
		}
	}
	return true, pd, dd, ReasonHashes
}

// Compare judges one pair exactly as Find does with the same options,
// for callers that have other evidence that two items belong together and
// want the hashes' verdict on that pair alone.
func Compare(a, b Item, opt Options) (Edge, bool) {
	c := opt.config()
	ok, pd, dd, reason := c.accept(&a, &b)
	e := Edge{A: min(a.ID, b.ID), B: max(a.ID, b.ID), PHashDistance: pd, DHashDistance: dd, Reason: reason}
	return e, ok
}

// chromaClose compares one chroma channel of two images.
func (c *nearConfig) chromaClose(x, y float32) bool {
	return absf(x-y) <= c.maxChroma+c.chromaRel*max(absf(x), absf(y))+1e-4
}

func absf(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}

// Find groups items into connected components of near-duplicates: two items
// are joined when their pHash distance is at most MaxDistance and the second signal
// agrees. It never compares all pairs: candidates come from a multi-index hash
// table over blocks of the pHash (pigeonhole), so a million hashes take seconds.
// The result is deterministic and does not depend on the order of items: groups
// are sorted by their smallest ID. IDs should be unique; an ID given twice counts
// as one member.
func Find(items []Item, opt Options) []Group {
	cfg := opt.config()
	return groupNear(items, cfg, planNear(len(items), cfg.maxP), runtime.GOMAXPROCS(0))
}

// FindInPlace is Find without the copy of items it sorts: it sorts items
// themselves, so a caller that finds its items again by ID saves 64 bytes an
// item (64 MB at a million) while the search runs.
func FindInPlace(items []Item, opt Options) []Group {
	cfg := opt.config()
	if len(items) < 2 {
		return nil
	}
	sortBySignature(items)
	return groupSorted(items, cfg, planNear(len(items), cfg.maxP), runtime.GOMAXPROCS(0))
}

// groupNear groups a copy of items sorted by signature.
func groupNear(items []Item, cfg nearConfig, plan nearPlan, workers int) []Group {
	if len(items) < 2 {
		return nil
	}
	return groupSorted(sortedBySignature(items), cfg, plan, workers)
}

// groupSorted groups items already in signature order (sortBySignature):
// the candidate pairs join items with close hashes, which that order keeps
// close in memory.
func groupSorted(it []Item, cfg nearConfig, plan nearPlan, workers int) []Group {
	reps, repOf := collapseSignatures(it)

	hashes := make([]uint64, len(reps))
	for r, i := range reps {
		hashes[r] = it[i].PHash
	}
	ok := func(x, y int32) bool {
		accepted, _, _, _ := cfg.accept(&it[reps[x]], &it[reps[y]])
		return accepted
	}
	uf := NewUnionFind[int32](len(reps))
	var edges []nearRawEdge
	for _, part := range plan.forests(hashes, cfg.maxP, ok, workers) {
		for _, e := range part {
			if uf.Union(e[0], e[1]) {
				a, b := &it[reps[e[0]]], &it[reps[e[1]]]
				_, pd, dd, why := cfg.accept(a, b)
				edges = append(edges, nearRawEdge{x: reps[e[0]], y: reps[e[1]], pd: pd, dd: dd, why: why})
			}
		}
	}

	// Components: item indices grouped by root representative (CSR layout).
	count := make([]int32, len(reps)+1)
	rootOf := make([]int32, len(it))
	for i := range it {
		rootOf[i] = uf.Find(repOf[i])
		count[rootOf[i]+1]++
	}
	for r := 1; r <= len(reps); r++ {
		count[r] += count[r-1]
	}
	memberOf := make([]int32, len(it))
	fill := slices.Clone(count[:len(reps)])
	for i := range it {
		memberOf[fill[rootOf[i]]] = int32(i)
		fill[rootOf[i]]++
	}
	edgesByRoot := make(map[int32][]nearRawEdge)
	for _, e := range edges {
		root := rootOf[e.x]
		edgesByRoot[root] = append(edgesByRoot[root], e)
	}
	var groups []Group
	for root := range reps {
		members := memberOf[count[root]:count[root+1]]
		if len(members) < 2 {
			continue
		}
		// A repeated ID counts once: a "group" of one ID twice is no group.
		if g := buildNearGroup(it, members, repOf, reps, edgesByRoot[int32(root)], &cfg); len(g.IDs) >= 2 {
			groups = append(groups, g)
		}
	}
	sort.Slice(groups, func(i, j int) bool { return groups[i].IDs[0] < groups[j].IDs[0] })
	return groups
}

type nearRawEdge struct {
	x, y   int32 // item indices
	pd, dd int
	why    string
}

// nearMSTLimit is the largest group whose evidence is recomputed as a minimum
// spanning tree over all its accepted pairs (smallest distances first); larger
// groups keep the edges in the order the search found them.
const nearMSTLimit = 256

func buildNearGroup(it []Item, members []int32, repOf, reps []int32, found []nearRawEdge, cfg *nearConfig) Group {
	g := Group{IDs: make([]uint64, 0, len(members))}
	for _, m := range members {
		g.IDs = append(g.IDs, it[m].ID)
	}
	slices.Sort(g.IDs)
	g.IDs = slices.Compact(g.IDs)

	// Largest pHash distance over the distinct hashes of the group.
	ph := make([]uint64, 0, len(members))
	for _, m := range members {
		ph = append(ph, it[m].PHash)
	}
	slices.Sort(ph)
	ph = slices.Compact(ph)
	g.MaxDistance = MaxPairDistance(ph)

	var raw []nearRawEdge
	if len(members) <= nearMSTLimit {
		// Kruskal over every accepted pair of the group.
		var all []nearRawEdge
		for i := 0; i < len(members); i++ {
			for j := i + 1; j < len(members); j++ {
				ok, pd, dd, why := cfg.accept(&it[members[i]], &it[members[j]])
				if ok {
					all = append(all, nearRawEdge{x: members[i], y: members[j], pd: pd, dd: dd, why: why})
				}
			}
		}
		slices.SortStableFunc(all, func(a, b nearRawEdge) int {
			if a.pd != b.pd {
				return a.pd - b.pd
			}
			return a.dd - b.dd
		})
		local := make(map[int32]int32, len(members))
		for k, m := range members {
			local[m] = int32(k)
		}
		uf := NewUnionFind[int32](len(members))
		for _, e := range all {
			if uf.Union(local[e.x], local[e.y]) {
				raw = append(raw, e)
			}
		}
	} else {
		raw = found
		// Items sharing a representative's signature join it at distance 0.
		for _, m := range members {
			if r := reps[repOf[m]]; r != m {
				raw = append(raw, nearRawEdge{x: r, y: m, why: ReasonIdentical})
			}
		}
	}
	for _, e := range raw {
		a, b := it[e.x].ID, it[e.y].ID
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		g.Evidence = append(g.Evidence, Edge{A: a, B: b, PHashDistance: e.pd, DHashDistance: e.dd, Reason: e.why})
	}
	slices.SortFunc(g.Evidence, func(a, b Edge) int {
		if a.A != b.A {
			return cmpU64(a.A, b.A)
		}
		return cmpU64(a.B, b.B)
	})
	return g
}

// MaxPairDistance is the largest Hamming distance between two of the hashes.
func MaxPairDistance(h []uint64) int {
	best := 0
	for i := 0; i < len(h); i++ {
		for j := i + 1; j < len(h); j++ {
			if d := bits.OnesCount64(h[i] ^ h[j]); d > best {
				best = d
				if best == 64 {
					return best
				}
			}
		}
	}
	return best
}
