package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// stampFixture is a library holding one completed scan of /photos0 stored
// by scanOver: n done files, plus "failed.jpg", which failed.
func stampFixture(t *testing.T, n int) (*DB, string, []FileRecord) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lib.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var first []FileRecord
	for i := range n {
		first = append(first, doneRec(fmt.Sprintf("%02d/IMG_%04d.jpg", i/50, i), fmt.Sprint(i)))
	}
	failed := rec(0, 0, "failed.jpg", media.StatusError, "")
	failed.Size, failed.MtimeNS, failed.Error = 5, 1700000000000000000, "cannot read it"
	first = append(first, failed)
	scanOver(t, db, first)
	return db, path, first
}

// listedAs is how a walk lists the files of recs now.
func listedAs(recs []FileRecord) []Listed {
	listed := make([]Listed, len(recs))
	for i, r := range recs {
		listed[i] = Listed{Root: uint16(r.RootIndex), RelPath: r.RelPath, Size: r.Size, MtimeNS: r.MtimeNS}
	}
	return listed
}

// planRescan plans a rescan of listed over the fixture's scan, and returns
// the plan and the paths Fill was called for.
func planRescan(t *testing.T, db *DB, listed []Listed, keeps func(PathStamp) bool) (*Listing, []string) {
	t.Helper()
	j := &Job{Kind: KindScan, Roots: []string{"/photos0"}, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	var filled []string
	plan, err := db.PlanListing(j, listed, Reuse{
		Fill: func(r *FileRecord) ([]byte, error) {
			filled = append(filled, r.RelPath)
			return nil, nil
		},
		Keeps: keeps,
	})
	if err != nil {
		t.Fatal(err)
	}
	return plan, filled
}

// A rescan over a base reads no record of a file the path index shows
// unchanged: Fill is called only for files changed, new, failed before, or
// whose stamp Keeps refuses; the plan stores exactly those.
func TestRescanKeepsUnchangedFilesByTheirStamps(t *testing.T) {
	db, _, first := stampFixture(t, 120)
	defer db.Close()
	// Failed when analysed again (retry): its path entry, made when it was
	// done, still names it.
	j1, err := db.Job(1)
	if err != nil {
		t.Fatal(err)
	}
	retried := first[13]
	retried.JobID, retried.Root, retried.Status, retried.Error = 1, "/photos0", media.StatusError, "cannot read it now"
	if err := db.CommitBatch(&j1, []FileRecord{retried}); err != nil {
		t.Fatal(err)
	}
	listed := listedAs(first)
	listed[5].MtimeNS++                    // touched
	listed[7].Size++                       // rewritten
	listed[9].Inode = 42                   // replaced by another file with the same size and time
	listed = slices.Delete(listed, 11, 12) // gone
	listed = append(listed, Listed{RelPath: "new.jpg", Size: 3, MtimeNS: 1})
	var asked []PathStamp
	plan, filled := planRescan(t, db, listed, func(s PathStamp) bool {
		asked = append(asked, s)
		return true
	})
	want := []string{first[5].RelPath, first[7].RelPath, first[9].RelPath, first[13].RelPath, "failed.jpg", "new.jpg"}
	slices.Sort(want)
	if slices.Sort(filled); !slices.Equal(filled, want) {
		t.Errorf("Fill was called for %q, want %q", filled, want)
	}
	if len(asked) != 120-5 {
		t.Errorf("Keeps was asked %d times, want %d (the unchanged files)", len(asked), 120-5)
	}
	for _, s := range asked {
		if s != (PathStamp{Analysis: media.AnalysisVersion, Hashed: true}) {
			t.Fatalf("stamp %+v, want that of a hashed JPEG of this version", s)
		}
	}
	if plan.Base == 0 || plan.Count() != len(want) || plan.Gone != 1 {
		t.Errorf("plan: base %d, %d to store, %d gone; want %d and 1", plan.Base, plan.Count(), plan.Gone, len(want))
	}

	// Refused by Keeps (an older analysis, a rule of the engine's): every
	// file is filled in and compared with its record, as before stamps.
	plan, filled = planRescan(t, db, listedAs(first), func(PathStamp) bool { return false })
	if len(filled) != len(first) {
		t.Errorf("Keeps refused every stamp, yet Fill was called %d times for %d files", len(filled), len(first))
	}
	if plan.Count() != len(first) { // this Fill reuses nothing
		t.Errorf("%d to store, want %d", plan.Count(), len(first))
	}
}

// Two paths whose hashes meet share an entry; the stamp names the path it
// was made for, so the other path is never taken for unchanged.
func TestPathStampOfAnotherPathIsNotTaken(t *testing.T) {
	db, _, first := stampFixture(t, 4)
	defer db.Close()
	a, b := first[0].AbsPath(), first[1].AbsPath()
	l := compactLayout
	err := db.update(func(tx *bolt.Tx) error {
		paths := tx.Bucket(l.paths)
		// b's entry now holds a's: its job and root, the same start, a's stamp.
		return paths.Put(l.pathKey(b), bytesOf(paths.Get(l.pathKey(a))))
	})
	if err != nil {
		t.Fatal(err)
	}
	_, filled := planRescan(t, db, listedAs(first[:2]), func(PathStamp) bool { return true })
	if !slices.Equal(filled, []string{first[1].RelPath}) {
		t.Errorf("Fill was called for %q, want only %q, whose entry holds another path's stamp", filled, first[1].RelPath)
	}
}

func bytesOf(v []byte) []byte { return append([]byte(nil), v...) }

// unstamp makes the library at path as schema 5 left it: path entries
// without stamps.
func unstamp(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		paths := tx.Bucket(bucketPathHash)
		var ks, vs [][]byte
		paths.ForEach(func(k, v []byte) error {
			if len(v) > pathStampLen {
				ks, vs = append(ks, bytesOf(k)), append(vs, bytesOf(v[:len(v)-pathStampLen]))
			}
			return nil
		})
		for i := range ks {
			if err := paths.Put(ks[i], vs[i]); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, u64(5))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stampsOf counts the path entries with and without a stamp.
func stampsOf(t *testing.T, db *DB) (stamped, bare int) {
	t.Helper()
	db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPathHash).ForEach(func(_, v []byte) error {
			if e, err := parsePathValue("", v); err == nil && e.stamp != nil {
				stamped++
			} else {
				bare++
			}
			return nil
		})
	})
	return stamped, bare
}

