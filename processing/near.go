package processing

import (
	"math/bits"
	"runtime"
	"slices"
	"sort"
)

// DefaultNearDistance is the default pHash Hamming distance at or under which two
// images may be near-duplicates (the second signal must agree too).
const DefaultNearDistance = 10

// DefaultNearDHashDistance is the default largest dHash Hamming distance for a pair
// that is within the pHash distance.
const DefaultNearDHashDistance = 16

// NearItem is one hashed file offered to near-duplicate grouping.
type NearItem struct {
	ID            uint64 // caller's identifier (a file key)
	PHash         uint64
	DHash         uint64
	Width, Height int
}

// NearOptions are the knobs of GroupNear. A zero field means its default.
type NearOptions struct {
	// MaxDistance is the largest pHash Hamming distance of a near-duplicate pair;
	// 0 means DefaultNearDistance. Values above 64 act as 64.
	MaxDistance int
	// MaxDHashDistance is the largest dHash Hamming distance of a pair that is
	// within MaxDistance; 0 means DefaultNearDHashDistance, a negative value
	// turns the dHash check off.
	MaxDHashDistance int
}

// NearEdge is one pair that joined a group, with the evidence for it.
type NearEdge struct {
	A, B          uint64 // A < B
	PHashDistance int
	DHashDistance int
	Reason        string // why the pair was accepted
}

// NearGroup is a connected component of near-duplicates (size >= 2).
type NearGroup struct {
	IDs         []uint64   // sorted
	MaxDistance int        // the largest pHash distance between any two members
	Evidence    []NearEdge // the pairs that joined the group (a spanning tree)
}

// Reasons given in NearEdge.Reason.
const (
	NearReasonIdentical = "identical hashes"
	NearReasonHashes    = "pHash and dHash both close"
)

type nearConfig struct {
	maxP int
	maxD int // < 0: off
}

func (o NearOptions) config() nearConfig {
	c := nearConfig{maxP: o.MaxDistance, maxD: o.MaxDHashDistance}
	if c.maxP <= 0 {
		c.maxP = DefaultNearDistance
	}
	if c.maxP > 64 {
		c.maxP = 64
	}
	if c.maxD == 0 {
		c.maxD = DefaultNearDHashDistance
	}
	return c
}

// accept decides whether two items within the pHash distance are near-duplicates.
func (c *nearConfig) accept(a, b *NearItem) (ok bool, pd, dd int, reason string) {
	pd = bits.OnesCount64(a.PHash ^ b.PHash)
	dd = bits.OnesCount64(a.DHash ^ b.DHash)
	if pd > c.maxP {
		return false, pd, dd, ""
	}
	if sameSignature(a, b) {
		return true, pd, dd, NearReasonIdentical
	}
	if c.maxD >= 0 && dd > c.maxD {
		return false, pd, dd, ""
	}
	return true, pd, dd, NearReasonHashes
}

// sameSignature reports whether two items carry exactly the same hashes and size:
// nothing GroupNear looks at can tell them apart.
func sameSignature(a, b *NearItem) bool {
	return a.PHash == b.PHash && a.DHash == b.DHash && a.Width == b.Width && a.Height == b.Height
}

func compareSignature(a, b *NearItem) int {
	switch {
	case a.PHash != b.PHash:
		return cmpU64(a.PHash, b.PHash)
	case a.DHash != b.DHash:
		return cmpU64(a.DHash, b.DHash)
	case a.Width != b.Width:
		return a.Width - b.Width
	case a.Height != b.Height:
		return a.Height - b.Height
	}
	return cmpU64(a.ID, b.ID)
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// GroupNear groups items into connected components of near-duplicates: two items
// are joined when their pHash distance is at most MaxDistance and the second signal
// agrees. It never compares all pairs: candidates come from a multi-index hash
// table over blocks of the pHash (pigeonhole), so a million hashes take seconds.
// The result is deterministic and does not depend on the order of items: groups
// are sorted by their smallest ID.
func GroupNear(items []NearItem, opt NearOptions) []NearGroup {
	cfg := opt.config()
	return groupNear(items, cfg, planNear(len(items), cfg.maxP), runtime.GOMAXPROCS(0))
}

func groupNear(items []NearItem, cfg nearConfig, plan nearPlan, workers int) []NearGroup {
	if len(items) < 2 {
		return nil
	}
	// Sort by signature so identical items sit together and the work below does not
	// depend on the caller's order.
	it := make([]NearItem, len(items))
	copy(it, items)
	slices.SortFunc(it, func(a, b NearItem) int { return compareSignature(&a, &b) })

	// Collapse identical signatures into one representative (the first, smallest ID).
	reps := make([]int32, 0, len(it)) // index into it of each representative
	repOf := make([]int32, len(it))   // representative number of each item
	for i := range it {
		if i > 0 && sameSignature(&it[i-1], &it[i]) {
			repOf[i] = repOf[i-1]
			continue
		}
		repOf[i] = int32(len(reps))
		reps = append(reps, int32(i))
	}

	hashes := make([]uint64, len(reps))
	for r, i := range reps {
		hashes[r] = it[i].PHash
	}
	ok := func(x, y int32) bool {
		accepted, _, _, _ := cfg.accept(&it[reps[x]], &it[reps[y]])
		return accepted
	}
	uf := newUnionFind(len(reps))
	var edges []nearRawEdge
	for _, part := range plan.forests(hashes, cfg.maxP, ok, workers) {
		for _, e := range part {
			if uf.union(e[0], e[1]) {
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
		rootOf[i] = uf.find(repOf[i])
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
	var groups []NearGroup
	for root := range reps {
		members := memberOf[count[root]:count[root+1]]
		if len(members) < 2 {
			continue
		}
		groups = append(groups, buildNearGroup(it, members, repOf, reps, edgesByRoot[int32(root)], &cfg))
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

func buildNearGroup(it []NearItem, members []int32, repOf, reps []int32, found []nearRawEdge, cfg *nearConfig) NearGroup {
	g := NearGroup{IDs: make([]uint64, 0, len(members))}
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
	g.MaxDistance = maxPairDistance(ph)

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
		uf := newUnionFind(len(members))
		for _, e := range all {
			if uf.union(local[e.x], local[e.y]) {
				raw = append(raw, e)
			}
		}
	} else {
		raw = found
		// Items sharing a representative's signature join it at distance 0.
		for _, m := range members {
			if r := reps[repOf[m]]; r != m {
				raw = append(raw, nearRawEdge{x: r, y: m, why: NearReasonIdentical})
			}
		}
	}
	for _, e := range raw {
		a, b := it[e.x].ID, it[e.y].ID
		if a > b {
			a, b = b, a
		}
		g.Evidence = append(g.Evidence, NearEdge{A: a, B: b, PHashDistance: e.pd, DHashDistance: e.dd, Reason: e.why})
	}
	slices.SortFunc(g.Evidence, func(a, b NearEdge) int {
		if a.A != b.A {
			return cmpU64(a.A, b.A)
		}
		return cmpU64(a.B, b.B)
	})
	return g
}

// maxPairDistance is the largest Hamming distance between two of the hashes.
func maxPairDistance(h []uint64) int {
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

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins the sets of x and y and reports whether they were apart.
func (u *unionFind) union(x, y int32) bool {
	x, y = u.find(x), u.find(y)
	if x == y {
		return false
	}
	if u.size[x] < u.size[y] || (u.size[x] == u.size[y] && y < x) {
		x, y = y, x
	}
	u.parent[y] = x
	u.size[x] += u.size[y]
	return true
}
