package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/media"
	"shoebox/store"
)

func running(id uint64, cur, total, errs int) app.Progress {
	return app.Progress{JobID: id, Roots: []string{"/photos"}, State: store.StateRunning,
		Current: cur, Total: total, Errors: errs, MaxErrorRate: 0.10}
}

// startedUI has job 1 started and running.
func startedUI(t *testing.T) (*UI, *fakeEngine) {
	f := newFake()
	u := newTestUI(t, f)
	u.startJob([]string{t.TempDir()})
	if u.jobID != 1 {
		t.Fatalf("jobID = %d", u.jobID)
	}
	return u, f
}

func TestProgressSnapshotUpdatesBarAndLabels(t *testing.T) {
	u, f := startedUI(t)
	p := running(1, 3412, 10000, 12)
	p.Skipped = 40
	p.FilesPerSec = 42.5
	p.Remaining = 2*time.Minute + 36*time.Second
	p.CurrentFile = "2019/" + strings.Repeat("Summer holidays in the mountains with the whole family/", 4) + "IMG_20190704_153012.jpg"
	f.emit(p)
	if u.scan.counts.Text == "3,412 of 10,000 files (34%)" {
		t.Fatal("the snapshot was applied before the pump ran")
	}
	u.flush()

	if math.Abs(u.scan.bar.Value-0.3412) > 1e-9 || !u.scan.bar.Visible() {
		t.Errorf("bar = %v visible %v", u.scan.bar.Value, u.scan.bar.Visible())
	}
	if got := u.scan.bar.TextFormatter(); got != "3,412 / 10,000" {
		t.Errorf("bar text = %q", got)
	}
	for _, c := range []struct {
		got, want string
	}{
		{u.scan.counts.Text, "3,412 of 10,000 files (34%)"},
		{u.scan.speed.value.Text, "42.5"},
		{u.scan.remaining.value.Text, "2 min 36 s"},
		{u.scan.errors.value.Text, "12"},
		{u.scan.skipped.value.Text, "40"},
		{u.scan.state.Text, "Scanning"},
		{u.scan.current.Full(), p.CurrentFile},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	shown := u.scan.current.Text
	if !strings.Contains(shown, "…") || !strings.HasSuffix(shown, "IMG_20190704_153012.jpg") || !strings.HasPrefix(shown, "2019/") {
		t.Errorf("current file shown as %q: want it elided in the middle", shown)
	}
	if u.scan.rateWarn.Visible() {
		t.Error("warning at 0.35% errors")
	}
	if got := u.win.Title(); got != "34% · /photos — Shoebox" {
		t.Errorf("window title = %q", got)
	}
	one := running(1, 1, 1, 0) // a run of one file: "1 of 1 file"
	f.emit(one)
	u.flush()
	if u.scan.counts.Text != "1 of 1 file (100%)" {
		t.Errorf("one file counted as %q", u.scan.counts.Text)
	}
}

func TestListingShowsInfiniteBar(t *testing.T) {
	u, f := startedUI(t)
	f.emit(app.Progress{JobID: 1, State: store.StateRunning, Listing: true, Total: 812})
	u.flush()
	if !u.scan.barListing.Visible() || u.scan.bar.Visible() {
		t.Fatal("listing should show the infinite bar")
	}
	if u.scan.counts.Text != "Listing files… 812 found so far" {
		t.Fatalf("counts = %q", u.scan.counts.Text)
	}
	u.scan.barListing.Stop()
}

func TestOtherJobsSnapshotsAreNotShown(t *testing.T) {
	u, f := startedUI(t)
	f.emit(running(99, 5, 10, 0))
	u.flush()
	if u.prog.JobID != 1 || u.scan.counts.Text == "5 of 10 files (50%)" {
		t.Fatalf("a snapshot of job 99 was shown: %q", u.scan.counts.Text)
	}
}

func TestErrorRateWarningAboveFivePercent(t *testing.T) {
	u, f := startedUI(t)
	f.emit(running(1, 100, 1000, 4))
	u.flush()
	if u.scan.rateWarn.Visible() || u.scan.errors.value.Importance != widget.MediumImportance {
		t.Fatal("warned at 4%")
	}
	f.emit(running(1, 100, 1000, 7))
	u.flush()
	if !u.scan.rateWarn.Visible() || u.scan.rateWarn.Text != "7% of files failed so far; the scan stops at 10%." {
		t.Fatalf("warning = %q visible %v", u.scan.rateWarn.Text, u.scan.rateWarn.Visible())
	}
	if u.scan.errors.value.Importance != widget.WarningImportance {
		t.Errorf("error count importance = %v", u.scan.errors.value.Importance)
	}
}

func TestPauseResumeCancelDriveTheEngine(t *testing.T) {
	u, f := startedUI(t)
	f.emit(running(1, 10, 100, 0))
	u.flush()
	pause := u.scan.pauseBtn
	if pause.Text != "Pause" || pause.Disabled() || u.scan.cancelBtn.Disabled() {
		t.Fatalf("running: pause %q disabled %v", pause.Text, pause.Disabled())
	}

	test.Tap(pause)
	if !contains(f.Calls(), "pause 1") {
		t.Fatalf("calls = %v", f.Calls())
	}
	if pause.Text != "Pausing…" || !pause.Disabled() {
		t.Errorf("while pausing: %q disabled %v", pause.Text, pause.Disabled())
	}

	p := running(1, 12, 100, 0)
	p.State = store.StatePaused
	f.emit(p)
	u.flush()
	if pause.Text != "Resume" || pause.Disabled() {
		t.Fatalf("paused: %q disabled %v", pause.Text, pause.Disabled())
	}
	test.Tap(pause)
	test.Tap(pause) // a second tap before the engine answers asks nothing more
	if n := count(f.Calls(), "resume 1"); n != 1 {
		t.Fatalf("resumed %d times: %v", n, f.Calls())
	}
	if pause.Text != "Resuming…" || !pause.Disabled() {
		t.Errorf("while resuming: %q disabled %v", pause.Text, pause.Disabled())
	}
	f.emit(running(1, 13, 100, 0))
	u.flush()
	if pause.Text != "Pause" {
		t.Fatalf("running again: %q", pause.Text)
	}

	test.Tap(u.scan.cancelBtn)
	if u.scan.confirm == nil || !strings.Contains(overlayText(u.win), "Cancel this scan?") {
		t.Fatalf("no confirmation: %q", overlayText(u.win))
	}
	if contains(f.Calls(), "cancel 1") {
		t.Fatal("cancelled before confirmation")
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Keep scanning"))
	if contains(f.Calls(), "cancel 1") {
		t.Fatal("Keep scanning cancelled the job")
	}
	test.Tap(u.scan.cancelBtn)
	test.Tap(u.scan.cancelBtn) // a second tap does not stack a second question
	if n := len(u.win.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open", n)
	}
	test.Tap(findButton(u.win.Canvas().Overlays().Top(), "Cancel scan"))
	if !contains(f.Calls(), "cancel 1") {
		t.Fatalf("calls = %v", f.Calls())
	}

	p.State = store.StateCancelled
	f.emit(p)
	u.flush()
	if u.scan.pauseBtn.Visible() || u.scan.cancelBtn.Visible() || !u.scan.newScanBtn.Visible() {
		t.Error("a cancelled job still offers pause/cancel")
	}
	test.Tap(u.scan.newScanBtn)
	if !u.scan.empty.Visible() || u.jobID != 0 {
		t.Error("Scan another folder did not go back to the empty state")
	}
}

func TestCancelQuestionClosesWhenTheJobEndsByItself(t *testing.T) {
	u, f := startedUI(t)
	f.emit(running(1, 10, 100, 0))
	u.flush()
	test.Tap(u.scan.cancelBtn)
	if u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no question")
	}
	p := running(1, 100, 100, 0)
	p.State = store.StateCompleted
	f.emit(p)
	u.flush()
	if u.win.Canvas().Overlays().Top() != nil || u.scan.confirm != nil {
		t.Fatal("the question stays after the job finished")
	}
}

func TestEscapeDismissesTheQuestion(t *testing.T) {
	u, f := startedUI(t)
	f.emit(running(1, 10, 100, 0))
	u.flush()
	test.Tap(u.scan.cancelBtn)
	u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.win.Canvas().Overlays().Top() != nil || u.scan.confirm != nil || contains(f.Calls(), "cancel 1") {
		t.Fatalf("after Escape: overlay %v, confirm %v, calls %v", u.win.Canvas().Overlays().Top(), u.scan.confirm, f.Calls())
	}
	test.Tap(u.scan.cancelBtn) // and it can be asked again
	if u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("no question the second time")
	}
}

