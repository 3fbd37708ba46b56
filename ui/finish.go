package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"shoebox/app"
	"shoebox/store"
)

// longJob is how long a job must have run for its end to be worth a
// desktop notification when the window is not in front: long enough that
// the person has likely turned to something else, short enough that a
// scan of a few thousand photos (about a thousand files a second) counts.
const longJob = 20 * time.Second

// jobTook is how long a finished job ran and how many files it went through.
type jobTook struct {
	id    uint64
	dur   time.Duration
	files int
}

// rate is the average number of files a second, or 0 when unknown.
func (t jobTook) rate() float64 {
	if t.dur <= 0 {
		return 0
	}
	return float64(t.files) / t.dur.Seconds()
}

// tookText is a duration for the "time taken" stat.
func tookText(d time.Duration) string {
	if d < time.Second {
		return "under 1 s"
	}
	return humanDuration(d)
}

// watchForeground follows whether the window is in front (on the desktop,
// whether it has the keyboard focus).
func (u *UI) watchForeground() {
	u.foreground = true
	lc := u.app.Lifecycle()
	lc.SetOnEnteredForeground(func() { u.foreground = true })
	lc.SetOnExitedForeground(func() { u.foreground = false })
}

// finished reads how long the job p ran, shows it with the average rate,
// and, when the job ended while the window watched it (live) and was not
// in front, tells the desktop once it ran for longJob or more. UI
// goroutine only.
func (u *UI) finished(p app.Progress, live bool) {
	id := p.JobID
	u.spawn(func() {
		j, err := u.eng.Job(id)
		u.do(func() {
			if err != nil || u.jobID != id {
				return
			}
			t := jobTook{id: id, dur: jobDuration(j, u.now()), files: j.ProgressCurrent}
			u.scan.took = &t
			u.scan.show(u.prog)
			if live && !u.foreground && t.dur >= longJob {
				u.app.SendNotification(fyne.NewNotification(finishedTitle(u.prog, u.isRun(id)), finishedText(u.prog, t)))
			}
		})
	})
}

// finishedTitle names how a job ended, for a notification.
func finishedTitle(p app.Progress, run bool) string {
	what := "The scan"
	if run {
		what = "The run"
	}
	switch p.State {
	case store.StateCompleted:
		return what + " is done"
	case store.StateHalted:
		return what + " stopped: too many files failed"
	case store.StateFailed:
		return what + " failed"
	case store.StateCancelled:
		return what + " was cancelled"
	case store.StatePaused:
		return what + " is paused"
	}
	return what + " stopped"
}

// finishedText says what a finished job went through, for a notification.
func finishedText(p app.Progress, t jobTook) string {
	s := fmt.Sprintf("%s: %s files in %s", rootsLabel(p.Roots), thousands(p.Current), tookText(t.dur))
	if p.Errors > 0 {
		s += fmt.Sprintf(", %s failed", thousands(p.Errors))
	}
	return s + "."
}

// showTook shows a finished job's time taken and average rate in place of
// the running job's speed and time remaining; false when it has none to show.
func (v *scanView) showTook(p app.Progress) bool {
	t := v.took
	// A paused or halted job has not ended: it may go on.
	ended := p.State == store.StateCompleted || p.State == store.StateCancelled
	if !ended || t == nil || t.id != p.JobID || t.dur <= 0 {
		v.speed.label.SetText("files per second")
		v.remaining.label.SetText("time remaining")
		return false
	}
	v.speed.label.SetText("files per second on average")
	v.speed.set(fmt.Sprintf("%.1f", t.rate()), widget.MediumImportance)
	v.remaining.label.SetText("time taken")
	v.remaining.set(tookText(t.dur), widget.MediumImportance)
	return true
}
