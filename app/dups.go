package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"shoebox/media"
	"shoebox/near"
	"shoebox/store"
)

// Duplicates are a job's exact and near-duplicate groups. Exact groups are
// files with the same bytes (SHA-256), across all jobs; near groups are
// connected components of visually near-identical images (Near set).
type Duplicates struct {
	Exact []store.DupGroup
	Near  []store.DupGroup
}

// DupScope says among which files duplicate groups are found.
type DupScope int

const (
	// ScopeLibrary (the default, and the CLI's) groups a job's files with
	// their exact copies anywhere in the library.
	ScopeLibrary DupScope = iota
	// ScopeJob keeps only the job's own files: the copies inside the
	// folders that scan looked at.
	ScopeJob
)

// Duplicates finds a job's duplicate groups across the library
// (ScopeLibrary). A negative distance means the job's near-duplicate
// setting; 0 means identical perceptual hashes only.
func (l *Library) Duplicates(jobID uint64, distance int) (Duplicates, error) {
	return l.DuplicatesIn(jobID, distance, ScopeLibrary)
}

// DuplicatesIn finds a job's duplicate groups within scope. A look-alike
// group whose files are all the same bytes is left out: it is an exact
// group already, and counting it again would show it twice.
//
// The groups found without an error are remembered until the library
// changes: in memory (dupsMemo), and in the library itself for both scopes
// (dups_saved.go), so asking again, even from another process or after a
// restart, reads them instead of searching.
func (l *Library) DuplicatesIn(jobID uint64, distance int, scope DupScope) (Duplicates, error) {
	return l.SearchDuplicates(jobID, distance, scope, nil)
}

// SearchDuplicates is DuplicatesIn, telling soFar (unless nil) what a
// whole search has found before it ends (dups_sofar.go).
func (l *Library) SearchDuplicates(jobID uint64, distance int, scope DupScope, soFar func(Duplicates)) (Duplicates, error) {
	if distance < 0 {
		distance = l.jobSettings(jobID).NearDistance
	}
	var kept Duplicates
	leave := l.searches.enterUnless(searchKey{job: jobID, distance: distance}, func() (ok bool) {
		kept, ok = l.rememberedDuplicates(jobID, distance, scope)
		return ok
	})
	if leave == nil {
		return kept, nil
	}
	defer leave()
	key := dupsMemoKey{job: jobID, distance: distance, scope: scope, epoch: l.db.Epoch()}
	// Read before the search, so that a write during it keeps its groups
	// from being saved as current.
	seen, seenErr := l.db.ReadID()
	var told *partsTold
	if soFar != nil {
		told = &partsTold{soFar: soFar, jobID: jobID, scope: scope}
	}
	all, cands, err := l.findDuplicates(jobID, distance, told)
	if err != nil {
		return inScope(all, jobID, scope), err
	}
	if seenErr == nil {
		l.saveDuplicates(seen, jobID, distance, all)
	}
	l.keepCandidates(cands) // after the groups: keeping them changes none
	d := inScope(all, jobID, scope)
	l.dups.put(key, d)
	return d, nil
}

// KeptDuplicates is DuplicatesIn's answer when it needs no whole search:
// the groups remembered in memory or kept in the library, still current,
// or found among the look-alike candidates kept for the job. ok is false
// when finding them would mean a whole search. The window asks first
// while it is reading a million rows, so as not to search at the same time.
func (l *Library) KeptDuplicates(jobID uint64, distance int, scope DupScope) (d Duplicates, ok bool) {
	if distance < 0 {
		distance = l.jobSettings(jobID).NearDistance
	}
	if d, ok := l.rememberedDuplicates(jobID, distance, scope); ok {
		return d, true
	}
	if reach, ok, err := l.db.NearCandidatesReach(jobID); err == nil && ok && distance <= reach {
		// Found among the candidates (nearcand.go): a fraction of a second.
		d, err := l.DuplicatesIn(jobID, distance, scope)
		return d, err == nil
	}
	return Duplicates{}, false
}

// rememberedDuplicates is the groups remembered in memory or kept in the
// library for the job, distance (>= 0) and scope, still current.
func (l *Library) rememberedDuplicates(jobID uint64, distance int, scope DupScope) (d Duplicates, ok bool) {
	key := dupsMemoKey{job: jobID, distance: distance, scope: scope, epoch: l.db.Epoch()}
	if d, ok := l.dups.get(key); ok {
		return d, true
	}
	if d, ok := l.savedDuplicates(jobID, distance, scope); ok {
		l.dups.put(key, d)
		return d, true
	}
	return Duplicates{}, false
}

