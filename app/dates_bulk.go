package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"shoebox/store"
)

// Bulk date corrections (issue 13): one change to many files, a camera's
// clock, a trip's time zone, the file-name or Takeout date for a
// selection. Every change can be previewed (PreviewDates: what would be
// decided, nothing stored) and then decided (DecideDates); both run the
// same rule through Library.decisions, so the preview is the decision.

// What a DatesChange does; the names are the `shoebox dates` subcommands.
const (
	DatesSet         = "set"          // the typed DatesChange.Date
	DatesShift       = "shift"        // the current date moved by DatesChange.By
	DatesFromName    = "from-name"    // the date in the file name
	DatesFromTakeout = "from-takeout" // Google Takeout's photoTakenTime
	DatesZone        = "zone"         // the current date put in DatesChange.Zone
)

// DatesChange is one decision about the files a selection names.
type DatesChange struct {
	Op        string // DatesSet, DatesShift, DatesFromName, DatesFromTakeout or DatesZone
	Selection DatesSelection
	Date      string  // DatesSet: ParseDate's forms
	By        Shift   // DatesShift: ParseShift or ClockOffset
	Zone      ZoneFix // DatesZone
}

// PreviewDates says what DecideDates would decide for ch, old → new and
// what would be left with the reason, and stores nothing.
func (l *Library) PreviewDates(ch DatesChange) ([]DateDecision, error) {
	files, skipped, decide, err := l.rule(ch)
	if err != nil {
		return nil, err
	}
	out, _ := l.decisions(files, skipped, decide)
	return out, nil
}

// DecideDates decides ch and stores the corrections, keyed by content; it
// touches no file. It returns what PreviewDates would have shown.
func (l *Library) DecideDates(ch DatesChange) ([]DateDecision, error) {
	files, skipped, decide, err := l.rule(ch)
	if err != nil {
		return nil, err
	}
	return l.decide(files, skipped, decide)
}

// rule is the files ch is about and how each is decided.
func (l *Library) rule(ch DatesChange) ([]datesFile, []DateDecision, decideFunc, error) {
	var decide decideFunc
	var need datesNeed
	var err error
	switch ch.Op {
	case DatesSet:
		decide, err = l.setRule(ch)
	case DatesShift:
		decide = l.shiftRule(ch)
	case DatesZone:
		decide, err = l.zoneRule(ch.Zone)
	case DatesFromName:
		need, decide = l.fromRule(store.CorrectionFilename, ch.Selection)
	case DatesFromTakeout:
		need, decide = l.fromRule(store.CorrectionTakeout, ch.Selection)
	default:
		err = fmt.Errorf("unknown dates change %q (set, shift, from-name, from-takeout or zone)", ch.Op)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	files, skipped, err := l.datesFiles(ch.Selection, need)
	if err != nil {
		return nil, nil, nil, err
	}
	return files, skipped, decide, nil
}

// sameCamera says whether r is from the camera sel names: the same make and
// model (spaces and case aside), and the same body when both name a serial.
func sameCamera(r store.FileRecord, sel DatesSelection) bool {
	if sel.Camera == "" {
		return true
	}
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.EqualFold(words(r.Camera), words(sel.Camera)) {
		return false
	}
	a, b := strings.TrimSpace(r.CameraSerial), strings.TrimSpace(sel.Serial)
	return a == "" || b == "" || strings.EqualFold(a, b)
}

// dateRange is [from, until) on the wall clock, each end optional.
type dateRange struct {
	from, until time.Time
}

// rangeOf reads sel's From and Until: Until's end is the end of its
// precision, so "2016" ends when 2017 begins.
func rangeOf(sel DatesSelection, now time.Time) (dateRange, error) {
	var r dateRange
	if sel.From != "" {
		v, err := ParseDate(sel.From, now)
		if err != nil {
			return r, fmt.Errorf("the start of the range: %w", err)
		}
		r.from = wallClock(v.Wall)
	}
	if sel.Until != "" {
		v, err := ParseDate(sel.Until, now)
		if err != nil {
			return r, fmt.Errorf("the end of the range: %w", err)
		}
		end := wallClock(v.Wall)
		switch v.Precision {
		case store.PrecisionYear:
			end = end.AddDate(1, 0, 0)
		case store.PrecisionMonth:
			end = end.AddDate(0, 1, 0)
		case store.PrecisionDay:
			end = end.AddDate(0, 0, 1)
		default:
			end = end.Add(time.Second)
		}
		r.until = end
	}
	if !r.from.IsZero() && !r.until.IsZero() && !r.from.Before(r.until) {
		return r, fmt.Errorf("the range from %s until %s is empty: its start is after its end", sel.From, sel.Until)
	}
	return r, nil
}

// holds says whether a current date lies in the range; with no bound,
// every file does, dated or not.
func (r dateRange) holds(current string) bool {
	if r.from.IsZero() && r.until.IsZero() {
		return true
	}
	v, err := ParseCandidateValue(current)
	if err != nil {
		return false
	}
	w := wallClock(v.Wall)
	return (r.from.IsZero() || !w.Before(r.from)) && (r.until.IsZero() || w.Before(r.until))
}

// wallClock is t's wall clock read in UTC, so that times of different
// offsets compare as the clocks showed them.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// ClockOffset is the shift that moves a photo's current date to its true
// time, read on the wall clock: truth − current. Both must be known to the
// second; truth is ParseDate's form, current a stored value.
func ClockOffset(current, truth string, now time.Time) (Shift, error) {
	cur, err := ParseCandidateValue(current)
	if err != nil || cur.Precision != store.PrecisionSecond {
		return Shift{}, fmt.Errorf("the photo's date %q has no time of day: pick a photo whose time is known", current)
	}
	tru, err := ParseDate(truth, now)
	if err != nil {
		return Shift{}, err
	}
	if tru.Precision != store.PrecisionSecond {
		return Shift{}, fmt.Errorf("give the true time to the second, like 2016-03-01T14:05:00")
	}
	d := wallClock(tru.Wall).Sub(wallClock(cur.Wall))
	if d == 0 {
		return Shift{}, errors.New("that is the time the photo shows already: nothing to shift")
	}
	return ParseShift(shiftText(d))
}

// shiftText writes d as ParseShift reads it: "+1h", "-3d2h5m10s".
func shiftText(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	var b strings.Builder
	b.WriteString(sign)
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}
