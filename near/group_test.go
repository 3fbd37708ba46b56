package near

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"shoebox/internal/testcpu"
)

// flipBits returns h with k distinct random bits flipped.
func flipBits(r *rand.Rand, h uint64, k int) uint64 {
	for _, b := range r.Perm(64)[:k] {
		h ^= 1 << b
	}
	return h
}

// nearCorpus makes n items: random hashes plus clusters of perturbed copies whose
// members are within spread bits of their centre (pHash and dHash alike), and some
// byte copies (identical signatures).
func nearCorpus(seed uint64, n, clusters, spread int) []Item {
	r := rand.New(rand.NewPCG(seed, 7))
	items := make([]Item, 0, n)
	id := uint64(1)
	add := func(p, d uint64, w, h int) {
		p |= 1 << 63 // as in every real pHash: the DC coefficient is above the median
		items = append(items, Item{ID: id, PHash: p, DHash: d, Width: w, Height: h})
		id += 1 + uint64(r.IntN(3))
	}
	for c := 0; c < clusters && len(items) < n; c++ {
		p, d := r.Uint64(), r.Uint64()
		size := 2 + r.IntN(9)
		for k := 0; k < size && len(items) < n; k++ {
			switch {
			case k > 0 && r.IntN(5) == 0: // byte copy of the previous member
				last := items[len(items)-1]
				add(last.PHash, last.DHash, last.Width, last.Height)
			default:
				add(flipBits(r, p, r.IntN(spread+1)), flipBits(r, d, r.IntN(spread+1)), 4000, 3000)
			}
		}
	}
	for len(items) < n {
		add(r.Uint64(), r.Uint64(), 4000, 3000)
	}
	r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items
}

// hashOnlyConfig judges on pHash and dHash distances alone.
// (maxP 0 means 0 here, not the default.)
func hashOnlyConfig(maxP, maxD int) nearConfig {
	c := Options{MaxDHashDistance: maxD, MaxAspectDiff: -1, MaxChromaDiff: -1, FlatStdDev: -1}.config()
	c.maxP = maxP
	return c
}

// bruteComponents groups by comparing every pair with the same acceptance rule.
func bruteComponents(items []Item, cfg nearConfig) [][]uint64 {
	uf := NewUnionFind[int32](len(items))
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			if bits.OnesCount64(items[i].PHash^items[j].PHash) > cfg.maxP {
				continue
			}
			if ok, _, _, _ := cfg.accept(&items[i], &items[j]); ok {
				uf.Union(int32(i), int32(j))
			}
		}
	}
	m := map[int32][]uint64{}
	for i := range items {
		r := uf.Find(int32(i))
		m[r] = append(m[r], items[i].ID)
	}
	var out [][]uint64
	for _, ids := range m {
		if len(ids) > 1 {
			slices.Sort(ids)
			out = append(out, ids)
		}
	}
	slices.SortFunc(out, func(a, b []uint64) int { return cmpU64(a[0], b[0]) })
	return out
}

func groupIDs(gs []Group) [][]uint64 {
	var out [][]uint64
	for _, g := range gs {
		out = append(out, g.IDs)
	}
	return out
}

func TestNearIndexFindsEveryPairOfEveryPlan(t *testing.T) {
	items := nearCorpus(1, 2000, 150, 5)
	for _, d := range []int{0, 1, 3, 4, 6, 8, 11, 14} {
		cfg := hashOnlyConfig(d, -1)
		want := bruteComponents(items, cfg)
		if d >= 4 && len(want) == 0 {
			t.Fatalf("d=%d: corpus has no groups: the test would prove nothing", d)
		}
		for _, m := range []int{3, 4, 5, 6, 8} {
			plan := mihPlan(m, d)
			if plan.blocks == nil {
				continue
			}
			got := groupIDs(groupNear(items, cfg, plan, 2))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("d=%d m=%d: %d groups, brute force %d", d, m, len(got), len(want))
			}
		}
		if got := groupIDs(groupNear(items, cfg, nearPlan{brute: true}, 1)); !reflect.DeepEqual(got, want) {
			t.Fatalf("d=%d brute plan: %d groups, want %d", d, len(got), len(want))
		}
		// The uneven plans planNear picks for large inputs, on this small one.
		for _, n := range []int{100_000, 1_000_000} {
			plan := planNear(n, d)
			if got := groupIDs(groupNear(items, cfg, plan, 2)); !reflect.DeepEqual(got, want) {
				t.Fatalf("d=%d plan %+v: %d groups, brute force %d", d, plan.blocks, len(got), len(want))
			}
		}
	}
}