// inScope is the groups of the whole library (findDuplicates) kept to
// scope. They are not changed: ScopeJob's are new slices.
func inScope(all Duplicates, jobID uint64, scope DupScope) Duplicates {
	if scope != ScopeJob {
		return all
	}
	return Duplicates{Exact: onlyJob(cloneGroups(all.Exact), jobID), Near: all.Near}
}

// findDuplicates is DuplicatesIn without what is remembered, for
// ScopeLibrary; distance is >= 0. The groups of ScopeJob are these kept to
// the job's files (inScope): look-alikes are found among the job's files
// only in either scope.
//
// A search of a completed job's look-alikes also finds the candidates for
// every later one (nearcand.go): the caller keeps them (keepCandidates)
// after the groups, whose saving needs that nothing was written since the
// search began. told, unless nil, is told the groups found on the way.
func (l *Library) findDuplicates(jobID uint64, distance int, told *partsTold) (Duplicates, *foundCandidates, error) {
	// The indexes walked lie all over the file: read it ahead, so that a
	// library not in the page cache is not faulted in a page at a time
	// (store.DB.ReadAhead).
	defer l.db.ReadAhead()()
	var out Duplicates
	exact, moved, damaged, err := l.exactNotMoved(jobID)
	if err != nil {
		return out, nil, err
	}
	out.Exact = exact
	if told != nil {
		told.exact, told.moved = exact, moved
		told.tellExact()
	}
	looks, cands, err := l.nearGroupsOf(jobID, distance, told)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return out, nil, err
	}
	out.Near = withoutSameBytes(withoutMoved(looks, moved))
	if damaged == nil {
		damaged = err
	}
	return out, cands, damaged
}

// exactNotMoved is a job's exact groups without the copies change runs
// moved away (movedAway, also returned for the look-alike groups). A
// damaged record is left out of the groups (store.DamagedRecords): the
// groups of the others are still found, and the damage returned in
// damaged; err is any other failure.
func (l *Library) exactNotMoved(jobID uint64) (exact []store.DupGroup, moved map[string]bool, damaged, err error) {
	exact, damaged = l.db.ExactDuplicates(jobID)
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return nil, nil, nil, damaged
	}
	if moved, err = l.movedAway(); err != nil {
		return nil, nil, nil, err
	}
	return withoutMoved(exact, moved), moved, damaged, nil
}

// onlyJob keeps the files a job itself recorded, and the groups left with
// two or more. (The store picks the job's own record for a path it saw.)
func onlyJob(groups []store.DupGroup, jobID uint64) []store.DupGroup {
	out := groups[:0]
	for _, g := range groups {
		var files []store.FileRecord
		for _, f := range g.Files {
			if f.JobID == jobID {
				files = append(files, f)
			}
		}
		if len(files) >= 2 {
			g.Files = files
			out = append(out, g)
		}
	}
	return out
}

// withoutSameBytes drops the look-alike groups whose files all have one
// SHA-256: the exact group of that SHA-256 holds them already.
func withoutSameBytes(groups []store.DupGroup) []store.DupGroup {
	out := groups[:0]
	for _, g := range groups {
		same := g.Files[0].SHA256 != ""
		for _, f := range g.Files[1:] {
			same = same && f.SHA256 == g.Files[0].SHA256
		}
		if !same {
			out = append(out, g)
		}
	}
	return out
}

// movedAway is the paths whose copies change runs acted on and that were
// not put back: the groups no longer show them, until a rescan.
func (l *Library) movedAway() (map[string]bool, error) {
	runs, err := l.Runs()
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, err
	}
	moved := map[string]bool{}
	for _, r := range runs {
		if r.Kind != store.KindDups || r.Undone || r.Done == 0 {
			continue
		}
		items, err := l.db.Changes(r.ID)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.State == store.ChangeDone {
				moved[it.Path] = true
			}
		}
	}
	return moved, nil
}

// withoutMoved drops the moved files from groups, and the groups left with
// fewer than two files.
func withoutMoved(groups []store.DupGroup, moved map[string]bool) []store.DupGroup {
	if len(moved) == 0 {
		return groups
	}
	out := groups[:0]
	for _, g := range groups {
		files := g.Files[:0:0]
		for _, f := range g.Files {
			if !moved[f.AbsPath()] {
				files = append(files, f)
			}
		}
		if len(files) >= 2 {
			g.Files = files
			out = append(out, g)
		}
	}
	return out
}

