package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

func rec(path string, conf media.Confidence, status media.Status, when string) store.FileRecord {
	r := store.FileRecord{JobID: 1, Root: "/photos", RelPath: path, Status: status, MIME: "image/jpeg", Size: 2_400_000,
		Width: 4032, Height: 3024, SHA256: strings.Repeat("ab", 32)}
	r.Time.Confidence = conf
	if when != "" {
		r.Time.Value = when
		r.Time.Time, _ = time.Parse("2006-01-02T15:04:05", when)
		r.Time.Source = media.SourceEXIF
	}
	return r
}

func filesFixture() []store.FileRecord {
	a := rec("2019/a.jpg", media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
	a.Time.Candidates = []media.Candidate{
		{Kind: media.KindEXIFOriginal, Source: media.SourceEXIF, Value: "2019-07-04T15:30:12", Detail: "EXIF DateTimeOriginal", Chosen: true},
		{Kind: media.KindMtime, Source: media.SourceMtime, Value: "2024-01-02T10:00:00", Detail: "file modification time"},
		{Kind: media.KindFilenameDate, Source: media.SourceFilename, Value: "1970-01-01", Detail: "file name", Rejected: true, Reason: "before 2000"},
	}
	return []store.FileRecord{
		a,
		rec("2018/b.jpg", media.ConfidenceLow, media.StatusDone, "2018-01-01T00:00:00"),
		rec("c.jpg", media.ConfidenceNone, media.StatusDone, ""),
		rec("d.jpg", media.ConfidenceMedium, media.StatusDone, "2020-05-05T05:05:05"),
		rec("e.jpg", media.ConfidenceLow, media.StatusError, "2019-07-13T15:30:13"), // a damaged photo, dated by what is left
		rec("notes.txt", "", media.StatusSkipped, ""),
	}
}

func rowPaths(v *filesView) string {
	var out []string
	for i := range v.rows {
		out = append(out, v.row(i).RelPath())
	}
	return strings.Join(out, " ")
}

// rowAt is the table row showing rel, -1 when none does.
func rowAt(v *filesView, rel string) int {
	for i := range v.rows {
		if v.row(i).RelPath() == rel {
			return i
		}
	}
	return -1
}

// rowsOf is the records as the engine's rows.
func rowsOf(recs []store.FileRecord) []app.FileRow {
	b := app.NewRowBuilder()
	var out []app.FileRow
	for i := range recs {
		out = append(out, b.Row(&recs[i]))
	}
	return out
}

func TestFilesTableFiltersSortsAndShowsCandidates(t *testing.T) {
	f := newFake()
	f.files[1] = filesFixture()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabFiles)
	v := u.files
	if len(v.rows) != 6 || v.count.Text != "6 of 6 files" {
		t.Fatalf("rows %d, count %q", len(v.rows), v.count.Text)
	}
	if got := rowPaths(v); got != "2018/b.jpg 2019/a.jpg c.jpg d.jpg e.jpg notes.txt" {
		t.Errorf("sorted by name: %s", got)
	}

	v.confSel.SetSelected(confLowNone)
	if got := rowPaths(v); got != "2018/b.jpg c.jpg" {
		t.Errorf("LOW and NONE: %s", got)
	}
	v.confSel.SetSelected(confAll)
	v.statusSel.SetSelected(string(media.StatusError))
	if got := rowPaths(v); got != "e.jpg" {
		t.Errorf("errors: %s", got)
	}
	v.statusSel.SetSelected(statusAll)

	v.sortBy(1) // date taken, oldest first
	if got := rowPaths(v); !strings.HasPrefix(got, "c.jpg") && !strings.HasSuffix(got, "d.jpg") {
		t.Errorf("by date: %s", got)
	}
	v.sortBy(1) // newest first
	if v.row(0).RelPath() != "d.jpg" {
		t.Errorf("by date, newest first: %s", rowPaths(v))
	}
	v.sortBy(3) // confidence
	if v.row(0).Confidence != media.ConfidenceHigh {
		t.Errorf("by confidence: %s", rowPaths(v))
	}

	v.search.SetText("2019")
	if got := rowPaths(v); got != "2019/a.jpg" {
		t.Fatalf("search: %s", got)
	}
	v.table.Select(widget.TableCellID{Row: 0, Col: 0})
	detail := joined(v.detail.root)
	for _, want := range []string{"taken (EXIF)", "EXIF DateTimeOriginal", "chosen", "rejected: before 2000", "4032 × 3024"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, detail)
		}
	}
	if v.detail.thumb.Image == nil {
		t.Error("no thumbnail in the detail panel")
	}
}

