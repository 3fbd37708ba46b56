package app

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"shoebox/internal/testmem"
	"shoebox/media"
	"shoebox/store"
)

// TestFileRowsAtScale measures what the Files view's reading costs on a
// library of SHOEBOX_SCALE_ROWS files (e.g. 1000000) written straight into
// the store, each with a hash, a camera and three date candidates, as a
// scan writes them: how soon the first rows come, how long all take, the
// heap the rows hold and the process's peak RSS. Skipped unless asked: a
// million records take minutes to write.
func TestFileRowsAtScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SHOEBOX_SCALE_ROWS"))
	if n <= 0 {
		t.Skip("set SHOEBOX_SCALE_ROWS to the number of files")
	}
	lib := openChangeLibrary(t, filepath.Join(t.TempDir(), "lib.db"), LibraryOptions{})
	j := &store.Job{Kind: store.KindScan, Roots: []string{"/photos"}, Status: store.StateCompleted, Listed: true,
		ProgressTotal: n, ProgressCurrent: n, CreatedAt: time.Now()}
	if err := lib.db.CreateJob(j); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := 0; at < n; at += 10_000 {
		recs := make([]store.FileRecord, 0, 10_000)
		for i := at; i < min(at+10_000, n); i++ {
			when := base.Add(time.Duration(i) * 17 * time.Second)
			v := when.Format("2006-01-02T15:04:05")
			recs = append(recs, store.FileRecord{JobID: j.ID, Root: "/photos",
				RelPath: fmt.Sprintf("%d/%02d/IMG_%07d.JPG", when.Year(), when.Month(), i), Size: 2_000_000 + int64(i),
				MtimeNS: when.UnixNano(), Status: media.StatusDone, MIME: "image/jpeg",
				SHA256: fmt.Sprintf("%064x", i), PHash: uint64(i) * 7919, DHash: uint64(i) * 104729, HasPHash: true,
				Width: 320, Height: 240, Analysis: media.AnalysisVersion, Camera: "Apple iPhone 12",
				AnalysedAt: base.Add(time.Duration(i) * time.Millisecond),
				Time: media.Timestamp{Value: v, Time: when, Source: media.SourceEXIF, Confidence: media.ConfidenceHigh,
					Candidates: []media.Candidate{
						{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF, Value: v, Detail: "EXIF DateTimeOriginal", Chosen: true},
						{Kind: media.KindFilenameDate, Source: media.SourceFilename, Value: v[:10], Detail: "file name"},
						{Kind: media.KindMtime, Source: media.SourceMtime, Value: v + "Z", Detail: "file modification time"},
					}}})
		}
		if _, err := lib.db.AddFiles(j, recs); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %d records in %s", n, time.Since(t0).Round(time.Millisecond))

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var rows []FileRow
	var first time.Duration
	peak, stop := testmem.WatchHeap()
	t0 = time.Now()
	err := lib.FileRows(j.ID, FileRowsOptions{}, func(b FileRowsBatch) error {
		if first == 0 {
			first = time.Since(t0)
		}
		rows = append(rows, b.Rows...)
		return nil
	})
	all := time.Since(t0)
	stop()
	if err != nil || len(rows) != n {
		t.Fatalf("%d rows of %d: %v", len(rows), n, err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d rows: first batch after %s, all after %s; rows hold %.0f B each on the heap (%.0f MB at most while read); peak RSS %s",
		n, first.Round(time.Millisecond), all.Round(time.Millisecond),
		float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(n),
		float64(int64(*peak)-int64(before.HeapAlloc))/1e6, testmem.PeakRSS())
	t0 = time.Now()
	rec, err := lib.FileOfRow(j.ID, rows[n/2])
	if err != nil || rec.RelPath != rows[n/2].RelPath() || len(rec.Time.Candidates) != 3 {
		t.Fatalf("the middle row's record: %+v, %v", rec, err)
	}
	t.Logf("one row's whole record in %s", time.Since(t0).Round(time.Microsecond))
	runtime.KeepAlive(rows)
}
