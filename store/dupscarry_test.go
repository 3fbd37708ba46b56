package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// Kept sets are read only while current; carried, a set is current again
// through one new transaction under its new name, its files of the old job
// moved to the new one and every other file left where it was, and the sets
// not carried are dropped. A transaction the caller did not vouch for stops
// the carry.
func TestKeptDupGroupsAreCarriedOnlyOverTheCallersWrites(t *testing.T) {
	db, _, groups := foundLibrary(t)
	oldJob := groups[0].Files[0].JobID
	savedNow(t, db, "old", groups)
	kept, err := db.KeptDupGroups()
	if err != nil || kept.At == 0 || len(kept.Names()) != 1 {
		t.Fatalf("kept at %d: %q, %v", kept.At, kept.Names(), err)
	}
	newJob := &Job{}
	if err := db.CreateJob(newJob); err != nil { // the caller's own write
		t.Fatal(err)
	}
	if now, err := db.KeptDupGroups(); err != nil || now.At != 0 {
		t.Fatalf("sets read as current after a write: at %d, %v", now.At, err)
	}
	through, err := db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	carry := GroupsCarried{From: []byte("old"), To: []byte("new"), FromJob: oldJob, ToJob: newJob.ID}
	// Another file, of a third job, in the set carried: it stays that job's.
	elsewhere := fileKey(oldJob+100, 0, "x.jpg")
	kept.sets["old"] = withKey(t, kept.sets["old"], elsewhere)

	if ok, err := db.CarryDupGroups(kept, through-1, carry); ok || err != nil {
		t.Fatalf("carried over a transaction not vouched for: %v, %v", ok, err)
	}
	// (The refusal itself committed an empty transaction, which the caller
	// would vouch for.)
	if through, err = db.ReadID(); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.CarryDupGroups(kept, through, carry); !ok || err != nil {
		t.Fatalf("carry: %v, %v", ok, err)
	}
	after, err := db.KeptDupGroups()
	if _, old := after.sets["old"]; err != nil || after.At == 0 || len(after.sets) != 1 || old {
		t.Fatalf("after the carry: current at %d, sets %q, %v", after.At, after.Names(), err)
	}
	var moved, stayed, old int
	for _, g := range decodedSet(t, after.sets["new"]) {
		for _, k := range g.Keys {
			switch {
			case bytes.Equal(k, elsewhere):
				stayed++
			case bytes.HasPrefix(k, jobKey(newJob.ID)):
				moved++
			case bytes.HasPrefix(k, jobKey(oldJob)):
				old++
			}
		}
	}
	if moved != 4 || stayed != 1 || old != 0 {
		t.Errorf("carried keys: %d moved to the new job, %d of another job kept, %d left on the old job", moved, stayed, old)
	}
	if got := decodedSet(t, after.sets["new"]); got[1].Evidence[0] != "a and c look alike" || !got[1].Near {
		t.Errorf("the evidence was not carried: %+v", got[1])
	}
}

// decodedSet is a stored set's groups.
func decodedSet(t *testing.T, v []byte) []foundGroup {
	t.Helper()
	var groups []foundGroup
	if decodeFound(v, &groups) != nil {
		t.Fatalf("set %q does not decode", v)
	}
	return groups
}

// withKey is a stored set with one more key in its first group, as an
// older Shoebox stored it (plain JSON): the carry reads both forms.
func withKey(t *testing.T, v, k []byte) []byte {
	t.Helper()
	groups := decodedSet(t, v)
	groups[0].Keys = append(groups[0].Keys, k)
	out, err := json.Marshal(groups)
	if err != nil {
		t.Fatal(err)
	}
	return append(bytes.Clone(v[:8]), out...)
}