// nearGroupsOf finds a job's near groups from the look-alike index:
// ~100 bytes a file, no record decoded. Only the files of the groups found
// are then read whole. It walks the index alone (store.EachIndexedNear),
// and searches again with every record checked against its entry
// (store.EachNearEntry) when that walk found fewer files than the job
// counted, or a file of a group found disagrees with its entry. A library
// opened read-only before it had the index is read from its records
// (nearGroupsOfRecords).
func (l *Library) nearGroupsOf(jobID uint64, distance int, told *partsTold) ([]store.DupGroup, *foundCandidates, error) {
	if groups, ok, err := l.nearGroupsOfCandidates(jobID, distance); ok {
		return groups, nil, err
	}
	groups, cands, trusted, err := l.nearGroupsWalking(jobID, distance, indexAlone, told)
	if trusted {
		return groups, cands, err
	}
	groups, cands, _, err = l.nearGroupsWalking(jobID, distance, recordsChecked, nil)
	return groups, cands, err
}

// nearWalk is how nearGroupsWalking reads the look-alike index.
type nearWalk int

const (
	indexAlone     nearWalk = iota // store.EachIndexedNear: the entries, trusted
	recordsChecked                 // store.EachNearEntry: each entry against its record
	candidatesOnly                 // store.EachNearCandidate: the candidates' entries (nearcand.go)
)

// nearGroupsWalking is nearGroupsOf with one walk. trusted is false when
// the index alone could not be trusted (see nearGroupsOf) and the groups
// must be found again with recordsChecked. cands is the candidates found
// on the way, for a completed job, when nothing was damaged.
func (l *Library) nearGroupsWalking(jobID uint64, distance int, walk nearWalk, told *partsTold) (groups []store.DupGroup, cands *foundCandidates, trusted bool, err error) {
	stamp, keep := l.candidatesWanted(jobID, distance) // before the walk: the view it reads
	look := l.firstLookOf(distance, told)
	read, trusted, damaged := l.readNearSet(jobID, walk, look)
	if !trusted {
		return nil, nil, false, damaged
	}
	if errors.Is(damaged, store.ErrNoNearIndex) {
		groups, err := l.nearGroupsOfRecords(jobID, distance)
		return groups, nil, true, err
	}
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return nil, nil, true, damaged
	}
	if keep && damaged == nil {
		// The groups are found among the candidates, as every later
		// search will find them.
		cands = &foundCandidates{jobID: jobID, stamp: stamp}
		cands.set, read = candidatesOf(&read, candidateReachFor(distance))
	}
	groups, trusted, err = l.describeNear(read, groupNear(&read.set, distance), walk, damaged)
	if !trusted || err != nil {
		cands = nil
	}
	return groups, cands, trusted, err
}

// nearRead is what a walk of the look-alike index read: the files grouping
// looks at, and the key and entry CRC of each, by file index.
type nearRead struct {
	set  nearSet
	keys keyArena
	crcs []uint32
}

// add adds a file of the walk, when it can join a group.
func (r *nearRead) add(e *store.NearEntry) bool {
	if !e.Done || (!e.HasPHash && !e.Image) {
		return false
	}
	r.set.addEntry(e)
	r.keys.add(e.Key)
	r.crcs = append(r.crcs, e.CRC)
	return true
}

// readNearSet reads a job's look-alike index entries with one walk.
// trusted is false when the index alone could not be trusted (an entry
// missing); damaged also carries store.ErrNoNearIndex, for the caller to
// read the records instead.
//
// look, unless nil, is handed a copy of the first files read, to group
// while the walk reads on (dups_sofar.go); it is done when this returns.
func (l *Library) readNearSet(jobID uint64, walk nearWalk, look *firstLook) (read nearRead, trusted bool, damaged error) {
	// Sized for the job's files up front: grown by appending, the slices
	// of a million files were copied over and over, and the copies left
	// behind doubled the peak heap.
	j, jerr := l.db.Job(jobID)
	n := filesHint(j)
	read = nearRead{set: nearSet{files: make([]nearFile, 0, n), items: make([]near.Item, 0, n)},
		keys: newKeyArena(n), crcs: make([]uint32, 0, n)}
	lookAt := look.after(n)
	defer look.wait()
	add := func(e store.NearEntry) {
		if read.add(&e) && len(read.set.files) == lookAt {
			look.start(read.copyOfPart())
		}
	}
	if walk == indexAlone {
		var found store.IndexedNear
		found, damaged = l.db.EachIndexedNear(jobID, add)
		if damaged == nil || errors.Is(damaged, store.ErrDamaged) {
			if jerr != nil || found.Files < j.ProgressTotal {
				return nearRead{}, false, damaged // an entry missing: not whole
			}
		}
	} else {
		damaged = l.db.EachNearEntry(jobID, add)
	}
	return read, true, damaged
}

