package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"shoebox/internal/testproc"
	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// writeJPEGs writes n small, distinct, real JPEG files.
func writeJPEGs(t *testing.T, dir string, n int) map[string]string {
	t.Helper()
	sums := map[string]string{}
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, 64, 48))
		for y := range 48 {
			for x := range 64 {
				img.Set(x, y, color.RGBA{uint8(x*4 + i), uint8(y*5 + 3*i), uint8((x + y + i*7) % 256), 255})
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("sub%d/IMG_%04d.jpg", i%4, i)
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		sums[name] = hex.EncodeToString(sum[:])
	}
	return sums
}

const crashBlockAt = 40

// TestCrashChildProcess is the child of TestCrashMidJob: it scans with the
// real analyser until file crashBlockAt, then hangs there, to be killed.
func TestCrashChildProcess(t *testing.T) {
	db, dir := os.Getenv("SHOEBOX_CRASH_DB"), os.Getenv("SHOEBOX_CRASH_DIR")
	if db == "" {
		t.Skip("run by TestCrashMidJob in a child process")
	}
	var calls atomic.Int64
	lib, err := OpenLibraryWith(db, LibraryOptions{Analyze: func(ctx context.Context, in processing.Input, o processing.AnalyzeOptions) (media.Result, error) {
		if calls.Add(1) == crashBlockAt {
			fmt.Println("blocking")
			select {} // the power goes out here
		}
		return processing.Analyze(ctx, in, o)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Start([]string{dir}, Settings{Workers: 2, BatchSize: 7}); err != nil {
		t.Fatal(err)
	}
	select {}
}

func TestCrashMidJob(t *testing.T) {
	dir, dbPath := t.TempDir(), filepath.Join(t.TempDir(), "lib.db")
	sums := writeJPEGs(t, dir, 100)

	child := testproc.Start(t, "TestCrashChildProcess", "SHOEBOX_CRASH_DB="+dbPath, "SHOEBOX_CRASH_DIR="+dir)
	child.WaitFor("blocking") // the crash point
	if err := child.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Cmd.Wait()

	var resumed atomic.Int64
	lib, err := OpenLibraryWith(dbPath, LibraryOptions{Analyze: func(ctx context.Context, in processing.Input, o processing.AnalyzeOptions) (media.Result, error) {
		resumed.Add(1)
		return processing.Analyze(ctx, in, o)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	interrupted, err := lib.Interrupted()
	if err != nil || len(interrupted) != 1 {
		t.Fatalf("interrupted jobs %v, %v", interrupted, err)
	}
	j := interrupted[0]
	if j.Status != store.StatePaused || !j.Interrupted {
		t.Fatalf("after the crash the job is %s (interrupted %v)", j.Status, j.Interrupted)
	}
	before := checkConsistent(t, lib, j)
	if before.Done == 0 || before.Pending == 0 {
		t.Fatalf("the crash should fall mid-job: %+v", before)
	}
	if err := lib.Resume(j.ID); err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(j.ID); st != store.StateCompleted {
		t.Fatalf("resumed job ended %s", st)
	}
	// Only the files not committed before the crash were analysed again.
	if got := resumed.Load(); got != int64(before.Pending) {
		t.Errorf("resume analysed %d files, %d were pending", got, before.Pending)
	}
	j, _ = lib.Job(j.ID)
	c := checkConsistent(t, lib, j)
	files, _ := lib.Files(j.ID)
	if c.Done != len(sums) || len(files) != len(sums) || j.ProgressCurrent != len(sums) {
		t.Fatalf("after resume: %+v, %d records, progress %d; want %d files once each", c, len(files), j.ProgressCurrent, len(sums))
	}
	for _, f := range files {
		if want := sums[f.RelPath]; f.SHA256 != want {
			t.Errorf("%s: sha256 %s, want %s", f.RelPath, f.SHA256, want)
		}
	}
}
