package ui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"shoebox/app"
	"shoebox/store"
)

// thousands writes n with comma separators: 3412 -> "3,412".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// humanDuration writes a duration the way a person says it: "45 s", "3 min 12 s", "2 h 5 min".
func humanDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Second)
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	s := int(d % time.Minute / time.Second)
	switch {
	case h > 0:
		return fmt.Sprintf("%d h %d min", h, m)
	case m > 0:
		return fmt.Sprintf("%d min %d s", m, s)
	default:
		return fmt.Sprintf("%d s", s)
	}
}

// homeShortIn writes the paths under the home directory in a sentence as
// homeShort does ("its copy is gone: ~/Backup/a.jpg"), so that the reason
// beside a path shown short shows its own paths short too.
func homeShortIn(text string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == string(filepath.Separator) {
		return text
	}
	return strings.ReplaceAll(text, home+string(filepath.Separator), "~"+string(filepath.Separator))
}

// homeShort writes a folder with the home directory as "~", readably
// (app.ReadablePath).
func homeShort(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return app.ReadablePath(path)
	}
	if path == home {
		return "~"
	}
	if rel, err := filepath.Rel(home, path); err == nil && !strings.HasPrefix(rel, "..") {
		return app.ReadablePath("~" + string(filepath.Separator) + rel)
	}
	return app.ReadablePath(path)
}

// rootsLabel names a job's folders: "~/Pictures", "~/Pictures and 2 more".
func rootsLabel(roots []string) string {
	switch len(roots) {
	case 0:
		return "(no folder)"
	case 1:
		return homeShort(roots[0])
	case 2:
		return homeShort(roots[0]) + " and " + homeShort(roots[1])
	default:
		return fmt.Sprintf("%s and %d more", homeShort(roots[0]), len(roots)-1)
	}
}

// percent writes a rate (0.07) as "7%".
func percent(rate float64) string {
	return fmt.Sprintf("%.0f%%", rate*100)
}

// progressFromJob is the snapshot a stored job stands for when no live
// progress has arrived for it.
func progressFromJob(j store.Job) app.Progress {
	p := app.Progress{
		JobID:        j.ID,
		Roots:        j.Roots,
		State:        j.Status,
		Current:      j.ProgressCurrent,
		Total:        j.ProgressTotal,
		Errors:       j.ErrorCount,
		Skipped:      j.SkippedCount,
		CurrentFile:  j.CurrentFilename,
		ErrorMessage: j.ErrorMessage,
		Listing:      !j.Listed,
		MaxErrorRate: app.DefaultMaxErrorRate,
	}
	var s app.Settings
	if len(j.Settings) > 0 {
		if err := json.Unmarshal(j.Settings, &s); err == nil && s.MaxErrorRate > 0 {
			p.MaxErrorRate = s.MaxErrorRate
		}
	}
	return p
}

// jobDuration is how long a job ran, or has been running.
func jobDuration(j store.Job, now time.Time) time.Duration {
	if j.StartedAt.IsZero() {
		return 0
	}
	end := j.CompletedAt
	if end.IsZero() {
		end = now
	}
	return end.Sub(j.StartedAt)
}

// stateWord is a job state as a person reads it.
func stateWord(s store.JobState) string {
	switch s {
	case store.StatePending:
		return "Listing files"
	case store.StateRunning:
		return "Scanning"
	case store.StatePaused:
		return "Paused"
	case store.StateCompleted:
		return "Finished"
	case store.StateFailed:
		return "Failed"
	case store.StateHalted:
		return "Stopped: too many errors"
	case store.StateCancelled:
		return "Cancelled"
	}
	return string(s)
}

// plural writes "1 scan", "2 scans", "1,000 scans".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}
