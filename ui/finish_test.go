package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"shoebox/app"
	"shoebox/media"
	"shoebox/processing"
	"shoebox/store"
)

// finishLive runs job 1 in the fake: started, running, then completed
// after took, having gone through files.
func finishLive(t *testing.T, u *UI, f *fakeEngine, took time.Duration, files int) {
	t.Helper()
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	f.jobs = append(f.jobs, store.Job{ID: 1, Kind: store.KindScan, Status: store.StateCompleted, Roots: []string{"/photos"},
		StartedAt: start, CompletedAt: start.Add(took), ProgressCurrent: files, ProgressTotal: files})
	u.startJob([]string{t.TempDir()})
	f.emit(running(1, files/2, files, 0))
	u.flush()
	done := running(1, files, files, 2)
	done.State = store.StateCompleted
	f.emit(done)
	u.flush()
}

func TestAFinishedScanShowsTimeTakenAndAverageRate(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	finishLive(t, u, f, 150*time.Second, 3000)
	if got := u.scan.speed.value.Text; got != "20.0" || u.scan.speed.label.Text != "files per second on average" {
		t.Errorf("speed %q (%q)", got, u.scan.speed.label.Text)
	}
	if got := u.scan.remaining.value.Text; got != "2 min 30 s" || u.scan.remaining.label.Text != "time taken" {
		t.Errorf("time %q (%q)", got, u.scan.remaining.label.Text)
	}
	// A new scan shows its own speed again.
	u.clearJob()
	u.startJob([]string{t.TempDir()})
	f.emit(running(2, 10, 100, 0))
	u.flush()
	if u.scan.remaining.label.Text != "time remaining" || u.scan.speed.label.Text != "files per second" {
		t.Errorf("a running scan says %q and %q", u.scan.speed.label.Text, u.scan.remaining.label.Text)
	}
}

func TestALongJobEndingBehindOtherWindowsIsNotified(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	u.foreground = false
	test.AssertNotificationSent(t, &fyne.Notification{Title: "The scan is done",
		Content: "/photos: 3,000 files in 2 min 30 s, 2 failed."}, func() {
		finishLive(t, u, f, 150*time.Second, 3000)
	})

	// In front, or short: no notification.
	for _, c := range []struct {
		front bool
		took  time.Duration
	}{{true, time.Hour}, {false, 5 * time.Second}} {
		f := newFake()
		u := newTestUI(t, f)
		u.foreground = c.front
		test.AssertNotificationSent(t, nil, func() { finishLive(t, u, f, c.took, 3000) })
	}
}

// failAll fails every file, as a folder of broken photos does.
func failAll(_ context.Context, _ processing.Input, _ processing.AnalyzeOptions) (media.Result, error) {
	return media.Result{Status: media.StatusError, Error: "damaged JPEG"}, nil
}

// The error card (the halted banner and the error count) and the list of
// failed files must name the same number, on a real library where files
// are still in flight when the scan halts.
func TestTheErrorCardAndTheErrorsDialogAgree(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i)), []byte("broken"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lib, err := app.OpenLibraryWith(filepath.Join(t.TempDir(), "lib.db"), app.LibraryOptions{Analyze: failAll})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	id, err := lib.Start([]string{dir}, app.Settings{Workers: 4, BatchSize: 1, MinSample: 10, MaxErrorRate: 0.10})
	if err != nil {
		t.Fatal(err)
	}
	if st := lib.Wait(id); st != store.StateHalted {
		t.Fatalf("the scan ended %s", st)
	}
	j, err := lib.Job(id)
	if err != nil {
		t.Fatal(err)
	}
	u := newUI(test.NewTempApp(t), lib)
	u.do = func(fn func()) { fn() }
	u.spawn = func(fn func()) { fn() }
	t.Cleanup(u.win.Close)
	u.setJob(progressFromJob(j)) // as History opens it

	banner := u.scan.bannerMsg.Text
	m := regexp.MustCompile(`Stopped: (\d+) of`).FindStringSubmatch(banner)
	if m == nil {
		t.Fatalf("banner %q", banner)
	}
	u.showErrors()
	title := overlayText(u.win)
	want := fmt.Sprintf("Files that failed (%s)", m[1])
	if !strings.Contains(title, want) || u.scan.errors.value.Text != m[1] {
		t.Errorf("the banner says %s failed, the error count %s, the dialog:\n%s", m[1], u.scan.errors.value.Text, title)
	}
}

func TestAHaltedScanShowsNoTimeTaken(t *testing.T) {
	f := newFake()
	u := newTestUI(t, f)
	start := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	f.jobs = []store.Job{{ID: 1, Kind: store.KindScan, Status: store.StateHalted, StartedAt: start, ProgressCurrent: 11}}
	u.startJob([]string{t.TempDir()})
	p := running(1, 11, 87, 5)
	f.emit(p)
	u.flush()
	p.State = store.StateHalted
	f.emit(p)
	u.flush()
	if u.scan.remaining.label.Text != "time remaining" || u.scan.remaining.value.Text != "–" {
		t.Errorf("a halted scan, which may go on, shows %q %q", u.scan.remaining.value.Text, u.scan.remaining.label.Text)
	}
}
