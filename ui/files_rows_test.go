package ui

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/internal/testmem"
	"shoebox/media"
	"shoebox/store"

	"shoebox/internal/testcpu"
)

// synthRecords is n records of one job in the store's order, numbered
// from first: 100 files a folder, names with upper and lower case and a few
// not ASCII, dates, their sources, confidences and statuses drawn from a
// fixed seed.
func synthRecords(n, first int) []store.FileRecord {
	rng := rand.New(rand.NewPCG(uint64(first), 1))
	confs := []media.Confidence{media.ConfidenceHigh, media.ConfidenceMedium, media.ConfidenceLow, media.ConfidenceNone}
	statuses := []media.Status{media.StatusDone, media.StatusDone, media.StatusDone, media.StatusError, media.StatusSkipped}
	// Sources whose words sort otherwise than their identifiers: "XMP
	// sidecar" (sidecar) comes last as read, "modified" (mtime) before it.
	sources := []media.Source{media.SourceEXIF, media.SourceEXIF, media.SourceMtime, media.SourceSidecar,
		media.SourceSequence, media.SourceFilename}
	base := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]store.FileRecord, n)
	for k := range recs {
		i := first + k
		name := fmt.Sprintf("IMG_%06d.JPG", rng.IntN(1_000_000))
		switch i % 7 {
		case 3:
			name = fmt.Sprintf("Fête été %d.jpeg", rng.IntN(1000))
		case 5:
			name = fmt.Sprintf("clip_%d.mov", rng.IntN(1000))
		}
		r := store.FileRecord{JobID: 1, Root: "/photos", RelPath: fmt.Sprintf("%04d/Trip %05d/%s", 2005+i/50_000, i/100, name),
			Size: rng.Int64N(10_000_000), Status: statuses[rng.IntN(len(statuses))], MIME: "image/jpeg",
			AnalysedAt: base.Add(time.Duration(i) * time.Millisecond)}
		if rng.IntN(10) > 0 {
			t := base.Add(time.Duration(rng.Int64N(20*365*24*3600)) * time.Second)
			r.Time = media.Timestamp{Value: t.Format("2006-01-02T15:04:05"), Time: t, Source: sources[rng.IntN(len(sources))],
				Confidence: confs[rng.IntN(len(confs))]}
		}
		recs[k] = r
	}
	slices.SortFunc(recs, func(a, b store.FileRecord) int { return strings.Compare(a.RelPath, b.RelPath) })
	return recs
}

// synthRows is n rows built as the engine builds them, batch by batch.
func synthRows(n int) []app.FileRow {
	b := app.NewRowBuilder()
	rows := make([]app.FileRow, 0, n)
	for at := 0; at < n; at += store.DefaultEachBatch {
		rows = append(rows, b.Rows(synthRecords(min(store.DefaultEachBatch, n-at), at))...)
	}
	return rows
}

func TestRowsStreamInBeforeTheLoadEnds(t *testing.T) {
	f := newFake()
	f.files[1] = synthRecords(2500, 0)
	f.rowBatch = 500
	type seen struct {
		read, set, shown int
		count            string
	}
	var during []seen
	var u *UI
	var clicked, detail string
	f.onBatch = func(read int) {
		v := u.files
		during = append(during, seen{read, len(v.set.rows), len(v.rows), v.count.Text})
		if read == 500 { // a click while the rest is read shows that file's record
			v.table.Select(widget.TableCellID{Row: 0, Col: 0})
			clicked = v.row(0).RelPath()
			if v.detail.shown {
				detail = v.detail.rec.RelPath
			}
		}
	}
	u = newTestUI(t, f)
	u.tabs.SelectIndex(tabFiles)
	u.startJob([]string{t.TempDir()})
	want := []seen{
		{500, 500, 500, "Loading… 500 of 2,500"},      // the first batch, shown at once
		{1000, 1000, 1000, "Loading… 1,000 of 2,500"}, // twice as many: shown again
		{1500, 1000, 1000, "Loading… 1,500 of 2,500"}, // counted, not yet sorted again
		{2000, 2000, 2000, "Loading… 2,000 of 2,500"}, // twice as many
		{2500, 2000, 2000, "Loading… 2,000 of 2,500"}, // the last batch: shown once all is done
	}
	if !slices.Equal(during, want) {
		t.Errorf("while loading:\n got %v\nwant %v", during, want)
	}
	if detail == "" || detail != clicked {
		t.Errorf("clicked %q while loading, the detail panel shows %q", clicked, detail)
	}
	v := u.files
	if len(v.set.rows) != 2500 || len(v.rows) != 2500 || v.count.Text != "2,500 of 2,500 files" || v.streaming {
		t.Errorf("loaded: %d rows, %d shown, count %q", len(v.set.rows), len(v.rows), v.count.Text)
	}
	for i := 1; i < len(v.rows); i++ {
		if v.row(i-1).RelPath() > v.row(i).RelPath() {
			t.Fatalf("not by name at %d: %s > %s", i, v.row(i-1).RelPath(), v.row(i).RelPath())
		}
	}
}

