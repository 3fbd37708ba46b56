package datetime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a civil time is known.
type Precision int

const (
	PrecNone Precision = iota
	PrecYear
	PrecDate
	PrecTime // to the second (minutes-only sources get :00)
)

// Civil is a wall-clock reading as a source wrote it, before any validation:
// the fields may describe an impossible date (30 February), which validation
// rejects. It never depends on the machine's time zone.
type Civil struct {
	Year, Month, Day int
	Hour, Min, Sec   int
	Frac             string // decimal digits of the second fraction, "" when none
	Prec             Precision
	ZoneKnown        bool
	Offset           int // seconds east of UTC when ZoneKnown
}

// String formats c as a Candidate.Value.
func (c Civil) String() string {
	switch c.Prec {
	case PrecYear:
		return fmt.Sprintf("%04d", c.Year)
	case PrecDate:
		return fmt.Sprintf("%04d-%02d-%02d", c.Year, c.Month, c.Day)
	case PrecTime:
	default:
		return ""
	}
	s := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", c.Year, c.Month, c.Day, c.Hour, c.Min, c.Sec)
	if c.Frac != "" {
		s += "." + c.Frac
	}
	if c.ZoneKnown {
		s += FormatOffset(c.Offset)
	}
	return s
}

func FormatOffset(off int) string {
	if off == 0 {
		return "Z"
	}
	sign := '+'
	if off < 0 {
		sign = '-'
		off = -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off/60%60)
}

// CalendarOK reports whether c is a real calendar time (round trip through time.Date).
func (c Civil) CalendarOK() bool {
	if c.Prec == PrecNone || c.Year < 1 || c.Year > 9999 {
		return false
	}
	mo, d := c.Month, c.Day
	if c.Prec == PrecYear {
		mo, d = 1, 1
	}
	t := time.Date(c.Year, time.Month(mo), d, c.Hour, c.Min, c.Sec, 0, time.UTC)
	return t.Year() == c.Year && int(t.Month()) == mo && t.Day() == d &&
		t.Hour() == c.Hour && t.Minute() == c.Min && t.Second() == c.Sec
}

// nanos is the fraction as nanoseconds.
func (c Civil) nanos() int {
	if c.Frac == "" {
		return 0
	}
	f := c.Frac
	if len(f) > 9 {
		f = f[:9]
	}
	f += strings.Repeat("0", 9-len(f))
	n, _ := strconv.Atoi(f)
	return n
}

// Time is the civil time as a time.Time: in its fixed zone when known, else
// the wall clock read in UTC. Date-only values are midnight, year-only 1 January.
func (c Civil) Time() time.Time {
	loc := time.UTC
	if c.ZoneKnown && c.Offset != 0 {
		loc = time.FixedZone(FormatOffset(c.Offset), c.Offset)
	}
	mo, d := c.Month, c.Day
	if c.Prec == PrecYear {
		mo, d = 1, 1
	}
	return time.Date(c.Year, time.Month(mo), d, c.Hour, c.Min, c.Sec, c.nanos(), loc)
}

// FromTime takes the wall clock of t; zoneKnown says whether t's zone is meaningful.
func FromTime(t time.Time, zoneKnown bool) Civil {
	c := Civil{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Hour: t.Hour(), Min: t.Minute(), Sec: t.Second(), Prec: PrecTime}
	if ns := t.Nanosecond(); ns != 0 {
		c.Frac = strings.TrimRight(fmt.Sprintf("%09d", ns), "0")
	}
	if zoneKnown {
		c.ZoneKnown = true
		_, c.Offset = t.Zone()
	}
	return c
}

