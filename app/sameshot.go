package app

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"shoebox/near"
	"shoebox/store"
)

// Files that are one shot by their metadata. Look-alike grouping compares
// pixels only; two things it cannot do are helped by metadata:
//   - a crop or a stronger edit moves the hashes further apart than a
//     look-alike may be, although the camera and the capture time to the
//     second say it is the same photograph;
//   - a HEIC scanned without heif-convert on PATH has no hash at all.
// A shot is identified by (a) the camera and the exact EXIF DateTimeOriginal,
// or (b) a file name that carries the capture time to the second (as
// IMG_20230922_134831.heic and IMG_20230922_134831.jpg do). A burst (several
// different frames in one second) shares such a key, so a key links only
// files whose pixels do not contradict it.
// Keys are compared as 64-bit hashes (store.CaptureHash, nameHash), so that
// they can come from the look-alike index as well as from records; shots
// are taken in the order of their first file.

// shotLink joins files that are the same shot.
type shotLink struct {
	members  []int // file indexes, the first is the one the evidence is filed under
	why      nearFact
	distance int // pHash distance of a hashed pair joined here, 0 otherwise
}

// sameShotFactor widens the look-alike thresholds for two hashed files the
// metadata calls one shot: pHash within twice the near distance (a 3% crop
// measured 6 to 16 bits) and dHash within twice its default. Shape and colour
// must still agree.
const sameShotFactor = 2

// sameShot finds the metadata links among files (see above); uf has the
// look-alike groups so far and is updated as hashed files are joined.
func sameShot(set *nearSet, distance int, uf *near.UnionFind[int]) []shotLink {
	var links []shotLink
	camera := shotGroups(set.files, func(f nearFile) uint64 { return f.capture })
	relaxed := near.Options{MaxDistance: nearDistance(sameShotFactor * distance),
		MaxDHashDistance: sameShotFactor * near.DefaultDHashDistance}
	for _, g := range camera {
		links = append(links, joinHashedShot(set, g, relaxed, uf)...)
	}
	names := shotGroups(set.files, func(f nearFile) uint64 { return f.name })
	for _, g := range camera {
		if l, ok := joinUnhashed(set, g, factUnhashed, uf); ok {
			links = append(links, l)
		}
	}
	for _, g := range names {
		if l, ok := joinUnhashed(set, g, factUnhashedName, uf); ok {
			links = append(links, l)
		}
	}
	return links
}

// maxShotFiles: a key shared by more files than this is no shot but a clock
// fault (a camera stamping one default time on everything) or a name scheme;
// it links nothing, and its pairs are not compared (which would be quadratic).
// A burst of 20 frames in one second, each with two copies, stays under it.
const maxShotFiles = 64