// A schema 5 library's path entries are stamped at its first read-write
// open, in batches that may be cut short and run again; a read-only open
// reads it as it is; check finds every stamp in step, and a stamp that is
// not.
func TestPathStampsAreMigrated(t *testing.T) {
	db, path, first := stampFixture(t, 30)
	if s, bare := stampsOf(t, db); s != 30 || bare != 0 {
		t.Fatalf("a new library: %d stamped, %d bare path entries; want 30 and 0", s, bare)
	}
	db.Close()
	unstamp(t, path)

	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	if s, bare := stampsOf(t, ro); s != 0 || bare != 30 {
		t.Fatalf("unstamped: %d stamped, %d bare", s, bare)
	}
	if _, ok, err := ro.Previous(first[3].AbsPath()); !ok || err != nil {
		t.Errorf("an unstamped entry does not read: %v", err)
	}
	ro.Close()

	// Cut short after one batch of 7 records: the next run finishes it.
	b, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	partial := &DB{path: path}
	partial.h.bolt = b
	if err := migratePathStamps(partial, 7); err != nil {
		t.Fatal(err)
	}
	b.Close()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, bare := stampsOf(t, db); s != 30 || bare != 0 {
		t.Errorf("migrated: %d stamped, %d bare path entries; want 30 and 0", s, bare)
	}
	var schema uint64
	db.view(func(tx *bolt.Tx) error { schema = be.Uint64(tx.Bucket(bucketMeta).Get(keySchema)); return nil })
	if schema != SchemaVersion {
		t.Errorf("schema %d after migration", schema)
	}
	_, filled := planRescan(t, db, listedAs(first), func(PathStamp) bool { return true })
	if !slices.Equal(filled, []string{"failed.jpg"}) {
		t.Errorf("after migration a rescan filled in %q, want only the failed file", filled)
	}
	db.Close()
	if rep, err := Check(path, 0); err != nil || !rep.Healthy() {
		t.Fatalf("check of a migrated library: %+v, %v", rep, err)
	}

	// A stamp out of step with its record is named.
	b, err = bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		paths := tx.Bucket(bucketPathHash)
		k := compactLayout.pathKey(first[2].AbsPath())
		v := bytesOf(paths.Get(k))
		v[len(v)-1] ^= stampHashed
		return paths.Put(k, v)
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := Check(path, 0); err != nil || rep.Healthy() {
		t.Errorf("check missed a stamp out of step: %+v, %v", rep, err)
	}
}