// ParseValue parses a Candidate.Value back into a civil time, without calendar
// validation: "2006", "2006-01-02", "2006-01-02T15:04:05[.f][Z|±hh:mm]".
func ParseValue(s string) (Civil, bool) {
	var c Civil
	num := func(s string) (int, bool) {
		if s == "" {
			return 0, false
		}
		for _, r := range s {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	var ok bool
	switch {
	case len(s) == 4:
		c.Year, ok = num(s)
		c.Prec = PrecYear
		return c, ok
	case len(s) == 10:
		if s[4] != '-' || s[7] != '-' {
			return c, false
		}
		y, ok1 := num(s[:4])
		m, ok2 := num(s[5:7])
		d, ok3 := num(s[8:10])
		c.Year, c.Month, c.Day, c.Prec = y, m, d, PrecDate
		return c, ok1 && ok2 && ok3
	case len(s) >= 19:
		if s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
			return c, false
		}
		vals := [6]int{}
		for i, r := range [6][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}} {
			if vals[i], ok = num(s[r[0]:r[1]]); !ok {
				return c, false
			}
		}
		c.Year, c.Month, c.Day, c.Hour, c.Min, c.Sec = vals[0], vals[1], vals[2], vals[3], vals[4], vals[5]
		c.Prec = PrecTime
		rest := s[19:]
		if strings.HasPrefix(rest, ".") {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 {
				return c, false
			}
			c.Frac, rest = rest[1:i], rest[i:]
		}
		switch {
		case rest == "":
		case rest == "Z":
			c.ZoneKnown = true
		default:
			off, ok := ParseOffset(rest)
			if !ok {
				return c, false
			}
			c.ZoneKnown, c.Offset = true, off
		}
		return c, true
	}
	return c, false
}

// ParseOffset parses "Z", "±hh:mm", "±hhmm" or "±hh" into seconds east of UTC.
// Offsets beyond ±14:00 or with minutes ≥ 60 are refused.
func ParseOffset(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "Z" || s == "z" {
		return 0, true
	}
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	digits := strings.Replace(s[1:], ":", "", 1)
	if len(digits) != 2 && len(digits) != 4 {
		return 0, false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	h, _ := strconv.Atoi(digits[:2])
	m := 0
	if len(digits) == 4 {
		m, _ = strconv.Atoi(digits[2:])
	}
	if h > 14 || m >= 60 || (h == 14 && m > 0) {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// ParseISO parses the ISO 8601 forms XMP and QuickTime use: "YYYY",
// "YYYY-MM", "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm|±hhmm]"
// (a space may stand for the T). A month-only date keeps only its year.
func ParseISO(raw string) (Civil, bool) {
	s := strings.TrimSpace(strings.TrimRight(raw, "\x00"))
	var c Civil
	if len(s) < 4 || !isDigits(s[:4]) {
		return c, false
	}
	c.Year, c.Prec = Atoi(s[:4]), PrecYear
	if len(s) == 4 {
		return c, true
	}
	if len(s) == 7 && s[4] == '-' && isDigits(s[5:7]) {
		return c, true
	}
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[5:7]) || !isDigits(s[8:10]) {
		return c, false
	}
	c.Month, c.Day, c.Prec = Atoi(s[5:7]), Atoi(s[8:10]), PrecDate
	if len(s) == 10 {
		return c, true
	}
	if len(s) < 16 || (s[10] != 'T' && s[10] != ' ') || !isDigits(s[11:13]) || s[13] != ':' || !isDigits(s[14:16]) {
		return c, false
	}
	c.Hour, c.Min, c.Prec = Atoi(s[11:13]), Atoi(s[14:16]), PrecTime
	rest := s[16:]
	if len(rest) >= 3 && rest[0] == ':' && isDigits(rest[1:3]) {
		c.Sec, rest = Atoi(rest[1:3]), rest[3:]
		if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ",") {
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 1 {
				return c, false
			}
			c.Frac, rest = SubSecDigits(rest[1:i]), rest[i:]
		}
	}
	if rest = strings.TrimSpace(rest); rest != "" {
		off, ok := ParseOffset(rest)
		if !ok {
			return c, false
		}
		c.ZoneKnown, c.Offset = true, off
	}
	return c, true
}
