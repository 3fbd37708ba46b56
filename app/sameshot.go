package app

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"shoebox/media"
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

// shotLink joins files that are the same shot.
type shotLink struct {
	members  []int // file indexes, the first is the one the evidence is filed under
	why      string
	distance int // pHash distance of a hashed pair joined here, 0 otherwise
}

// sameShotFactor widens the look-alike thresholds for two hashed files the
// metadata calls one shot: pHash within twice the near distance (a 3% crop
// measured 6 to 16 bits) and dHash within twice its default. Shape and colour
// must still agree.
const sameShotFactor = 2

// sameShot finds the metadata links among files (see above). items holds the
// near-duplicate item of every hashed file index; uf has the look-alike
// groups so far and is updated as hashed files are joined.
func sameShot(files []store.FileRecord, items map[int]near.Item, distance int, uf *near.UnionFind[int]) []shotLink {
	var links []shotLink
	camera := shotGroups(files, captureKey)
	relaxed := near.Options{MaxDistance: nearDistance(sameShotFactor * distance),
		MaxDHashDistance: sameShotFactor * near.DefaultDHashDistance}
	for _, g := range camera {
		links = append(links, joinHashedShot(files, items, g, relaxed, uf)...)
	}
	for _, g := range append(camera, shotGroups(files, nameKey)...) {
		if l, ok := joinUnhashed(files, g, uf); ok {
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

// shotGroup is the files sharing one shot key.
type shotGroup struct {
	key     string
	what    string // the key in words, for the evidence
	members []int
}

// shotGroups collects the files by key, in key order, keeping keys that more
// than one file shares.
func shotGroups(files []store.FileRecord, key func(store.FileRecord) (string, string)) []shotGroup {
	by := map[string]*shotGroup{}
	for i, f := range files {
		k, what := key(f)
		if k == "" {
			continue
		}
		if by[k] == nil {
			by[k] = &shotGroup{key: k, what: what}
		}
		by[k].members = append(by[k].members, i)
	}
	var out []shotGroup
	for _, g := range by {
		if len(g.members) > 1 && len(g.members) <= maxShotFiles {
			out = append(out, *g)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].key < out[b].key })
	return out
}

// joinHashedShot joins hashed members of one camera shot that look-alike
// grouping kept apart, when the hashes agree within the relaxed thresholds.
func joinHashedShot(files []store.FileRecord, items map[int]near.Item, g shotGroup, relaxed near.Options, uf *near.UnionFind[int]) []shotLink {
	var links []shotLink
	for x, i := range g.members {
		for _, j := range g.members[x+1:] {
			a, okA := items[i]
			b, okB := items[j]
			if !okA || !okB || uf.Find(i) == uf.Find(j) {
				continue
			}
			e, ok := near.Compare(a, b, relaxed)
			if !ok {
				continue
			}
			uf.Union(i, j)
			links = append(links, shotLink{members: []int{i, j}, distance: e.PHashDistance, why: fmt.Sprintf(
				"%s ~ %s: %s; pHash distance %d, dHash distance %d%s: further apart than look-alikes may be, as after a crop, but the same shape and colour",
				files[i].RelPath, files[j].RelPath, g.what, e.PHashDistance, e.DHashDistance, colourEvidence(&files[i], &files[j]))})
		}
	}
	return links
}

// joinUnhashed links the members of a shot that have no perceptual hash to
// the others, unless the hashed members are not all one look-alike group (a
// burst: the key then says nothing).
func joinUnhashed(files []store.FileRecord, g shotGroup, uf *near.UnionFind[int]) (shotLink, bool) {
	var hashed, unhashed []int
	for _, i := range g.members {
		if files[i].HasPHash {
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
	for _, i := range g.members[1:] {
		joined = joined && uf.Find(i) == uf.Find(g.members[0])
	}
	if joined {
		return shotLink{}, false
	}
	var names []string
	for _, i := range unhashed {
		names = append(names, files[i].RelPath)
	}
	verb := "cannot be decoded here, so its pixels were"
	if len(names) > 1 {
		verb = "cannot be decoded here, so their pixels were"
	}
	members := append(append([]int(nil), hashed...), unhashed...)
	for _, m := range members[1:] {
		uf.Union(members[0], m)
	}
	return shotLink{members: members, why: fmt.Sprintf("%s; %s %s not compared", g.what, strings.Join(names, ", "), verb)}, true
}

// captureKey is camera + the exact EXIF DateTimeOriginal of a done image, or
// "" when either is missing.
func captureKey(f store.FileRecord) (key, what string) {
	if f.Status != media.StatusDone || f.Camera == "" || !strings.HasPrefix(f.MIME, "image/") {
		return "", ""
	}
	for _, c := range f.Time.Candidates {
		if c.Kind == media.KindEXIFOriginal && !c.Rejected && len(c.Value) >= len("2006-01-02T15:04:05") {
			return "exif\x00" + f.Camera + "\x00" + c.Value, fmt.Sprintf("same camera (%s) and the same EXIF capture time %s", f.Camera, c.Value)
		}
	}
	return "", ""
}

// nameKey is the file name without its extension (case folded) of a done
// image whose name carries the time to the second, or "" otherwise. Names
// like IMG_1234 repeat across cameras and years and are no key.
func nameKey(f store.FileRecord) (key, what string) {
	if f.Status != media.StatusDone || !strings.HasPrefix(f.MIME, "image/") {
		return "", ""
	}
	for _, c := range f.Time.Candidates {
		if c.Kind == media.KindFilenameTime && !c.Rejected && len(c.Value) >= len("2006-01-02T15:04:05") {
			base := path.Base(f.RelPath)
			stem := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
			return "name\x00" + stem, fmt.Sprintf("the same file name %s with the capture time %s", strings.TrimSuffix(base, path.Ext(base)), c.Value)
		}
	}
	return "", ""
}