// TestNearIndexVisitsEveryClosePair checks the candidate search itself, below the
// union-find: every pair within d must be offered, and only once (the corpus's
// clusters make most close pairs close in several blocks).
func TestNearIndexVisitsEveryClosePair(t *testing.T) {
	items := nearCorpus(2, 1500, 200, 8)
	h := make([]uint64, len(items))
	for i := range items {
		h[i] = items[i].PHash
	}
	for _, d := range []int{1, 3, 6, 8, 10, 12} {
		want := map[[2]int32]bool{}
		for i := range h {
			for j := i + 1; j < len(h); j++ {
				if bits.OnesCount64(h[i]^h[j]) <= d {
					want[[2]int32{int32(i), int32(j)}] = true
				}
			}
		}
		for m := 3; m <= 10; m++ {
			plan := mihPlan(m, d)
			if plan.blocks == nil {
				continue
			}
			got := map[[2]int32]int{}
			plan.pairs(h, d, func(x, y int32) {
				if x > y {
					x, y = y, x
				}
				got[[2]int32{x, y}]++
			})
			for p := range want {
				if got[p] != 1 {
					t.Fatalf("d=%d m=%d: pair %v at distance %d offered %d times, want once", d, m, p, bits.OnesCount64(h[p[0]]^h[p[1]]), got[p])
				}
			}
		}
	}
}

func TestMIHPlanPigeonhole(t *testing.T) {
	for d := 0; d <= 20; d++ {
		for m := 2; m <= 16; m++ {
			p := mihPlan(m, d)
			if p.blocks == nil {
				continue
			}
			// A pair escapes the search only if every block differs by more than its
			// radius; the cheapest such pair must be further than d.
			escape, width := 0, uint(0)
			for _, b := range p.blocks {
				escape += b.radius + 1
				width += b.width
			}
			if width != nearPlanBits {
				t.Fatalf("m=%d: blocks cover %d bits", m, width)
			}
			if escape <= d {
				t.Fatalf("d=%d m=%d: a pair at distance %d escapes every block", d, m, escape)
			}
		}
	}
}

func TestPlanNearPigeonhole(t *testing.T) {
	for _, n := range []int{5000, 100_000, 1_000_000, 10_000_000} {
		for d := 0; d <= 16; d++ {
			p := planNear(n, d)
			if p.brute {
				continue
			}
			sum, end := 0, uint(0)
			for _, b := range p.blocks {
				if b.shift != end || b.width < 1 || b.width > nearMaxWidth {
					t.Fatalf("n=%d d=%d: blocks overlap or leave gaps: %+v", n, d, p.blocks)
				}
				end += b.width
				sum += b.radius + 1
			}
			if end > 64 || sum <= d {
				t.Fatalf("n=%d d=%d: a pair at distance %d escapes every block of %+v", n, d, sum, p.blocks)
			}
		}
	}
}

func TestPlanNearAvoidsCrowdedBuckets(t *testing.T) {
	// d+1 blocks of ~7 bits would put ~7,800 of a million random hashes in every
	// bucket: ~70,000 candidates per hash. The chosen plan must stay far below.
	const n = 1_000_000
	candidates := func(p nearPlan) float64 {
		c := 0.0
		for _, b := range p.blocks {
			if b.radius >= 0 {
				c += n * ballVolume(int(b.width), b.radius) / math.Ldexp(1, int(b.width))
			}
		}
		return c
	}
	for _, d := range []int{4, 6, 8, 10} {
		p := planNear(n, d)
		if p.brute {
			t.Fatalf("d=%d: brute force chosen for a million hashes", d)
		}
		c, cn := candidates(p), candidates(mihPlan(d+1, d))
		t.Logf("d=%d: %.0f candidates per hash (d+1 blocks: %.0f), plan %+v", d, c, cn, p.blocks)
		if c > 10_000 {
			t.Fatalf("d=%d: %.0f candidates per hash", d, c)
		}
		if d == 8 && cn < 50_000 {
			t.Fatalf("d+1 blocks at d=8: only %.0f candidates per hash?", cn)
		}
	}
	if p := planNear(100, 8); !p.brute {
		t.Fatalf("100 items: want brute force, got %+v", p.blocks)
	}
}

func TestMasksByTopBit(t *testing.T) {
	for w := 1; w <= 22; w += 3 {
		for r := 0; r <= 3; r++ {
			seen := map[uint32]bool{}
			for top, ms := range masksByTopBit(w, r) {
				for _, m := range ms {
					if bits.Len32(m)-1 != top || bits.OnesCount32(m) > r || m == 0 || m >= 1<<w || seen[m] {
						t.Fatalf("w=%d r=%d: bad mask %b under top bit %d", w, r, m, top)
					}
					seen[m] = true
				}
			}
			if want := int(ballVolume(w, r)) - 1; len(seen) != want {
				t.Fatalf("w=%d r=%d: %d masks, want %d", w, r, len(seen), want)
			}
		}
	}
}

