package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

// foundText is f with the dates and confidences of its latest rows.
func foundText(f found) string {
	var b strings.Builder
	fmt.Fprintf(&b, "done %d; ", f.done)
	for _, c := range confOrder {
		fmt.Fprintf(&b, "%s %d ", c, f.byConf[c])
	}
	for _, r := range f.latest {
		fmt.Fprintf(&b, "| %s %s %s ", r.Name, r.Date, r.Confidence)
	}
	return b.String()
}

// sumFixture is a scan's rows: analysed one a second, some pending.
func sumFixture() []store.FileRecord {
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var recs []store.FileRecord
	confs := []media.Confidence{media.ConfidenceHigh, media.ConfidenceMedium, media.ConfidenceLow, media.ConfidenceNone, ""}
	for i := range 23 {
		r := rec(fmt.Sprintf("IMG_%04d.jpg", i), confs[i%len(confs)], media.StatusDone, fmt.Sprintf("2020-01-%02dT10:00:00", 1+i))
		switch {
		case i%7 == 6:
			r.Status = media.StatusPending
		case i%11 == 10:
			r.Status = media.StatusError
		}
		if r.Status != media.StatusPending {
			r.AnalysedAt = base.Add(time.Duration(i%9) * time.Second) // ties, as a batch commits
		}
		recs = append(recs, r)
	}
	return recs
}

// Summing a scan's rows a batch at a time, keeping none of them, finds what
// summing them all at once finds: the counts, the latest rows in the same
// order (ties included), and the dates numbered neighbours give earlier
// rows at the end, except where a date was decided in the window. Each
// case fails when redate leaves a count or a latest row as it was.
func TestFoundCounterSumsBatchesAsTheWholeRowsDo(t *testing.T) {
	recs := sumFixture()
	all := rowsOf(recs)
	high := media.Timestamp{Value: "2020-02-02T02:02:02", Confidence: media.ConfidenceHigh, Source: media.SourceFilename}
	var latestAt int // a row among the latest, analysed last
	for i := range all {
		if all[i].AnalysedNS > all[latestAt].AnalysedNS {
			latestAt = i
		}
	}
	// A decided row among the latest, with a neighbour's date for it that
	// the decision must win over, and a decided row counted under another
	// confidence than the neighbour's.
	decidedRow := 3
	decided := map[string]string{all[decidedRow].AbsPath(): "2011-11-11T11:11:11", all[latestAt].AbsPath(): "2012-12-12T12:12:12"}
	for _, c := range []struct {
		name    string
		dated   []app.DatedRow
		decided map[string]string
	}{
		{"no dates from neighbours", nil, nil},
		{"dates from neighbours", []app.DatedRow{{At: 1, Date: high}, {At: 2, Date: high}, {At: latestAt, Date: high}, {At: 6, Date: high}}, nil},
		{"dates decided", []app.DatedRow{{At: decidedRow, Date: high}, {At: latestAt, Date: high}, {At: 1, Date: high}}, decided},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
			// As rowsLoad.run: decisions on each batch, then the neighbours'
			// dates, then the decisions again.
			whole := slices.Clone(all)
			applyDecisions(whole, c.decided, now)
			for _, d := range c.dated {
				d.Apply(&whole[d.At])
				applyDecisions(whole[d.At:d.At+1], c.decided, now)
			}
			want := foundText(summarize(whole))
			for _, size := range []int{1, 4, len(all)} {
				cnt := newFoundCounter()
				for at := 0; at < len(all); at += size {
					batch := slices.Clone(all[at:min(at+size, len(all))])
					cnt.add(batch, applyDecisions(batch, c.decided, now))
				}
				cnt.redate(c.dated)
				if got := foundText(cnt.found()); got != want {
					t.Errorf("in batches of %d:\n got %s\nwant %s", size, got, want)
				}
			}
		})
	}
}

