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

// queuedScan is a test window whose job 1 (sumFixture's files, read five
// a batch) has started, its clock and the work it spawns in the test's
// hands (run).
type queuedScan struct {
	f      *fakeEngine
	u      *UI
	recs   []store.FileRecord
	now    time.Time
	queued []func()
}

// startQueuedScan starts the scan with tab in front and runs what that reads.
func startQueuedScan(t *testing.T, tab int) *queuedScan {
	s := &queuedScan{f: newFake(), recs: sumFixture(), now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	s.f.files[1] = s.recs
	s.f.rowBatch = 5
	s.u = newTestUI(t, s.f)
	s.u.now = func() time.Time { return s.now }
	s.u.spawn = func(fn func()) { s.queued = append(s.queued, fn) }
	s.u.startJob([]string{t.TempDir()})
	s.run()
	s.u.tabs.SelectIndex(tab)
	s.run()
	return s
}

// show has the window show p, after later on its clock.
func (s *queuedScan) show(later time.Duration, p app.Progress) {
	s.now = s.now.Add(later)
	s.f.emit(p)
	s.u.flush()
}

// take returns the work queued so far, leaving none queued.
func (s *queuedScan) take() []func() {
	q := s.queued
	s.queued = nil
	return q
}

func (s *queuedScan) run() { runQueued(&s.queued) }

// grouping is the scan once it has handled every file and searches.
func (s *queuedScan) grouping() app.Progress {
	p := running(1, len(s.recs), len(s.recs), 1)
	p.Grouping = true
	return p
}

// readOnceSearching shows the scan searching, then runs read (queued
// before it searched); the count it returns goes on counting the batches of
// rows read from then on.
func (s *queuedScan) readOnceSearching(read func()) *int {
	s.show(0, s.grouping())
	batches := new(int)
	s.f.onBatch = func(int) { *batches++ }
	read()
	return batches
}

// searchForHours shows the scan searching for three hours: no read of its
// rows may begin meanwhile.
func (s *queuedScan) searchForHours(t *testing.T) {
	t.Helper()
	for range 3 {
		s.show(time.Hour, s.grouping())
	}
	if len(s.queued) != 0 {
		t.Errorf("%d reads begun while the scan searches", len(s.queued))
	}
}

// Once a scan has handled every file and searches for duplicates, no sum
// is read beside the search, and one being read stops: at a million files
// the two took the window to 1 GB.
func TestNoSumIsReadWhileAScanEnds(t *testing.T) {
	s := startQueuedScan(t, tabScan)
	s.show(time.Minute, running(1, 10, len(s.recs), 1))
	q := s.take()
	if len(q) != 1 || !s.u.files.counting {
		t.Fatalf("%d reads queued while the scan runs; want its sum", len(q))
	}
	// The scan handles its last file and searches while the sum is read.
	if batches := s.readOnceSearching(q[0]); *batches != 0 {
		t.Errorf("the sum took %d batches of %d rows once the scan searched, want it stopped at the first", *batches, s.f.rowBatch)
	}
	if s.u.files.loading {
		t.Error("the stopped sum left the view loading")
	}
	s.searchForHours(t)
}

// With Files in front, a running scan's rows read again stop once the scan
// has handled every file and searches, the rows shown staying as they were
// (at a million files the two sets and the search took the window to 1.36
// GB), and none is begun then; the scan's end reads them.
func TestRowsAreNotReadAgainWhileAScanEnds(t *testing.T) {
	s := startQueuedScan(t, tabFiles)
	v := s.u.files
	shown := v.set
	if v.loaded != 1 || shown == nil || len(shown.rows) != len(s.recs) {
		t.Fatalf("Files in front of the scan: loaded job %d", v.loaded)
	}
	s.show(time.Minute, running(1, 10, len(s.recs), 1))
	q := s.take()
	if len(q) != 1 || !v.loading || v.counting {
		t.Fatalf("%d reads queued while the scan runs, loading %v; want its rows read again", len(q), v.loading)
	}
	batches := s.readOnceSearching(q[0])
	if *batches != 0 {
		t.Errorf("the rows took %d batches of %d once the scan searched, want the read stopped at the first", *batches, s.f.rowBatch)
	}
	if v.loading || v.set != shown || strings.HasPrefix(v.count.Text, "Could not") {
		t.Errorf("after the stopped read: loading %v, the rows shown replaced %v, count %q", v.loading, v.set != shown, v.count.Text)
	}
	s.searchForHours(t)
	done := running(1, len(s.recs), len(s.recs), 1)
	done.State = store.StateCompleted
	s.show(0, done)
	s.run()
	if *batches == 0 || v.set == shown || len(v.set.rows) != len(s.recs) {
		t.Errorf("the scan's end read %d batches, the rows replaced %v", *batches, v.set != shown)
	}
}

// No read of a running scan's rows is begun when the scan should end
// before it would be done (the time left under the last read's), in Files
// or in the Scan view; with more time left, one is.
func TestNoRowsAreReadWhenTheScanEndsFirst(t *testing.T) {
	for _, tab := range []int{tabFiles, tabScan} {
		s := startQueuedScan(t, tab)
		s.u.files.every = 10 * time.Minute // the last read took a minute
		for _, tc := range []struct {
			left time.Duration
			read bool
		}{{30 * time.Second, false}, {5 * time.Minute, true}} {
			p := running(1, 10, len(s.recs), 1)
			p.Remaining = tc.left
			s.show(time.Hour, p)
			if read := len(s.take()) > 0; read != tc.read {
				t.Errorf("tab %d, %s left: a read begun %v, want %v", tab, tc.left, read, tc.read)
			}
			s.u.files.loading, s.u.files.counting = false, false
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

// ended is the scan completed, with every file handled; grouping and
// compacting say the engine still searches for its duplicates or compacts
// the library after it.
func (s *queuedScan) ended(grouping, compacting bool) app.Progress {
	p := running(1, len(s.recs), len(s.recs), 1)
	p.State = store.StateCompleted
	p.Grouping, p.Compacting = grouping, compacting
	return p
}

// With Files in front, the rows of a scan that ended are not read while
// the engine searches for its duplicates or compacts the library after it:
// the rows shown stay, the read begun when the scan was seen to end stops,
// and they are read once the engine is done. At a million files the end's
// read beside the search took the window to 1.16 GB.
func TestRowsOfAnEndedScanAreReadAfterTheEnginesWork(t *testing.T) {
	for _, seen := range []string{"the end, then the search", "the end with the search"} {
		s := startQueuedScan(t, tabFiles)
		v := s.u.files
		shown := v.set
		if v.loaded != 1 || shown == nil {
			t.Fatalf("%s: Files in front of the scan: loaded job %d", seen, v.loaded)
		}
		batches := new(int)
		if seen == "the end, then the search" {
			// The engine begins its search as the end's read takes its
			// first batch.
			s.show(time.Minute, s.ended(false, false))
			searching := false
			s.f.onBatch = func(int) {
				if !searching {
					searching = true
					s.show(0, s.ended(true, false))
					return
				}
				*batches++
			}
			s.run()
			if !searching {
				t.Fatalf("%s: no rows read when the scan ended", seen)
			}
			if *batches != 0 {
				t.Errorf("%s: the end's read took %d more batches once the engine searched, want it stopped", seen, *batches)
			}
		}
		s.f.onBatch = func(int) { *batches++ }
		if seen != "the end, then the search" {
			s.show(time.Minute, s.ended(true, false))
		}
		for _, p := range []app.Progress{s.ended(true, false), s.ended(false, true), s.ended(true, false)} {
			s.show(time.Hour, p)
			s.run()
		}
		if *batches != 0 || v.set != shown || v.loading {
			t.Errorf("%s: while the engine works: %d batches read, the rows shown replaced %v, loading %v",
				seen, *batches, v.set != shown, v.loading)
		}
		s.show(time.Minute, s.ended(false, false))
		s.run()
		if *batches == 0 || v.set == shown || len(v.set.rows) != len(s.recs) {
			t.Errorf("%s: once the engine is done: %d batches read, the rows replaced %v", seen, *batches, v.set != shown)
		}
		before := *batches
		s.show(time.Minute, s.ended(false, false))
		s.run()
		if *batches != before {
			t.Errorf("%s: the rows were read again when nothing changed (%d more batches)", seen, *batches-before)
		}
	}
}
