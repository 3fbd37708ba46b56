package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/store"
)

// A second process is told what holds the library: a scan and its job.
func TestLockedLibrarySaysWhatHoldsIt(t *testing.T) {
	src := t.TempDir()
	makeFiles(t, src, 5, func(i int) string { return fmt.Sprintf("f%d.jpg", i) })
	path := filepath.Join(t.TempDir(), "lib.db")
	release := make(chan struct{})
	f := &fakeAnalyzer{before: func(int, string) { <-release }}
	lib, err := OpenLibraryWith(path, LibraryOptions{Analyze: f.analyze, Purpose: "`shoebox scan`"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := lib.Start([]string{src}, Settings{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	// The note names the job once the run has started.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(readOwnerNote(path), fmt.Sprintf("job %d", id)) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	_, err = OpenLibraryWith(path, LibraryOptions{LockTimeout: 100 * time.Millisecond})
	want := fmt.Sprintf("in use by `shoebox scan` running job %d (process %d)", id, os.Getpid())
	var locked *LockedError
	if !errors.Is(err, ErrLibraryLocked) || !errors.As(err, &locked) || !strings.Contains(err.Error(), want) {
		t.Errorf("second open: %v; want it to say %q", err, want)
	}
	close(release)
	if st := lib.Wait(id); st != store.StateCompleted {
		t.Fatal(st)
	}
	lib.Close()
	if _, err := os.Stat(ownerNotePath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the note outlives the library's close: %v", err)
	}
}

// A note left by a process that died says nothing.
func TestStaleOwnerNoteIsIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	if err := os.WriteFile(ownerNotePath(path), []byte("999999999\t`shoebox scan` running job 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readOwnerNote(path); got != "" {
		t.Errorf("a dead process's note reads %q", got)
	}
	err := lockedError(path, store.ErrLocked)
	if !strings.Contains(err.Error(), "another Shoebox process") {
		t.Errorf("%v", err)
	}
}
