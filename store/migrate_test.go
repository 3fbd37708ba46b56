package store

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// compactFixture stores two jobs over /photos: copies of one content, a
// content whose SHA-256 starts as the first's (same 8-byte prefix) and a
// file of its own. With plain set, the indexes are written in the layout of
// schema 3, as the previous Shoebox wrote them.
func compactFixture(t *testing.T, db *DB, plain bool) {
	t.Helper()
	err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		if plain {
			if err := usePlainLayout(tx); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchema, u64(3))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	same := doneRec("a.jpg", "same").SHA256
	twin := same[:16] + strings.Repeat("0", 48) // shares the index prefix only
	for id := uint64(1); id <= 2; id++ {
		j := &Job{Roots: []string{"/photos"}, Status: StateCompleted, Listed: true}
		if err := db.CreateJob(j); err != nil {
			t.Fatal(err)
		}
		var recs []FileRecord
		for _, rel := range []string{"a.jpg", "b/a copy.jpg", "twin.jpg", "own.jpg"} {
			r := doneRec(rel, rel)
			switch rel {
			case "a.jpg", "b/a copy.jpg":
				r.SHA256 = same
			case "twin.jpg":
				r.SHA256 = twin
			}
			r.JobID, r.Root = j.ID, "/photos"
			recs = append(recs, r)
		}
		if err := db.CommitBatch(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	if plain { // and the perceptual hashes as schema 3 kept them
		if err := db.h.bolt.Update(oldNearIndex); err != nil {
			t.Fatal(err)
		}
	}
}

// duplicatesAndPrevious says what ExactDuplicates and Previous find in the
// fixture, the same in either layout.
func duplicatesAndPrevious(t *testing.T, db *DB) {
	t.Helper()
	groups, err := db.ExactDuplicates(2)
	if err != nil || len(groups) != 1 || len(groups[0].Files) != 2 {
		t.Fatalf("groups %+v: %v", groups, err)
	}
	var paths []string
	for _, f := range groups[0].Files {
		paths = append(paths, f.AbsPath())
		if f.JobID != 2 {
			t.Errorf("group member from job %d", f.JobID)
		}
	}
	sort.Strings(paths)
	if want := filepath.FromSlash("/photos/a.jpg") + " " + filepath.FromSlash("/photos/b/a copy.jpg"); strings.Join(paths, " ") != want {
		t.Errorf("group %q, want %q", paths, want)
	}
	for _, rel := range []string{"a.jpg", "b/a copy.jpg", "twin.jpg", "own.jpg"} {
		abs := filepath.Join("/photos", filepath.FromSlash(rel))
		r, ok, err := db.Previous(abs)
		if err != nil || !ok || r.JobID != 2 || r.AbsPath() != abs {
			t.Errorf("Previous(%s): %v %v %+v", abs, ok, err, r)
		}
	}
	if _, ok, _ := db.Previous("/photos/elsewhere.jpg"); ok {
		t.Error("Previous found a file never stored")
	}
}

func checkHealthy(t *testing.T, path string) {
	t.Helper()
	rep, err := Check(path, 0)
	if err != nil || !rep.Healthy() || rep.Files != 8 {
		t.Fatalf("check: %v %+v", err, rep)
	}
}

// A library whose indexes are in the layout of schema 3 reads the same
// before and after its conversion, which goes in batches, starts again from
// scratch after being cut short, and leaves only the compact buckets.
func TestMigrateCompactIndexes(t *testing.T) {
	db, path := openTemp(t)
	compactFixture(t, db, true)
	duplicatesAndPrevious(t, db)
	// A conversion cut short left partial new buckets, one entry wrong.
	err := db.h.bolt.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketSHAPrefix)
		if err != nil {
			return err
		}
		return b.Put([]byte("12345678\x09\x00stale.jpg"), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatalf("read-only open of a schema 3 library: %v", err)
	}
	duplicatesAndPrevious(t, ro)
	ro.Close()
	checkHealthy(t, path)

	// Converted 3 entries a transaction, from a bbolt handle: Open would
	// convert it at once.
	b, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	mdb := &DB{path: path}
	mdb.h.bolt = b
	if err := migrateCompactIndexes(mdb, 3); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := migrateCompactIndexes(db, 3); err != nil { // converted: changes nothing
		t.Fatal(err)
	}
	err = db.view(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSHA, bucketPaths} {
			if tx.Bucket(name) != nil {
				t.Errorf("the old %s bucket is still there", name)
			}
		}
		if n := tx.Bucket(bucketSHAPrefix).Stats().KeyN; n != 8 {
			t.Errorf("%d SHA-256 index entries, want 8", n)
		}
		if n := tx.Bucket(bucketPathHash).Stats().KeyN; n != 4 {
			t.Errorf("%d path index entries, want 4", n)
		}
		if v := be.Uint64(tx.Bucket(bucketMeta).Get(keySchema)); v != SchemaVersion {
			t.Errorf("schema %d", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	duplicatesAndPrevious(t, db)
	db.Close()
	checkHealthy(t, path)
}

// A new library writes the compact layout, which reads as the plain one.
func TestCompactIndexesRead(t *testing.T) {
	db, path := openTemp(t)
	compactFixture(t, db, false)
	duplicatesAndPrevious(t, db)
	db.Close()
	checkHealthy(t, path)
}

// A path the file key cannot be cut from keeps its relative path in the
// path index entry, and both kinds read back.
func TestPathValue(t *testing.T) {
	for _, c := range []struct{ abs, rel string }{
		{"/photos/2019/a.jpg", "2019/a.jpg"},
		{"/photos/a.jpg", "./a.jpg"},
	} {
		v, _ := pathValue(c.abs, 300, 2, c.rel)
		e, err := parsePathValue(c.abs, v)
		if err != nil || e.job != 300 || e.root != 2 || e.rel != c.rel {
			t.Errorf("%q: %+v %v", c.abs, e, err)
		}
	}
}
