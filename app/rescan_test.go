package app

import (
	"os"
	"path/filepath"
	"testing"

	"shoebox/store"
)

// A rescan stores only what changed (store.Job.Base) and History stays
// true: the first scan still lists what it saw, the file since deleted and
// the changed one's old bytes included, and the rescan lists what it found.
func TestRescanHistoryStaysTrue(t *testing.T) {
	dir := t.TempDir()
	sums := writeJPEGs(t, dir, 24)
	db := filepath.Join(t.TempDir(), "lib.db")
	scan := func() {
		t.Helper()
		if code, _, stderr := runCLI(t, "scan", "--db", db, "--workers", "2", dir); code != ExitCompleted {
			t.Fatalf("scan: exit %d: %s", code, stderr)
		}
	}
	scan()
	if err := os.Remove(filepath.Join(dir, "sub1/IMG_0001.jpg")); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(dir, "sub2/IMG_0002.jpg")
	if err := os.WriteFile(changed, []byte("no longer a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "new.txt"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	scan()

	lib, err := OpenLibraryWith(db, LibraryOptions{Mode: store.ReadOnly})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	jobs, err := lib.Jobs()
	if err != nil || len(jobs) != 2 {
		t.Fatalf("jobs %+v, %v", jobs, err)
	}
	second, first := jobs[0], jobs[1]
	if second.Base != first.ID || second.ProgressTotal != 24 || second.ReusedCount != 22 {
		t.Errorf("the rescan: base %d, %d files, %d reused", second.Base, second.ProgressTotal, second.ReusedCount)
	}
	bySHA := func(id uint64) map[string]string {
		recs, err := lib.Files(id)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, r := range recs {
			if r.JobID != id {
				t.Errorf("job %d lists a record of job %d", id, r.JobID)
			}
			m[r.RelPath] = r.SHA256
		}
		return m
	}
	old, now := bySHA(first.ID), bySHA(second.ID)
	if len(old) != 24 || old["sub1/IMG_0001.jpg"] != sums["sub1/IMG_0001.jpg"] || old["sub2/IMG_0002.jpg"] != sums["sub2/IMG_0002.jpg"] {
		t.Errorf("the first scan no longer lists what it saw: %d files", len(old))
	}
	if _, ok := now["sub1/IMG_0001.jpg"]; ok || len(now) != 24 || now["sub2/IMG_0002.jpg"] == sums["sub2/IMG_0002.jpg"] ||
		now["sub3/IMG_0003.jpg"] != sums["sub3/IMG_0003.jpg"] {
		t.Errorf("the rescan lists %v", now)
	}
}