func TestHaltedBannerShowsTheMessage(t *testing.T) {
	u, f := startedUI(t)
	f.files[1] = []store.FileRecord{
		{JobID: 1, RelPath: "broken/a.jpg", Status: media.StatusError, Error: "not a JPEG: invalid header"},
		{JobID: 1, RelPath: "fine.jpg", Status: media.StatusDone},
	}
	f.cb.OnFileError(1, "broken/a.jpg", "not a JPEG: invalid header")
	p := running(1, 20, 100, 3)
	p.State = store.StateHalted
	p.ErrorMessage = "halted: 15% of 20 files failed (threshold 10%)"
	f.emit(p)
	u.flush()

	if !u.scan.banner.Visible() || u.scan.bannerMsg.Text != p.ErrorMessage {
		t.Fatalf("banner visible %v message %q", u.scan.banner.Visible(), u.scan.bannerMsg.Text)
	}
	if u.scan.errors.value.Importance != widget.DangerImportance {
		t.Error("the error count is not in the error state")
	}
	if !strings.Contains(u.scan.lastError.Full(), "broken/a.jpg") {
		t.Errorf("last error line = %q", u.scan.lastError.Full())
	}
	if !u.scan.pauseBtn.Disabled() || u.scan.cancelBtn.Disabled() || u.scan.resumeAnywayBtn.Disabled() {
		t.Error("halted: want Resume anyway and Cancel, not Pause")
	}

	test.Tap(u.scan.bannerErrorsBtn)
	list := overlayText(u.win)
	if !strings.Contains(list, "broken/a.jpg") || !strings.Contains(list, "invalid header") || strings.Contains(list, "fine.jpg") {
		t.Fatalf("errors list = %q", list)
	}
	u.win.Canvas().Overlays().Top().Hide()

	test.Tap(u.scan.resumeAnywayBtn)
	if !contains(f.Calls(), "resume 1") {
		t.Fatalf("calls = %v", f.Calls())
	}
}