// referenceFilterSort is what filterSort must give, the slow way: every
// row's whole path lowered, a stable sort of the rows kept.
func referenceFilterSort(rows []app.FileRow, q filesQuery) []int32 {
	var out []int32
	for i := range rows {
		r := &rows[i]
		if q.keep(r) && strings.Contains(strings.ToLower(r.RelPath()), q.text) {
			out = append(out, int32(i))
		}
	}
	rank := func(r *app.FileRow) int {
		if r.Status != media.StatusDone {
			return 9
		}
		return slices.Index([]media.Confidence{media.ConfidenceHigh, media.ConfidenceMedium, media.ConfidenceLow,
			media.ConfidenceNone, ""}, r.Confidence)
	}
	slices.SortStableFunc(out, func(a, b int32) int {
		x, y := &rows[a], &rows[b]
		switch q.sortCol {
		case colName:
			return strings.Compare(x.RelPath(), y.RelPath())
		case colDate:
			return cmp.Compare(x.DateNS, y.DateNS)
		case colSource:
			return strings.Compare(strings.ToLower(fileCell(x, colSource)), strings.ToLower(fileCell(y, colSource)))
		case colConfidence:
			return cmp.Compare(rank(x), rank(y))
		case colType:
			return strings.Compare(x.Kind, y.Kind)
		}
		return strings.Compare(string(x.Status), string(y.Status))
	})
	if q.sortDesc {
		// Descending is the ascending order backwards, ties included.
		slices.Reverse(out)
	}
	return out
}

func TestSortAndFilterOfRowsAreTheSlowWaysResults(t *testing.T) {
	rows := synthRows(3000)
	set := newRowSet(1, rows)
	selected := rowKey(&rows[1234])
	queries := []filesQuery{
		{},
		{text: "été"},
		{text: "trip 1/img_0"},
		{conf: confLowNone},
		{status: string(media.StatusError)},
		{conf: confReview, text: ".jpg"},
		{conf: string(media.ConfidenceMedium), status: string(media.StatusDone), text: "fête"},
		{text: "no such file"},
		{text: "/"},
		{text: "5/trip 000"},
		{text: "00012/img_"},
		{text: "/fête été"},
		{text: "2005/trip 00003/clip_"},
		{text: "jpg"},
	}
	for col := range numFileColumns {
		for _, desc := range []bool{false, true} {
			for _, q := range queries {
				q.sortCol, q.sortDesc, q.selected = col, desc, selected
				got := filterSort(set, q)
				want := referenceFilterSort(rows, q)
				if !slices.Equal(got.rows, want) {
					t.Fatalf("%+v: %d rows, want %d (first difference at %d)", q, len(got.rows), len(want),
						firstDifference(got.rows, want))
				}
				if at := slices.Index(want, 1234); got.at != at {
					t.Errorf("%+v: the selected file is at %d, want %d", q, got.at, at)
				}
			}
		}
	}
	if set.dateLen != len("2006-01-02T15:04:05") {
		t.Errorf("longest date %d", set.dateLen)
	}
}

func TestRadixOrderIsAStableSort(t *testing.T) {
	if got := radixOrder(nil); len(got) != 0 {
		t.Errorf("no keys: %v", got)
	}
	rows := []int64{app.NoDate, 5, -3, math.MaxInt64, 5, app.NoDate + 1, 0, -3, 1 << 40}
	keys := make([]uint64, len(rows))
	for i, v := range rows {
		keys[i] = uint64(v) ^ (1 << 63)
	}
	want := []int32{0, 5, 2, 7, 6, 1, 4, 8, 3}
	if got := radixOrder(keys); !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	empty := newRowSet(1, nil)
	for col := range numFileColumns {
		if f := filterSort(empty, filesQuery{sortCol: col, text: "x"}); len(f.rows) != 0 {
			t.Errorf("column %d of no rows: %v", col, f.rows)
		}
	}
}