// While a scan runs with the Scan view in front, the view's sum is read
// without keeping the scan's rows (a million of them took the window near
// 1 GB); Files reads them once opened, also when it is opened while the
// sum is being read; and once the scan stops the rows are read for Files.
func TestScanViewSumsARunningScanWithoutHoldingItsRows(t *testing.T) {
	f := newFake()
	recs := sumFixture()
	f.files[1] = recs
	u := newTestUI(t, f)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	u.now = func() time.Time { return now }
	u.startJob([]string{t.TempDir()})
	f.emit(running(1, 10, len(recs), 1))
	u.flush()
	high := fmt.Sprint(summarize(rowsOf(recs)).byConf[media.ConfidenceHigh])
	if !u.scan.found.root.Visible() || u.scan.found.conf[media.ConfidenceHigh].value.Text != high {
		t.Fatalf("the found panel: visible %v, HIGH %q, want %s", u.scan.found.root.Visible(), u.scan.found.conf[media.ConfidenceHigh].value.Text, high)
	}
	if u.files.loaded == 1 || (u.files.set != nil && len(u.files.set.rows) > 0) {
		t.Fatalf("the running scan's rows are held (%d of them) while only the Scan view is in front", len(u.files.set.rows))
	}

	// Files opened while the sum is read: the rows are read once it is done.
	var queued []func()
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	now = now.Add(time.Minute)
	f.emit(running(1, 12, len(recs), 1))
	u.flush()
	if len(queued) != 1 || !u.files.counting {
		t.Fatalf("%d reads queued, counting %v; want the sum's", len(queued), u.files.counting)
	}
	u.tabs.SelectIndex(tabFiles)
	runQueued(&queued)
	if u.files.loaded != 1 || len(u.files.set.rows) != len(recs) {
		t.Fatalf("Files opened during the sum: loaded job %d with %d rows", u.files.loaded, len(u.files.set.rows))
	}

	// Back on the Scan view, the scan stops while its sum is read: the rows
	// are read again once the sum is done, and the panel says it is done.
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	u.tabs.SelectIndex(tabScan)
	u.files.loaded = 0 // as if never read
	now = now.Add(time.Hour)
	f.emit(running(1, 20, len(recs), 1))
	u.flush()
	if !u.files.counting {
		t.Fatal("no sum read on the Scan view")
	}
	done := running(1, len(recs), len(recs), 1)
	done.State = store.StateCompleted
	f.emit(done)
	u.flush()
	runQueued(&queued)
	if u.files.loaded != 1 || len(u.files.set.rows) != len(recs) {
		t.Errorf("after the scan stopped: loaded job %d with %d rows", u.files.loaded, len(u.files.set.rows))
	}
	if got := u.scan.found.head.Text; got != "Dates found" {
		t.Errorf("the found panel says %q once the scan completed", got)
	}
}

// Once a scan has handled every file and searches for duplicates, no sum
// is read beside the search, and one being read stops: at a million files
// the two took the window to 1 GB.
func TestNoSumIsReadWhileAScanEnds(t *testing.T) {
	f := newFake()
	recs := sumFixture()
	f.files[1] = recs
	f.rowBatch = 5
	u := newTestUI(t, f)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	u.now = func() time.Time { return now }
	var queued []func()
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	u.startJob([]string{t.TempDir()})
	runQueued(&queued) // what starting reads
	now = now.Add(time.Minute)
	f.emit(running(1, 10, len(recs), 1))
	u.flush()
	if len(queued) != 1 || !u.files.counting {
		t.Fatalf("%d reads queued while the scan runs; want its sum", len(queued))
	}
	sum := queued[0]
	queued = nil
	// The scan handles its last file and searches while the sum is read.
	grouping := running(1, len(recs), len(recs), 1)
	grouping.Grouping = true
	f.emit(grouping)
	u.flush()
	batches := 0
	f.onBatch = func(int) { batches++ }
	sum()
	if batches != 0 {
		t.Errorf("the sum took %d batches of %d rows once the scan searched, want it stopped at the first", batches, f.rowBatch)
	}
	if u.files.loading {
		t.Error("the stopped sum left the view loading")
	}
	for range 3 {
		now = now.Add(time.Hour)
		f.emit(grouping)
		u.flush()
	}
	if len(queued) != 0 {
		t.Errorf("%d reads begun while the scan searches", len(queued))
	}
}