func TestRetryFailedFilesOnceFinished(t *testing.T) {
	u, f := startedUI(t)
	p := running(1, 100, 100, 3)
	p.State = store.StateCompleted
	f.emit(p)
	u.flush()
	if !u.scan.retryBtn.Visible() || u.scan.retryBtn.Disabled() {
		t.Fatal("no Retry failed files on a finished job with errors")
	}
	if !strings.Contains(u.scan.summary.Text, "3 failed") {
		t.Errorf("summary = %q", u.scan.summary.Text)
	}
	// The next step is urged, not the retry: most failures fail again.
	if u.scan.viewDupsBtn.Importance != widget.HighImportance || u.scan.retryBtn.Importance == widget.HighImportance {
		t.Errorf("View duplicates importance %v, Retry %v; want View duplicates alone urged",
			u.scan.viewDupsBtn.Importance, u.scan.retryBtn.Importance)
	}
	test.Tap(u.scan.retryBtn)
	if !contains(f.Calls(), "retry-failed 1") {
		t.Fatalf("calls = %v", f.Calls())
	}
	if !u.scan.retryBtn.Disabled() {
		t.Error("Retry failed files stays enabled while the engine is asked")
	}
	p.State = store.StateRunning
	f.emit(p)
	u.flush()
	if u.asked != "" || u.scan.retryBtn.Visible() || u.scan.pauseBtn.Text != "Pause" {
		t.Errorf("running again: asked %q, retry visible %v, pause %q", u.asked, u.scan.retryBtn.Visible(), u.scan.pauseBtn.Text)
	}
	// A finished job reloads the files and duplicates views.
	if !contains(f.Calls(), "files 1") && u.tabs.SelectedIndex() == tabFiles {
		t.Error("files not reloaded")
	}
}

func TestControlsFollowTheState(t *testing.T) {
	for _, c := range []struct {
		state                          store.JobState
		errors                         int
		pause                          string
		pauseOn, cancelOn, retry, fini bool
	}{
		{store.StatePending, 0, "Pause", true, true, false, false},
		{store.StateRunning, 0, "Pause", true, true, false, false},
		{store.StatePaused, 0, "Resume", true, true, false, false},
		{store.StateHalted, 5, "Resume", false, true, false, false},
		{store.StateCompleted, 0, "Pause", false, false, false, true},
		{store.StateCompleted, 2, "Pause", false, false, true, true},
		{store.StateCancelled, 2, "Pause", false, false, false, true},
		{store.StateFailed, 0, "Resume", true, true, false, false}, // a full disk: resumable once there is room
	} {
		got := controlsFor(app.Progress{JobID: 1, State: c.state, Errors: c.errors}, "")
		if got.pauseLabel != c.pause || got.pauseOn != c.pauseOn || got.cancelOn != c.cancelOn ||
			got.retry != c.retry || got.finished != c.fini {
			t.Errorf("%s/%d: %+v", c.state, c.errors, got)
		}
	}
}

