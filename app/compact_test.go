package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"shoebox/store"
)

// A completed scan leaves the library compacted when it is worth it, says
// so in its progress before the job is seen to end, and keeps every record.
func TestScanCompactsTheLibraryAfterward(t *testing.T) {
	dir := t.TempDir()
	names := makeFiles(t, dir, 600, func(i int) string { return fmt.Sprintf("d%02d/IMG_%04d.jpg", i%7, i) })
	path := filepath.Join(t.TempDir(), "lib.db")
	f := &fakeAnalyzer{}
	lib, err := OpenLibraryWith(path, LibraryOptions{ProgressInterval: time.Hour, Analyze: f.analyze,
		Compact: store.CompactOptions{MinSize: 1, MinSlack: 0.05}})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var mu sync.Mutex
	var reported []Progress
	last := Progress{}
	lib.SetCallbacks(Callbacks{OnProgress: func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Compacting {
			reported = append(reported, p)
		}
		last = p
	}})
	j, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 2, BatchSize: 3})
	if st != store.StateCompleted {
		t.Fatalf("scan ended %s", st)
	}
	mu.Lock()
	compacting := append([]Progress(nil), reported...)
	after := last
	mu.Unlock()
	if after.Compacting || after.State != store.StateCompleted {
		t.Errorf("the last progress reported is %+v, want the completed job, no longer compacting", after)
	}
	if len(compacting) != 1 || compacting[0].JobID != j.ID || compacting[0].State != store.StateCompleted {
		t.Fatalf("compacting reported %+v, want once for job %d, completed", compacting, j.ID)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if was := compacting[0].LibraryBytes; fi.Size() >= was {
		t.Errorf("the library is %d bytes after compacting, %d before", fi.Size(), was)
	}
	// The backup after the job is taken of the compacted file.
	backups, err := lib.Backups()
	if err != nil || len(backups) != 1 {
		t.Fatalf("backups %v, %v; want the one after the job", backups, err)
	}
	if bi, err := os.Stat(backups[0]); err != nil || bi.Size() > fi.Size() {
		t.Errorf("the backup after the job is %d bytes (%v), the compacted library %d", bi.Size(), err, fi.Size())
	}
	files, err := lib.Files(j.ID)
	if err != nil || len(files) != len(names) {
		t.Fatalf("%d records after compacting, want %d (%v)", len(files), len(names), err)
	}
	checkConsistent(t, lib, j)
	// The library goes on: an unchanged rescan completes on the compacted file.
	if _, st := runToEnd(t, lib, []string{dir}, Settings{Workers: 2}); st != store.StateCompleted {
		t.Fatalf("rescan after compacting ended %s", st)
	}
}

func TestProgressViewSaysWhatIsDoneAfterTheJob(t *testing.T) {
	for want, p := range map[string]Progress{
		"Compacting the library (669 MB)": {Compacting: true, LibraryBytes: 669_048_832, State: store.StateCompleted},
		"Finding duplicates...":           {Grouping: true, State: store.StateCompleted},
	} {
		var buf bytes.Buffer
		newProgressView(&buf).show(p)
		if got := buf.String(); !strings.Contains(got, want) {
			t.Errorf("printed %q, want %q", got, want)
		}
	}
}
