package timestamp

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"shoebox/media"
)

func TestSeriesOfRealCameraNames(t *testing.T) {
	tests := []struct {
		name   string
		series string
		num    int
	}{
		{"IMG_1234.JPG", "IMG_#4", 1234},      // Canon sRGB, iPhone
		{"_MG_1235.CR2", "IMG_#4", 1235},      // Canon Adobe RGB: the same counter
		{"MVI_1236.MOV", "IMG_#4", 1236},      // Canon movie: the same counter
		{"IMG_E1234.HEIC", "IMG_#4", 1234},    // iPhone edited copy: its original's number
		{"img_1234.jpg", "IMG_#4", 1234},      // lower case after a copy
		{"DSC_0042.NEF", "DSC_#4", 42},        // Nikon sRGB
		{"_DSC0043.NEF", "DSC_#4", 43},        // Nikon Adobe RGB
		{"DSC01031.ARW", "DSC#5", 1031},       // Sony: five digits, another series
		{"DSCF0001.RAF", "DSCF#4", 1},         // Fuji
		{"_DSF0002.RAF", "DSCF#4", 2},         // Fuji Adobe RGB
		{"P1010001.JPG", "P#7", 1010001},      // Panasonic: folder 101, file 0001
		{"P1020001.RW2", "P#7", 1020001},      // the next folder sorts after
		{"GOPR0001.JPG", "GOPR#4", 1},         // GoPro single file
		{"GX010002.MP4", "GOPR#4", 2},         // GoPro HEVC chapter 1 of video 0002
		{"GH020002.MP4", "GOPR#4", 2},         // chapter 2 of the same video
		{"DJI_0007.DNG", "DJI_#4", 7},         // DJI drone
		{"IMGP1234.PEF", "IMGP#4", 1234},      // Pentax
		{"dir/sub/IMG_0001.jpg", "IMG_#4", 1}, // a path: its base name
	}
	for _, tt := range tests {
		s, n, ok := SeriesOf(tt.name)
		if !ok || s != tt.series || n != tt.num {
			t.Errorf("SeriesOf(%q) = %q, %d, %v; want %q, %d", tt.name, s, n, ok, tt.series, tt.num)
		}
	}
	for _, name := range []string{
		"IMG_20190714_101500.jpg", // a date, not a counter
		"PXL_20170226_174753153.jpg",
		"IMG-20180312-WA0007.jpg", // WhatsApp
		"IMG_1234 (1).JPG",        // a copy
		"IMG_1234-edited.jpg",
		"20190714_101500.jpg",
		"holiday.jpg",
		"IMG_12.jpg", // too short for a counter
	} {
		if s, n, ok := SeriesOf(name); ok {
			t.Errorf("SeriesOf(%q) = %q, %d: want no series", name, s, n)
		}
	}
}

// seq builds files of one folder: name=value@confidence; an empty value is an undated file.
func seq(folder string, specs ...string) []SequenceFile {
	var out []SequenceFile
	for _, s := range specs {
		name, rest, _ := strings.Cut(s, "=")
		value, conf, _ := strings.Cut(rest, "@")
		if conf == "" {
			conf = string(media.ConfidenceNone)
		}
		out = append(out, SequenceFile{Name: name, Folder: folder, Value: value, Confidence: media.Confidence(conf)})
	}
	return out
}

