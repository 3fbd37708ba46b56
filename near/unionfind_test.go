package near

import "testing"

func TestUnionFindRootIsSmallestIndex(t *testing.T) {
	u := NewUnionFind[int](6)
	if !u.Union(4, 2) || !u.Union(5, 4) || u.Union(2, 5) {
		t.Fatal("Union should report only joins of separate sets")
	}
	for _, x := range []int{2, 4, 5} {
		if r := u.Find(x); r != 2 {
			t.Errorf("Find(%d) = %d, want 2 (the smallest of the set)", x, r)
		}
	}
	if u.Find(3) != 3 || u.Find(0) != 0 {
		t.Error("untouched indexes should stay their own roots")
	}
}

func TestUnionFindUndo(t *testing.T) {
	u := NewUnionFind[int32](5)
	u.Union(0, 1)
	u.Undo()
	u.Union(3, 4)
	u.Union(1, 4)
	u.Find(4) // path halving rewrites parents; Undo must still restore them
	u.Undo()
	for x := range int32(5) {
		if u.Find(x) != x {
			t.Errorf("after Undo, Find(%d) = %d", x, u.Find(x))
		}
	}
	if !u.Union(1, 4) {
		t.Error("after Undo 1 and 4 should be apart")
	}
}
