package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"shoebox/store"
)

// A destination that fills up halts the run and says so; nothing
// half-written stands under a final name; once there is room, resuming
// files the rest, verified.
func TestOrganiseFullDestination(t *testing.T) {
	files := map[string]string{}
	for i := range 6 {
		files[fmt.Sprintf("DCIM/IMG_%d.jpg", i)] = fmt.Sprintf("2019-06-03T10:15:%02d HIGH\n", i) + strings.Repeat(fmt.Sprint(i), 100<<10)
	}
	lib, src := organiseFolder(t, files)
	dest := mountTmpfs(t, "256k")
	id, _, err := lib.Organise(context.Background(), OrganiseOptions{Dest: dest})
	if err != nil {
		t.Fatal(err)
	}
	j := runToState(t, lib, id, store.StateHalted)
	if !strings.Contains(j.ErrorMessage, "destination disk is full") {
		t.Errorf("halted with %q", j.ErrorMessage)
	}
	_, entries, err := lib.Ledger(id)
	if err != nil {
		t.Fatal(err)
	}
	filed := 0
	for _, e := range entries {
		if e.Verified {
			filed++
		}
	}
	if filed == 0 || filed == len(entries) {
		t.Fatalf("%d of %d filed before the disk was full", filed, len(entries))
	}
	for p, entry := range snapshot(t, dest) {
		if strings.HasPrefix(filepath.Base(p), ".shoebox-copy-") {
			t.Errorf("a temporary copy was left: %s", p)
			continue
		}
		if want := files[firstSourceOf(t, entries, p, src)]; contentOf(entry) != want {
			t.Errorf("%s holds %d bytes that are not its source's whole", p, len(contentOf(entry)))
		}
	}
	growTmpfs(t, dest, "4m")
	if err := lib.RetryFailed(id); err != nil {
		t.Fatal(err)
	}
	runToState(t, lib, id, store.StateCompleted)
	_, entries, _ = lib.Ledger(id)
	if !SafeToWipe(entries) {
		t.Errorf("after room was made: %+v", entries)
	}
	checkFiledBytes(t, entries)
}

// firstSourceOf is the source (relative to src) filed at dest p.
func firstSourceOf(t *testing.T, entries []LedgerEntry, p, src string) string {
	t.Helper()
	for _, e := range entries {
		if e.Dest == p {
			rel, _ := filepath.Rel(src, e.Source)
			return filepath.ToSlash(rel)
		}
	}
	t.Fatalf("%s is in the library but in no ledger entry", p)
	return ""
}

// Organising onto a FAT filesystem (an image mounted through a loop
// device): names that FAT refuses are made valid, names differing only in
// case are told apart, and every file arrives whole.
func TestOrganiseOntoFAT(t *testing.T) {
	mkfs, err := exec.LookPath("mkfs.vfat")
	if err != nil {
		t.Skip("mkfs.vfat is not installed (dosfstools): no FAT image can be made here")
	}
	if os.Geteuid() != 0 {
		t.Skip("mounting a FAT image needs root")
	}
	img := filepath.Join(t.TempDir(), "fat.img")
	if err := os.WriteFile(img, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 8<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, img).CombinedOutput(); err != nil {
		t.Skipf("mkfs.vfat failed: %v: %s", err, out)
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-o", "loop", img, mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a FAT image here (%v: %s)", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	lib, src := organiseFolder(t, map[string]string{
		"a/IMG_0001.JPG":   "2019-06-03T10:15:00 HIGH\none",
		"b/img_0001.jpg":   "2019-06-03T11:15:00 HIGH\ntwo",
		"c/what?.jpg":      "2019-06-03T12:15:00 HIGH\nthree",
		"c/CON.jpg":        "2019-06-03T13:15:00 HIGH\nfour",
		"c/trailing .jpg.": "2019-06-03T14:15:00 HIGH\nfive",
	})
	dest := filepath.Join(mnt, "Library")
	if !caseInsensitive(mnt) {
		t.Error("the probe did not find FAT case-insensitive")
	}
	_, entries := organise(t, lib, OrganiseOptions{Dest: dest})
	got := bySource(t, src, entries)
	for rel, e := range got {
		if e.Fate != store.FateFiled {
			t.Errorf("%s: %s %s", rel, e.Fate, e.Reason)
		}
	}
	if a, b := got["a/IMG_0001.JPG"].Dest, got["b/img_0001.jpg"].Dest; strings.EqualFold(a, b) {
		t.Errorf("two files at one FAT name: %s, %s", a, b)
	}
	for _, e := range entries { // FAT keeps mtimes to 2 s: compare the bytes only
		want, _ := os.ReadFile(e.Source)
		if data, err := os.ReadFile(e.Dest); err != nil || string(data) != string(want) {
			t.Errorf("%s: not its bytes on FAT (%v)", e.Dest, err)
		}
	}
}
