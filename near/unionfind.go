package near

// UnionFind is a disjoint-set forest over the indexes 0..n-1, with path
// halving. Of two roots the smaller index becomes the root, so the root of a
// set is always its smallest index. It is the one union-find of the code
// base: near-duplicate grouping uses it over int32 item numbers (a million
// items), the engine over file indexes (int).
type UnionFind[I ~int | ~int32] struct {
	parent []I
	linked []I // the indexes linked under another root since the last Undo
}

// NewUnionFind returns n singleton sets.
func NewUnionFind[I ~int | ~int32](n int) *UnionFind[I] {
	u := &UnionFind[I]{parent: make([]I, n)}
	for i := range u.parent {
		u.parent[i] = I(i)
	}
	return u
}

// Find is the root of x's set.
func (u *UnionFind[I]) Find(x I) I {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// Union joins the sets of x and y and reports whether they were apart.
func (u *UnionFind[I]) Union(x, y I) bool {
	x, y = u.Find(x), u.Find(y)
	if x == y {
		return false
	}
	if y < x {
		x, y = y, x
	}
	u.parent[y] = x
	u.linked = append(u.linked, y)
	return true
}

// Undo splits every set joined since NewUnionFind or the last Undo back into
// singletons, in time proportional to the joins made. (Path halving only
// rewrites the parents of indexes that are no root, and each of those was
// linked since then.)
func (u *UnionFind[I]) Undo() {
	for _, x := range u.linked {
		u.parent[x] = x
	}
	u.linked = u.linked[:0]
}
