package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"

	"shoebox/imagehash"
	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// Duplicates are a job's exact and near-duplicate groups.
type Duplicates struct {
	Exact []ExactGroup
	Near  []NearGroup
}

// ExactGroup is a set of files with the same bytes (SHA-256), across all jobs.
type ExactGroup struct {
	SHA256 string
	Files  []store.FileRecord
}

// NearGroup is a connected component of visually near-identical images.
type NearGroup struct {
	Files       []store.FileRecord
	MaxDistance int      // the largest pHash distance inside the group
	Evidence    []string // one line per pair that joined the group
}

// Duplicates finds a job's duplicate groups. distance 0 means the job's
// near-duplicate setting.
func (l *Library) Duplicates(jobID uint64, distance int) (Duplicates, error) {
	var out Duplicates
	// A damaged record is left out of the groups (store.DamagedRecords);
	// the groups of the others are still found and the error returned.
	exact, damaged := l.db.ExactDuplicates(jobID)
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return out, damaged
	}
	for _, g := range exact {
		out.Exact = append(out.Exact, ExactGroup{SHA256: g.SHA256, Files: g.Files})
	}
	if distance <= 0 {
		distance = l.jobSettings(jobID).NearDistance
	}
	files, err := l.db.Files(jobID)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return out, err
	}
	out.Near = nearGroups(files, distance)
	if damaged == nil {
		damaged = err
	}
	return out, damaged
}

// nearGroups groups a job's images by perceptual hash (processing.GroupNear)
// and then joins the files that their metadata says are one shot (see
// sameShot): a crop whose hashes moved too far for a look-alike, and images
// that cannot be hashed (HEIC).
func nearGroups(files []store.FileRecord, distance int) []NearGroup {
	var items []processing.NearItem
	var hashed []int // item index -> file index
	for i, f := range files {
		if f.HasPHash && f.Status == media.StatusDone {
			items = append(items, processing.NearItem{ID: uint64(len(items)), PHash: f.PHash, DHash: f.DHash,
				Width: f.Width, Height: f.Height, LumaMean: f.LumaMean, LumaStdDev: f.LumaStdDev,
				ChromaCb: f.ChromaCb, ChromaCr: f.ChromaCr, HasStats: f.Analysis >= 2,
				Screen: processing.IsScreenshotName(f.RelPath)})
			hashed = append(hashed, i)
		}
	}
	uf := newUnionFind(len(files))
	maxDist := map[int]int{}       // file index of a group's first member -> its largest distance
	relinked := map[int]bool{}     // a file joined to another hashed group by a shot link
	evidence := map[int][]string{} // same key: evidence lines
	for _, g := range processing.GroupNear(items, processing.NearOptions{MaxDistance: distance}) {
		first := hashed[g.IDs[0]]
		for _, id := range g.IDs[1:] {
			uf.union(first, hashed[id])
		}
		maxDist[first] = g.MaxDistance
		for _, e := range g.Evidence {
			a, b := &files[hashed[e.A]], &files[hashed[e.B]]
			evidence[first] = append(evidence[first], fmt.Sprintf("%s ~ %s: pHash distance %d, dHash distance %d%s (%s)",
				a.RelPath, b.RelPath, e.PHashDistance, e.DHashDistance, colourEvidence(a, b), e.Reason))
		}
	}
	itemOf := make(map[int]processing.NearItem, len(items)) // file index -> its item
	for id, i := range hashed {
		itemOf[i] = items[id]
	}
	for _, link := range sameShot(files, itemOf, distance, uf) { // sameShot joins them in uf
		evidence[link.members[0]] = append(evidence[link.members[0]], link.why)
		if link.distance > 0 {
			relinked[link.members[0]] = true
		}
	}

	members := map[int][]int{}
	for i := range files {
		members[uf.find(i)] = append(members[uf.find(i)], i)
	}
	var roots []int
	for r, m := range members {
		if len(m) > 1 {
			roots = append(roots, r)
		}
	}
	sort.Slice(roots, func(a, b int) bool { return members[roots[a]][0] < members[roots[b]][0] })
	var out []NearGroup
	for _, r := range roots {
		var g NearGroup
		relink := false
		for _, i := range members[r] {
			g.Files = append(g.Files, files[i])
			g.MaxDistance = max(g.MaxDistance, maxDist[i])
			g.Evidence = append(g.Evidence, evidence[i]...)
			relink = relink || relinked[i]
		}
		if relink {
			// Hash groups joined by metadata: their members were never
			// compared across the join, so measure the largest distance.
			g.MaxDistance = maxPairDistance(g.Files)
		}
		out = append(out, g)
	}
	return out
}

// maxPairDistance is the largest pHash distance between two hashed files.
func maxPairDistance(files []store.FileRecord) int {
	d := 0
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			if files[i].HasPHash && files[j].HasPHash {
				d = max(d, imagehash.HammingDistance(files[i].PHash, files[j].PHash))
			}
		}
	}
	return d
}

// colourEvidence states how far apart two files' mean colours are (the
// larger of the Cb and Cr differences, 0..255 scale), when both were measured.
func colourEvidence(a, b *store.FileRecord) string {
	if a.Analysis < 2 || b.Analysis < 2 {
		return ""
	}
	d := max(math.Abs(float64(a.ChromaCb-b.ChromaCb)), math.Abs(float64(a.ChromaCr-b.ChromaCr)))
	return fmt.Sprintf(", mean colour %.1f apart", d)
}

// unionFind joins file indexes into connected components.
type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return &unionFind{p}
}

func (u *unionFind) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra // the smaller index is the root: groups come out in path order
}

// jobSettings reads the settings a job ran with (defaults where unreadable).
func (l *Library) jobSettings(jobID uint64) Settings {
	var s Settings
	if j, err := l.db.Job(jobID); err == nil && len(j.Settings) > 0 {
		_ = json.Unmarshal(j.Settings, &s) // damaged settings fall back to defaults
	}
	return s.WithDefaults()
}