func TestFilesViewReloadsWhileRunningAtMostEveryFewSeconds(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	u.now = func() time.Time { return now }
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabFiles)
	count := func() int {
		n := 0
		for _, c := range f.Calls() {
			if c == "files 1" {
				n++
			}
		}
		return n
	}
	base := count()
	f.emit(running(1, 5, 10, 0))
	u.flush()
	if count() != base {
		t.Fatal("reloaded again at once")
	}
	now = now.Add(filesReloadEvery)
	f.emit(running(1, 6, 10, 0))
	u.flush()
	if count() != base+1 {
		t.Fatalf("not reloaded after %v", filesReloadEvery)
	}
}

func TestDuplicatesShowGroupsSideBySide(t *testing.T) {
	f := newFake()
	small := rec("copies/IMG_1.jpg", media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
	small.Width, small.Height = 1024, 768
	small.SHA256 = strings.Repeat("ef", 32) // a smaller copy: other bytes
	big := rec("IMG_1.jpg", media.ConfidenceHigh, media.StatusDone, "2019-07-04T15:30:12")
	f.dups = app.Duplicates{
		Exact: []store.DupGroup{{SHA256: strings.Repeat("cd", 32), Files: []store.FileRecord{big, big}}},
		Near:  []store.DupGroup{{MaxDistance: 4, Evidence: []string{"a ~ b: pHash distance 4, dHash distance 3"}, Files: []store.FileRecord{small, big}}},
	}
	u := newTestUI(t, f)
	u.settings.entries[5].SetText("7")
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabDuplicates)
	if f.dupDistance != 7 {
		t.Errorf("asked with distance %d, want the setting 7", f.dupDistance)
	}
	if len(u.dups.groups) != 2 || !strings.Contains(u.dups.summary.Text, "1 group of exact copies") {
		t.Fatalf("groups %d, summary %q", len(u.dups.groups), u.dups.summary.Text)
	}
	u.dups.kind.SetSelected(u.dups.kind.Options[2])
	if len(u.dups.groups) != 1 || !u.dups.groups[0].Near || u.dups.kind.Selected != "Look-alikes (1)" {
		t.Fatalf("look-alikes only: %d groups, %q", len(u.dups.groups), u.dups.kind.Selected)
	}
	u.dups.kind.SetSelected(u.dups.kind.Options[0])
	row := newGroupRow()
	row.set(u.dups, u.dups.groups[1])
	text := joined(row.box)
	for _, want := range []string{"Look-alikes", "1024 × 768", "4032 × 3024", "Likely original", "2.4 MB", "differ by up to 4 of 64 points", "/photos/copies"} {
		if !strings.Contains(text, want) {
			t.Errorf("near group lacks %q:\n%s", want, text)
		}
	}
	if len(row.cards.Objects) != 2 {
		t.Fatalf("%d cards side by side", len(row.cards.Objects))
	}
	// A file without dimensions (a video) says what it is instead.
	clip := rec("MVI_0420.MP4", media.ConfidenceHigh, media.StatusDone, "2021-05-02T10:00:00")
	clip.MIME, clip.Width, clip.Height, clip.Size = "video/mp4", 0, 0, 8_500_000
	row.set(u.dups, store.DupGroup{SHA256: strings.Repeat("12", 32), Files: []store.FileRecord{clip, clip}})
	if text := joined(row.box); !strings.Contains(text, "8.5 MB · MP4") || strings.Contains(text, "dimensions") {
		t.Errorf("a video's card:\n%s", text)
	}
}

func TestDuplicateGroupsWastingMostComeFirst(t *testing.T) {
	f := newFake()
	small, big := rec("a.jpg", "", media.StatusDone, ""), rec("b.jpg", "", media.StatusDone, "")
	small.Size, big.Size = 10, 1000
	f.dups = app.Duplicates{Exact: []store.DupGroup{
		{SHA256: "small", Files: []store.FileRecord{small, small}},
		{SHA256: "big", Files: []store.FileRecord{big, big, big}},
	}}
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabDuplicates)
	if u.dups.groups[0].SHA256 != "big" || spareBytes(u.dups.groups[0], nil) != 2000 {
		t.Fatalf("first group %q spares %d", u.dups.groups[0].SHA256, spareBytes(u.dups.groups[0], nil))
	}
}

