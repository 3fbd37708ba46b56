package near

import (
	"math"
	"math/bits"
	"sync"
	"sync/atomic"
)

// Candidate search for Find: multi-index hashing (Norouzi, Punjani and Fleet,
// "Fast search in Hamming space with multi-index hashing", CVPR 2012).
//
// The 64-bit pHash is cut into m disjoint blocks. If two hashes are within d bits,
// with d = m*r + a (0 <= a < m), then one of the first a+1 blocks differs by at most
// r bits or one of the others by at most r-1 (otherwise the total would be at least
// (a+1)(r+1) + (m-a-1)r = d+1). So each block gets a table keyed by its bits, and
// every bucket is compared with the buckets whose key differs in at most that
// block's radius. The number of blocks is chosen from a cost model: short blocks
// mean few probes but crowded buckets (1,000,000 random hashes put ~7,800 items in
// each bucket of a 7-bit block: d+1 blocks would compare billions of pairs); long
// blocks mean sparse buckets but many probes and large tables.

// nearBlock is one block of the pHash: bits [shift, shift+width) probed at radius.
type nearBlock struct {
	shift, width uint
	radius       int // < 0: this block need not be probed
}

// nearPlan says how candidate pairs are found: every pair (brute) or the blocks.
type nearPlan struct {
	brute  bool
	blocks []nearBlock
}

// Cost model weights in arbitrary units (roughly nanoseconds on one core), fitted
// from BenchmarkGroupNear* runs.
const (
	nearCostPair   = 1.0 // one popcount comparison of a candidate pair
	nearCostProbe  = 6.0 // one probe of a bucket table (a likely branch miss, often a cache miss)
	nearCostSlot   = 0.5 // clearing and summing one bucket table slot
	nearCostInsert = 6.0 // placing one item in a block table
	nearMinWidth   = 8   // narrowest block planNear considers
	nearMaxWidth   = 24  // widest block table: 2^24 slots of 4 bytes
	nearBruteMax   = 2048
)

// planNear chooses the cheapest way to find every pair within d bits among n
// hashes: brute force, or 2 to 6 blocks of any widths covering the nearPlanBits,
// with radii r_k such that the r_k+1 add up to d+1 (the generalised pigeonhole
// argument above; wider blocks get the larger radii).
func planNear(n, d int) nearPlan {
	best := nearPlan{brute: true}
	if n <= nearBruteMax {
		return best // a few million popcounts: less than setting up tables
	}
	bestCost := best.cost(n)
	for m := 2; m <= 6; m++ {
		eachAscending(m, nearPlanBits, nearMinWidth, nearMaxWidth, func(ws []int) {
			eachAscending(m, max(d+1, m), 1, max(d+1, m), func(rs []int) {
				p := nearPlan{blocks: make([]nearBlock, m)}
				shift := uint(0)
				for k := range m {
					p.blocks[k] = nearBlock{shift: shift, width: uint(ws[k]), radius: min(rs[k]-1, ws[k])}
					shift += uint(ws[k])
				}
				if c := p.cost(n); c < bestCost {
					best, bestCost = p, c
				}
			})
		})
	}
	return best
}

// eachAscending calls f with every non-decreasing sequence of m integers in
// [lo, hi] that add up to total (f must not keep the slice).
func eachAscending(m, total, lo, hi int, f func([]int)) {
	seq := make([]int, m)
	var rec func(k, left, from int)
	rec = func(k, left, from int) {
		if k == m-1 {
			if left >= from && left <= hi {
				seq[k] = left
				f(seq)
			}
			return
		}
		for v := from; v <= hi && v*(m-k) <= left; v++ {
			seq[k] = v
			rec(k+1, left-v, v)
		}
	}
	rec(0, total, lo)
}

// nearPlanBits is how many low bits of the pHash the blocks cover. The top bit is
// left out: it is the DC coefficient against the median, set in every real pHash
// (all 188 of the benchmark corpus), so it would only crowd its block's buckets.
// Leaving bits out keeps the pigeonhole argument: the covered bits of a pair within
// d differ by at most d.
const nearPlanBits = 63

// mihPlan cuts the covered bits into m blocks of equal width for distance d, as
// Norouzi et al. do; nil blocks if a block would be too wide for a table.
func mihPlan(m, d int) nearPlan {
	base, extra := nearPlanBits/m, nearPlanBits%m
	if base+min(extra, 1) > nearMaxWidth {
		return nearPlan{}
	}
	r, a := d/m, d%m
	p := nearPlan{blocks: make([]nearBlock, m)}
	shift := uint(0)
	for k := range m {
		w := uint(base)
		if k < extra {
			w++
		}
		rad := r
		if k > a {
			rad = r - 1
		}
		if rad > int(w) {
			rad = int(w)
		}
		p.blocks[k] = nearBlock{shift: shift, width: w, radius: rad}
		shift += w
	}
	return p
}

