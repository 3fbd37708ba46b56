//go:build linux

package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// rssFile is the process's resident file-backed memory (RssFile, /proc/self/status), in bytes.
func rssFile(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("RssFile %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Skip("this kernel does not report RssFile")
	return 0
}

// mappedLibrary is a closed library of n analysed files (scaleRecords) and
// the records it holds, in the order a walk meets them. 20,000 files take a
// minute and a half to store under the race detector: the tests below
// share one (TestMappedPagesAreGivenBack), each on a copy of its own.
func mappedLibrary(t *testing.T, n int) (string, uint64, []FileRecord) {
	t.Helper()
	db, path := openTemp(t)
	j, done := scanScale(t, db, "/home/someone/Pictures/scale", n, 2000)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path, j.ID, done
}

// copyOfLibrary copies the library at path into the test's own folder, a
// page at a time as bbolt writes it. Written whole, the copy sat in the
// page cache in large folios (ext4, Linux 6.18), which a fault maps whole:
// the walks then kept most of it resident however often they dropped,
// unlike the library bbolt wrote.
func copyOfLibrary(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 4096 {
		if _, err := f.Write(data[off:min(off+4096, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

// The long reads give back the library pages they pass. One library of
// 20,000 files is stored for the three; each reads a copy.
func TestMappedPagesAreGivenBack(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a library of 20,000 files")
	}
	path, jobID, want := mappedLibrary(t, 20000)
	t.Run("by the long walks", func(t *testing.T) { longWalkGivesBackPages(t, copyOfLibrary(t, path), jobID, want) })
	t.Run("by an unchanged rescan's plan", func(t *testing.T) { rescanPlanGivesBackPages(t, copyOfLibrary(t, path), jobID, want) })
	t.Run("by reading kept groups", func(t *testing.T) { keptGroupsGiveBackPages(t, copyOfLibrary(t, path), want) })
	t.Run("by a compaction", func(t *testing.T) { compactionGivesBackPages(t, path, jobID, want) })
}

// openDropping opens the library to read, dropping the mapped pages every
// dropEvery bytes read.
func openDropping(t *testing.T, path string, dropEvery int64) *DB {
	t.Helper()
	db, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	db.dropAfter = dropEvery
	return db
}

// walkPeak walks the job's files (EachFile) and its look-alike entries
// (EachNearEntry) on a library opened afresh, checking every record and
// entry against what was stored, and returns by how much the resident
// file-backed memory rose at most during the walks.
func walkPeak(t *testing.T, path string, jobID uint64, want []FileRecord, dropEvery int64) int64 {
	t.Helper()
	db := openDropping(t, path, dropEvery)
	defer db.Close()
	start := rssFile(t)
	peak := start
	sample := func(i int) {
		if i%500 == 0 {
			peak = max(peak, rssFile(t))
		}
	}
	i := 0
	err := db.EachFile(jobID, func(r FileRecord) error {
		if i >= len(want) || r.RelPath != want[i].RelPath || r.SHA256 != want[i].SHA256 || r.Size != want[i].Size ||
			r.Time.Value != want[i].Time.Value || len(r.Time.Candidates) != 2 {
			t.Fatalf("record %d read as %q %s %d, stored as %q %s %d", i, r.RelPath, r.SHA256, r.Size,
				want[i].RelPath, want[i].SHA256, want[i].Size)
		}
		sample(i)
		i++
		return nil
	})
	if err != nil || i != len(want) {
		t.Fatalf("EachFile read %d of %d records: %v", i, len(want), err)
	}
	i = 0
	err = db.EachNearEntry(jobID, func(e NearEntry) {
		if i >= len(want) || e.RelPath() != want[i].RelPath || e.PHash != want[i].PHash || e.DHash != want[i].DHash {
			t.Fatalf("entry %d read as %q %x, stored as %q %x", i, e.RelPath(), e.PHash, want[i].RelPath, want[i].PHash)
		}
		sample(i)
		i++
	})
	if err != nil || i != len(want) {
		t.Fatalf("EachNearEntry read %d of %d entries (every record's CRC checked): %v", i, len(want), err)
	}
	return peak - start
}

// A long walk gives back the library pages it has passed: the resident
// part of the map stays a fraction of the file, where without the drops it
// grows to most of it; and every record read after pages were dropped (and
// faulted back) is the record stored, in both walks, twice.
func longWalkGivesBackPages(t *testing.T, path string, jobID uint64, want []FileRecord) {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	size := fi.Size()
	kept := walkPeak(t, path, jobID, want, 1<<62) // never drops: what the walks touch
	if kept < size/4 {
		t.Skipf("the walks kept only %d KB of a %d KB library resident without drops: this system does not count mapped pages as expected", kept>>10, size>>10)
	}
	for range 2 {
		dropped := walkPeak(t, path, jobID, want, 128<<10)
		t.Logf("library %d KB; resident map during the walks: %d KB without drops, %d KB dropping every 128 KB read",
			size>>10, kept>>10, dropped>>10)
		if dropped > kept/3 {
			t.Errorf("dropping every 128 KB read, the walks kept %d KB resident, want at most a third of the %d KB kept without drops", dropped>>10, kept>>10)
		}
	}
}

// planPeak plans an unchanged rescan of the job's files over it (the path
// stamps show every file unchanged) on the library opened afresh, and
// returns by how much the resident file-backed memory rose during the plan
// and the count of the job's files.
func planPeak(t *testing.T, path string, jobID uint64, want []FileRecord, dropEvery int64) int64 {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.dropAfter = dropEvery
	base, err := db.Job(jobID)
	if err != nil {
		t.Fatal(err)
	}
	if base.Status != StateCompleted {
		base.Status, base.Listed = StateCompleted, true
		if err := db.PutJob(&base); err != nil {
			t.Fatal(err)
		}
	}
	listed := make([]Listed, len(want))
	for i, r := range want {
		listed[i] = Listed{RelPath: r.RelPath, Size: r.Size, MtimeNS: r.MtimeNS, CtimeNS: r.CtimeNS, Inode: r.Inode}
	}
	j := &Job{Roots: base.Roots, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	start := rssFile(t)
	filled := 0
	plan, err := db.PlanListing(j, listed, Reuse{
		Fill:  func(*FileRecord) ([]byte, error) { filled++; return nil, nil },
		Keeps: func(PathStamp) bool { return true },
	})
	if err != nil || plan.Base != jobID || plan.Count() != 0 || plan.Gone != 0 || filled != 0 {
		t.Fatalf("plan over job %d: %+v (%d filled), %v; want every file unchanged", jobID, plan, filled, err)
	}
	peak := rssFile(t)
	if c, err := db.CountFiles(jobID); err != nil || c.Total != len(want) {
		t.Fatalf("counts %+v, %v", c, err)
	}
	return max(peak, rssFile(t)) - start
}

// An unchanged rescan's plan and its count give back the pages they pass,
// as the other long walks do.
func rescanPlanGivesBackPages(t *testing.T, path string, jobID uint64, want []FileRecord) {
	kept := planPeak(t, path, jobID, want, 1<<62)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if kept < fi.Size()/4 {
		t.Skipf("the plan kept only %d KB of a %d KB library resident without drops", kept>>10, fi.Size()>>10)
	}
	dropped := planPeak(t, path, jobID, want, 128<<10)
	t.Logf("library %d KB; resident map after the plan and count: %d KB without drops, %d KB with", fi.Size()>>10, kept>>10, dropped>>10)
	if dropped > kept/3 {
		t.Errorf("dropping every 128 KB read, the plan kept %d KB resident, want at most a third of the %d KB kept without drops", dropped>>10, kept>>10)
	}
}

// keptPeak reads a set of kept groups on the library opened afresh and
// returns by how much the resident file-backed memory rose while reading.
func keptPeak(t *testing.T, path string, name []byte, files int, dropEvery int64) int64 {
	t.Helper()
	db := openDropping(t, path, dropEvery)
	defer db.Close()
	start := rssFile(t)
	groups, ok, err := db.SavedDupGroups(name)
	peak := rssFile(t)
	n := 0
	for _, g := range groups {
		n += len(g.Files)
	}
	if err != nil || !ok || n != files {
		t.Fatalf("the kept groups read back with %d of %d files (ok %v): %v", n, files, ok, err)
	}
	return peak - start
}

// Reading kept groups gives back the pages it passes, as the long walks
// do: their files lie all over a large library.
func keptGroupsGiveBackPages(t *testing.T, path string, want []FileRecord) {
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen, err := db.ReadID()
	if err != nil {
		t.Fatal(err)
	}
	var groups []DupGroup
	for i := 0; i+1 < len(want); i += 2 {
		groups = append(groups, DupGroup{SHA256: want[i].SHA256, Files: []FileRecord{want[i], want[i+1]}})
	}
	name := []byte("every file, in pairs")
	if ok, err := db.SaveDupGroups(seen, FoundGroups{Name: name, Groups: groups}); !ok || err != nil {
		t.Fatalf("saving the groups: %v, %v", ok, err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	kept := keptPeak(t, path, name, 2*len(groups), 1<<62)
	if kept < fi.Size()/4 {
		t.Skipf("reading the groups kept only %d KB of a %d KB library resident without drops", kept>>10, fi.Size()>>10)
	}
	dropped := keptPeak(t, path, name, 2*len(groups), 128<<10)
	t.Logf("library %d KB; resident map after reading the kept groups: %d KB without drops, %d KB with", fi.Size()>>10, kept>>10, dropped>>10)
	if dropped > kept/3 {
		t.Errorf("dropping every 128 KB read, reading the kept groups kept %d KB resident, want at most a third of the %d KB kept without drops", dropped>>10, kept>>10)
	}
}

// compactPeak compacts a copy of the library at path, dropping the mapped
// pages every dropEvery bytes read, and returns by how much the resident
// file-backed memory rose at most, sampled at each step of the compaction
// (a page read through the map stays resident until it is dropped), and
// the compacted copy's path.
func compactPeak(t *testing.T, path string, dropEvery int64) (int64, string) {
	t.Helper()
	lib := copyOfLibrary(t, path)
	db, err := Open(lib, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.dropAfter = dropEvery
	start := rssFile(t)
	peak := start
	opt := anyCompact
	opt.Step = func(string) { peak = max(peak, rssFile(t)) }
	if res, err := db.CompactIfSlack(opt); err != nil || !res.Compacted {
		t.Fatalf("compaction: %+v, %v", res, err)
	}
	return peak - start, lib
}

// A compaction reads the whole library through its map three times (to
// copy it, to find its nested buckets, to compare the copy) and measures
// it before: it gives back the pages as the long walks do, and the copy
// holds every record.
func compactionGivesBackPages(t *testing.T, path string, jobID uint64, want []FileRecord) {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := compactPeak(t, path, 1<<62)
	if kept < fi.Size()/4 {
		t.Skipf("the compaction kept only %d KB of a %d KB library resident without drops", kept>>10, fi.Size()>>10)
	}
	dropped, lib := compactPeak(t, path, 128<<10)
	t.Logf("library %d KB; resident map during the compaction: %d KB without drops, %d KB with", fi.Size()>>10, kept>>10, dropped>>10)
	if dropped > kept/3 {
		t.Errorf("dropping every 128 KB read, the compaction kept %d KB resident, want at most a third of the %d KB kept without drops", dropped>>10, kept>>10)
	}
	walkPeak(t, lib, jobID, want, 1<<62) // every record, as stored
}

// scanPeak stores a scan of n files as the engine does, dropping the
// mapped pages every dropEvery bytes, and returns how much the resident
// file-backed memory rose by its end, and the library's size.
func scanPeak(t *testing.T, n int, dropEvery int64) (int64, int64) {
	t.Helper()
	db, path := openTemp(t)
	defer db.Close()
	db.dropAfter = dropEvery
	start := rssFile(t)
	scanScale(t, db, "/home/someone/Pictures/scan", n, 50)
	rose := rssFile(t) - start
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return rose, fi.Size()
}

// A scan's batches rewrite pending records all over the file: they give
// back the pages bbolt read to find them, as the long walks do.
func TestScanBatchesGiveBackMappedPages(t *testing.T) {
	if testing.Short() {
		t.Skip("stores a scan of 6,000 files twice")
	}
	const n = 6000
	kept, size := scanPeak(t, n, 1<<62)
	if kept < size/4 {
		t.Skipf("the scan left only %d KB of a %d KB library resident without drops", kept>>10, size>>10)
	}
	dropped, _ := scanPeak(t, n, 128<<10)
	t.Logf("library %d KB; resident map after the scan: %d KB without drops, %d KB dropping every 32 records", size>>10, kept>>10, dropped>>10)
	if dropped > kept/3 {
		t.Errorf("dropping every 32 records, the scan left %d KB resident, want at most a third of the %d KB without drops", dropped>>10, kept>>10)
	}
}
