package timestamp

import (
	"testing"

	"shoebox/media"
)

// TestFilenamePatternTable runs the example of every row of namePatterns: each
// must give its value, through its own row (specific matchers before generic).
func TestFilenamePatternTable(t *testing.T) {
	if len(namePatterns) < 30 {
		t.Fatalf("only %d documented patterns, want at least 30", len(namePatterns))
	}
	for i, p := range namePatterns {
		c, got, ok := parseFilename(p.Example)
		if !ok {
			t.Errorf("row %d %s: %q gave no date, want %s", i, p.Name, p.Example, p.Want)
			continue
		}
		if c.String() != p.Want {
			t.Errorf("row %d %s: %q = %s, want %s", i, p.Name, p.Example, c.String(), p.Want)
		}
		if got.re != p.re {
			t.Errorf("row %d %s: %q matched by the %q pattern instead", i, p.Name, p.Example, got.Name)
		}
	}
}

func TestFilenameRealWorld(t *testing.T) {
	cases := []struct {
		name, want string
		kind       media.CandidateKind
	}{
		{"IMG_20190704_153012.jpg", "2019-07-04T15:30:12", media.KindFilenameTime},
		{"PXL_20210923_184501123.MP.jpg", "2021-09-23T18:45:01.123Z", media.KindFilenameTime},
		{"IMG-20180312-WA0007.jpg", "2018-03-12", media.KindFilenameDate},
		{"Screen Shot 2019-07-04 at 12.05.09 AM.png", "2019-07-04T00:05:09", media.KindFilenameTime},
		{"Screen Shot 2019-07-04 at 12.05.09 PM.png", "2019-07-04T12:05:09", media.KindFilenameTime},
		{"FB_IMG_1491937645123.jpg", "2017-04-11T19:07:25.123Z", media.KindFilenameTime},
		{"/some/dir/2017-08-26 12.59.11.jpg", "2017-08-26T12:59:11", media.KindFilenameTime},
		{"Holiday 2019-07-04.jpg", "2019-07-04", media.KindFilenameDate},
		{"IMG_20240229_120000.jpg", "2024-02-29T12:00:00", media.KindFilenameTime},
		{"Copy of mmexport1642769067688.jpg", "2022-01-21T12:44:27.688Z", media.KindFilenameTime},
		{"Copy of IMG_20190704_153012.jpg", "2019-07-04T15:30:12", media.KindFilenameTime},
		{"1457078564694.jpg", "2016-03-04T08:02:44.694Z", media.KindFilenameTime},
	}
	for _, tc := range cases {
		c, ok := parseFilenameTime(tc.name)
		if !ok || c.Value != tc.want || c.Kind != tc.kind || c.Source != media.SourceFilename {
			t.Errorf("parseFilenameTime(%q) = %+v, %v; want %s (%s)", tc.name, c, ok, tc.want, tc.kind)
		}
	}
}

// TestFilenameNoDate: camera counters, random IDs and impossible dates give nothing.
func TestFilenameNoDate(t *testing.T) {
	for _, name := range []string{
		"DSC_0042.JPG", "IMG_1234.JPG", "P1010001.JPG", "GOPR0123.MP4", "GH010123.MP4",
		"MVI_0123.MOV", "DSCF1234.RAF", "_MG_5678.CR2", "image.jpg", "Screenshot (12).png",
		"2491937645123.jpg",              // 13 digits not starting with 1: not a plausible epoch
		"received_1019374562871234.jpeg", // Messenger ID
		"4f3a9c1e-2b7d-4e1a-9c3b-20a1b2c3d4e5.jpg",
		"IMG_20191332_153012.jpg",                   // month 13
		"20190230_120000.jpg",                       // 30 February
		"IMG_20190704_253012.jpg",                   // hour 25
		"IMG_20190229_120000.jpg",                   // 2019 is no leap year
		"Screen Shot 2019-07-04 at 13.05.09 PM.png", // 13 PM
		"12345678.jpg", "99991231.jpg", "201907041530121234.jpg",
		"FB_IMG_99.jpg", "IMG_E1234.HEIC", "DJI_0001.JPG", "IMG5678.jpg", "2019_1332_153012_001.MP4",
	} {
		if c, ok := parseFilenameTime(name); ok {
			t.Errorf("parseFilenameTime(%q) = %s (%s), want no date", name, c.Value, c.Detail)
		}
	}
}
