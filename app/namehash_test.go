package app

import (
	"hash/fnv"
	"path"
	"strings"
	"testing"
)

// nameHash folds ASCII names itself, without allocating; every name must
// hash as the case-folded name without its extension does.
func TestNameHashIsTheFoldedNameWithoutItsExtension(t *testing.T) {
	folded := func(rel string) uint64 {
		base := path.Base(rel)
		h := fnv.New64a()
		h.Write([]byte(strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))))
		return max(h.Sum64(), 1)
	}
	for _, rel := range []string{
		"2019/IMG_20190704_153012.JPG", "img_20190704_153012.jpg", "a.b/20190704_153012",
		"PXL_20230101_101010123.MP.jpg", "Ünterordner/IMG_20190704_153012.jpg",
		"DCIM/ÉTÉ_20190704_153012.jpg", "x/.hidden", "dir/", "Screenshot_20190704-153012",
	} {
		if got, want := nameHash(rel), folded(rel); got != want {
			t.Errorf("nameHash(%q) = %x, want %x", rel, got, want)
		}
		if got, want := nameHash([]byte(rel)), nameHash(rel); got != want {
			t.Errorf("nameHash of %q as bytes = %x, as a string %x", rel, got, want)
		}
	}
	if nameHash("a/IMG_20190704_153012.JPG") != nameHash("b/img_20190704_153012.heic") {
		t.Error("the same name in two folders, in two cases, with two extensions, hashes apart")
	}
	if n := testing.AllocsPerRun(100, func() { nameHash([]byte("2019/IMG_20190704_153012.JPG")) }); n != 0 {
		t.Errorf("an ASCII name costs %v allocations, want none", n)
	}
}