// Two names of one file (a hard link) waste nothing: their group comes
// after a small real copy, however large the file.
func TestHardLinkedNamesWasteNothingInTheOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) store.FileRecord {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		r := rec(name, media.ConfidenceHigh, media.StatusDone, "")
		r.Root, r.Size = dir, int64(size)
		return r
	}
	small, smallCopy, big := write("a.jpg", 10), write("a copy.jpg", 10), write("big.jpg", 5000)
	if err := os.Link(filepath.Join(dir, "big.jpg"), filepath.Join(dir, "big link.jpg")); err != nil {
		t.Skip("no hard links here:", err)
	}
	link := big
	link.RelPath = "big link.jpg"
	f := newFake()
	f.dups = app.Duplicates{Exact: []store.DupGroup{
		{SHA256: "linked", Files: []store.FileRecord{big, link}},
		{SHA256: "copied", Files: []store.FileRecord{small, smallCopy}},
	}}
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	u.tabs.SelectIndex(tabDuplicates)
	if len(u.dups.groups) != 2 || u.dups.groups[0].SHA256 != "copied" || spareBytes(u.dups.groups[1], u.dups.same) != 0 {
		t.Fatalf("order %q, %q; the linked group spares %d", u.dups.groups[0].SHA256, u.dups.groups[1].SHA256,
			spareBytes(u.dups.groups[1], u.dups.same))
	}
}