func TestPumpAppliesTheLatestSnapshotOncePerTick(t *testing.T) {
	u, f := startedUI(t)
	queued := make(chan func(), 10)
	u.do = func(fn func()) { queued <- fn }
	ticks := make(chan time.Time)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { u.pump(ticks, stop); close(done) }()

	for i := 1; i <= 5; i++ {
		f.emit(running(1, i*10, 100, 0))
	}
	ticks <- time.Time{}
	fn := <-queued
	ticks <- time.Time{} // the first flush has not run yet: nothing more is queued
	ticks <- time.Time{} // taking this tick, the pump has finished with the one before
	if n := len(queued); n != 0 {
		t.Fatalf("%d more flushes were queued while one was waiting", n)
	}
	fn()
	if u.scan.counts.Text != "50 of 100 files (50%)" {
		t.Fatalf("counts = %q, want the latest snapshot", u.scan.counts.Text)
	}
	ticks <- time.Time{} // nothing new since
	f.emit(running(1, 60, 100, 0))
	ticks <- time.Time{}
	(<-queued)()
	if u.scan.counts.Text != "60 of 100 files (60%)" {
		t.Fatalf("counts = %q after a later snapshot", u.scan.counts.Text)
	}
	close(stop)
	<-done
	if n := len(queued); n != 0 {
		t.Fatalf("%d extra flushes were queued", n)
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func TestARetryOverBetweenTwoFlushesIsNoticed(t *testing.T) {
	u, f := startedUI(t)
	u.tabs.SelectIndex(tabFiles)
	p := running(1, 100, 100, 3)
	p.State = store.StateCompleted
	f.emit(p)
	u.flush()
	loads := count(f.Calls(), "files 1")
	test.Tap(u.scan.retryBtn)
	// The engine retries the three files and completes again within one tick.
	r := p
	r.State = store.StateRunning
	f.emit(r)
	p.Errors = 1
	f.emit(p)
	u.flush()
	if u.asked != "" || u.scan.retryBtn.Disabled() || u.scan.state.Text != "Finished" {
		t.Fatalf("asked %q, retry disabled %v, state %q", u.asked, u.scan.retryBtn.Disabled(), u.scan.state.Text)
	}
	if count(f.Calls(), "files 1") != loads+1 {
		t.Error("the files were not read again after the retry")
	}
}

func TestPauseAskedWhileListingStaysAsked(t *testing.T) {
	u, f := startedUI(t)
	f.emit(app.Progress{JobID: 1, State: store.StatePending, Listing: true})
	u.flush()
	test.Tap(u.scan.pauseBtn)
	f.emit(running(1, 0, 100, 0)) // listing done, analysing starts: not yet paused
	u.flush()
	if u.scan.pauseBtn.Text != "Pausing…" || !u.scan.pauseBtn.Disabled() {
		t.Fatalf("pause = %q disabled %v", u.scan.pauseBtn.Text, u.scan.pauseBtn.Disabled())
	}
}

// After a job, while its duplicates are found and the library is
// compacted, the state says so; the job's own snapshot that follows says
// how it ended.
func TestProgressSaysWhatIsDoneAfterTheJob(t *testing.T) {
	u, f := startedUI(t)
	done := running(1, 10, 10, 0)
	done.State = store.StateCompleted
	grouping, compacting := done, done
	grouping.Grouping = true
	compacting.Compacting, compacting.LibraryBytes = true, 669_048_832
	for _, step := range []struct {
		p    app.Progress
		want string
	}{{grouping, "Finding duplicates…"}, {compacting, "Compacting the library…"}, {done, stateWord(store.StateCompleted)}} {
		f.emit(step.p)
		u.flush()
		if got := u.scan.state.Text; got != step.want {
			t.Errorf("state %q, want %q", got, step.want)
		}
	}
}
