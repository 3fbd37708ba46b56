package processing

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"shoebox/limits"
	"shoebox/media"
)

// listedInput lists a file the way the job engine does: its size and mtime.
func listedInput(t *testing.T, p string) Input {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Path: p, RelPath: filepath.Base(p), Size: fi.Size(), ModTime: fi.ModTime()}
}

// A file rewritten between listing and analysis is an error that says so,
// not a record whose size and hash describe different bytes.
func TestAnalyzeRefusesAFileChangedSinceListing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("twelve bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := listedInput(t, p)

	res, err := Analyze(context.Background(), in, AnalyzeOptions{})
	if err != nil || res.Status != media.StatusSkipped {
		t.Fatalf("unchanged file: %+v %v", res, err)
	}

	if err := os.WriteFile(p, []byte("now a little longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = Analyze(context.Background(), in, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := "changed while it was being scanned: size 12 → 19; scan again"
	if res.Status != media.StatusError || res.Error != want || res.SHA256 != ([32]byte{}) {
		t.Errorf("rewritten file: status %s, error %q, sha %x; want error %q and no hash", res.Status, res.Error, res.SHA256, want)
	}
}

// The same size but another modification time is a change too (a photo
// edited in place keeps its size often enough).
func TestAnalyzeRefusesAFileTouchedSinceListing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(p, []byte("twelve bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := listedInput(t, p)
	if err := os.WriteFile(p, []byte("TWELVE BYTES"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := in.ModTime.Add(3 * time.Second)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(context.Background(), in, AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != media.StatusError || !strings.HasPrefix(res.Error, "changed while it was being scanned: modified ") ||
		!strings.HasSuffix(res.Error, "; scan again") {
		t.Errorf("touched file: status %s, error %q", res.Status, res.Error)
	}
}

// A write while the file is being read (here: while the analysis waits for
// memory to read it) is noticed by the second look at the file.
func TestAnalyzeNoticesAWriteDuringTheRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.jpg")
	jpegish := append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 8000)...)
	if err := os.WriteFile(p, jpegish, 0o644); err != nil {
		t.Fatal(err)
	}
	in := listedInput(t, p)
	budget := limits.NewMemoryBudget(1 << 20)
	release, err := budget.Acquire(context.Background(), 1<<20, nil) // hold all of it: the read must wait
	if err != nil {
		t.Fatal(err)
	}
	type out struct {
		res media.Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Analyze(context.Background(), in, AnalyzeOptions{ReadBudget: budget})
		done <- out{res, err}
	}()
	// Wait (bounded) until the analysis has looked at the file and queues for memory.
	for deadline := time.Now().Add(10 * time.Second); ; {
		if budget.Waiting() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the analysis never asked for memory to read the file")
		}
		time.Sleep(time.Millisecond)
	}
	if err := os.WriteFile(p, append(jpegish, 1, 2, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	release()
	o := <-done
	if o.err != nil {
		t.Fatal(o.err)
	}
	want := "changed while it was being scanned: size 8004 → 8007; scan again"
	if o.res.Status != media.StatusError || o.res.Error != want || o.res.SHA256 != ([32]byte{}) {
		t.Errorf("status %s, error %q, sha %x; want error %q and no hash", o.res.Status, o.res.Error, o.res.SHA256, want)
	}
}