func firstDifference(a, b []int32) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestCompareJoinedIsCompareOfTheJoinedStrings(t *testing.T) {
	words := []string{"", "a", "ab", "a/", "a/b", "b", "ab/c", "é", "a\xff"}
	for _, x1 := range words {
		for _, x2 := range words {
			for _, y1 := range words {
				for _, y2 := range words {
					if got, want := compareJoined(x1, x2, y1, y2), strings.Compare(x1+x2, y1+y2); got != want {
						t.Fatalf("%q+%q vs %q+%q: %d, want %d", x1, x2, y1, y2, got, want)
					}
				}
			}
		}
	}
}

// TestAMillionRowsAreSortedOffTheUIGoroutine sorts a million rows by a
// column not ordered yet: the click only asks, the sorting is the
// spawned work's, and what it shows is in order.
func TestAMillionRowsAreSortedOffTheUIGoroutine(t *testing.T) {
	n := 1_000_000
	if raceDetector {
		n = 100_000 // the same goroutines, in a time -race allows
	}
	v := openFiles(t)
	v.set = newRowSet(1, synthRows(n))
	var queued []func()
	v.u.spawn = func(f func()) { queued = append(queued, f) }
	v.sortBy(colDate)
	if len(queued) != 1 || v.set.orders[colDate] != nil || len(v.rows) != 6 {
		t.Fatalf("the click sorted on the UI goroutine: %d queued, order built %v, %d rows shown",
			len(queued), v.set.orders[colDate] != nil, len(v.rows))
	}
	queued[0]()
	if all := thousands(n); len(v.rows) != n || v.count.Text != all+" of "+all+" files" {
		t.Fatalf("%d rows shown, count %q", len(v.rows), v.count.Text)
	}
	for i := 1; i < len(v.rows); i++ {
		if v.row(i-1).DateNS > v.row(i).DateNS {
			t.Fatalf("not by date at row %d", i)
		}
	}
}

// TestRowMemory reports the heap a million rows take, with their sort
// orders and lower-case paths, and the process's peak RSS; the issue asks
// for less than 1 GB at a million files, everything included.
func TestRowMemory(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("measures a million rows: not in -short or -race runs")
	}
	const n = 1_000_000
	var before, rowsOnly, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rows := synthRows(n)
	runtime.GC()
	runtime.ReadMemStats(&rowsOnly)
	set := newRowSet(1, rows)
	set.prepare()
	runtime.GC()
	runtime.ReadMemStats(&after)
	perRow := float64(rowsOnly.HeapAlloc-before.HeapAlloc) / n
	total := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("heap per row: %.0f B (rows), %.0f B (with 6 orders and lower-case paths); %.0f MB at 1M; peak RSS %s",
		perRow, total, total*n/1e6, testmem.PeakRSS())
	// 80 B of FileRow, then its name and date, its lower-case path and
	// 24 B of orders: about 170 B (260 B before rows shared their looks).
	if total > 250 {
		t.Errorf("%.0f B a row: a million would take %.0f MB", total, total*n/1e6)
	}
	runtime.KeepAlive(set)
}

