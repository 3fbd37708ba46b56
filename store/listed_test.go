package store

import (
	"bytes"
	"cmp"
	"testing"

	"shoebox/media"
)

// A job stored whole makes its records from the compact listing a chunk at
// a time, in key order, each filled in by reuse just before it is handed
// over; skipped and failed entries keep their reasons.
func TestWholeListingMakesRecordsInChunks(t *testing.T) {
	db, _ := openTemp(t)
	j := &Job{Kind: KindScan, Roots: []string{"/a", "/b"}, Status: StateRunning}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	listed := []Listed{
		{Root: 1, RelPath: "z.jpg", Size: 5},
		{Root: 0, RelPath: "b.jpg", Size: 2, MtimeNS: 7, CtimeNS: 8, Inode: 9},
		{Root: 0, RelPath: "link", Status: ListedSkipped, Message: "a link to /elsewhere"},
		{Root: 0, RelPath: "a.jpg", Size: 1},
		{Root: 0, RelPath: "locked", Status: ListedFailed, Message: "folder cannot be read"},
	}
	reused := 0
	plan, err := db.PlanListing(j, listed, Reuse{Fill: func(r *FileRecord) ([]byte, error) {
		if r.RelPath == "a.jpg" {
			r.Status, r.SHA256, r.Reused = media.StatusDone, shaA, true
		}
		reused++
		return nil, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if reused != 0 {
		t.Fatalf("reuse ran %d times while planning a whole listing: its records are made when stored", reused)
	}
	if plan.Base != 0 || plan.Count() != 5 {
		t.Fatalf("plan: base %d, %d to store; want 0 and 5", plan.Base, plan.Count())
	}
	var got []FileRecord
	chunks := 0
	if err := plan.Chunks(2, func(recs []FileRecord) error {
		chunks++
		got = append(got, recs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if chunks != 3 || reused != 5 {
		t.Fatalf("%d chunks and %d reuse calls, want 3 and 5", chunks, reused)
	}
	want := []struct {
		abs string
		st  media.Status
	}{
		{"/a/a.jpg", media.StatusDone}, {"/a/b.jpg", media.StatusPending}, {"/a/link", media.StatusSkipped},
		{"/a/locked", media.StatusError}, {"/b/z.jpg", media.StatusPending},
	}
	for i, w := range want {
		if g := got[i]; g.AbsPath() != w.abs || g.Status != w.st || g.JobID != j.ID {
			t.Errorf("%d: %s %s job %d, want %s %s job %d", i, g.AbsPath(), g.Status, g.JobID, w.abs, w.st, j.ID)
		}
	}
	if b := got[1]; b.Size != 2 || b.MtimeNS != 7 || b.CtimeNS != 8 || b.Inode != 9 {
		t.Errorf("the fingerprint was lost: %+v", b)
	}
	if got[2].Note != "a link to /elsewhere" || got[3].Error != "folder cannot be read" {
		t.Errorf("reasons lost: note %q, error %q", got[2].Note, got[3].Error)
	}
}

// A listed file orders against a stored key exactly as its own key would.
func TestListedOrdersAsItsKey(t *testing.T) {
	listed := []Listed{
		{Root: 0, RelPath: ""}, {Root: 0, RelPath: "a"}, {Root: 0, RelPath: "a/b"}, {Root: 0, RelPath: "a0"},
		{Root: 0, RelPath: "é"}, {Root: 1, RelPath: "a"}, {Root: 256, RelPath: "a"},
	}
	for _, a := range listed {
		for _, b := range listed {
			k := fileKey(7, int(b.Root), b.RelPath)
			want := bytes.Compare(fileKey(7, int(a.Root), a.RelPath)[8:], k[8:])
			if got := compareListedKey(&a, k); cmp.Compare(got, 0) != want {
				t.Errorf("%d %q against %d %q: %d, want %d", a.Root, a.RelPath, b.Root, b.RelPath, got, want)
			}
		}
	}
}
