package exifdate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// written is one date to write and what exiftool must read back.
type written struct {
	name       string
	d          Date
	opt        Options
	dto, offst string // offst "" means the offset tags must be absent
}

func dates() []written {
	now := Options{Now: testNow}
	noon := Options{Now: testNow, NoonAgreed: true}
	return []written{
		{"summer with offset", Date{Year: 2009, Month: 7, Day: 14, Hour: 15, Minute: 4, Second: 5, Precision: ToTheSecond, OffsetKnown: true, Offset: 2 * 3600}, now, "2009:07:14 15:04:05", "+02:00"},
		{"no offset", Date{Year: 2016, Month: 1, Day: 2, Hour: 23, Minute: 59, Second: 58, Precision: ToTheSecond}, now, "2016:01:02 23:59:58", ""},
		{"1826", Date{Year: 1826, Month: 6, Day: 1, Hour: 8, Precision: ToTheSecond, OffsetKnown: true, Offset: -(5*3600 + 30*60)}, now, "1826:06:01 08:00:00", "-05:30"},
		{"pre-1970", Date{Year: 1969, Month: 12, Day: 31, Hour: 23, Minute: 59, Second: 59, Precision: ToTheSecond, OffsetKnown: true}, now, "1969:12:31 23:59:59", "+00:00"},
		{"day at agreed noon", Date{Year: 1955, Month: 6, Day: 15, Precision: ToTheDay, OffsetKnown: true, Offset: 9 * 3600}, noon, "1955:06:15 12:00:00", "+09:00"},
		{"next year", Date{Year: 2027, Month: 12, Day: 31, Hour: 1, Precision: ToTheSecond}, now, "2027:12:31 01:00:00", ""},
	}
}

type fixture struct {
	name string
	b    []byte
}

func fixtures(t *testing.T) []fixture {
	fs := []fixture{
		{"iphone4s", readFixture(t, iphoneFixture)},
		{"no APP segment", plainJPEG(t)},
		{"JFIF, no EXIF", withJFIF(plainJPEG(t))},
	}
	for _, p := range corpusFixtures(t) {
		fs = append(fs, fixture{filepath.Base(p), readFixture(t, p)})
	}
	return fs
}

