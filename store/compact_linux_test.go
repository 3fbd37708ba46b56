//go:build linux

package store

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"shoebox/internal/testproc"
)

// TestCompactSwapChild is the child of TestReaderWaitingOpensTheCompactedFile:
// it compacts the library, waits at "synced" (the copy whole, not yet
// renamed) for SIGUSR1, then swaps, writes a job into the new file and
// exits.
func TestCompactSwapChild(t *testing.T) {
	path := os.Getenv("SHOEBOX_SWAP_DB")
	if path == "" {
		t.Skip("run by TestReaderWaitingOpensTheCompactedFile in a child process")
	}
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	resume := make(chan os.Signal, 1)
	signal.Notify(resume, syscall.SIGUSR1)
	opt := anyCompact
	opt.Step = func(step string) {
		if step == "synced" {
			fmt.Println("at synced")
			<-resume
		}
	}
	if res, err := db.CompactIfSlack(opt); err != nil || !res.Compacted {
		t.Fatalf("compact: %+v, %v", res, err)
	}
	j := &Job{Roots: []string{"/after-the-swap"}, Status: StateCompleted}
	if err := db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	fmt.Println("job", j.ID)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// A reader that opened the library and waits for its lock while it is
// compacted gets the lock of the old file once the compactor lets it go;
// it must see that the name now belongs to the new file and read that one.
func TestReaderWaitingOpensTheCompactedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lib.db")
	slackLibrary(t, path, 300)
	old, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	child := testproc.Start(t, "TestCompactSwapChild", "SHOEBOX_SWAP_DB="+path)
	child.WaitFor("at synced")
	type opened struct {
		db  *DB
		err error
	}
	reader := make(chan opened, 1)
	go func() {
		db, err := Open(path, Options{Mode: ReadOnly, LockTimeout: time.Minute})
		reader <- opened{db, err}
	}()
	waitForOpen(t, old.Sys().(*syscall.Stat_t).Ino)
	if err := child.Cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	var id uint64
	if _, err := fmt.Sscanf(child.WaitFor("job "), "job %d", &id); err != nil {
		t.Fatal(err)
	}
	r := <-reader
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.db.Close()
	if _, err := r.db.Job(id); err != nil {
		t.Errorf("the reader does not see job %d, written into the compacted file: %v", id, err)
	}
}

// waitForOpen waits until this process has the file with inode ino open:
// the reader has opened the old file and is trying for its lock (bbolt
// tries again every 50 ms until its timeout).
func waitForOpen(t *testing.T, ino uint64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skipf("cannot list this process's files: %v", err)
		}
		for _, fd := range fds {
			fi, err := os.Stat(filepath.Join("/proc/self/fd", fd.Name()))
			if st, ok := statOf(fi); err == nil && ok && st.Ino == ino {
				return
			}
		}
		time.Sleep(5 * time.Millisecond) // the process's open files, not a goroutine's state
	}
	t.Fatal("the reader never opened the library")
}

func statOf(fi os.FileInfo) (*syscall.Stat_t, bool) {
	if fi == nil {
		return nil, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return st, ok
}
