package store

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"shoebox/media"

	bolt "go.etcd.io/bbolt"
)

// foundLibrary is a library with one job of three files, two of them the
// same bytes, and those two as an exact group.
func foundLibrary(t *testing.T) (*DB, string, []DupGroup) {
	t.Helper()
	db, path := openTemp(t)
	j := &Job{}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	recs := []FileRecord{rec(j.ID, 0, "a.jpg", media.StatusDone, shaA), rec(j.ID, 0, "b/a copy.jpg", media.StatusDone, shaA),
		rec(j.ID, 0, "c.jpg", media.StatusDone, shaB)}
	recs[0].Time = media.Timestamp{Value: "2019-07-04T15:30:12", Source: media.SourceEXIF,
		Candidates: []media.Candidate{{Source: media.SourceEXIF, Value: "2019-07-04T15:30:12"}}}
	if err := db.CommitBatch(j, recs); err != nil {
		t.Fatal(err)
	}
	groups, err := db.ExactDuplicates(j.ID)
	if err != nil || len(groups) != 1 {
		t.Fatalf("%v %+v", err, groups)
	}
	groups = append(groups, DupGroup{Near: true, MaxDistance: 3, Evidence: []string{"a and c look alike"},
		Files: []FileRecord{groups[0].Files[0], mustFile(t, db, recs[2].Key())}})
	return db, path, groups
}

func mustFile(t *testing.T, db *DB, k []byte) FileRecord {
	t.Helper()
	f, err := db.FileByKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func savedNow(t *testing.T, db *DB, name string, groups []DupGroup) {
	t.Helper()
	seen, err := db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.SaveDupGroups(seen, FoundGroups{Name: []byte(name), Groups: groups}); err != nil || !ok {
		t.Fatalf("save: %v %v", ok, err)
	}
}

func TestSavedDupGroupsComeBackWholeUntilTheLibraryChanges(t *testing.T) {
	db, _, groups := foundLibrary(t)
	savedNow(t, db, "job 1", groups)
	got, ok, err := db.SavedDupGroups([]byte("job 1"))
	if err != nil || !ok {
		t.Fatalf("read: %v %v", ok, err)
	}
	if !reflect.DeepEqual(got, groups) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, groups)
	}
	if _, ok, _ := db.SavedDupGroups([]byte("job 2")); ok {
		t.Error("a name never saved was found")
	}
	// Any write, even one that touches no file, makes them out of date.
	if err := db.CreateJob(&Job{}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.SavedDupGroups([]byte("job 1")); ok || err != nil {
		t.Errorf("groups saved before a write are still taken as current (%v)", err)
	}
}

func TestDupGroupsFoundBeforeAWriteAreNotSaved(t *testing.T) {
	db, _, groups := foundLibrary(t)
	seen, err := db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateJob(&Job{}); err != nil { // written during the search
		t.Fatal(err)
	}
	ok, err := db.SaveDupGroups(seen, FoundGroups{Name: []byte("job 1"), Groups: groups})
	if err != nil || ok {
		t.Fatalf("saved %v, %v: groups found before a write were kept", ok, err)
	}
	if _, ok, _ := db.SavedDupGroups([]byte("job 1")); ok {
		t.Error("stale groups were read back")
	}
}

func TestSavingKeepsCurrentSetsAndDropsStaleOnes(t *testing.T) {
	db, _, groups := foundLibrary(t)
	savedNow(t, db, "old", groups[:1])
	if err := db.CreateJob(&Job{}); err != nil {
		t.Fatal(err)
	}
	savedNow(t, db, "one", groups[:1])
	savedNow(t, db, "two", groups[1:]) // one is still current: kept, restamped
	if got, ok, _ := db.SavedDupGroups([]byte("one")); !ok || !reflect.DeepEqual(got, groups[:1]) {
		t.Errorf("a set current when another was saved was lost: %v %+v", ok, got)
	}
	if got, ok, _ := db.SavedDupGroups([]byte("two")); !ok || !reflect.DeepEqual(got, groups[1:]) {
		t.Errorf("two: %v %+v", ok, got)
	}
	var names []string
	db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDupsFound).ForEach(func(k, _ []byte) error {
			names = append(names, string(k))
			return nil
		})
	})
	if !reflect.DeepEqual(names, []string{"one", string(keyFoundThrough), "two"}) {
		t.Errorf("kept %q, want the stale set dropped", names)
	}
}

func TestSavedDupGroupsWithAGoneRecordAreFoundAgain(t *testing.T) {
	db, _, groups := foundLibrary(t)
	gone := append([]DupGroup(nil), groups...)
	gone[1].Files = append([]FileRecord(nil), gone[1].Files...)
	gone[1].Files[1].RelPath = "never scanned.jpg"
	savedNow(t, db, "job 1", gone)
	if got, ok, err := db.SavedDupGroups([]byte("job 1")); ok || err != nil || got != nil {
		t.Errorf("a set naming a record the library lacks was read: %v %v %+v", ok, err, got)
	}
}

