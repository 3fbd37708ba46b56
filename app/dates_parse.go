package app

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"shoebox/store"
)

// MinCorrectedYear is the earliest year a person may give: photography's
// first surviving picture is from 1826. Scanned prints from before 1970 are
// dated like any other photo; the scan's --min-year is for guessing from
// names, not for what the person types.
const MinCorrectedYear = 1826

// DateValue is a date as a person gives it, with what they know of it.
type DateValue struct {
	// Wall is the local wall-clock time, in a fixed zone of Offset when
	// ZoneKnown, else in UTC only as a carrier (it is never written as UTC).
	Wall      time.Time
	Precision string // store.PrecisionYear, Month, Day or Second
	ZoneKnown bool
}

// dateForm is ISO 8601 as ParseDate takes it. The time may follow a space
// instead of the T, and leave out its seconds: the window shows dates as
// "2009-07-14 15:04:05", and a person types back what they see.
var dateForm = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?)?)?$`)

// ParseDate reads DATE as the command line and the window take it: 2009,
// 2009-07, 2009-07-14, or 2009-07-14T15:04:05 with an optional Z or
// ±hh:mm (a space for the T, and no seconds, are taken too: 15:04 is
// 15:04:00). Years from MinCorrectedYear to the year after now's are
// allowed.
func ParseDate(s string, now time.Time) (DateValue, error) {
	m := dateForm.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return DateValue{}, fmt.Errorf("%q is not a date: write 2009, 2009-07, 2009-07-14 or 2009-07-14 15:04:05 (with +hh:mm when the offset is known)", s)
	}
	n := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		v, _ := strconv.Atoi(m[i])
		return v
	}
	y, mo, d := n(1, 0), n(2, 1), n(3, 1)
	h, mi, sec := n(4, 0), n(5, 0), n(6, 0)
	v := DateValue{Precision: store.PrecisionYear}
	switch {
	case m[4] != "":
		v.Precision = store.PrecisionSecond
	case m[3] != "":
		v.Precision = store.PrecisionDay
	case m[2] != "":
		v.Precision = store.PrecisionMonth
	}
	loc := time.UTC
	if m[7] != "" {
		off, err := parseOffset(m[7])
		if err != nil {
			return DateValue{}, fmt.Errorf("%q: %w", s, err)
		}
		loc, v.ZoneKnown = time.FixedZone("", off), true
	}
	if mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59 {
		return DateValue{}, fmt.Errorf("%q is not a calendar date and time", s)
	}
	v.Wall = time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
	if v.Wall.Day() != d {
		return DateValue{}, fmt.Errorf("%q is not a calendar date (%s has no day %d)", s, time.Month(mo), d)
	}
	return v, checkYear(v.Wall.Year(), now)
}

// checkYear keeps a date between MinCorrectedYear and next year.
func checkYear(y int, now time.Time) error {
	if y < MinCorrectedYear || y > now.Year()+1 {
		return fmt.Errorf("the year %d is out of bounds: dates from %d to %d are allowed", y, MinCorrectedYear, now.Year()+1)
	}
	return nil
}

func parseOffset(s string) (int, error) {
	if s == "Z" {
		return 0, nil
	}
	h, _ := strconv.Atoi(s[1:3])
	mi, _ := strconv.Atoi(s[4:6])
	if h > 14 || mi > 59 {
		return 0, fmt.Errorf("%s is not a UTC offset", s)
	}
	off := h*3600 + mi*60
	if s[0] == '-' {
		off = -off
	}
	return off, nil
}

// String writes the value as media.Candidate.Value does, to its precision.
func (v DateValue) String() string {
	var s string
	switch v.Precision {
	case store.PrecisionYear:
		return v.Wall.Format("2006")
	case store.PrecisionMonth:
		return v.Wall.Format("2006-01")
	case store.PrecisionDay:
		return v.Wall.Format("2006-01-02")
	default:
		s = v.Wall.Format("2006-01-02T15:04:05")
	}
	return s + v.Offset()
}

// Offset is "Z" or "±hh:mm" when the zone is known, else "".
func (v DateValue) Offset() string {
	if !v.ZoneKnown {
		return ""
	}
	return v.Wall.Format("Z07:00")
}

// ParseCandidateValue reads a stored value (media.Candidate.Value or
// store.Correction.Value): the same forms as ParseDate, with fractions of a
// second dropped, and no bounds.
func ParseCandidateValue(s string) (DateValue, error) {
	if i := strings.IndexByte(s, '.'); i > 0 && strings.Contains(s, "T") {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		s = s[:i] + s[j:]
	}
	return ParseDate(s, time.Date(9998, 1, 1, 0, 0, 0, 0, time.UTC))
}

// Shift is a DURATION: years, months and days move the calendar, the rest
// the clock.
type Shift struct {
	Years, Months, Days int
	Clock               time.Duration
	text                string
}

var shiftPart = regexp.MustCompile(`(\d+)(y|mo|d|h|m|s)`)

// ParseShift reads DURATION: a sign, then one or more of Ny, Nmo, Nd, Nh,
// Nm, Ns ("+1h", "-366d", "+2y3d", "-1h30m").
func ParseShift(s string) (Shift, error) {
	bad := fmt.Errorf("%q is not a shift: write a sign and amounts, like +1h, -366d, +2y3d or -1h30m (y, mo, d, h, m, s)", s)
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return Shift{}, bad
	}
	sign, rest := 1, s[1:]
	if s[0] == '-' {
		sign = -1
	}
	parts := shiftPart.FindAllStringSubmatchIndex(rest, -1)
	sh, at := Shift{text: s}, 0
	for _, p := range parts {
		if p[0] != at {
			return Shift{}, bad
		}
		at = p[1]
		n, err := strconv.Atoi(rest[p[2]:p[3]])
		if err != nil || n > 1_000_000 {
			return Shift{}, bad
		}
		n *= sign
		switch rest[p[4]:p[5]] {
		case "y":
			sh.Years += n
		case "mo":
			sh.Months += n
		case "d":
			sh.Days += n
		case "h":
			sh.Clock += time.Duration(n) * time.Hour
		case "m":
			sh.Clock += time.Duration(n) * time.Minute
		case "s":
			sh.Clock += time.Duration(n) * time.Second
		}
	}
	if at != len(rest) || len(parts) == 0 {
		return Shift{}, bad
	}
	return sh, nil
}

func (sh Shift) String() string { return sh.text }

// Apply shifts v; a value known only to the year or month cannot be
// shifted, nor a day by part of a day.
func (sh Shift) Apply(v DateValue, now time.Time) (DateValue, error) {
	switch {
	case v.Precision == store.PrecisionYear || v.Precision == store.PrecisionMonth:
		return v, fmt.Errorf("its date %s is known only to the %s: it cannot be shifted", v, v.Precision)
	case v.Precision == store.PrecisionDay && sh.Clock%(24*time.Hour) != 0:
		return v, fmt.Errorf("its date %s has no time of day: it can be shifted only by whole days", v)
	}
	v.Wall = v.Wall.AddDate(sh.Years, sh.Months, sh.Days).Add(sh.Clock)
	return v, checkYear(v.Wall.Year(), now)
}