func TestGroupNearConnectedComponents(t *testing.T) {
	// a-b at 6, b-c at 6, a-c at 12: with d=8 the chain is one group whose largest
	// distance is 12; d is far from c (>8 from all) and stays alone.
	a := uint64(0)
	b := a ^ 0b111111         // 6 bits from a
	c := b ^ (0b111111 << 6)  // 6 from b, 12 from a
	far := c ^ (0xFFFF << 20) // 16 from c
	items := []Item{
		{ID: 30, PHash: c, DHash: c},
		{ID: 10, PHash: a, DHash: a},
		{ID: 20, PHash: b, DHash: b},
		{ID: 40, PHash: far, DHash: far},
	}
	gs := Find(items, Options{MaxDistance: 8})
	if len(gs) != 1 {
		t.Fatalf("got %d groups, want 1: %+v", len(gs), gs)
	}
	g := gs[0]
	if !reflect.DeepEqual(g.IDs, []uint64{10, 20, 30}) {
		t.Fatalf("IDs %v", g.IDs)
	}
	if g.MaxDistance != 12 {
		t.Fatalf("MaxDistance %d, want 12", g.MaxDistance)
	}
	want := []Edge{
		{A: 10, B: 20, PHashDistance: 6, DHashDistance: 6, Reason: ReasonHashes},
		{A: 20, B: 30, PHashDistance: 6, DHashDistance: 6, Reason: ReasonHashes},
	}
	if !reflect.DeepEqual(g.Evidence, want) {
		t.Fatalf("evidence %+v, want %+v", g.Evidence, want)
	}
}

func TestGroupNearThresholdEdges(t *testing.T) {
	for _, d := range []int{1, 4, 8, 10, 12} {
		base := uint64(0x0123456789abcdef)
		at := base ^ (1<<d - 1)         // exactly d bits away
		beyond := base ^ (1<<(d+1) - 1) // d+1 bits away
		items := []Item{{ID: 1, PHash: base}, {ID: 2, PHash: at}}
		gs := Find(items, Options{MaxDistance: d})
		if len(gs) != 1 || gs[0].MaxDistance != d {
			t.Fatalf("d=%d: pair at distance d not grouped: %+v", d, gs)
		}
		items[1].PHash = beyond
		if gs := Find(items, Options{MaxDistance: d}); len(gs) != 0 {
			t.Fatalf("d=%d: pair at distance d+1 grouped: %+v", d, gs)
		}
	}
}

func TestGroupNearDHashSecondSignal(t *testing.T) {
	// Same pHash, dHashes far apart: not duplicates unless the check is off.
	items := []Item{
		{ID: 1, PHash: 42, DHash: 0, Width: 100, Height: 100},
		{ID: 2, PHash: 42, DHash: 1<<40 - 1, Width: 100, Height: 100},
	}
	if gs := Find(items, Options{MaxDistance: 8, MaxDHashDistance: 20}); len(gs) != 0 {
		t.Fatalf("dHash 40 bits apart grouped: %+v", gs)
	}
	gs := Find(items, Options{MaxDistance: 8, MaxDHashDistance: -1})
	if len(gs) != 1 || gs[0].Evidence[0].DHashDistance != 40 {
		t.Fatalf("dHash check off: %+v", gs)
	}
	items[1].DHash = 1<<20 - 1
	if gs := Find(items, Options{MaxDistance: 8, MaxDHashDistance: 20}); len(gs) != 1 {
		t.Fatalf("dHash exactly at the limit not grouped: %+v", gs)
	}
}

func TestGroupNearIdenticalItemsJoinAtZero(t *testing.T) {
	it := Item{PHash: 0xdeadbeef, DHash: 0xfeed, Width: 640, Height: 480}
	var items []Item
	for _, id := range []uint64{9, 3, 7} {
		x := it
		x.ID = id
		items = append(items, x)
	}
	items = append(items, Item{ID: 1, PHash: ^it.PHash, DHash: 5})
	gs := Find(items, Options{})
	if len(gs) != 1 || !reflect.DeepEqual(gs[0].IDs, []uint64{3, 7, 9}) || gs[0].MaxDistance != 0 {
		t.Fatalf("got %+v", gs)
	}
	if len(gs[0].Evidence) != 2 {
		t.Fatalf("a group of 3 needs 2 evidence edges: %+v", gs[0].Evidence)
	}
	for _, e := range gs[0].Evidence {
		if e.PHashDistance != 0 || e.DHashDistance != 0 || e.Reason != ReasonIdentical || e.A >= e.B {
			t.Fatalf("edge %+v", e)
		}
	}
}

