package near

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestFindInPlaceMatchesFindAndKeepsEveryItem: the in-place search gives
// Find's groups, and leaves the caller every item it gave, once, in signature
// order (so that each can be found again by its ID).
func TestFindInPlaceMatchesFindAndKeepsEveryItem(t *testing.T) {
	items, opt, want := groupedCorpus(t, 11)
	bySignature := func(a, b Item) int { return compareSignature(&a, &b) }
	r := rand.New(rand.NewPCG(4, 4))
	for k := range 3 {
		given := slices.Clone(items)
		r.Shuffle(len(given), func(i, j int) { given[i], given[j] = given[j], given[i] })
		before := slices.Clone(given)
		if got := FindInPlace(given, opt); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffle %d: FindInPlace's groups differ from Find's", k)
		}
		if !slices.IsSortedFunc(given, bySignature) {
			t.Fatalf("shuffle %d: items left out of signature order", k)
		}
		slices.SortFunc(before, bySignature)
		if !reflect.DeepEqual(given, before) {
			t.Fatalf("shuffle %d: the items left are not the items given", k)
		}
	}
	if gs := FindInPlace([]Item{{ID: 1}}, opt); gs != nil {
		t.Fatalf("one item: %+v", gs)
	}
}

// TestSortBySignatureFollowsEveryCycle sorts permutations made of one long
// cycle, many short ones and fixed points, against a sorted copy.
func TestSortBySignatureFollowsEveryCycle(t *testing.T) {
	sorted := make([]Item, 1000)
	for i := range sorted {
		sorted[i] = Item{ID: uint64(i), PHash: uint64(i) * 7919}
	}
	oneCycle := slices.Clone(sorted)
	for i := range oneCycle { // a rotation: a single cycle through every place
		oneCycle[i] = sorted[(i+1)%len(sorted)]
	}
	pairs := slices.Clone(sorted)
	for i := 0; i+1 < len(pairs); i += 4 { // swapped pairs between fixed points
		pairs[i], pairs[i+1] = pairs[i+1], pairs[i]
	}
	shuffled := slices.Clone(sorted)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for name, items := range map[string][]Item{"one cycle": oneCycle, "pairs": pairs, "shuffled": shuffled, "sorted": slices.Clone(sorted)} {
		sortBySignature(items)
		if !reflect.DeepEqual(items, sorted) {
			t.Fatalf("%s: not sorted", name)
		}
	}
}