func TestCompactionCarriesCurrentDupGroupsOverAndLeavesStaleOnes(t *testing.T) {
	for _, stale := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "lib.db")
		slackLibrary(t, path, 2000)
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var keys [][]byte
		if err := db.EachFile(1, func(f FileRecord) error {
			keys = append(keys, f.Key())
			return nil
		}); err != nil || len(keys) < 2 {
			t.Fatal(err, len(keys))
		}
		groups := []DupGroup{{Near: true, MaxDistance: 2, Files: []FileRecord{mustFile(t, db, keys[0]), mustFile(t, db, keys[1])}}}
		savedNow(t, db, "job 1", groups)
		if stale {
			if err := db.CreateJob(&Job{}); err != nil {
				t.Fatal(err)
			}
		}
		if res, err := db.CompactIfSlack(anyCompact); err != nil || !res.Compacted {
			t.Fatalf("compact: %+v, %v", res, err)
		}
		got, ok, err := db.SavedDupGroups([]byte("job 1"))
		if err != nil || ok == stale || (!stale && !reflect.DeepEqual(got, groups)) {
			t.Errorf("stale %v: read back after the compaction: %v %v %d groups", stale, ok, err, len(got))
		}
		held := false
		for k := range dumpOf(t, db) {
			held = held || len(k) >= len(bucketDupsFound) && k[:len(bucketDupsFound)] == string(bucketDupsFound)
		}
		if held == stale {
			t.Errorf("stale %v: the compacted copy holds the groups: %v", stale, held)
		}
		// The copy counts its transactions again, and its groups are
		// current only through the last of them.
		if err := db.CreateJob(&Job{}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.SavedDupGroups([]byte("job 1")); ok {
			t.Errorf("stale %v: groups read after a write that followed the compaction", stale)
		}
		savedNow(t, db, "job 1", groups) // and it saves again
		if _, ok, _ := db.SavedDupGroups([]byte("job 1")); !ok {
			t.Errorf("stale %v: groups saved after the compaction were not read", stale)
		}
		db.Close()
	}
}

// A date decision or the change preferences change no group: the groups
// kept stay current across them, but are not made current again by them.
func TestWritesThatChangeNoGroupKeepTheGroupsCurrent(t *testing.T) {
	db, _, groups := foundLibrary(t)
	savedNow(t, db, "job 1", groups)
	harmless := []func() error{
		func() error {
			return db.PutCorrections([]Correction{{SHA256: groups[0].Files[0].SHA256, Value: "2001-02-03", Precision: "day", Source: "person"}})
		},
		func() error { return db.SetChangePreferences(ChangePreferences{Action: "trash"}) },
	}
	for i, write := range harmless {
		if err := write(); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := db.SavedDupGroups([]byte("job 1")); err != nil || !ok || !reflect.DeepEqual(got, groups) {
			t.Fatalf("after harmless write %d the groups are not current: %v %v", i, ok, err)
		}
	}
	if err := db.CreateJob(&Job{}); err != nil {
		t.Fatal(err)
	}
	for i, write := range harmless {
		if err := write(); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.SavedDupGroups([]byte("job 1")); ok {
			t.Fatalf("harmless write %d made groups current again after a write that can change them", i)
		}
	}
}

// Opening the library writes nothing when it has nothing to change, so the
// groups kept stay current across closes and opens, read-write or not.
func TestSavedDupGroupsOutliveClosesAndOpens(t *testing.T) {
	db, path, groups := foundLibrary(t)
	savedNow(t, db, "job 1", groups)
	db.Close()
	for _, mode := range []Mode{ReadWrite, ReadOnly, ReadWrite} {
		db, err := Open(path, Options{Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := db.SavedDupGroups([]byte("job 1"))
		db.Close()
		if err != nil || !ok || !reflect.DeepEqual(got, groups) {
			t.Fatalf("opened in mode %v: %v %v %+v", mode, ok, err, got)
		}
	}
}

// A set is kept deflated, a fraction of its JSON (keys and evidence repeat
// each other's paths), and read back whole; a set an older Shoebox kept as
// plain JSON is still read.
func TestDupGroupsAreKeptDeflatedAndPlainOnesStillRead(t *testing.T) {
	db, _, groups := foundLibrary(t)
	var many []DupGroup
	for i := range 400 {
		g := groups[i%len(groups)]
		g.Evidence = []string{fmt.Sprintf("%s ~ %s: pHash distance %d, dHash distance %d (pHash and dHash close)",
			g.Files[0].RelPath, g.Files[1].RelPath, i%9, i%11)}
		many = append(many, g)
	}
	savedNow(t, db, "many", many)
	kept, err := db.KeptDupGroups()
	if err != nil {
		t.Fatal(err)
	}
	v := kept.sets["many"]
	plain, err := json.Marshal(keptGroups(many))
	if err != nil {
		t.Fatal(err)
	}
	if len(v) < 9 || v[8] != foundDeflated || len(v)*5 > len(plain) {
		t.Fatalf("kept in %d bytes (flag %#x) for %d bytes of JSON", len(v), v[min(8, len(v)-1)], len(plain))
	}
	got, ok, err := db.SavedDupGroups([]byte("many"))
	if err != nil || !ok || !reflect.DeepEqual(got, many) {
		t.Fatalf("read back: %v %v, %d groups of %d", ok, err, len(got), len(many))
	}

	seen, err := db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	ok, err = db.writeFound(seen, func(tx *bolt.Tx, b *bolt.Bucket) error {
		return b.Put([]byte("older"), append(u64(uint64(tx.ID())), plain...))
	})
	if err != nil || !ok {
		t.Fatalf("write a plain set: %v %v", ok, err)
	}
	if got, ok, err := db.SavedDupGroups([]byte("older")); err != nil || !ok || !reflect.DeepEqual(got, many) {
		t.Fatalf("a plain set read back: %v %v, %d groups", ok, err, len(got))
	}
}
