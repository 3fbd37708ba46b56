package datetime

import "testing"

func TestParseEXIFDateTime(t *testing.T) {
	for _, tc := range []struct {
		raw, want string
		st        EXIFStatus
	}{
		{"2019:07:04 15:30:12", "2019-07-04T15:30:12", EXIFOK},
		{"2019:07:04 15:30:12\x00", "2019-07-04T15:30:12", EXIFOK},
		{"2019-07-04 15:30:12", "2019-07-04T15:30:12", EXIFOK},
		{"2019:07:04 15:30:12.5+01:00", "2019-07-04T15:30:12.5+01:00", EXIFOK},
		{"2019:02:30 10:00:00", "2019-02-30T10:00:00", EXIFOK},
		{"2019:07:04", "2019-07-04", EXIFOK},
		{"0000:00:00 00:00:00", "", EXIFEmpty},
		{"    :  :     :  :  ", "", EXIFEmpty},
		{"", "", EXIFEmpty},
		{"\x00\x00\x00", "", EXIFEmpty},
		{"garbage!", "", EXIFGarbage},
		{"2019:07:04 1x:30:12", "", EXIFGarbage},
	} {
		c, st := ParseEXIF(tc.raw)
		if st != tc.st || (st == EXIFOK && c.String() != tc.want) {
			t.Errorf("ParseEXIF(%q) = %q, %v; want %q, %v", tc.raw, c.String(), st, tc.want, tc.st)
		}
	}
}
