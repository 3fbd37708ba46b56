package app

import (
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"testing"

	"shoebox/near"
	"shoebox/store"
)

// syntheticNearRead is what a walk of about n files could read:
// look-alike families whose members' hashes lie 0 to 20 bits apart, shots
// whose files share a camera key (some unhashed, some far apart in pixels),
// time-stamped names, lone files, and a key shared by more files than a shot
// has, on two look-alikes that only a shot's wider thresholds would join.
// Each file's key is its index, to map candidates back.
func syntheticNearRead(seed uint64, n int) nearRead {
	rng := rand.New(rand.NewPCG(seed, 7))
	var read nearRead
	flip := func(h uint64, bits int) uint64 {
		for _, b := range rng.Perm(64)[:bits] {
			h ^= 1 << b
		}
		return h
	}
	add := func(it near.Item, hashed bool, capture, name uint64) {
		f := nearFile{item: -1, capture: capture, name: name}
		if hashed {
			f.item = read.set.addItem(it)
		}
		read.set.files = append(read.set.files, f)
		read.keys.add(binary.BigEndian.AppendUint64(make([]byte, 8), uint64(read.keys.n)))
		read.crcs = append(read.crcs, uint32(len(read.crcs)))
	}
	lone := func() near.Item {
		return near.Item{PHash: rng.Uint64(), DHash: rng.Uint64(), Width: 320, Height: 240,
			LumaMean: 100, LumaStdDev: 40, HasStats: true}
	}
	var family near.Item
	for i := range n {
		it := lone()
		switch {
		case i%5 == 0: // a family's first
			family = it
		case i%5 < 4: // its look-alikes, near or far
			it.PHash, it.DHash = flip(family.PHash, rng.IntN(21)), flip(family.DHash, rng.IntN(13))
			it.ChromaCb = float32(rng.IntN(9))
		}
		var capture, name uint64
		switch {
		case i%13 == 0 || i%13 == 1: // a shot of two or three files
			capture = uint64(i/13) + 1
		case i%9 == 2:
			capture = 1 << 40 // one key on too many files: a clock fault
		case i%17 == 5 || i%17 == 9:
			name = uint64(i/17) + 1
		}
		add(it, i%11 != 3, capture, name) // every eleventh file has no hashes (a HEIC)
	}
	// Two pairs of look-alikes 14 bits apart, whose firsts carry a key that
	// 66 lone files carry too: no shot among all the files; among the
	// candidates alone, one that would join the pairs.
	const fault = 1 << 41
	x := lone()
	xx, y := x, x
	xx.PHash = flip(x.PHash, 2)
	y.PHash, y.DHash = flip(x.PHash, 14), flip(x.DHash, 6)
	yy := y
	yy.PHash = flip(y.PHash, 2)
	add(x, true, fault, 0)
	add(xx, true, 0, 0)
	add(y, true, fault, 0)
	add(yy, true, 0, 0)
	for range 66 {
		add(lone(), true, fault, 0)
	}
	return read
}

// original is a group of a candidate set with its file indexes those of
// the whole set (the keys say them).
func original(g nearGroup, sub *nearRead) nearGroup {
	at := func(i int) int { return int(binary.BigEndian.Uint64(sub.keys.at(i)[8:])) }
	out := nearGroup{maxDistance: g.maxDistance, relinked: g.relinked}
	for _, m := range g.members {
		out.members = append(out.members, at(m))
	}
	for _, f := range g.facts {
		f.a, f.b = at(f.a), at(f.b)
		var unhashed []int
		for _, u := range f.unhashed {
			unhashed = append(unhashed, at(u))
		}
		f.unhashed = unhashed
		out.facts = append(out.facts, f)
	}
	return out
}

// The groups found among the candidates are the whole set's, members,
// distances and evidence, at every distance up to the reach; and the
// candidates are fewer than the files.
func TestCandidatesGroupAsTheWholeSetDoes(t *testing.T) {
	for seed := range uint64(4) {
		whole := syntheticNearRead(seed, 3000)
		kept, sub := candidatesOf(&whole, candidateReach)
		if len(kept.Keys) != len(sub.set.files) || len(kept.Keys) >= len(whole.set.files) || len(kept.Keys) < 100 {
			t.Fatalf("seed %d: %d candidates (%d read) of %d files", seed, len(kept.Keys), len(sub.set.files), len(whole.set.files))
		}
		for distance := 0; distance <= candidateReach; distance++ {
			want := groupNear(&whole.set, distance)
			var got []nearGroup
			for _, g := range groupNear(&sub.set, distance) {
				got = append(got, original(g, &sub))
			}
			if len(want) < 10 || !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, distance %d: %d groups among the candidates, %d among all:\n%+v\n%+v",
					seed, distance, len(got), len(want), got, want)
			}
		}
		// Beyond the reach they may differ: the check above can fail.
		far := groupNear(&whole.set, 2*candidateReach)
		var fromSub []nearGroup
		for _, g := range groupNear(&sub.set, 2*candidateReach) {
			fromSub = append(fromSub, original(g, &sub))
		}
		if reflect.DeepEqual(far, fromSub) {
			t.Errorf("seed %d: at twice the reach the candidates still group as all files do: the test proves little", seed)
		}
	}
}