func TestSequenceSeriesOfRealCameras(t *testing.T) {
	tests := []struct {
		series           []string // lower neighbour, target, upper neighbour
		value            string
		conf             media.Confidence
		earlier, later   string
		detailFragments  []string
		describedAsWhole string
	}{
		{[]string{"IMG_1233.JPG", "IMG_1234.JPG", "IMG_1235.JPG"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "IMG_1233.JPG", "IMG_1235.JPG", nil, "Canon/iPhone"},
		{[]string{"IMG_1233.JPG", "_MG_1234.JPG", "MVI_1235.MOV"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "IMG_1233.JPG", "MVI_1235.MOV", nil, "Canon Adobe RGB and movie"},
		{[]string{"DSC_0041.NEF", "_DSC0042.NEF", "DSC_0043.NEF"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "DSC_0041.NEF", "DSC_0043.NEF", nil, "Nikon"},
		{[]string{"DSC01030.ARW", "DSC01031.ARW", "DSC01032.ARW"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "DSC01030.ARW", "DSC01032.ARW", nil, "Sony"},
		{[]string{"DSCF0001.JPG", "DSCF0002.JPG", "DSCF0005.JPG"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "DSCF0001.JPG", "DSCF0005.JPG", nil, "Fuji"},
		{[]string{"P1019999.JPG", "P1020001.JPG", "P1020002.JPG"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "P1019999.JPG", "P1020002.JPG", nil, "Panasonic across its folders"},
		{[]string{"GOPR0001.JPG", "GX010002.MP4", "GOPR0003.JPG"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "GOPR0001.JPG", "GOPR0003.JPG", nil, "GoPro"},
		{[]string{"IMG_1233.HEIC", "IMG_E1234.HEIC", "IMG_1235.HEIC"}, "2019-07-14T10:10:00", media.ConfidenceMedium, "IMG_1233.HEIC", "IMG_1235.HEIC", nil, "iPhone edited copy"},
	}
	for _, tt := range tests {
		files := seq("/photos/2019",
			tt.series[0]+"=2019-07-14T10:00:00@HIGH", tt.series[1]+"=2019-07-14T11:00:00@LOW", tt.series[2]+"=2019-07-14T10:20:00@MEDIUM")
		got := Sequence(files, SequenceOptions{})
		if len(got) != 1 {
			t.Fatalf("%s: %d candidates, want 1: %+v", tt.describedAsWhole, len(got), got)
		}
		c := got[0]
		if files[c.File].Name != tt.series[1] || c.Candidate.Value != tt.value || c.Confidence != tt.conf ||
			files[c.Earlier].Name != tt.earlier || files[c.Later].Name != tt.later {
			t.Errorf("%s: got %s %s %s between %s and %s", tt.describedAsWhole, files[c.File].Name, c.Candidate.Value, c.Confidence,
				files[c.Earlier].Name, files[c.Later].Name)
		}
		if c.Candidate.Kind != media.KindSequence || c.Candidate.Source != media.SourceSequence {
			t.Errorf("%s: kind %s source %s", tt.describedAsWhole, c.Candidate.Kind, c.Candidate.Source)
		}
		for _, want := range []string{tt.earlier + " taken 2019-07-14T10:00:00", tt.later + " taken 2019-07-14T10:20:00", "20m0s", "same folder"} {
			if !strings.Contains(c.Candidate.Detail, want) {
				t.Errorf("%s: detail %q lacks %q", tt.describedAsWhole, c.Candidate.Detail, want)
			}
		}
	}
}

func TestSequenceGradesByTheNeighboursDistance(t *testing.T) {
	tests := []struct {
		upper string
		conf  media.Confidence
		value string
	}{
		{"2019-07-14T10:00:00", media.ConfidenceMedium, "2019-07-14T10:00:00"}, // a burst: the same second
		{"2019-07-14T10:59:59", media.ConfidenceMedium, "2019-07-14T10:29:59"}, // under an hour (midpoint truncated to the second)
		{"2019-07-14T11:00:00", media.ConfidenceLow, "2019-07-14T10:30:00"},    // an hour is not under an hour
		{"2019-07-16T10:00:00", media.ConfidenceLow, "2019-07-15T10:00:00"},    // days apart: LOW, never dropped
	}
	for _, tt := range tests {
		files := seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG="+tt.upper+"@HIGH")
		got := Sequence(files, SequenceOptions{})
		if len(got) != 1 || got[0].Confidence != tt.conf || got[0].Candidate.Value != tt.value {
			t.Errorf("upper %s: got %+v, want %s %s", tt.upper, got, tt.conf, tt.value)
		}
	}
	// The threshold is an option.
	files := seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG=2019-07-14T10:20:00@HIGH")
	if got := Sequence(files, SequenceOptions{MediumWithin: 10 * time.Minute}); len(got) != 1 || got[0].Confidence != media.ConfidenceLow {
		t.Errorf("MediumWithin 10m, 20m apart: %+v, want LOW", got)
	}
}

func TestSequenceRefusesWrapsAndDisagreements(t *testing.T) {
	tests := []struct {
		why   string
		files []SequenceFile
	}{
		{"the counter wraps: IMG_9998 → IMG_0002 in one folder",
			seq("/p", "IMG_9998.JPG=2019-07-14T10:00:00@HIGH", "IMG_9999.JPG", "IMG_0001.JPG=2019-07-14T10:05:00@HIGH", "IMG_5000.JPG", "IMG_0002.JPG")},
		{"the lower number is dated after the higher",
			seq("/p", "DSC_0010.JPG=2019-07-14T12:00:00@HIGH", "DSC_0011.JPG", "DSC_0012.JPG=2019-07-14T10:00:00@HIGH")},
		{"no dated neighbour above",
			seq("/p", "DSC_0010.JPG=2019-07-14T12:00:00@HIGH", "DSC_0011.JPG")},
		{"neighbours only LOW: not trusted",
			seq("/p", "DSC_0010.JPG=2019-07-14T12:00:00@LOW", "DSC_0011.JPG", "DSC_0012.JPG=2019-07-14T12:05:00@LOW")},
		{"a date-only neighbour",
			seq("/p", "DSC_0010.JPG=2019-07-14@MEDIUM", "DSC_0011.JPG", "DSC_0012.JPG=2019-07-14T12:05:00@HIGH")},
		{"another series between",
			seq("/p", "DSCF0010.JPG=2019-07-14T12:00:00@HIGH", "DSC_0011.JPG", "DSCF0012.JPG=2019-07-14T12:05:00@HIGH")},
		{"same number is not between: the RAW of a dated JPEG",
			seq("/p", "IMG_0010.JPG=2019-07-14T12:00:00@HIGH", "IMG_0010.CR2")},
	}
	for _, tt := range tests {
		if got := Sequence(tt.files, SequenceOptions{}); len(got) != 0 {
			t.Errorf("%s: %+v, want no candidate", tt.why, got)
		}
	}
	// Across a wrap, the files on each side still get theirs from neighbours on their side.
	files := seq("/p", "IMG_9997.JPG=2019-07-14T09:58:00@HIGH", "IMG_9998.JPG", "IMG_9999.JPG=2019-07-14T10:00:00@HIGH",
		"IMG_0001.JPG=2019-07-14T10:05:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG=2019-07-14T10:07:00@HIGH")
	got := Sequence(files, SequenceOptions{})
	if len(got) != 2 || files[got[0].File].Name != "IMG_9998.JPG" || files[got[1].File].Name != "IMG_0002.JPG" {
		t.Errorf("both sides of a wrap: %+v", got)
	}
}

func TestSequenceNeverTouchesTrustedFiles(t *testing.T) {
	files := seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00@HIGH", "IMG_0002.JPG=2021-01-01T00:00:00@HIGH",
		"IMG_0003.JPG=2019-07-14T10:02:00@MEDIUM", "IMG_0004.JPG=2019-07-14T10:03:00@LOW", "IMG_0005.JPG=2019-07-14T10:04:00@HIGH")
	got := Sequence(files, SequenceOptions{})
	if len(got) != 1 || files[got[0].File].Name != "IMG_0004.JPG" {
		t.Fatalf("got %+v, want one candidate for the LOW IMG_0004", got)
	}
	// IMG_0002's HIGH date disagrees with its neighbours but is not replaced,
	// and is not used for IMG_0004 (its neighbours are 0003 and 0005).
	if c := got[0]; files[c.Earlier].Name != "IMG_0003.JPG" || files[c.Later].Name != "IMG_0005.JPG" || c.Candidate.Value != "2019-07-14T10:03:00" {
		t.Errorf("IMG_0004: %+v", c)
	}
}

func TestSequenceNearestOfEqualNumbersAndCameras(t *testing.T) {
	// RAW+JPEG pairs share a number: the file came after both below and before both above.
	files := seq("/p", "IMG_0001.CR2=2019-07-14T10:00:00@HIGH", "IMG_0001.JPG=2019-07-14T10:00:01@HIGH", "IMG_0002.JPG",
		"IMG_0003.JPG=2019-07-14T10:10:00@HIGH", "IMG_0003.CR2=2019-07-14T10:10:05@HIGH")
	got := Sequence(files, SequenceOptions{})
	if len(got) != 1 || files[got[0].Earlier].Name != "IMG_0001.JPG" || files[got[0].Later].Name != "IMG_0003.JPG" {
		t.Errorf("equal numbers: %+v", got)
	}
	// An iPhone and a Canon both write IMG_ into one folder: cameras that differ are refused.
	files = seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG=2019-07-14T10:10:00@HIGH")
	files[0].Camera, files[2].Camera = "Canon EOS 5D", "Apple iPhone 8"
	if got := Sequence(files, SequenceOptions{}); len(got) != 0 {
		t.Errorf("different cameras: %+v", got)
	}
	// The same camera across folders: the camera series, with the folders in the evidence.
	files = []SequenceFile{
		{Name: "IMG_0001.JPG", Folder: "/p/a", Camera: "Canon EOS 5D", Value: "2019-07-14T10:00:00", Confidence: media.ConfidenceHigh},
		{Name: "IMG_0002.JPG", Folder: "/p/b", Camera: "Canon EOS 5D", Confidence: media.ConfidenceLow, Value: "2001-01-01T00:00:00"},
		{Name: "IMG_0003.JPG", Folder: "/p/c", Camera: "Canon EOS 5D", Value: "2019-07-14T12:00:00", Confidence: media.ConfidenceHigh},
	}
	// Refused in its folder (a wrap there), a file is not tried in the camera's series.
	wrapped := append(slices.Clone(files),
		SequenceFile{Name: "IMG_0009.JPG", Folder: "/p/b", Camera: "Canon EOS 5D", Value: "2019-07-14T11:30:00", Confidence: media.ConfidenceHigh},
		SequenceFile{Name: "IMG_9999.JPG", Folder: "/p/b", Camera: "Canon EOS 5D", Value: "2019-07-14T11:00:00", Confidence: media.ConfidenceHigh},
		SequenceFile{Name: "IMG_5000.JPG", Folder: "/p/b", Camera: "Canon EOS 5D", Confidence: media.ConfidenceNone},
		SequenceFile{Name: "IMG_4999.JPG", Folder: "/p/d", Camera: "Canon EOS 5D", Value: "2019-07-14T11:40:00", Confidence: media.ConfidenceHigh},
		SequenceFile{Name: "IMG_5001.JPG", Folder: "/p/d", Camera: "Canon EOS 5D", Value: "2019-07-14T11:45:00", Confidence: media.ConfidenceHigh})
	if got := Sequence(wrapped, SequenceOptions{}); len(got) != 1 || got[0].File != 1 {
		t.Errorf("a file refused in its folder: %+v", got)
	}
	got = Sequence(files, SequenceOptions{})
	if len(got) != 1 || got[0].File != 1 || got[0].Confidence != media.ConfidenceLow || got[0].Candidate.Value != "2019-07-14T11:00:00" ||
		!strings.Contains(got[0].Candidate.Detail, "/p/a/IMG_0001.JPG") || !strings.Contains(got[0].Candidate.Detail, "same camera") {
		t.Errorf("camera series: %+v", got)
	}
}

func TestSequenceZones(t *testing.T) {
	// Both zones known: compared as instants, the midpoint keeps the zone.
	files := seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00+02:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG=2019-07-14T10:20:00+02:00@HIGH")
	got := Sequence(files, SequenceOptions{})
	if len(got) != 1 || got[0].Candidate.Value != "2019-07-14T10:10:00+02:00" || !got[0].ZoneKnown {
		t.Errorf("zoned: %+v", got)
	}
	// One zone unknown: wall clocks, no zone claimed.
	files = seq("/p", "IMG_0001.JPG=2019-07-14T10:00:00+02:00@HIGH", "IMG_0002.JPG", "IMG_0003.JPG=2019-07-14T10:20:00@HIGH")
	got = Sequence(files, SequenceOptions{})
	if len(got) != 1 || got[0].Candidate.Value != "2019-07-14T10:10:00" || got[0].ZoneKnown {
		t.Errorf("wall clocks: %+v", got)
	}
}

// TestSequenceScales: a million files, half dated, in 1000 folders, stays
// near-linear (a smoke test of the grouping: quadratic work would not
// finish; it takes a few seconds).
func TestSequenceScales(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceDetector {
		n = 20_000 // the same checks, smaller: Sequence has no goroutines to race
	}
	files := make([]SequenceFile, n)
	base := time.Date(2019, 7, 14, 10, 0, 0, 0, time.UTC)
	for i := range files {
		f := SequenceFile{Name: fmt.Sprintf("IMG_%04d.JPG", i%1000), Folder: fmt.Sprintf("/p/%d", i/1000), Confidence: media.ConfidenceNone}
		if i%2 == 0 {
			f.Value, f.Confidence = base.Add(time.Duration(i)*time.Second).Format("2006-01-02T15:04:05"), media.ConfidenceHigh
		}
		files[i] = f
	}
	got := Sequence(files, SequenceOptions{})
	if want := n/2 - n/1000; len(got) != want { // each folder's last odd number has no neighbour above
		t.Errorf("%d candidates, want %d", len(got), want)
	}
}
