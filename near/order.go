package near

import (
	"cmp"
	"math"
	"slices"
)

// Find works on items in signature order: identical items sit together, so
// they collapse into one representative (collapseSignatures), and the work
// does not depend on the caller's order. The order is worth its quarter of a
// second at a million items: the candidate pairs join items with close hashes,
// which the signature order keeps close in memory. Pointers into the caller's
// order instead made accepting the pairs cost twice as much as the sort saved.

// signatureOrder returns the positions of items in signature order: the k-th
// item in that order is items[order[k]]. (Sorting 16-byte keys and moving the
// items once is much faster than sorting the 64-byte items.)
func signatureOrder(items []Item) []int32 {
	type sortKey struct {
		h uint64
		i int32
	}
	keys := make([]sortKey, len(items))
	for i := range items {
		keys[i] = sortKey{items[i].PHash, int32(i)}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if a.h != b.h {
			return cmpU64(a.h, b.h)
		}
		return compareSignature(&items[a.i], &items[b.i])
	})
	order := make([]int32, len(keys))
	for k, s := range keys {
		order[k] = s.i
	}
	return order
}

// sortedBySignature returns a copy of items in signature order.
func sortedBySignature(items []Item) []Item {
	it := make([]Item, len(items))
	for k, i := range signatureOrder(items) {
		it[k] = items[i]
	}
	return it
}

// sortBySignature puts items in signature order in place, moving each item
// once: it follows each cycle of the order, and marks a place done by setting
// its order to -1.
func sortBySignature(items []Item) {
	order := signatureOrder(items)
	for start := range items {
		if order[start] < 0 {
			continue
		}
		saved := items[start]
		k := int32(start)
		for {
			from := order[k]
			order[k] = -1
			if from == int32(start) {
				items[k] = saved
				break
			}
			items[k] = items[from]
			k = from
		}
	}
}

// collapseSignatures collapses the identical signatures of items in
// signature order into one representative (the first, smallest ID): reps
// holds the index into it of each representative, repOf the representative
// number of each item.
func collapseSignatures(it []Item) (reps, repOf []int32) {
	reps = make([]int32, 0, len(it))
	repOf = make([]int32, len(it))
	for i := range it {
		if i > 0 && sameSignature(&it[i-1], &it[i]) {
			repOf[i] = repOf[i-1]
			continue
		}
		repOf[i] = int32(len(reps))
		reps = append(reps, int32(i))
	}
	return reps, repOf
}

// sameSignature reports whether two items carry exactly the same hashes, size and
// statistics: nothing Find looks at can tell them apart.
func sameSignature(a, b *Item) bool {
	return a.PHash == b.PHash && a.DHash == b.DHash && a.Width == b.Width && a.Height == b.Height &&
		a.HasStats == b.HasStats && a.Screen == b.Screen && a.statBits() == b.statBits()
}

// statBits is the statistics as bits (a total order, even with NaNs).
func (it *Item) statBits() [4]uint32 {
	return [4]uint32{math.Float32bits(it.LumaMean), math.Float32bits(it.LumaStdDev),
		math.Float32bits(it.ChromaCb), math.Float32bits(it.ChromaCr)}
}

// compareSignature orders items by everything sameSignature looks at, then by ID.
func compareSignature(a, b *Item) int {
	switch {
	case a.PHash != b.PHash:
		return cmpU64(a.PHash, b.PHash)
	case a.DHash != b.DHash:
		return cmpU64(a.DHash, b.DHash)
	case a.Width != b.Width:
		return cmp.Compare(a.Width, b.Width)
	case a.Height != b.Height:
		return cmp.Compare(a.Height, b.Height)
	case a.HasStats != b.HasStats:
		if a.HasStats {
			return 1
		}
		return -1
	case a.Screen != b.Screen:
		if a.Screen {
			return 1
		}
		return -1
	}
	sa, sb := a.statBits(), b.statBits()
	if c := slices.Compare(sa[:], sb[:]); c != 0 {
		return c
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
