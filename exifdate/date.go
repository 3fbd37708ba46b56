package exifdate

import (
	"errors"
	"fmt"
	"time"
)

// Precision says how much of a Date the person knows.
type Precision int

const (
	// PrecisionUnset is the zero value and is refused, so that a Date built
	// without thinking about precision is never written as midnight.
	PrecisionUnset Precision = iota
	// ToTheDay: only year, month and day are known. EXIF has no place for a
	// date without a time, so it is written only when Options.NoonAgreed.
	ToTheDay
	// ToTheSecond: the wall-clock time is known to the second.
	ToTheSecond
)

// MinYear is the earliest year written: the first surviving photograph.
const MinYear = 1826

// Date is a wall-clock capture time as the person means it: local time where
// the photo was taken, with the UTC offset when known. It is written as given
// and never converted to UTC.
type Date struct {
	Year, Month, Day     int
	Hour, Minute, Second int // ignored for ToTheDay
	Precision            Precision
	OffsetKnown          bool
	Offset               int // seconds east of UTC when OffsetKnown; whole minutes, at most 14 hours
}

// Options tune SetJPEGDate. The zero value is the safe default.
type Options struct {
	// NoonAgreed lets a ToTheDay date be written as 12:00:00 of that day.
	// Default false: such a date is refused, because EXIF would claim a time
	// nobody knows.
	NoonAgreed bool
	// Now bounds the latest year (Now's year plus one). Default: time.Now().
	Now time.Time
}

// Values are the EXIF date fields of a file, as text exactly as stored (up to
// the first NUL); "" means the tag is absent.
type Values struct {
	HadExif            bool // the file had an APP1 Exif segment
	DateTimeOriginal   string
	CreateDate         string
	OffsetTimeOriginal string
	OffsetTime         string
}

// ErrNeedsTime is returned for a ToTheDay date without Options.NoonAgreed.
var ErrNeedsTime = errors.New("EXIF needs a time of day and only the day is known: agree to noon to write it")

// ErrYearOutOfRange is returned for a year before MinYear or after next year.
var ErrYearOutOfRange = errors.New("year out of range")

// Planned validates d and returns the field values SetJPEGDate would write
// (HadExif false): the dry-run view of a write. With the offset unknown the
// offset fields are "", and SetJPEGDate removes them from the file, since an
// offset that described the old time would misstate the new one.
func Planned(d Date, opt Options) (Values, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	switch d.Precision {
	case ToTheSecond:
	case ToTheDay:
		if !opt.NoonAgreed {
			return Values{}, ErrNeedsTime
		}
		d.Hour, d.Minute, d.Second = 12, 0, 0
	default:
		return Values{}, errors.New("the date's precision is not set (day or second)")
	}
	if d.Year < MinYear || d.Year > now.Year()+1 {
		return Values{}, fmt.Errorf("%w: %d is not between %d and %d", ErrYearOutOfRange, d.Year, MinYear, now.Year()+1)
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Minute, d.Second, 0, time.UTC)
	if t.Year() != d.Year || int(t.Month()) != d.Month || t.Day() != d.Day ||
		t.Hour() != d.Hour || t.Minute() != d.Minute || t.Second() != d.Second {
		return Values{}, fmt.Errorf("%04d-%02d-%02d %02d:%02d:%02d is not a real date and time",
			d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second)
	}
	v := Values{DateTimeOriginal: t.Format("2006:01:02 15:04:05")}
	v.CreateDate = v.DateTimeOriginal
	if d.OffsetKnown {
		off, err := formatOffset(d.Offset)
		if err != nil {
			return Values{}, err
		}
		v.OffsetTimeOriginal, v.OffsetTime = off, off
	}
	return v, nil
}

// formatOffset writes an offset as EXIF 2.31 does: "+09:00", "-03:30".
func formatOffset(sec int) (string, error) {
	if sec%60 != 0 || sec > 14*3600 || sec < -14*3600 {
		return "", fmt.Errorf("UTC offset of %d seconds is not whole minutes within ±14 hours", sec)
	}
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	return fmt.Sprintf("%c%02d:%02d", sign, sec/3600, sec/60%60), nil
}