// With Files in front, a running scan's rows read again stop once the scan
// has handled every file and searches, the rows shown staying as they were
// (at a million files the two sets and the search took the window to 1.36
// GB), and none is begun then; the scan's end reads them.
func TestRowsAreNotReadAgainWhileAScanEnds(t *testing.T) {
	f := newFake()
	recs := sumFixture()
	f.files[1] = recs
	f.rowBatch = 5
	u := newTestUI(t, f)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	u.now = func() time.Time { return now }
	var queued []func()
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	u.startJob([]string{t.TempDir()})
	runQueued(&queued)
	u.tabs.SelectIndex(tabFiles) // Files opened: the rows, streamed
	runQueued(&queued)
	shown := u.files.set
	if u.files.loaded != 1 || shown == nil || len(shown.rows) != len(recs) {
		t.Fatalf("Files in front of the scan: loaded job %d", u.files.loaded)
	}
	now = now.Add(time.Minute)
	f.emit(running(1, 10, len(recs), 1))
	u.flush()
	if len(queued) != 1 || !u.files.loading || u.files.counting {
		t.Fatalf("%d reads queued while the scan runs, loading %v; want its rows read again", len(queued), u.files.loading)
	}
	again := queued[0]
	queued = nil
	grouping := running(1, len(recs), len(recs), 1)
	grouping.Grouping = true
	f.emit(grouping)
	u.flush()
	batches := 0
	f.onBatch = func(int) { batches++ }
	again()
	if batches != 0 {
		t.Errorf("the rows took %d batches of %d once the scan searched, want the read stopped at the first", batches, f.rowBatch)
	}
	if u.files.loading || u.files.set != shown || strings.HasPrefix(u.files.count.Text, "Could not") {
		t.Errorf("after the stopped read: loading %v, the rows shown replaced %v, count %q",
			u.files.loading, u.files.set != shown, u.files.count.Text)
	}
	for range 3 {
		now = now.Add(time.Hour)
		f.emit(grouping)
		u.flush()
	}
	if len(queued) != 0 {
		t.Errorf("%d reads begun while the scan searches", len(queued))
	}
	done := running(1, len(recs), len(recs), 1)
	done.State = store.StateCompleted
	f.emit(done)
	u.flush()
	runQueued(&queued)
	if batches == 0 || u.files.set == shown || len(u.files.set.rows) != len(recs) {
		t.Errorf("the scan's end read %d batches, the rows replaced %v", batches, u.files.set != shown)
	}
}

// No read of a running scan's rows is begun when the scan should end
// before it would be done (the time left under the last read's), in Files
// or in the Scan view; with more time left, one is.
func TestNoRowsAreReadWhenTheScanEndsFirst(t *testing.T) {
	for _, tab := range []int{tabFiles, tabScan} {
		f := newFake()
		recs := sumFixture()
		f.files[1] = recs
		u := newTestUI(t, f)
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		u.now = func() time.Time { return now }
		var queued []func()
		u.spawn = func(fn func()) { queued = append(queued, fn) }
		u.startJob([]string{t.TempDir()})
		u.tabs.SelectIndex(tab)
		runQueued(&queued)
		u.files.every = 10 * time.Minute // the last read took a minute
		for _, tc := range []struct {
			left time.Duration
			read bool
		}{{30 * time.Second, false}, {5 * time.Minute, true}} {
			now = now.Add(time.Hour)
			p := running(1, 10, len(recs), 1)
			p.Remaining = tc.left
			f.emit(p)
			u.flush()
			if read := len(queued) > 0; read != tc.read {
				t.Errorf("tab %d, %s left: a read begun %v, want %v", tab, tc.left, read, tc.read)
			}
			queued = nil
			u.files.loading, u.files.counting = false, false
		}
	}
}

// runQueued runs the work queued by a test's spawn, and what it queues in
// turn, until none is left.
func runQueued(queued *[]func()) {
	for len(*queued) > 0 {
		fn := (*queued)[0]
		*queued = (*queued)[1:]
		fn()
	}
}