func TestGroupNearRepeatedID(t *testing.T) {
	items := []Item{{ID: 5, PHash: 1}, {ID: 5, PHash: 1}, {ID: 5, PHash: 3}}
	if gs := Find(items, Options{}); len(gs) != 0 {
		t.Fatalf("one ID thrice made a group: %+v", gs)
	}
	items = append(items, Item{ID: 6, PHash: 7})
	gs := Find(items, Options{})
	if len(gs) != 1 || !reflect.DeepEqual(gs[0].IDs, []uint64{5, 6}) {
		t.Fatalf("got %+v", gs)
	}
	for _, e := range gs[0].Evidence {
		if e.A == e.B {
			t.Fatalf("evidence joins %d to itself", e.A)
		}
	}
}

func TestGroupNearDefaultsAndEmpty(t *testing.T) {
	if gs := Find(nil, Options{}); gs != nil {
		t.Fatalf("nil input: %+v", gs)
	}
	if gs := Find([]Item{{ID: 1}}, Options{}); gs != nil {
		t.Fatalf("one item: %+v", gs)
	}
	c := Options{}.config()
	if c.maxP != DefaultDistance || c.maxD != DefaultDHashDistance {
		t.Fatalf("defaults %+v", c)
	}
	if c := (Options{MaxDistance: 100}).config(); c.maxP != 64 {
		t.Fatalf("MaxDistance 100 -> %d", c.maxP)
	}
	// The default distance is what Find uses when the option is zero.
	base := uint64(0)
	items := []Item{{ID: 1, PHash: base}, {ID: 2, PHash: base ^ (1<<DefaultDistance - 1)}}
	if gs := Find(items, Options{MaxDHashDistance: -1}); len(gs) != 1 {
		t.Fatalf("pair at the default distance not grouped")
	}
	items[1].PHash = base ^ (1<<(DefaultDistance+1) - 1)
	if gs := Find(items, Options{MaxDHashDistance: -1}); len(gs) != 0 {
		t.Fatalf("pair beyond the default distance grouped")
	}
}

// groupedCorpus is a corpus of 20,000 items in which Find at distance 8
// finds at least 1,000 groups, with those groups: fewer would prove little.
func groupedCorpus(t *testing.T, seed uint64) ([]Item, Options, []Group) {
	t.Helper()
	items := nearCorpus(seed, 20000, 2000, 4)
	opt := Options{MaxDistance: 8}
	groups := Find(items, opt)
	if len(groups) < 1000 {
		t.Fatalf("only %d groups: corpus too sparse for the test", len(groups))
	}
	return items, opt, groups
}

func TestGroupNearDeterministic(t *testing.T) {
	items, opt, first := groupedCorpus(t, 3)
	r := rand.New(rand.NewPCG(9, 9))
	for k := 0; k < 3; k++ {
		shuffled := slices.Clone(items)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := Find(shuffled, opt); !reflect.DeepEqual(got, first) {
			t.Fatalf("shuffle %d changed the result", k)
		}
	}
	for i, g := range first {
		if !slices.IsSorted(g.IDs) || len(g.IDs) < 2 {
			t.Fatalf("group %d IDs %v", i, g.IDs)
		}
		if i > 0 && first[i-1].IDs[0] >= g.IDs[0] {
			t.Fatalf("groups not sorted by smallest ID at %d", i)
		}
		if len(g.Evidence) != len(g.IDs)-1 {
			t.Fatalf("group %d: %d members, %d evidence edges", i, len(g.IDs), len(g.Evidence))
		}
	}
}

// TestGroupNearWorkersDoNotMatter runs a search split in many parts on 1, 2 and 5
// goroutines: the groups and their evidence must be the same, and match brute force.
func TestGroupNearWorkersDoNotMatter(t *testing.T) {
	defer func(k, m int) { nearPartKeys, nearMaxParts = k, m }(nearPartKeys, nearMaxParts)
	nearPartKeys, nearMaxParts = 64, 1000
	items := nearCorpus(5, 6000, 600, 4)
	cfg := hashOnlyConfig(8, 12)
	plan := mihPlan(4, 8)
	var tb nearTable
	h := make([]uint64, len(items))
	for i := range items {
		h[i] = items[i].PHash
	}
	tb.build(h, plan.blocks[0])
	if len(tb.keys) < 10*nearPartKeys {
		t.Fatalf("only %d buckets: the search would not be split", len(tb.keys))
	}
	one := groupNear(items, cfg, plan, 1)
	for _, w := range []int{2, 5} {
		if got := groupNear(items, cfg, plan, w); !reflect.DeepEqual(got, one) {
			t.Fatalf("%d workers changed the result", w)
		}
	}
	if got, want := groupIDs(one), bruteComponents(items, cfg); !reflect.DeepEqual(got, want) {
		t.Fatalf("%d groups, brute force %d", len(got), len(want))
	}
}