func TestLikelyOriginal(t *testing.T) {
	mk := func(w, h int, when string, size int64, path string) store.FileRecord {
		r := rec(path, media.ConfidenceHigh, media.StatusDone, when)
		r.Width, r.Height, r.Size = w, h, size
		return r
	}
	for _, c := range []struct {
		name  string
		files []store.FileRecord
		want  int
	}{
		{"most pixels", []store.FileRecord{mk(100, 100, "", 9, "a"), mk(200, 100, "", 1, "b")}, 1},
		{"earliest date", []store.FileRecord{mk(100, 100, "2020-01-01T00:00:00", 1, "a"), mk(100, 100, "2019-01-01T00:00:00", 1, "b")}, 1},
		{"a date beats none", []store.FileRecord{mk(100, 100, "", 1, "a"), mk(100, 100, "2021-01-01T00:00:00", 1, "b")}, 1},
		{"largest file", []store.FileRecord{mk(100, 100, "", 5, "a"), mk(100, 100, "", 1, "b")}, 0},
		{"shortest path", []store.FileRecord{mk(100, 100, "", 1, "copies/a"), mk(100, 100, "", 1, "a")}, 1},
	} {
		if got := likelyOriginal(c.files); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

func TestHistoryListsJobsAndOpensOne(t *testing.T) {
	f := newFake()
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	f.jobs = []store.Job{
		{ID: 2, Roots: []string{"/b"}, Status: store.StateHalted, ProgressCurrent: 20, ProgressTotal: 100, ErrorCount: 3,
			StartedAt: start, CompletedAt: start.Add(90 * time.Second), Listed: true, ErrorMessage: "too many errors"},
		{ID: 1, Roots: []string{"/a"}, Status: store.StateCompleted, ProgressCurrent: 10, ProgressTotal: 10,
			StartedAt: start, CompletedAt: start.Add(time.Hour + 5*time.Minute), Listed: true},
	}
	f.files[2] = filesFixture()
	u := newTestUI(t, f)
	u.tabs.SelectIndex(tabHistory)
	v := u.history
	if len(v.jobs) != 2 {
		t.Fatalf("%d jobs", len(v.jobs))
	}
	if got := v.historyCell(f.jobs[0], 3); got != "Stopped: too many errors" {
		t.Errorf("status = %q", got)
	}
	if got := v.historyCell(f.jobs[0], 7); got != "1 min 30 s" {
		t.Errorf("duration = %q", got)
	}
	if got := v.historyCell(f.jobs[1], 7); got != "1 h 5 min" {
		t.Errorf("duration = %q", got)
	}
	if got := v.historyCell(f.jobs[0], 4); got != "20 / 100" {
		t.Errorf("files = %q", got)
	}
	// A run of a few files takes a fraction of a second: said as the run's
	// own "time taken" says it, not "0 s".
	quick := store.Job{ID: 3, Status: store.StateCompleted, StartedAt: start, CompletedAt: start.Add(300 * time.Millisecond)}
	if got := v.historyCell(quick, 7); got != "under 1 s" {
		t.Errorf("sub-second duration = %q", got)
	}
	// The widest durations fit too (a million files took "26 min 20 s",
	// which read "26 … 8 s" in 80 px).
	for _, d := range []time.Duration{0, 26*time.Minute + 20*time.Second, 59*time.Minute + 59*time.Second, 23*time.Hour + 59*time.Minute} {
		text := tookText(d)
		if w := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding(); w > historyColumns[7].width {
			t.Errorf("%q takes %.0f px, the Duration column %.0f", text, w, historyColumns[7].width)
		}
	}

	v.table.Select(widget.TableCellID{Row: 0, Col: 1}) // arrow keys and Space pick a cell
	if u.jobID != 2 || u.tabs.SelectedIndex() != tabFiles || len(u.files.set.rows) != 6 {
		t.Fatalf("opened: jobID %d tab %d files %d", u.jobID, u.tabs.SelectedIndex(), len(u.files.set.rows))
	}
	if !u.scan.banner.Visible() || u.scan.bannerMsg.Text != "too many errors" {
		t.Error("an opened halted job does not show its banner")
	}
}

func TestSettingsPersistAndApplyToTheNextJob(t *testing.T) {
	f := newFake()
	a := test.NewTempApp(t)
	u := newUI(a, f)
	u.do = func(fn func()) { fn() }
	u.spawn = func(fn func()) { fn() }

	u.settings.entries[0].SetText("3")    // workers
	u.settings.entries[2].SetText("25")   // error threshold, percent
	u.settings.entries[4].SetText("1990") // min year
	u.startJob([]string{t.TempDir()})
	if len(f.settings) != 1 {
		t.Fatal("no job started")
	}
	s := f.settings[0]
	if s.Workers != 3 || s.MaxErrorRate != 0.25 || s.MinYear != 1990 || s.BatchSize != app.DefaultBatchSize {
		t.Fatalf("job ran with %+v", s)
	}
	u.win.Close()

	again := newUI(a, newFake())
	defer again.win.Close()
	if got, _ := again.settings.current(); got.Workers != 3 || got.MaxErrorRate != 0.25 {
		t.Fatalf("a new window reads %+v", got)
	}

	again.settings.entries[3].SetText("lots")
	if !strings.Contains(again.settings.status.Text, "Not saved") {
		t.Errorf("status = %q", again.settings.status.Text)
	}
	if _, err := again.settings.current(); err == nil {
		t.Error("an invalid setting was accepted")
	}
	for i, item := range settingsList() {
		if item.hint == "" || len(again.settings.entries) <= i {
			t.Errorf("setting %s has no explanation", item.label)
		}
	}
	again.settings.reset()
	if got, _ := again.settings.current(); got.Workers != app.DefaultSettings().Workers {
		t.Errorf("reset: %+v", got)
	}
}

func TestSettingsRefuseInvalidJobStart(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.settings.entries[5].SetText("99") // near distance above 32
	u.startJob([]string{t.TempDir()})
	if len(f.starts) != 0 {
		t.Fatal("a job started with invalid settings")
	}
	if u.tabs.SelectedIndex() != tabSettings || !strings.Contains(overlayText(u.win), "near-duplicate distance") {
		t.Fatalf("tab %d, dialog %q", u.tabs.SelectedIndex(), overlayText(u.win))
	}
}

func TestMiddleLabelKeepsBothEnds(t *testing.T) {
	test.NewTempApp(t)
	l := newMiddleLabel("")
	l.SetFull("/home/someone/Pictures/" + strings.Repeat("very long folder name/", 10) + "IMG_0001.JPG")
	l.Resize(fyne.NewSize(260, l.MinSize().Height))
	if !strings.HasPrefix(l.Text, "/home/") || !strings.HasSuffix(l.Text, "IMG_0001.JPG") || !strings.Contains(l.Text, "…") {
		t.Fatalf("shown %q", l.Text)
	}
	if w := fyne.MeasureText(l.Text, 14, l.TextStyle).Width; w > 260 {
		t.Errorf("text is %v wide in 260", w)
	}
	l.Resize(fyne.NewSize(4000, l.MinSize().Height))
	if l.Text != l.Full() {
		t.Errorf("wide enough, still elided: %q", l.Text)
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{thousands(0), "0"}, {thousands(999), "999"}, {thousands(3412), "3,412"}, {thousands(1234567), "1,234,567"},
		{thousands(-1000), "-1,000"}, {plural(1, "scan"), "1 scan"}, {plural(1200, "file"), "1,200 files"},
		{humanDuration(45 * time.Second), "45 s"}, {humanDuration(156 * time.Second), "2 min 36 s"},
		{humanDuration(2*time.Hour + 5*time.Minute), "2 h 5 min"},
		{media.SizeText(999), "999 B"}, {media.SizeText(2_400_000), "2.4 MB"},
		{app.ElideMiddle("abcdefghij", 5), "ab…ij"}, {app.ElideMiddle("abc", 5), "abc"},
		{rootsLabel([]string{"/a", "/b", "/c"}), "/a and 2 more"},
		{typeName("image/jpeg", "x.jpg"), "JPEG"}, {typeName("video/quicktime", "x.mov"), "MOV"}, {typeName("", "x.heic"), "HEIC"}, {typeName("application/octet-stream", "a.jpg"), "JPG"},
		{dupSummary(app.Duplicates{}, false, nil), "No duplicates: every photo and video is one of a kind."},
		{strings.SplitN(dupSummary(app.Duplicates{Near: []store.DupGroup{{Files: make([]store.FileRecord, 2)}}}, false, nil), ".", 2)[0], "1 group of look-alikes (2 files)"},
		{interruptedText(store.Job{Roots: []string{"/p"}, ProgressCurrent: 3412, ProgressTotal: 10000, Interrupted: true}), "A scan of /p stopped at 3,412 of 10,000."},
		{interruptedText(store.Job{Roots: []string{"/p"}, ProgressCurrent: 5, ProgressTotal: 9}), "A scan of /p is paused at 5 of 9."},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestScanViewShowsWhatWasFoundSoFar(t *testing.T) {
	f := newFake()
	recs := filesFixture()
	base := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range recs {
		recs[i].AnalysedAt = base.Add(time.Duration(i) * time.Second)
	}
	recs = append(recs, rec("later/pending.jpg", "", media.StatusPending, ""))
	f.files[1] = recs
	u := newTestUI(t, f)
	now := base
	u.now = func() time.Time { return now }
	u.startJob([]string{t.TempDir()})
	now = now.Add(filesReloadEvery)
	f.emit(running(1, 6, 7, 1))
	u.flush()

	if !u.scan.found.root.Visible() {
		t.Fatal("the found panel is hidden")
	}
	got := summarize(rowsOf(recs)).String()
	if got != "HIGH 1 MEDIUM 1 LOW 1 NONE 1 notes.txt e.jpg d.jpg c.jpg b.jpg" {
		t.Errorf("summary = %q", got)
	}
	if s := u.scan.found.conf[media.ConfidenceLow].value; s.Text != "1" || s.Importance != widget.WarningImportance {
		t.Errorf("LOW chip = %q %v", s.Text, s.Importance)
	}
	if first := u.scan.found.rows[0][0].Full(); first != "notes.txt" {
		t.Errorf("latest file = %q, want the last analysed", first)
	}
	if u.scan.found.rows[1][1].Full() != "failed" || u.scan.found.rows[1][2].Full() != "" {
		t.Errorf("a failed file shows %q from %q", u.scan.found.rows[1][1].Full(), u.scan.found.rows[1][2].Full())
	}
}

func TestStalePreviewsAreNotDecoded(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	var queued []func()
	u.spawn = func(fn func()) { queued = append(queued, fn) }
	recs := filesFixture()
	u.files.detail.show(recs[0]) // the person moves on before its preview's turn
	u.files.detail.show(recs[1])
	for _, fn := range queued {
		fn()
	}
	if contains(f.Calls(), "thumb "+recs[0].RelPath) || !contains(f.Calls(), "thumb "+recs[1].RelPath) {
		t.Fatalf("calls = %v", f.Calls())
	}
	if u.files.detail.thumb.Image == nil {
		t.Error("the current preview was not shown")
	}
}

// The mouse wheel scrolls Settings wherever the pointer rests, a field
// included: each field took the wheel for a scroller of its own.
func TestWheelOverASettingScrollsThePage(t *testing.T) {
	u := newTestUI(t, newFake())
	u.win.Resize(fyne.NewSize(900, 500))
	u.tabs.SelectIndex(tabSettings)
	page := u.settings.root.(*container.Scroll)
	e := u.settings.entries[3]
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(e.Size().Width/2, e.Size().Height/2))
	test.Scroll(u.win.Canvas(), at, 0, -200)
	if page.Offset.Y <= 0 {
		t.Errorf("the wheel over a field left Settings at offset %v", page.Offset.Y)
	}
}

// At the window's first size the Files table shows every column without a
// sideways scroll, dates with their offsets included: the Status column
// was cut behind one.
func TestFilesColumnsFitTheFirstWindowSize(t *testing.T) {
	u := newTestUI(t, newFake())
	u.win.Resize(defaultWindowSize)
	u.tabs.SelectIndex(tabFiles)
	tbl := u.files.table
	tbl.fitDates(len("2021-10-29 22:50:32+09:00")) // the widest dates a scan shows
	need := theme.ScrollBarSize()                  // as fittedTable.fit counts them
	for _, w := range tbl.widths {
		need += w + theme.Padding()
	}
	if tw := tbl.Size().Width; need > tw {
		t.Errorf("at %.0f px the Files columns need %.0f of the table's %.0f px", defaultWindowSize.Width, need, tw)
	}
}