// shotGroups is the files sharing a key (0: none), in the order of their
// first file, for the keys that more than one file shares. Keys are
// sorted, not hashed into a map: a million files cost a sort of 16 MB.
func shotGroups(files []nearFile, key func(nearFile) uint64) [][]int {
	type keyed struct {
		key uint64
		i   int
	}
	var all []keyed
	for i, f := range files {
		if k := key(f); k != 0 {
			all = append(all, keyed{k, i})
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].key != all[b].key {
			return all[a].key < all[b].key
		}
		return all[a].i < all[b].i
	})
	var out [][]int
	for start := 0; start < len(all); {
		end := start + 1
		for end < len(all) && all[end].key == all[start].key {
			end++
		}
		if n := end - start; n > 1 && n <= maxShotFiles {
			members := make([]int, 0, n)
			for _, m := range all[start:end] {
				members = append(members, m.i)
			}
			out = append(out, members)
		}
		start = end
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// joinHashedShot joins hashed members of one camera shot that look-alike
// grouping kept apart, when the hashes agree within the relaxed thresholds.
func joinHashedShot(set *nearSet, members []int, relaxed near.Options, uf *near.UnionFind[int]) []shotLink {
	var links []shotLink
	for x, i := range members {
		for _, j := range members[x+1:] {
			a, b := set.files[i].item, set.files[j].item
			if a < 0 || b < 0 || uf.Find(i) == uf.Find(j) {
				continue
			}
			e, ok := near.Compare(set.items[a], set.items[b], relaxed)
			if !ok {
				continue
			}
			uf.Union(i, j)
			links = append(links, shotLink{members: []int{i, j}, distance: e.PHashDistance,
				why: nearFact{kind: factCrop, a: i, b: j, pd: e.PHashDistance, dd: e.DHashDistance}})
		}
	}
	return links
}

// joinUnhashed links the members of a shot that have no perceptual hash to
// the others, unless the hashed members are not all one look-alike group (a
// burst: the key then says nothing).
func joinUnhashed(set *nearSet, members []int, kind factKind, uf *near.UnionFind[int]) (shotLink, bool) {
	var hashed, unhashed []int
	for _, i := range members {
		if set.files[i].item >= 0 {
			hashed = append(hashed, i)
		} else {
			unhashed = append(unhashed, i)
		}
	}
	if len(unhashed) == 0 {
		return shotLink{}, false
	}
	for _, i := range hashed[min(1, len(hashed)):] {
		if uf.Find(i) != uf.Find(hashed[0]) {
			return shotLink{}, false
		}
	}
	// Already one group (the other key linked them): nothing to add.
	joined := true
	for _, i := range members[1:] {
		joined = joined && uf.Find(i) == uf.Find(members[0])
	}
	if joined {
		return shotLink{}, false
	}
	all := append(append([]int(nil), hashed...), unhashed...)
	for _, m := range all[1:] {
		uf.Union(all[0], m)
	}
	return shotLink{members: all, why: nearFact{kind: kind, a: members[0], unhashed: unhashed}}, true
}

// captureWhat words a camera shot's key, from one of its files.
func captureWhat(f *store.FileRecord) string {
	camera, when, _ := f.ShotCapture()
	return fmt.Sprintf("same camera (%s) and the same EXIF capture time %s", camera, when)
}

// nameWhat words a time-stamped name's key, from one of its files.
func nameWhat(f *store.FileRecord) string {
	when, _ := f.ShotNameTime()
	base := path.Base(f.RelPath)
	return fmt.Sprintf("the same file name %s with the capture time %s", strings.TrimSuffix(base, path.Ext(base)), when)
}

// nameHash identifies a time-stamped file name: its name without the
// extension, case folded (FNV-1a). Names like IMG_1234 repeat across
// cameras and years and are no key; only a name that carries the time is
// hashed. It is asked of a million names a search, from the index's keys
// as bytes: a plain ASCII name is folded in place, without allocating.
func nameHash[P ~string | ~[]byte](rel P) uint64 {
	end := len(rel)
	start := end
	for start > 0 && rel[start-1] != '/' {
		start--
	}
	stem := end
	for i := end - 1; i >= start; i-- {
		if rel[i] == '.' {
			stem = i
			break
		}
	}
	if start < end {
		if h, ascii := fnvFolded(rel[start:stem]); ascii {
			return h
		}
	}
	// A trailing slash or a name beyond ASCII: path's and strings' own
	// rules, which the loops above follow for every other name.
	base := path.Base(string(rel))
	h, _ := fnvFolded(strings.ToLower(strings.TrimSuffix(base, path.Ext(base))))
	return h
}

// fnvFolded is the 64-bit FNV-1a hash of s with ASCII capitals folded to
// lower case, never 0; ascii is false when s holds other bytes, whose case
// only strings.ToLower folds.
func fnvFolded[P ~string | ~[]byte](s P) (h uint64, ascii bool) {
	const offset, prime = 14695981039346656037, 1099511628211
	h, ascii = offset, true
	for i := range len(s) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		ascii = ascii && c < 0x80
		h = (h ^ uint64(c)) * prime
	}
	return max(h, 1), ascii
}