// TestReadBackWithExiftool writes every date into every fixture and reads it
// back with exiftool under two TZ values: the wall-clock time and the offset
// are what was intended, whatever the reader's zone.
func TestReadBackWithExiftool(t *testing.T) {
	dir := t.TempDir()
	for _, f := range fixtures(t) {
		for _, w := range dates() {
			out, old, err := SetJPEGDate(f.b, w.d, w.opt)
			if err != nil {
				t.Fatalf("%s, %s: %v", f.name, w.name, err)
			}
			if hadExif := bytes.Contains(f.b, exifHeader); old.HadExif != hadExif {
				t.Errorf("%s: old.HadExif = %v", f.name, old.HadExif)
			}
			p := filepath.Join(dir, "out.jpg")
			if err := os.WriteFile(p, out, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, tz := range []string{"America/New_York", "Asia/Tokyo"} {
				tags := exiftoolJSON(t, tz, p, "-DateTimeOriginal", "-CreateDate", "-OffsetTimeOriginal", "-OffsetTime", "-Warning", "-Error")
				want := map[string]any{"ExifIFD:DateTimeOriginal": w.dto, "ExifIFD:CreateDate": w.dto}
				if w.offst != "" {
					want["ExifIFD:OffsetTimeOriginal"], want["ExifIFD:OffsetTime"] = w.offst, w.offst
				}
				delete(tags, "SourceFile")
				if !sameTags(tags, want) {
					t.Errorf("%s, %s, TZ=%s: exiftool reads %v, want %v", f.name, w.name, tz, tags, want)
				}
			}
		}
	}
}

func sameTags(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestEveryOtherTagKept compares exiftool's full dump, binary values (the
// thumbnail, maker note blocks) included, before and after a write: only the
// four date tags and what derives from them may differ.
func TestEveryOtherTagKept(t *testing.T) {
	dir := t.TempDir()
	w := dates()[0]
	for _, f := range fixtures(t) {
		if !bytes.Contains(f.b, exifHeader) {
			continue
		}
		out, _, err := SetJPEGDate(f.b, w.d, w.opt)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		before, after := filepath.Join(dir, "before.jpg"), filepath.Join(dir, "after.jpg")
		if err := errors.Join(os.WriteFile(before, f.b, 0o644), os.WriteFile(after, out, 0o644)); err != nil {
			t.Fatal(err)
		}
		tb, ta := exiftoolJSON(t, "UTC", before, "-b", "-n"), exiftoolJSON(t, "UTC", after, "-b", "-n")
		if _, ok := tb["IFD1:ThumbnailImage"]; f.name != "iphone4s" && !ok {
			t.Errorf("%s: the fixture has no thumbnail", f.name)
		}
		for _, m := range []map[string]any{tb, ta} {
			for k := range m {
				if k == "SourceFile" || strings.HasPrefix(k, "System:") || strings.HasPrefix(k, "Composite:") ||
					k == "ExifIFD:DateTimeOriginal" || k == "ExifIFD:CreateDate" ||
					k == "ExifIFD:OffsetTimeOriginal" || k == "ExifIFD:OffsetTime" {
					delete(m, k)
				}
			}
		}
		if len(tb) < 40 {
			t.Fatalf("%s: exiftool listed only %d tags to compare", f.name, len(tb))
		}
		for k, v := range tb {
			if ta[k] != v {
				t.Errorf("%s: %s was %.80v, is %.80v", f.name, k, v, ta[k])
			}
		}
		for k, v := range ta {
			if _, ok := tb[k]; !ok {
				t.Errorf("%s: %s = %.80v appeared", f.name, k, v)
			}
		}
	}
}

// TestOverwritesInPlaceWhenItFits: once the four tags exist, a second date
// changes only their value bytes, and the file keeps its length.
func TestOverwritesInPlaceWhenItFits(t *testing.T) {
	ws := dates()
	first, _, err := SetJPEGDate(readFixture(t, iphoneFixture), ws[0].d, ws[0].opt)
	if err != nil {
		t.Fatal(err)
	}
	second, old, err := SetJPEGDate(first, ws[2].d, ws[2].opt)
	if err != nil {
		t.Fatal(err)
	}
	want := Values{HadExif: true, DateTimeOriginal: ws[0].dto, CreateDate: ws[0].dto, OffsetTimeOriginal: ws[0].offst, OffsetTime: ws[0].offst}
	if old != want {
		t.Errorf("old = %+v, want %+v", old, want)
	}
	if len(second) != len(first) {
		t.Fatalf("length %d, want %d: the values should have been overwritten where they lie", len(second), len(first))
	}
	diff := 0
	for i := range first {
		if first[i] != second[i] {
			diff++
		}
	}
	if diff == 0 || diff > 2*19+2*6 {
		t.Errorf("%d bytes differ, want between 1 and %d (two dates, two offsets)", diff, 2*19+2*6)
	}
}

// TestUnknownOffsetRemovesStaleOffset: an offset written for the old time
// must not be left to misstate the new one.
func TestUnknownOffsetRemovesStaleOffset(t *testing.T) {
	ws := dates()
	first, _, err := SetJPEGDate(readFixture(t, iphoneFixture), ws[0].d, ws[0].opt)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := SetJPEGDate(first, ws[1].d, ws[1].opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadJPEGDate(second)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Values{HadExif: true, DateTimeOriginal: ws[1].dto, CreateDate: ws[1].dto}); got != want {
		t.Errorf("read %+v, want %+v", got, want)
	}
}

// TestNewSegmentPlacement: without EXIF, the new APP1 follows SOI and the
// JFIF APP0, which must stay first for JFIF readers, and exiftool finds
// nothing to warn about in it.
func TestNewSegmentPlacement(t *testing.T) {
	w := dates()[0]
	for _, src := range [][]byte{plainJPEG(t), withJFIF(plainJPEG(t))} {
		out, old, err := SetJPEGDate(src, w.d, w.opt)
		if err != nil {
			t.Fatal(err)
		}
		if old != (Values{}) {
			t.Errorf("old = %+v, want none", old)
		}
		f, err := parseJPEG(out)
		if err != nil {
			t.Fatal(err)
		}
		wantAt := 0
		if src[3] == 0xE0 {
			wantAt = 1
		}
		if f.exif != wantAt {
			t.Errorf("the Exif segment is segment %d, want %d", f.exif, wantAt)
		}
		p := filepath.Join(t.TempDir(), "new.jpg")
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
		tags := exiftoolJSON(t, "UTC", p, "-validate", "-warning", "-ExifImageWidth", "-ExifImageHeight", "-ColorSpace")
		want := map[string]any{"SourceFile": p, "ExifTool:Validate": "OK", "ExifIFD:ExifImageWidth": 24.0,
			"ExifIFD:ExifImageHeight": 16.0, "ExifIFD:ColorSpace": "Uncalibrated"}
		if !sameTags(tags, want) {
			t.Errorf("exiftool -validate: %v, want %v", tags, want)
		}
	}
}

func TestRefusals(t *testing.T) {
	src := readFixture(t, iphoneFixture)
	day := Date{Year: 1990, Month: 5, Day: 6, Precision: ToTheDay}
	sec := func(y, mo, d int) Date { return Date{Year: y, Month: mo, Day: d, Hour: 1, Precision: ToTheSecond} }
	cases := []struct {
		name string
		d    Date
		is   error
		says string
	}{
		{"day without agreed noon", day, ErrNeedsTime, "agree to noon"},
		{"1825", sec(1825, 12, 31), ErrYearOutOfRange, "1825 is not between 1826 and 2027"},
		{"two years ahead", sec(2028, 1, 1), ErrYearOutOfRange, "2028"},
		{"year 171546", sec(171546, 1, 1), ErrYearOutOfRange, "171546"},
		{"30 February", sec(2001, 2, 30), nil, "not a real date"},
		{"hour 24", Date{Year: 2001, Month: 2, Day: 3, Hour: 24, Precision: ToTheSecond}, nil, "not a real date"},
		{"precision unset", Date{Year: 2001, Month: 2, Day: 3}, nil, "precision"},
		{"offset 15 hours", Date{Year: 2001, Month: 2, Day: 3, Precision: ToTheSecond, OffsetKnown: true, Offset: 15 * 3600}, nil, "±14 hours"},
		{"offset with seconds", Date{Year: 2001, Month: 2, Day: 3, Precision: ToTheSecond, OffsetKnown: true, Offset: 3601}, nil, "whole minutes"},
	}
	for _, c := range cases {
		out, _, err := SetJPEGDate(src, c.d, Options{Now: testNow})
		if err == nil || out != nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v is not %v", c.name, err, c.is)
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.says)
		}
	}
	if _, err := Planned(sec(nextTestYear(), 1, 1), Options{}); err != nil {
		t.Errorf("the default clock refuses next year: %v", err)
	}
}

func nextTestYear() int { return testNow.Year() + 1 }
