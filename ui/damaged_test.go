package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/store"
)

func syncRepair(r libraryRepair) libraryRepair {
	r.do = func(f func()) { f() }
	r.spawn = func(f func()) { f() }
	return r
}

func TestDamagedLibraryOffersRecoverAndRestore(t *testing.T) {
	a := test.NewTempApp(t)
	damaged := &store.DamagedError{Path: "/home/ann/.local/share/shoebox/library.db", Detail: "page 38 is out of bounds"}
	var opened []string
	r := syncRepair(libraryRepair{
		recover: func() (string, string, error) {
			return "/home/ann/.local/share/shoebox/library-recovered-1.db", "3 jobs and 449 files saved", nil
		},
		restore: func() (string, error) { return "/home/ann/.local/share/shoebox/library-restored-1.db", nil },
		open:    func(p string) error { opened = append(opened, p); return nil },
	})
	w := damagedWindow(a, damaged, r)
	text := joined(w.Content())
	for _, want := range []string{"Your library is damaged", "Nothing has been changed", damaged.Path, "shoebox recover"} {
		if !strings.Contains(text, want) {
			t.Errorf("the window does not say %q:\n%s", want, text)
		}
	}
	rec, restore := findButton(w.Content(), "Recover into a new library"), findButton(w.Content(), "Restore latest backup")
	if rec == nil || restore == nil {
		t.Fatalf("buttons missing:\n%s", text)
	}
	test.Tap(rec)
	if len(opened) != 1 || opened[0] != "/home/ann/.local/share/shoebox/library-recovered-1.db" {
		t.Fatalf("opened %v", opened)
	}
	for _, o := range a.Driver().AllWindows() {
		if o == w {
			t.Error("the damaged-library window stays open after the recovered library opened")
		}
	}
	w = damagedWindow(a, damaged, r)
	test.Tap(findButton(w.Content(), "Restore latest backup"))
	if len(opened) != 2 || opened[1] != "/home/ann/.local/share/shoebox/library-restored-1.db" {
		t.Fatalf("opened %v", opened)
	}
}

func TestDamagedLibraryWithoutBackupOrWhenRecoveryFails(t *testing.T) {
	a := test.NewTempApp(t)
	r := syncRepair(libraryRepair{
		recover: func() (string, string, error) { return "", "", errors.New("the disk is full") },
		open:    func(string) error { t.Error("opened a library that was not recovered"); return nil },
	})
	w := damagedWindow(a, &store.DamagedError{Path: "/x/library.db", Detail: "cut short"}, r)
	defer w.Close()
	if findButton(w.Content(), "Restore latest backup") != nil {
		t.Error("a restore button without a backup")
	}
	rec := findButton(w.Content(), "Recover into a new library")
	test.Tap(rec)
	if text := joined(w.Content()); !strings.Contains(text, "the disk is full") || rec.Disabled() {
		t.Errorf("after a failed recovery: disabled %v\n%s", rec.Disabled(), text)
	}
}

// Recovering for real: the recovered library takes the damaged one's place
// (so the next start opens it) and the damaged file is kept beside it.
func TestRecoveryPutsTheLibraryInPlace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "library.db")
	lib, err := app.OpenLibrary(path)
	if err != nil {
		t.Fatal(err)
	}
	photos := t.TempDir()
	for i := range 300 {
		if err := os.WriteFile(filepath.Join(photos, fmt.Sprintf("note%03d.txt", i)), []byte("not a photo"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	id, err := lib.Start([]string{photos}, app.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	lib.Wait(id)
	lib.Close()
	fi, _ := os.Stat(path)
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	if _, err := app.OpenLibrary(path); err == nil {
		t.Fatal("the truncated library opened")
	}
	r := repairFor(path, func(string) error { return nil })
	got, summary, err := r.recover()
	if err != nil || got != path || !strings.Contains(summary, "library-damaged-") {
		t.Fatalf("recover: %q %q %v", got, summary, err)
	}
	l, err := app.OpenLibrary(path)
	if err != nil {
		t.Fatalf("the recovered library in place does not open: %v", err)
	}
	l.Close()
	kept, _ := filepath.Glob(filepath.Join(dir, "library-damaged-*.db"))
	if len(kept) != 1 {
		t.Fatalf("damaged file kept: %v", kept)
	}
	if k, _ := os.Stat(kept[0]); k.Size() != fi.Size()/2 {
		t.Errorf("the kept damaged file is %d bytes, want %d", k.Size(), fi.Size()/2)
	}
}