// reportCPU reports the process's CPU time per operation, which a machine
// shared with other work does not stretch as it stretches the wall clock;
// call the function it returns when the loop is done.
func reportCPU(b *testing.B) func() {
	start := testcpu.Process()
	return func() {
		if d := testcpu.Process() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

var benchRows []app.FileRow

func millionRows(b *testing.B) []app.FileRow {
	if benchRows == nil {
		benchRows = synthRows(1_000_000)
	}
	return benchRows
}

// BenchmarkFilesSort1M: "cold" is the first sort by a column (its order
// built), "click" a sort once the orders are ready (what a click costs
// after the load, as prepare builds them in the background).
func BenchmarkFilesSort1M(b *testing.B) {
	rows := millionRows(b)
	for _, col := range []int{colName, colDate, colConfidence, colType} {
		b.Run("cold-"+fileColumns[col].title, func(b *testing.B) {
			defer reportCPU(b)()
			for b.Loop() {
				filterSort(newRowSet(1, rows), filesQuery{sortCol: col})
			}
		})
	}
	set := newRowSet(1, rows)
	set.prepare()
	b.Run("click", func(b *testing.B) {
		defer reportCPU(b)()
		col := 0
		for b.Loop() {
			col = (col + 1) % numFileColumns
			filterSort(set, filesQuery{sortCol: col, sortDesc: col%2 == 0, selected: rowKey(&rows[500_000])})
		}
	})
}

// BenchmarkFilesFilter1M filters a million ready rows by text and by confidence.
func BenchmarkFilesFilter1M(b *testing.B) {
	set := newRowSet(1, millionRows(b))
	set.prepare()
	for _, q := range []filesQuery{{text: "img_00"}, {text: ".jpg"}, {text: "été"}, {conf: confReview},
		{conf: confLowNone, text: "trip 12"}} {
		b.Run(q.conf+"/"+q.text, func(b *testing.B) {
			q.sortCol = colDate
			defer reportCPU(b)()
			for b.Loop() {
				filterSort(set, q)
			}
		})
	}
}

func TestChoosingAnotherJobWhileLoadingReadsThatJob(t *testing.T) {
	f := newFake()
	f.files[1] = synthRecords(2000, 0)
	f.files[2] = filesFixture()
	f.rowBatch = 500
	var u *UI
	f.onBatch = func(read int) {
		if read == 500 && u.files.jobID == 1 {
			u.files.load(2) // as History opens another scan
		}
	}
	u = newTestUI(t, f)
	u.tabs.SelectIndex(tabFiles)
	u.files.load(1)
	v := u.files
	if v.loaded != 2 || len(v.set.rows) != 6 || v.count.Text != "6 of 6 files" {
		t.Errorf("shows job %d, %d rows, count %q", v.loaded, len(v.set.rows), v.count.Text)
	}
	if n := strings.Count(strings.Join(f.Calls(), "\n"), "files 1"); n != 1 {
		t.Errorf("job 1 read %d times", n)
	}
}

func TestDamagedRecordsLeaveTheOthersShownAndAreCounted(t *testing.T) {
	f := newFake()
	f.files[1] = filesFixture()
	f.rowsErr = &store.DamagedRecords{Path: "/lib.db", Count: 2, First: "trip/x.jpg"}
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabFiles)
	u.startJob([]string{t.TempDir()})
	v := u.files
	if len(v.rows) != 6 || !strings.HasPrefix(v.count.Text, "6 of 6 files · 2 records of the library") {
		t.Errorf("%d rows, count %q", len(v.rows), v.count.Text)
	}
}

// The Source column says where a date came from in words, sorts by them as
// they read, and each fits the column; duplicates' cards and the detail pane say the same.
func TestSourceWordsFitTheirColumn(t *testing.T) {
	newTestUI(t, newFake())
	sources := []media.Source{media.SourceSidecar, media.SourceMtime, media.SourceEXIF, media.SourceSequence,
		media.SourceFilename, media.SourceFolder, media.SourceVideo, app.SourceUser}
	rows := make([]app.FileRow, len(sources))
	for i, s := range sources {
		rows[i] = app.FileRow{Dir: &app.RowFolder{Root: "/photos"}, Name: fmt.Sprintf("%d.jpg", i),
			RowLook: &app.RowLook{Kind: "JPEG", Source: s, Status: media.StatusDone}}
		w := fyne.MeasureText(fileCell(&rows[i], colSource), theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding()
		if w > fileColumns[colSource].width {
			t.Errorf("%q takes %.0f px of the Source column's %.0f", fileCell(&rows[i], colSource), w, fileColumns[colSource].width)
		}
	}
	set := newRowSet(1, rows)
	var shown []string
	for _, i := range set.order(colSource) {
		shown = append(shown, fileCell(&rows[i], colSource))
	}
	want := []string{"EXIF", "file name", "folder", "modified", "neighbours", "sidecar", "video", "your date"}
	// A duplicate's card says it in the same words.
	card := store.FileRecord{Time: media.Timestamp{Value: "2018-01-09T20:57:56", Source: media.SourceMtime}}
	if got := dateOrNone(card); got != "2018-01-09 20:57:56 (modified)" {
		t.Errorf("a card's date: %q", got)
	}
	// And the detail pane in a sentence.
	card.Status, card.Time.Confidence = media.StatusDone, media.ConfidenceLow
	if got := fileFacts(card); !strings.Contains(got, "Taken 2018-01-09 20:57:56 (from when it was last modified, LOW confidence)") {
		t.Errorf("the detail pane's facts: %q", got)
	}
	if !slices.Equal(shown, want) {
		t.Errorf("sorted by Source: %q, want %q", shown, want)
	}
}
