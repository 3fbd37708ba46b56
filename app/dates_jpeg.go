package app

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"shoebox/exifdate"
)

// writeJPEGDate is the in-file writer of dates runs (LibraryOptions.
// EXIFWriter's default): it reads the JPEG at src, sets its EXIF dates with
// package exifdate, proves every byte of the image data and of the other
// segments unchanged, and writes the whole new file to dst (a new file).
// A date known only to the day never reaches it: the run writes those to
// the sidecar (EXIF has no date without a time).
func writeJPEGDate(src, dst string, d EXIFDate) error {
	before, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	date := exifdate.Date{Year: d.Wall.Year(), Month: int(d.Wall.Month()), Day: d.Wall.Day(),
		Hour: d.Wall.Hour(), Minute: d.Wall.Minute(), Second: d.Wall.Second(), Precision: exifdate.ToTheSecond}
	if d.Offset != "" {
		secs, err := offsetSeconds(d.Offset)
		if err != nil {
			return err
		}
		date.OffsetKnown, date.Offset = true, secs
	}
	after, _, err := exifdate.SetJPEGDate(before, date, exifdate.Options{})
	if err != nil {
		return err
	}
	if err := exifdate.ProveImageUnchanged(before, after); err != nil {
		return fmt.Errorf("the rewritten file would not keep the image as it was, so nothing was written: %w", err)
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(after); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// offsetSeconds reads "+09:00", "-03:30" or "Z" as seconds east of UTC.
func offsetSeconds(s string) (int, error) {
	if s == "Z" {
		return 0, nil
	}
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[4:6])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return 0, fmt.Errorf("bad UTC offset %q", s)
	}
	secs := h*3600 + m*60
	if strings.HasPrefix(s, "-") {
		secs = -secs
	}
	return secs, nil
}