// describeNear reads the records of the groups found among what a walk
// read, checked against their entries, and words the groups. trusted is
// false when a record disagrees with its entry and the walk was of the
// index alone: the groups are to be found again with recordsChecked.
func (l *Library) describeNear(read nearRead, found []nearGroup, walk nearWalk, damaged error) (groups []store.DupGroup, trusted bool, err error) {
	read.set = nearSet{}
	wanted := sortedKeys(found)
	asked, askedCRCs := make([][]byte, len(wanted)), make([]uint32, len(wanted))
	for n, i := range wanted {
		asked[n], askedCRCs[n] = read.keys.at(i), read.crcs[i]
	}
	recs, ok, stale, err := l.db.FilesOfNearEntries(asked, askedCRCs)
	if err != nil && !errors.Is(err, store.ErrDamaged) {
		return nil, true, err
	}
	if stale > 0 && walk != recordsChecked {
		return nil, false, damaged
	}
	// Checked, a record can still disagree when a job rewrote it since
	// the walk: it is left out, and the groups are not kept, the library
	// having changed since the search began (DuplicatesIn).
	if damaged == nil {
		damaged = err
	}
	at := make(map[int]int, len(wanted)) // file index -> its record in recs
	for n, i := range wanted {
		if ok[n] {
			at[i] = n
		}
	}
	return describe(found, func(i int) *store.FileRecord {
		if n, ok := at[i]; ok {
			return &recs[n]
		}
		return nil
	}), true, damaged
}

// nearGroupsOfRecords finds a job's near groups from its records, streamed
// (store.EachFile): only the files that can join a group (done, hashed or
// images) are kept, with only what grouping reads of them (slim); the
// groups' files are then read whole.
func (l *Library) nearGroupsOfRecords(jobID uint64, distance int) ([]store.DupGroup, error) {
	var files []store.FileRecord
	damaged := l.db.EachFile(jobID, func(f store.FileRecord) error {
		if f.Status == media.StatusDone && (f.HasPHash || strings.HasPrefix(f.MIME, "image/")) {
			files = append(files, slim(f))
		}
		return nil
	})
	if damaged != nil && !errors.Is(damaged, store.ErrDamaged) {
		return nil, damaged
	}
	groups := nearGroups(files, distance)
	files = nil
	for gi := range groups {
		for fi := range groups[gi].Files {
			f := &groups[gi].Files[fi]
			whole, err := l.db.FileByKey(f.Key())
			if err != nil && !errors.Is(err, store.ErrDamaged) {
				return nil, err
			}
			if err == nil {
				*f = whole
			}
		}
	}
	return groups, damaged
}

// slim is a record with only what near grouping and the same-shot rules
// read: of its date candidates, the EXIF capture time and the time in its
// name, without their details; no note, no error.
func slim(f store.FileRecord) store.FileRecord {
	var keep []media.Candidate
	for _, c := range f.Time.Candidates {
		if (c.Kind == media.KindEXIFOriginal || c.Kind == media.KindFilenameTime) && !c.Rejected {
			c.Detail = ""
			keep = append(keep, c)
		}
	}
	f.Time.Candidates = keep
	f.Note, f.Error = "", ""
	return f
}

// nearDistance is the near package's MaxDistance for a distance a person
// chose: 0 means identical hashes only, which near's zero value cannot say.
func nearDistance(d int) int {
	if d == 0 {
		return near.ExactPHashOnly
	}
	return d
}

// nearGroups groups records (groupNear) and words the groups from them.
func nearGroups(files []store.FileRecord, distance int) []store.DupGroup {
	var set nearSet
	for i := range files {
		set.addRecord(&files[i])
	}
	return describe(groupNear(&set, distance), func(i int) *store.FileRecord { return &files[i] })
}

// maxPHashDistance is the largest pHash distance between two hashed files.
func maxPHashDistance(files []store.FileRecord) int {
	var hashes []uint64
	for _, f := range files {
		if f.HasPHash {
			hashes = append(hashes, f.PHash)
		}
	}
	return near.MaxPairDistance(hashes)
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

// maxFilesHint caps filesHint: a damaged count must not make a walk
// reserve the machine's memory up front.
const maxFilesHint = 1 << 22

// filesHint is how many files the job listed, to size up front what is
// kept of each of them; 0 when unknown (then it grows as it goes).
func filesHint(j store.Job) int { return min(max(j.ProgressTotal, 0), maxFilesHint) }

// jobSettings reads the settings a job ran with (defaults where unreadable).
func (l *Library) jobSettings(jobID uint64) Settings {
	var s Settings
	if j, err := l.db.Job(jobID); err == nil && len(j.Settings) > 0 {
		_ = json.Unmarshal(j.Settings, &s) // damaged settings fall back to defaults
	}
	return s.WithDefaults()
}
