package ui

import (
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"shoebox/app"
	"shoebox/internal/testmem"
	"shoebox/store"
)

// TestFilesMemoryOfALibrary measures what the Files view holds of a real
// library, without a window: the library SHOEBOX_ROWS_LIBRARY names is
// opened read-only, its newest job's rows are streamed as the view loads
// them, every column's order and the text filter's lower case are built
// and the rows filtered twice. It reports the time, the live heap left,
// the heap's peak (live and not yet swept objects, sampled every few
// milliseconds) and the process's peak RSS, and writes a heap profile to
// SHOEBOX_ROWS_HEAP when set; SHOEBOX_ROWS_JOB names a job other than the
// newest. With SHOEBOX_ROWS_SEARCH set to a distance, the library is opened
// to write and the job's look-alikes are then searched for with the rows
// held, as the engine does after a job while Files shows its rows (give it
// a copy whose groups and candidates were never kept, or it only reads
// them). Skipped unless a library is named: use a
// copy, e.g. of a 1M-file library made by scripts/scalelib.
func TestFilesMemoryOfALibrary(t *testing.T) {
	libPath := os.Getenv("SHOEBOX_ROWS_LIBRARY")
	if libPath == "" {
		t.Skip("set SHOEBOX_ROWS_LIBRARY to a copy of a library")
	}
	opts := app.LibraryOptions{Mode: store.ReadOnly}
	searchAt, searching := os.LookupEnv("SHOEBOX_ROWS_SEARCH")
	if searching {
		opts.Mode = store.ReadWrite
	}
	lib, err := app.OpenLibraryWith(libPath, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	jobs, err := lib.Jobs()
	if err != nil || len(jobs) == 0 {
		t.Fatalf("jobs: %d, %v", len(jobs), err)
	}
	var job store.Job
	want, _ := strconv.ParseUint(os.Getenv("SHOEBOX_ROWS_JOB"), 10, 64) // 0: the newest
	for _, j := range jobs {
		if (want == 0 && j.ID > job.ID) || j.ID == want {
			job = j
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	peak, stop := testmem.WatchHeap()
	// The view's load, its progress not shown (no window): the rows
	// shown while loading share the rows' array, so they cost nothing more.
	u := &UI{eng: lib, do: func(func()) {}, spawn: func(f func()) { f() }, now: time.Now}
	v := &filesView{u: u}
	v.shownJob.Store(job.ID)
	ld := rowsLoad{v: v, id: job.ID, stream: true, decided: map[string]string{}, now: time.Now()}
	t0 := time.Now()
	set, err := ld.run()
	if err != nil {
		t.Fatal(err)
	}
	loaded := time.Since(t0)
	sum := summarize(set.rows)
	set.prepare()
	ready := time.Since(t0)
	all := filterSort(set, filesQuery{conf: confAll, status: statusAll})
	some := filterSort(set, filesQuery{conf: confAll, status: statusAll, text: "img_2005", sortCol: colDate})
	stop()
	runtime.GC()
	runtime.ReadMemStats(&after)
	n := len(set.rows)
	live := float64(after.HeapAlloc - before.HeapAlloc)
	t.Logf("job %d: %d rows (%d analysed), %d shown, %d with img_2005; %d folders",
		job.ID, n, sum.done, len(all.rows), len(some.rows), len(set.lowerDirs))
	t.Logf("rows read in %s, every order and the filter's lower case ready by %s",
		loaded.Round(time.Millisecond), ready.Round(time.Millisecond))
	t.Logf("live heap %.1f MB (%.0f B a row); heap's peak %.1f MB; allocated %.0f MB in all; peak RSS %s",
		live/(1<<20), live/float64(max(n, 1)), float64(int64(*peak)-int64(before.HeapAlloc))/(1<<20),
		float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), testmem.PeakRSS())
	if os.Getenv("SHOEBOX_ROWS_AGAIN") != "" {
		// A running job's rows read again, as Files does now and then
		// while it is in front: the rows shown stay until the new ones
		// are all read and ready.
		v.set, v.loaded = set, job.ID
		runtime.GC()
		runtime.ReadMemStats(&before)
		peak, stop := testmem.WatchHeap()
		ld := rowsLoad{v: v, id: job.ID, decided: map[string]string{}, now: time.Now(), shownBefore: set.rows}
		t0 := time.Now()
		again, err := ld.run()
		if err != nil {
			t.Fatal(err)
		}
		summarize(again.rows)
		again.prepare()
		stop()
		runtime.GC()
		runtime.ReadMemStats(&after)
		t.Logf("read again in %s with the first rows held: %.1f MB more live, heap's peak %.1f MB above the first rows; peak RSS %s",
			time.Since(t0).Round(time.Millisecond), float64(after.HeapAlloc-before.HeapAlloc)/(1<<20),
			float64(int64(*peak)-int64(before.HeapAlloc))/(1<<20), testmem.PeakRSS())
		runtime.KeepAlive(again)
	}
	if searching {
		distance, err := strconv.Atoi(searchAt)
		if err != nil {
			t.Fatalf("SHOEBOX_ROWS_SEARCH: %v", err)
		}
		runtime.GC()
		runtime.ReadMemStats(&before)
		peak, stop := testmem.WatchHeap()
		rss, stopRSS := testmem.WatchRSS()
		t0 := time.Now()
		d, err := lib.DuplicatesIn(job.ID, distance, app.ScopeLibrary)
		if err != nil {
			t.Fatal(err)
		}
		stop()
		stopRSS()
		t.Logf("searched at %d in %s with the rows held: %d look-alike groups; heap's peak %.1f MB above the rows; RSS's peak %.1f MB",
			distance, time.Since(t0).Round(time.Millisecond), len(d.Near),
			float64(int64(*peak)-int64(before.HeapAlloc))/(1<<20), float64(*rss)/(1<<20))
	}
	if p := os.Getenv("SHOEBOX_ROWS_HEAP"); p != "" {
		out, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer out.Close()
		if err := pprof.WriteHeapProfile(out); err != nil {
			t.Fatal(err)
		}
	}
	runtime.KeepAlive(set)
}