// TestGroupNearEvidenceSpansGroup checks that the evidence edges alone connect
// every member, each edge is within the thresholds, and MaxDistance is exact.
func TestGroupNearEvidenceSpansGroup(t *testing.T) {
	items := nearCorpus(4, 5000, 600, 5)
	byID := map[uint64]Item{}
	for _, it := range items {
		byID[it.ID] = it
	}
	opt := Options{MaxDistance: 9, MaxDHashDistance: 12}
	for _, g := range Find(items, opt) {
		idx := map[uint64]int32{}
		for k, id := range g.IDs {
			idx[id] = int32(k)
		}
		uf := NewUnionFind[int32](len(g.IDs))
		for _, e := range g.Evidence {
			a, b := byID[e.A], byID[e.B]
			if e.PHashDistance != bits.OnesCount64(a.PHash^b.PHash) || e.PHashDistance > 9 ||
				e.DHashDistance != bits.OnesCount64(a.DHash^b.DHash) || e.DHashDistance > 12 {
				t.Fatalf("edge %+v does not match the items", e)
			}
			uf.Union(idx[e.A], idx[e.B])
		}
		// The root of a set is its smallest index: connected means every root is 0.
		if slices.ContainsFunc(g.IDs, func(id uint64) bool { return uf.Find(idx[id]) != 0 }) {
			t.Fatalf("evidence of %v does not connect it", g.IDs)
		}
		maxd := 0
		for _, x := range g.IDs {
			for _, y := range g.IDs {
				maxd = max(maxd, bits.OnesCount64(byID[x].PHash^byID[y].PHash))
			}
		}
		if maxd != g.MaxDistance {
			t.Fatalf("%v: MaxDistance %d, want %d", g.IDs, g.MaxDistance, maxd)
		}
	}
}

// benchItems is the 1M-hash benchmark corpus: about 900,000 random hashes and
// 100,000 in 16,500 clusters of 2-10 perturbed copies (each member up to 3 bits
// from its centre in pHash and dHash, so up to 6 apart) with byte copies among
// them. Like real pHashes, every hash has its top bit set.
var benchItems []Item

// BenchmarkGroupNear1M groups a million hashes at the default distance and, for
// comparison, at 6 and 10 (run one with -bench 'GroupNear1M/d=8$').
func BenchmarkGroupNear1M(b *testing.B) {
	if benchItems == nil {
		benchItems = nearCorpus(42, 1_000_000, 16_500, 3)
	}
	for _, d := range []int{DefaultDistance, 6, 10} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			var gs []Group
			cpu0 := testcpu.Process()
			for b.Loop() {
				gs = Find(benchItems, Options{MaxDistance: d})
			}
			if cpu := testcpu.Process() - cpu0; cpu > 0 {
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			}
			b.ReportMetric(float64(len(gs)), "groups")
			if d >= 6 && len(gs) != 16_500 {
				b.Fatalf("%d groups, want the 16,500 clusters", len(gs))
			}
		})
	}
}

// A distance of 0 (ExactPHashOnly) joins identical pHashes and nothing a bit
// away, through the index as well as on few items.
func TestExactPHashOnly(t *testing.T) {
	base := uint64(0x9f3c_51a2_77e0_0b64)
	items := []Item{{ID: 1, PHash: base, DHash: base}, {ID: 2, PHash: base, DHash: base}, {ID: 3, PHash: base ^ 1, DHash: base}}
	for i := range 3000 { // enough to go through the index
		h := base*uint64(i+7) ^ uint64(i)<<17
		items = append(items, Item{ID: uint64(100 + i), PHash: h, DHash: ^h})
	}
	gs := Find(items, Options{MaxDistance: ExactPHashOnly})
	if len(gs) != 1 || len(gs[0].IDs) != 2 || gs[0].IDs[0] != 1 || gs[0].IDs[1] != 2 {
		t.Fatalf("identical pHashes only: %+v", gs)
	}
	if gs := Find(items[:3], Options{MaxDistance: ExactPHashOnly}); len(gs) != 1 || len(gs[0].IDs) != 2 {
		t.Fatalf("few items: %+v", gs)
	}
}