// wholeNearSearch is a job's look-alike groups found from every record,
// without candidates.
func wholeNearSearch(t *testing.T, lib *Library, jobID uint64, distance int) []store.DupGroup {
	t.Helper()
	read, trusted, damaged := lib.readNearSet(jobID, recordsChecked, nil)
	if !trusted || damaged != nil {
		t.Fatalf("walk of job %d: %v, %v", jobID, trusted, damaged)
	}
	groups, _, err := lib.describeNear(read, groupNear(&read.set, distance), recordsChecked, nil)
	if err != nil {
		t.Fatal(err)
	}
	return groups
}

// A completed scan keeps its candidates, from the CLI too; every later
// search up to their reach, in this process or after a reopen, reads them
// and finds the groups a whole search finds, for a full scan and one stored
// over it. A distance beyond the reach searches again and keeps candidates
// for it.
func TestLookAlikesComeFromTheCandidatesKeptAfterAScan(t *testing.T) {
	db := nearFolder(t) // two CLI scans
	lib := openChangeLibrary(t, db, LibraryOptions{})
	jobs, err := lib.Jobs()
	if err != nil || len(jobs) != 2 {
		t.Fatalf("%d jobs, %v", len(jobs), err)
	}
	for _, j := range jobs {
		if reach, ok, err := lib.db.NearCandidatesReach(j.ID); !ok || err != nil || reach != candidateReach {
			t.Fatalf("job %d: candidates after the scan: %v, reach %d, %v", j.ID, ok, reach, err)
		}
	}
	lib.Close()
	lib = openChangeLibrary(t, db, LibraryOptions{})
	for _, j := range jobs {
		for distance := 0; distance <= candidateReach; distance++ {
			got, ok, err := lib.nearGroupsOfCandidates(j.ID, distance)
			if err != nil || !ok {
				t.Fatalf("job %d, distance %d: no answer from the candidates: %v", j.ID, distance, err)
			}
			want := wholeNearSearch(t, lib, j.ID, distance)
			if !reflect.DeepEqual(got, want) || (distance == DefaultNearDistance && len(got) < 3) {
				t.Fatalf("job %d, distance %d: from the candidates\n%v\nfrom every record\n%v", j.ID, distance, groupPaths(got), groupPaths(want))
			}
		}
		far := candidateReach + 2
		if _, ok, _ := lib.nearGroupsOfCandidates(j.ID, far); ok {
			t.Fatalf("job %d: candidates answered for distance %d, beyond their reach", j.ID, far)
		}
		if _, err := lib.Duplicates(j.ID, far); err != nil {
			t.Fatal(err)
		}
		got, ok, err := lib.nearGroupsOfCandidates(j.ID, far)
		if want := wholeNearSearch(t, lib, j.ID, far); err != nil || !ok || !reflect.DeepEqual(got, want) {
			t.Fatalf("job %d, distance %d after a search there: %v %v\n%v\nwant\n%v", j.ID, far, ok, err, groupPaths(got), groupPaths(want))
		}
	}
}

// The window's engine keeps a scan's candidates once it completes, with its
// groups: Duplicates at another distance, or the scan opened again from
// History later, needs no whole search.
func TestACompletedScanKeepsItsCandidates(t *testing.T) {
	_, dir := changeFolder(t)
	lib := openChangeLibrary(t, t.TempDir()+"/library.db", LibraryOptions{FindDuplicatesAfterJob: true})
	id, err := lib.Start([]string{dir}, Settings{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatalf("scan %s", st)
	}
	for _, distance := range []int{0, 4, candidateReach} {
		got, ok, err := lib.nearGroupsOfCandidates(id, distance)
		if err != nil || !ok {
			t.Fatalf("distance %d: no candidates kept after the scan: %v", distance, err)
		}
		if want := wholeNearSearch(t, lib, id, distance); !reflect.DeepEqual(got, want) {
			t.Fatalf("distance %d:\n%v\nwant\n%v", distance, groupPaths(got), groupPaths(want))
		}
	}
}