// cost estimates the work of the plan on n uniformly random hashes.
func (p nearPlan) cost(n int) float64 {
	if p.brute {
		return float64(n) * float64(n) / 2 * nearCostPair
	}
	fn := float64(n)
	total := 0.0
	for _, b := range p.blocks {
		if b.radius < 0 {
			continue
		}
		slots := math.Ldexp(1, int(b.width))
		vol := ballVolume(int(b.width), b.radius)
		nonEmpty := slots * (1 - math.Exp(-fn/slots))
		total += slots*nearCostSlot + fn*nearCostInsert
		total += nonEmpty * (vol - 1) / 2 * nearCostProbe
		total += fn * fn * vol / slots / 2 * nearCostPair
	}
	return total
}

// ballVolume is the number of w-bit words within r bits of a given one.
func ballVolume(w, r int) float64 {
	v, c := 0.0, 1.0
	for k := 0; k <= r && k <= w; k++ {
		v += c
		c = c * float64(w-k) / float64(k+1)
	}
	return v
}

// pairs calls visit(x, y) once for every pair of hashes within d bits of each
// other (and perhaps for some pairs further apart, which the brute force does not
// offer). The order of calls depends only on the hashes.
func (p nearPlan) pairs(h []uint64, d int, visit func(x, y int32)) {
	if p.brute {
		for i := range h {
			hi := h[i]
			for j := i + 1; j < len(h); j++ {
				if bits.OnesCount64(hi^h[j]) <= d {
					visit(int32(i), int32(j))
				}
			}
		}
		return
	}
	var t nearTable
	var earlier []nearBlock
	for _, b := range p.blocks {
		if b.radius < 0 {
			continue
		}
		t.build(h, b)
		t.scan(t.keys, masksByTopBit(int(b.width), b.radius), b.width, d, earlier, visit)
		earlier = append(earlier, b)
	}
}

// forests finds, for each part of the search, a spanning forest of the pairs within
// d bits that ok accepts: the pairs that joined two of the part's components, in
// the order found. Together the forests connect exactly what all accepted pairs
// connect. A part is a run of buckets of one probed block (or the whole brute
// force). Parts run on up to workers goroutines; the result depends only on h.
func (p nearPlan) forests(h []uint64, d int, ok func(x, y int32) bool, workers int) [][][2]int32 {
	workers = max(1, workers)
	if p.brute {
		f := newPartForest(len(h))
		p.pairs(h, d, f.visit(ok))
		return [][][2]int32{f.edges}
	}
	var out [][][2]int32
	var t nearTable
	forests := make([]*partForest, workers)
	for i := range forests {
		forests[i] = newPartForest(len(h))
	}
	var earlier []nearBlock
	for _, b := range p.blocks {
		if b.radius < 0 {
			continue
		}
		t.build(h, b)
		byTop := masksByTopBit(int(b.width), b.radius)
		// Parts of a fixed number of buckets, whatever the number of workers.
		per := max(nearPartKeys, (len(t.keys)+nearMaxParts-1)/nearMaxParts)
		nparts := (len(t.keys) + per - 1) / per
		res := make([][][2]int32, nparts)
		var next atomic.Int32
		var wg sync.WaitGroup
		for w := range min(workers, nparts) {
			wg.Add(1)
			go func(f *partForest) {
				defer wg.Done()
				visit := f.visit(ok)
				for k := int(next.Add(1)) - 1; k < nparts; k = int(next.Add(1)) - 1 {
					keys := t.keys[k*per : min(len(t.keys), (k+1)*per)]
					t.scan(keys, byTop, b.width, d, earlier, visit)
					res[k] = f.take()
				}
			}(forests[w])
		}
		wg.Wait()
		out = append(out, res...)
		earlier = append(earlier, b)
	}
	return out
}

// Parts hold at least nearPartKeys buckets and a block has at most nearMaxParts.
// (Variables so that tests can split small inputs.)
var (
	nearPartKeys = 4096
	nearMaxParts = 256
)

// partForest is a union-find over all items that is reset after each part by
// undoing the links it made, so a part's forest does not depend on earlier parts.
type partForest struct {
	uf    *UnionFind[int32]
	edges [][2]int32
}

func newPartForest(n int) *partForest {
	return &partForest{uf: NewUnionFind[int32](n)}
}

func (f *partForest) visit(ok func(x, y int32) bool) func(x, y int32) {
	return func(x, y int32) {
		if f.uf.Find(x) == f.uf.Find(y) || !ok(x, y) {
			return
		}
		f.uf.Union(x, y)
		f.edges = append(f.edges, [2]int32{x, y})
	}
}

// take returns the part's forest and resets for the next part.
func (f *partForest) take() [][2]int32 {
	f.uf.Undo()
	e := f.edges
	f.edges = nil
	return e
}

