package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"shoebox/internal/testdamage"
	"shoebox/media"
)

// buildLibrary writes a library of 3 jobs with 150 done files each, large
// enough to span many pages, and returns its path.
func buildLibrary(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lib.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for jn := range 3 {
		j := &Job{Roots: []string{"/photos"}, Status: StateCompleted, Listed: true}
		if err := db.CreateJob(j); err != nil {
			t.Fatal(err)
		}
		var recs []FileRecord
		for i := range 150 {
			sum := sha256.Sum256(fmt.Appendf(nil, "%d/%d", jn, i))
			r := rec(j.ID, 0, fmt.Sprintf("folder-%d/IMG_%04d.jpg", i%7, i), media.StatusDone, hex.EncodeToString(sum[:]))
			r.HasPHash, r.PHash = true, uint64(i)*0x9e3779b97f4a7c15
			r.Note = strings.Repeat("evidence ", 20)
			recs = append(recs, r)
		}
		j.ProgressTotal, j.ProgressCurrent = len(recs), len(recs)
		if err := db.CommitBatch(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// damagedCopy copies the library and damages the copy with how.
func damagedCopy(t *testing.T, src string, how func(t *testing.T, path string)) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	how(t, path)
	return path
}

// breakRecord overwrites one file record's value with bytes that do not
// decode, through bbolt: the file stays structurally sound.
func breakRecord(t *testing.T, path string) {
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		k := fileKey(2, 0, "folder-3/IMG_0010.jpg")
		if tx.Bucket(bucketFiles).Get(k) == nil {
			t.Fatal("no such record")
		}
		return tx.Bucket(bucketFiles).Put(k, []byte("d\x00{\"job\":2,\"pa\xff"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStructuralDamageIsRefusedAtOpen(t *testing.T) {
	src := buildLibrary(t)
	for name, how := range map[string]func(*testing.T, string){"truncated": testdamage.TruncateHalf, "flipped": testdamage.FlipMiddleLeaf} {
		t.Run(name, func(t *testing.T) {
			path := damagedCopy(t, src, how)
			before, _ := os.ReadFile(path)
			for _, mode := range []Mode{ReadOnly, ReadWrite} {
				db, err := Open(path, Options{Mode: mode})
				if err == nil {
					db.Close()
					t.Fatalf("mode %d: a damaged library opened", mode)
				}
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), path) ||
					!strings.Contains(err.Error(), "shoebox recover") {
					t.Fatalf("mode %d: %v", mode, err)
				}
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("opening a damaged library changed it")
			}
			rep, err := Check(path, 0)
			if err != nil || rep.Healthy() {
				t.Fatalf("check: %+v, %v", rep, err)
			}
		})
	}
}

func TestDamagedRecordIsSkippedAndCounted(t *testing.T) {
	path := damagedCopy(t, buildLibrary(t), breakRecord)
	db, err := Open(path, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	files, err := db.Files(2)
	var dr *DamagedRecords
	if !errors.As(err, &dr) || dr.Count != 1 || !errors.Is(err, ErrDamaged) {
		t.Fatalf("Files: %v", err)
	}
	if len(files) != 149 {
		t.Errorf("%d readable records, want 149", len(files))
	}
	// ExactDuplicates reads the SHA-256 index and decodes only hashes with
	// copies: the damaged record (its hash has none) is not met there, and
	// is in no group.
	if g, err := db.ExactDuplicates(2); (err != nil && !errors.As(err, &dr)) || len(g) > 0 {
		t.Errorf("ExactDuplicates: %v %v", g, err)
	}
	db.Close()
	rep, err := Check(path, 0)
	if err != nil || rep.Healthy() || rep.BadFiles != 1 || rep.Files != 449 || rep.Jobs != 3 {
		t.Fatalf("check: %+v, %v", rep, err)
	}
}

func TestHealthyLibraryChecksClean(t *testing.T) {
	rep, err := Check(buildLibrary(t), 0)
	if err != nil || !rep.Healthy() || rep.Files != 450 || rep.Jobs != 3 {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestRecoverCopiesEveryReadableRecord(t *testing.T) {
	src := buildLibrary(t)
	for name, how := range map[string]func(*testing.T, string){"truncated": testdamage.TruncateHalf, "flipped": testdamage.FlipMiddleLeaf, "record": breakRecord} {
		t.Run(name, func(t *testing.T) {
			path := damagedCopy(t, src, how)
			before, _ := os.ReadFile(path)
			out := filepath.Join(t.TempDir(), "new.db")
			rep, err := Recover(path, out)
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("recover changed the damaged library")
			}
			// Cut in half, the tree loses pages; the leaves left in the
			// first half (all of them, when the pages are full) are salvaged.
			if rep.Files == 0 || name == "truncated" && rep.ProblemCount == 0 {
				t.Errorf("saved %d files of 450: %+v", rep.Files, rep)
			}
			if name == "record" && (rep.Files != 449 || rep.LostFiles != 1 || rep.Jobs != 3) {
				t.Errorf("one broken record: %+v", rep)
			}
			checked, err := Check(out, 0)
			if err != nil || !checked.Healthy() || checked.Files != rep.Files {
				t.Fatalf("the recovered library: %+v %v", checked, err)
			}
			db, err := Open(out, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			n := 0
			for _, id := range rep.SavedJobIDs {
				files, err := db.Files(id)
				if err != nil {
					t.Fatal(err)
				}
				n += len(files)
				// Each saved job's counts agree with the files it kept.
				j, err := db.Job(id)
				c, cerr := db.CountFiles(id)
				if err != nil || cerr != nil || j.ProgressTotal != c.Total || j.ProgressCurrent != c.Total-c.Pending ||
					j.ErrorCount != c.Error || j.SkippedCount != c.Skipped {
					t.Errorf("job %d says %d/%d files, %d errors; it holds %+v", id, j.ProgressCurrent, j.ProgressTotal, j.ErrorCount, c)
				}
			}
			if n != rep.Files {
				t.Errorf("the new library lists %d files, recover saved %d", n, rep.Files)
			}
			j := &Job{}
			if err := db.CreateJob(j); err != nil || j.ID <= slices.Max(rep.SavedJobIDs) {
				t.Errorf("a new job in the recovered library got ID %d (%v)", j.ID, err)
			}
		})
	}
}

func TestBackupsRotateAndRestore(t *testing.T) {
	path := buildLibrary(t)
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var made []string
	for i := range 5 {
		p, err := db.Backup(fmt.Sprintf("after job %d", i), at.Add(time.Duration(i)*time.Minute), 3)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}
	if want := filepath.Join(filepath.Dir(path), "backups", "lib-20261201T100400.000Z-after-job-4.db"); made[4] != want {
		t.Errorf("backup at %s, want %s", made[4], want)
	}
	list, err := Backups(path)
	if err != nil || len(list) != 3 || list[0] != made[4] || list[2] != made[2] {
		t.Fatalf("backups kept: %v %v", list, err)
	}
	out := filepath.Join(t.TempDir(), "restored.db")
	if err := RestoreBackup(list[0], out); err != nil {
		t.Fatal(err)
	}
	if err := RestoreBackup(list[0], out); err == nil {
		t.Error("restore overwrote an existing file")
	}
	r, err := Open(out, Options{Mode: ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	jobs, err := r.Jobs()
	if err != nil || len(jobs) != 3 {
		t.Fatalf("restored jobs %v %v", jobs, err)
	}
}

func TestReadOnlyNeverCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo", "a", "lib.db")
	if _, err := Open(path, Options{Mode: ReadOnly}); !errors.Is(err, ErrNoLibrary) {
		t.Fatalf("got %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Error("a read-only open created folders")
	}
}
