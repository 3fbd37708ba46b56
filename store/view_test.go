package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"shoebox/media"
)

// scanOver stores a scan of /photos0 as the engine does (app/scan.go): the
// listed records, reused ones copied from the latest analysis, planned
// against a base and stored; the job ends completed.
func scanOver(t *testing.T, db *DB, recs []FileRecord) *Job {
	t.Helper()
	j := &Job{Kind: KindScan, Roots: []string{"/photos0"}, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	// Listed as a walk lists them; the analysis comes in as a rescan's
	// reuse fills it in.
	listed := make([]Listed, len(recs))
	analysed := map[string]FileRecord{}
	for i, r := range recs {
		listed[i] = Listed{Root: uint16(r.RootIndex), RelPath: r.RelPath, Size: r.Size, MtimeNS: r.MtimeNS}
		r.JobID, r.Root = j.ID, j.Roots[0]
		analysed[r.RelPath] = r
	}
	plan, err := db.PlanListing(j, listed, Reuse{Fill: func(r *FileRecord) ([]byte, error) {
		*r = analysed[r.RelPath]
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddListing(j, plan); err != nil {
		t.Fatal(err)
	}
	j.Listed, j.Status = true, StateCompleted
	err = plan.Chunks(1000, func(recs []FileRecord) error {
		_, err := db.AddFiles(j, recs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The engine writes the job's end on its own (an unchanged rescan
	// adds no file that would carry it).
	if err := db.PutJob(j); err != nil {
		t.Fatal(err)
	}
	return j
}

// doneRec is a done record of /photos0 with a SHA-256 of seed, as a scan
// stores it.
func doneRec(rel, seed string) FileRecord {
	sum := sha256.Sum256([]byte(seed))
	r := rec(0, 0, rel, media.StatusDone, hex.EncodeToString(sum[:]))
	r.Size, r.MtimeNS, r.MIME = 1000, 1700000000000000000, "image/jpeg"
	r.HasPHash, r.PHash, r.Width, r.Height = true, uint64(len(seed))*0x9e3779b97f4a7c15, 320, 240
	r.Note = "evidence for " + rel
	r.Analysis = media.AnalysisVersion
	return r
}

// reusedFrom is what a rescan lists for an unchanged file: the latest
// analysis of its path (Previous), under the new job, reused.
func reusedFrom(t *testing.T, db *DB, rel string) FileRecord {
	t.Helper()
	prev, ok, err := db.Previous("/photos0/" + rel)
	if err != nil || !ok {
		t.Fatalf("no previous analysis of %s: %v", rel, err)
	}
	prev.Reused = true
	return prev
}

func highWater(t *testing.T, path string) int64 {
	m := headerOf(t, path)
	return int64(m.pgid) * int64(m.pageSize)
}

// folderFile is the path of file i of the folder the rescan tests scan.
func folderFile(i int) string { return fmt.Sprintf("%03d/IMG_%05d.jpg", i/100, i) }

// scanFolder opens the library at path and stores a first scan of the
// folder's n files in it.
func scanFolder(t *testing.T, path string, n int) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	first := make([]FileRecord, n)
	for i := range n {
		first[i] = doneRec(folderFile(i), fmt.Sprint(i))
	}
	scanOver(t, db, first)
	return db
}

// rescanFolder opens the library at path, stores an unchanged rescan of
// the folder's n files (each analysis reused) and closes it.
func rescanFolder(t *testing.T, path string, n int) *Job {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	again := make([]FileRecord, n)
	for i := range n {
		again[i] = reusedFrom(t, db, folderFile(i))
	}
	j := scanOver(t, db, again)
	c, err := db.CountFiles(j.ID)
	if err != nil || c.Total != n || c.Done != n || c.Reused != n {
		t.Fatalf("counts of the rescan: %+v, %v", c, err)
	}
	return j
}

// An unchanged rescan stores its job and nothing per file: the library
// grows by less than 1%, and the rescan still lists every file, reused.
func TestUnchangedRescanDoesNotGrowTheLibrary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	const n = 3000
	scanFolder(t, path, n).Close()
	before := highWater(t, path)
	for range 3 {
		if j := rescanFolder(t, path, n); j.Base != 1 {
			t.Errorf("the rescan is not stored over the first scan: base %d", j.Base)
		}
	}
	if after := highWater(t, path); float64(after) > 1.01*float64(before) {
		t.Errorf("three unchanged rescans grew the library from %d to %d bytes", before, after)
	}
}

// The file itself, not only its used pages, grows by less than 1% at an
// unchanged rescan right after a compaction, which leaves no free page: the
// rescan's few new pages come with a growth step that is a share of the
// file (growthStep). A fixed 1 MiB step grew a 54 MB library by 2%.
func TestUnchangedRescanAfterCompactionGrowsTheFileLittle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	const n = 20000
	db := scanFolder(t, path, n)
	if res, err := db.CompactIfSlack(anyCompact); err != nil || !res.Compacted {
		t.Fatalf("compact: %+v, %v", res, err)
	}
	db.Close()
	compacted := fileSize(t, path)
	if compacted < 10*maxGrowthStep/2 || compacted > 100*maxGrowthStep {
		t.Fatalf("the compacted library takes %d bytes: too small or too large for the 1%% a growth step is measured against", compacted)
	}
	for round := range 2 {
		rescanFolder(t, path, n)
		if after := fileSize(t, path); float64(after) > 1.01*float64(compacted) {
			t.Errorf("unchanged rescan %d after a compaction grew the library file from %d to %d bytes", round+1, compacted, after)
		}
	}
}

// Every job keeps showing what it saw: a rescan that found a file changed,
// one gone and one new leaves the first job's view as it was, and its own
// view holds the unchanged file as its own (reused), through every reader.
func TestHistoryStaysTrueAfterARescanChangedFiles(t *testing.T) {
	db, path := openTemp(t)
	// Beside a, b and c, enough unchanged files that the rescan is stored
	// over the first scan (a quarter of its files may differ).
	var more []string
	for i := range 12 {
		more = append(more, fmt.Sprintf("z%02d.jpg", i))
	}
	first := []FileRecord{doneRec("a.jpg", "a"), doneRec("b.jpg", "b"), doneRec("c.jpg", "c"),
		doneRec("e.jpg", "e"), doneRec("f.jpg", "f")}
	for _, rel := range more {
		first = append(first, doneRec(rel, rel))
	}
	j1 := scanOver(t, db, first)
	newer := doneRec("b.jpg", "b2")
	second := []FileRecord{reusedFrom(t, db, "a.jpg"), newer, doneRec("d.jpg", "a"),
		reusedFrom(t, db, "e.jpg"), reusedFrom(t, db, "f.jpg")}
	for _, rel := range more {
		second = append(second, reusedFrom(t, db, rel))
	}
	j2 := scanOver(t, db, second)
	if j2.Base != j1.ID {
		t.Fatalf("base %d", j2.Base)
	}
	names := func(id uint64) string {
		recs, err := db.Files(id)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, r := range recs[:5] { // a to f; the z files follow
			if r.JobID != id {
				t.Errorf("job %d shows a record of job %d", id, r.JobID)
			}
			s = append(s, fmt.Sprintf("%s:%s:%t", r.RelPath, r.SHA256[:4], r.Reused))
		}
		return strings.Join(s, " ")
	}
	sha := func(seed string) string { s := sha256.Sum256([]byte(seed)); return hex.EncodeToString(s[:2]) }
	if got, want := names(j1.ID), fmt.Sprintf("a.jpg:%s:false b.jpg:%s:false c.jpg:%s:false e.jpg:%s:false f.jpg:%s:false",
		sha("a"), sha("b"), sha("c"), sha("e"), sha("f")); got != want {
		t.Errorf("the first job now shows\n%s\nwant\n%s", got, want)
	}
	if got, want := names(j2.ID), fmt.Sprintf("a.jpg:%s:true b.jpg:%s:false d.jpg:%s:false e.jpg:%s:true f.jpg:%s:true",
		sha("a"), sha("b2"), sha("a"), sha("e"), sha("f")); got != want {
		t.Errorf("the rescan shows\n%s\nwant\n%s", got, want)
	}
	if c, _ := db.CountFiles(j2.ID); c.Total != 17 || c.Reused != 15 {
		t.Errorf("counts %+v", c)
	}
	if r, err := db.FileByKey(fileKey(j2.ID, 0, "a.jpg")); err != nil || r.JobID != j2.ID || !r.Reused {
		t.Errorf("FileByKey of an inherited file: %+v, %v", r, err)
	}
	if _, err := db.FileByKey(fileKey(j2.ID, 0, "c.jpg")); !errors.Is(err, ErrNotFound) {
		t.Errorf("FileByKey of a file gone in the rescan: %v", err)
	}
	if ph, _ := db.PerceptualHashes(j2.ID); len(ph) != 17 || string(ph[0].Key) != string(fileKey(j2.ID, 0, "a.jpg")) {
		t.Errorf("perceptual hashes of the rescan: %d", len(ph))
	}
	groups, err := db.ExactDuplicates(j2.ID)
	if err != nil || len(groups) != 1 || len(groups[0].Files) != 2 {
		t.Fatalf("exact groups %+v, %v", groups, err)
	}
	for _, f := range groups[0].Files {
		if f.JobID != j2.ID {
			t.Errorf("the rescan's group shows %s of job %d", f.RelPath, f.JobID)
		}
	}
	if pend, _, _ := db.PendingAfter(j2.ID, nil, 10); len(pend) != 0 {
		t.Errorf("pending %+v", pend)
	}
	latest, _ := db.LatestFiles()
	if len(latest) != 18 {
		t.Errorf("latest files: %d, want a, b (newer), c, d, e, f", len(latest))
	}
	if rep, err := Check(path, 0); err == nil && !rep.Healthy() {
		t.Errorf("check: %v", rep.Problems)
	}

	// Recovered, the rescan still shows the same files.
	db.Close()
	out := filepath.Join(t.TempDir(), "new.db")
	rep, err := Recover(path, out)
	if err != nil || len(rep.MissingByJob) != 0 {
		t.Fatalf("recover: %+v, %v", rep, err)
	}
	nd, err := Open(out, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer nd.Close()
	got, _ := nd.Files(j2.ID)
	if len(got) != 17 || got[0].RelPath != "a.jpg" || !got[0].Reused || got[2].RelPath != "d.jpg" {
		t.Errorf("recovered rescan: %+v", got)
	}
	if j, _ := nd.Job(j2.ID); j.ProgressTotal != 17 || j.ReusedCount != 15 {
		t.Errorf("recovered job counts: %+v", j)
	}
}

// A library written before jobs had bases (schema 1: every rescan copied
// every record, and no free list was written) opens read-only unchanged,
// and its first read-write open migrates it: its jobs read as before, and
// a rescan is then stored over its last full scan.
func TestSchemaOneLibraryIsMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	b, err := bolt.Open(path, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range requiredBucketsOf(plainLayout) {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketMeta).Put(keySchema, u64(1)); err != nil {
			return err
		}
		for id := uint64(1); id <= 2; id++ {
			j := &Job{ID: id, Roots: []string{"/photos0"}, Status: StateCompleted, Listed: true, ProgressTotal: 2, ProgressCurrent: 2}
			for _, rel := range []string{"a.jpg", "b.jpg"} {
				r := doneRec(rel, rel)
				r.JobID, r.Reused = id, id == 2
				if err := putFile(tx, r.Key(), &r); err != nil {
					return err
				}
			}
			if err := putJob(tx, j); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketJobs).SetSequence(2)
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	schema := func() uint64 {
		var v uint64
		b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		b.View(func(tx *bolt.Tx) error { v = be.Uint64(tx.Bucket(bucketMeta).Get(keySchema)); return nil })
		return v
	}

	ro, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatalf("read-only open of a schema 1 library: %v", err)
	}
	if recs, err := ro.Files(2); err != nil || len(recs) != 2 || !recs[0].Reused {
		t.Fatalf("files of an old rescan: %+v, %v", recs, err)
	}
	ro.Close()
	if v := schema(); v != 1 {
		t.Fatalf("a read-only open wrote schema %d", v)
	}

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("read-write open of a schema 1 library: %v", err)
	}
	for id := uint64(1); id <= 2; id++ {
		if recs, err := db.Files(id); err != nil || len(recs) != 2 {
			t.Fatalf("job %d after migration: %+v, %v", id, recs, err)
		}
	}
	j := scanOver(t, db, []FileRecord{reusedFrom(t, db, "a.jpg"), reusedFrom(t, db, "b.jpg")})
	if j.Base == 0 {
		t.Error("a rescan of a migrated library is stored whole")
	}
	if recs, _ := db.Files(j.ID); len(recs) != 2 || !slices.ContainsFunc(recs, func(r FileRecord) bool { return r.RelPath == "b.jpg" }) {
		t.Errorf("the rescan of a migrated library: %+v", recs)
	}
	db.Close()
	if v := schema(); v != SchemaVersion {
		t.Errorf("schema after a read-write open: %d", v)
	}
	if rep, err := Check(path, 0); err != nil || !rep.Healthy() {
		t.Errorf("check of a migrated library: %+v, %v", rep, err)
	}
}

// Records written in order fill their pages: the files bucket of a scan
// takes little more room than its records.
func TestScanRecordsFillTheirPages(t *testing.T) {
	db, _ := openTemp(t)
	var recs []FileRecord
	for i := range 3000 {
		recs = append(recs, doneRec(fmt.Sprintf("%03d/IMG_%05d.jpg", i/100, i), fmt.Sprint(i)))
	}
	for start := 0; start < len(recs); start += 100 { // in batches, as the engine commits
		j := &Job{ID: 1}
		for i := range recs[start : start+100] {
			recs[start+i].JobID = 1
		}
		if err := db.CommitBatch(j, recs[start:start+100]); err != nil {
			t.Fatal(err)
		}
	}
	db.view(func(tx *bolt.Tx) error {
		st := tx.Bucket(bucketFiles).Stats()
		if fill := float64(st.LeafInuse) / float64(st.LeafAlloc); fill < 0.8 {
			t.Errorf("the files bucket's pages are %.0f%% full", 100*fill)
		}
		return nil
	})
}