// nearTable is one block's bucket table: items sorted by key (counting sort).
type nearTable struct {
	start []uint32 // bucket k holds positions start[k] .. start[k+1]-1
	hash  []uint64 // hashes in bucket order
	idx   []int32  // item numbers in bucket order
	keys  []uint32 // the distinct non-empty keys, ascending
}

func (t *nearTable) build(h []uint64, b nearBlock) {
	slots := 1 << b.width
	if cap(t.start) < slots+1 {
		t.start = make([]uint32, slots+1)
	}
	t.start = t.start[:slots+1]
	clear(t.start)
	mask := uint64(slots - 1)
	for _, x := range h {
		t.start[(x>>b.shift)&mask+1]++
	}
	t.keys = t.keys[:0]
	for k := 0; k < slots; k++ {
		if t.start[k+1] != 0 {
			t.keys = append(t.keys, uint32(k))
		}
		t.start[k+1] += t.start[k]
	}
	if cap(t.hash) < len(h) {
		t.hash = make([]uint64, len(h))
		t.idx = make([]int32, len(h))
	}
	t.hash, t.idx = t.hash[:len(h)], t.idx[:len(h)]
	// Fill each bucket from its end backwards so that start[k] ends up correct.
	for i := len(h) - 1; i >= 0; i-- {
		k := (h[i] >> b.shift) & mask
		t.start[k+1]--
		pos := t.start[k+1]
		t.hash[pos] = h[i]
		t.idx[pos] = int32(i)
	}
	// start[k+1] now holds the beginning of bucket k; shift back by one slot.
	copy(t.start[:slots], t.start[1:slots+1])
	t.start[slots] = uint32(len(h))
}

// scan visits the candidate pairs of the buckets keys (ascending): pairs inside a
// bucket, and pairs between a bucket and each bucket of a larger key within the
// block's radius (byTop lists the masks of that radius by their highest bit).
// A pair within d that one of the earlier blocks offered is not offered again
// (offeredBefore): in a crowd of look-alike hashes most pairs are close in every
// block, and each offer costs a union-find look-up and, for a rejected pair, the
// whole acceptance test again.
//
// The loops run mask by mask over all keys, not key by key over all masks: for one
// mask, key^mask moves through the table in step with key, so the probes stream
// through memory instead of jumping across a table of up to 64 MB.
func (t *nearTable) scan(keys []uint32, byTop [][]uint32, width uint, d int, earlier []nearBlock, visit func(x, y int32)) {
	for _, k := range keys {
		lo, hi := t.start[k], t.start[k+1]
		bh, bi := t.hash[lo:hi], t.idx[lo:hi]
		for p, hp := range bh {
			for q := p + 1; q < len(bh); q++ {
				if x := hp ^ bh[q]; bits.OnesCount64(x) <= d && !offeredBefore(x, earlier) {
					visit(bi[p], bi[q])
				}
			}
		}
	}
	// key^m > key exactly when m's top bit is clear in key: the keys to probe with
	// the masks of top bit tb are those with bit tb clear.
	clearKeys := make([]uint32, 0, len(keys))
	for tb := range width {
		if len(byTop[tb]) == 0 {
			continue
		}
		clearKeys = clearKeys[:0]
		for _, k := range keys {
			if k&(1<<tb) == 0 {
				clearKeys = append(clearKeys, k)
			}
		}
		for _, m := range byTop[tb] {
			for _, k := range clearKeys {
				k2 := k ^ m
				lo2, hi2 := t.start[k2], t.start[k2+1]
				if lo2 == hi2 {
					continue
				}
				lo, hi := t.start[k], t.start[k+1]
				oh := t.hash[lo2:hi2]
				for p, hp := range t.hash[lo:hi] {
					for q, hq := range oh {
						if x := hp ^ hq; bits.OnesCount64(x) <= d && !offeredBefore(x, earlier) {
							visit(t.idx[lo+uint32(p)], t.idx[lo2+uint32(q)])
						}
					}
				}
			}
		}
	}
}

// offeredBefore says whether a pair whose hashes differ in the bits x was offered
// by one of the earlier blocks: there its keys differ by at most the block's
// radius, and every such pair of a block is offered (the same bucket, or a probe
// with a mask of that many bits).
func offeredBefore(x uint64, earlier []nearBlock) bool {
	for _, b := range earlier {
		if bits.OnesCount64(x>>b.shift&(1<<b.width-1)) <= b.radius {
			return true
		}
	}
	return false
}

// masksByTopBit lists the w-bit masks with 1..r bits set, by their highest bit.
func masksByTopBit(w, r int) [][]uint32 {
	out := make([][]uint32, w)
	if r <= 0 {
		return out
	}
	var add func(t int, m uint32, below, left int)
	add = func(t int, m uint32, below, left int) {
		out[t] = append(out[t], m)
		if left == 0 {
			return
		}
		for bit := below - 1; bit >= 0; bit-- {
			add(t, m|1<<bit, bit, left-1)
		}
	}
	for t := range w {
		add(t, 1<<t, t, r-1)
	}
	return out
}
