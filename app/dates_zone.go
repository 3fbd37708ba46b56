package app

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"shoebox/store"
)

// A time-zone correction for a trip: "the photos from this range were taken
// at +09:00". A camera abroad either showed the local time there (the person
// set its clock on arrival) or stayed on the time at home; the two need
// different corrections, and the person says which.

// What the camera's clock showed during the trip (ZoneFix.Clock).
const (
	// ClockLocal: the camera showed the local time there. The wall clock
	// is kept and the offset recorded.
	ClockLocal = "local"
	// ClockHome: the camera stayed on home time. The wall clock moves from
	// the home offset (the file's own offset when it has one, else
	// ZoneFix.Home's at that date) to the trip's.
	ClockHome = "home"
)

// ZoneFix is a time-zone correction.
type ZoneFix struct {
	// Offset is the trip's UTC offset: "+09:00", "-05:30", "+9", "+0930"
	// or "Z" (ParseZoneOffset).
	Offset string
	// Clock is ClockLocal or ClockHome. Default: ClockLocal, which moves no
	// wall clock.
	Clock string
	// Home is the zone at home, for ClockHome and a file that knows no
	// offset of its own. Default: this computer's zone (time.Local), at the
	// photo's date, so summer and winter time are each right.
	Home *time.Location
}

var zoneForm = regexp.MustCompile(`^([+-])(\d{1,2})(?::?(\d{2}))?$`)

// ParseZoneOffset reads a UTC offset ("+09:00", "+9", "-0530", "Z") and
// returns it in seconds east of UTC with its canonical form ("+09:00").
func ParseZoneOffset(s string) (int, string, error) {
	if s == "Z" || s == "z" || s == "+00:00" {
		return 0, "+00:00", nil
	}
	m := zoneForm.FindStringSubmatch(s)
	if m == nil {
		return 0, "", fmt.Errorf("%q is not a UTC offset: write it like +09:00 or -05:30", s)
	}
	h, _ := strconv.Atoi(m[2])
	mi := 0
	if m[3] != "" {
		mi, _ = strconv.Atoi(m[3])
	}
	if h > 14 || mi > 59 || h == 14 && mi > 0 {
		return 0, "", fmt.Errorf("%q is not a UTC offset: offsets run from -12:00 to +14:00", s)
	}
	off := h*3600 + mi*60
	if m[1] == "-" {
		off = -off
	}
	return off, fmt.Sprintf("%s%02d:%02d", m[1], h, mi), nil
}

// zoneRule puts each file's current date in z's offset, as z.Clock says.
func (l *Library) zoneRule(z ZoneFix) (decideFunc, error) {
	off, canon, err := ParseZoneOffset(z.Offset)
	if err != nil {
		return nil, err
	}
	clock := z.Clock
	if clock == "" {
		clock = ClockLocal
	}
	home := z.Home
	if home == nil {
		home = time.Local
	}
	rule := "zone " + canon
	switch clock {
	case ClockLocal:
		rule += ", the camera showed the local time"
	case ClockHome:
		rule += ", the camera stayed on home time"
	default:
		return nil, fmt.Errorf("the camera's clock showed %q: say local (the time there) or home (the time at home)", z.Clock)
	}
	there := time.FixedZone("", off)
	now := l.opt.Now()
	return func(f datesFile) (*store.Correction, string) {
		if f.current == "" {
			return nil, "it has no date to put in a time zone"
		}
		v, err := ParseCandidateValue(f.current)
		if err != nil {
			return nil, fmt.Sprintf("its date %q cannot be read: %v", f.current, err)
		}
		if v.Precision != store.PrecisionSecond {
			return nil, fmt.Sprintf("its date %s has no time of day, so a time zone changes nothing", v)
		}
		w := v.Wall
		switch {
		case clock == ClockLocal:
			v.Wall = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, there)
		case v.ZoneKnown: // the file's own offset is home
			v.Wall = w.In(there)
		default:
			v.Wall = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, home).In(there)
		}
		v.ZoneKnown = true
		if v.String() == f.current {
			return nil, "it is at " + canon + " already"
		}
		if err := checkYear(v.Wall.Year(), now); err != nil {
			return nil, err.Error()
		}
		return correctionOf(v, store.CorrectionZone, "rule: "+rule), ""
	}, nil
}
