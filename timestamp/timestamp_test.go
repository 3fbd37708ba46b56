package timestamp

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"shoebox/datetime"
	"shoebox/media"
	"shoebox/meta"
)

// fixtureDir holds the metadata fixtures, kept beside the analysis tests
// that read them too.
const fixtureDir = "../meta/testdata" // the container samples belong to meta

var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func exifCand(k media.CandidateKind, v string) media.Candidate {
	return media.Candidate{Kind: k, Source: media.SourceEXIF, Value: v, Detail: "test"}
}

func findKind(ts media.Timestamp, k media.CandidateKind) *media.Candidate {
	for i := range ts.Candidates {
		if ts.Candidates[i].Kind == k {
			return &ts.Candidates[i]
		}
	}
	return nil
}

func TestDetermineTimestampScenarios(t *testing.T) {
	cases := []struct {
		name     string
		in       Input
		min      int
		value    string
		source   media.Source
		conf     media.Confidence
		conflict bool
		check    func(t *testing.T, ts media.Timestamp)
	}{
		{name: "camera EXIF alone is HIGH",
			in:    Input{Path: "/x/DSC_0042.JPG", Camera: "NIKON", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2019-07-04T15:30:12")}},
			value: "2019-07-04T15:30:12", source: media.SourceEXIF, conf: media.ConfidenceHigh},
		{name: "EXIF without camera make is MEDIUM",
			in:    Input{Path: "/x/a.jpg", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2019-07-04T15:30:12")}},
			value: "2019-07-04T15:30:12", source: media.SourceEXIF, conf: media.ConfidenceMedium},
		{name: "EXIF confirmed by a UTC file name two hours off",
			in:    Input{Path: "/x/PXL_20190704_133012123.jpg", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2019-07-04T15:30:12.123")}},
			value: "2019-07-04T15:30:12.123", source: media.SourceEXIF, conf: media.ConfidenceHigh,
			check: func(t *testing.T, ts media.Timestamp) {
				if c := findKind(ts, media.KindEXIFOriginal); !strings.Contains(c.Detail, "confirmed by filename_datetime") {
					t.Errorf("detail %q", c.Detail)
				}
			}},
		{name: "Pixel name in UTC with only EXIF ModifyDate: local time with the offset they imply",
			in: Input{Path: "/x/PXL_20170226_174753153.jpg", Embedded: []media.Candidate{
				exifCand(media.KindEXIFModify, "2017-02-26T12:47:53")}},
			value: "2017-02-26T12:47:53.153-05:00", source: media.SourceFilename, conf: media.ConfidenceMedium,
			check: func(t *testing.T, ts media.Timestamp) {
				if !ts.Time.Equal(time.Date(2017, 2, 26, 17, 47, 53, 153e6, time.UTC)) || !ts.ZoneKnown {
					t.Errorf("Time %v ZoneKnown %v: the instant must not move", ts.Time, ts.ZoneKnown)
				}
				c := findKind(ts, media.KindFilenameTime)
				if c.Value != "2017-02-26T17:47:53.153Z" || !strings.Contains(c.Detail, "UTC-05:00") {
					t.Errorf("candidate kept as found, with the reason: %+v", c)
				}
			}},
		{name: "Takeout UTC and a local name half an hour off the hour: India",
			in: Input{Path: "/x/IMG_20190704_213012.jpg", Embedded: []media.Candidate{
				{Kind: media.KindTakeout, Source: media.SourceSidecar, Value: "2019-07-04T16:00:12Z"}}},
			value: "2019-07-04T21:30:12+05:30", source: media.SourceSidecar, conf: media.ConfidenceHigh},
		{name: "UTC name and an EXIF time that no zone explains: UTC stays",
			in: Input{Path: "/x/PXL_20170226_174753153.jpg", Embedded: []media.Candidate{
				exifCand(media.KindEXIFModify, "2017-02-26T12:49:10")}},
			value: "2017-02-26T17:47:53.153Z", source: media.SourceFilename, conf: media.ConfidenceMedium},
		{name: "camera EXIF contradicted by the name is MEDIUM",
			in:    Input{Path: "/x/IMG_20180101_101010.jpg", Camera: "Canon", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2019-07-04T15:30:12")}},
			value: "2019-07-04T15:30:12", source: media.SourceEXIF, conf: media.ConfidenceMedium},
		{name: "strong sources that disagree: LOW and a conflict",
			in: Input{Path: "/x/a.mp4", Embedded: []media.Candidate{
				{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: "2019-07-04T15:30:12+02:00"},
				{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: "2019-07-09T13:30:12Z"}}},
			value: "2019-07-04T15:30:12+02:00", source: media.SourceVideo, conf: media.ConfidenceLow, conflict: true},
		{name: "video creation: Apple offset and mvhd UTC agree (same source: MEDIUM)",
			in: Input{Path: "/x/IMG_0001.MOV", Embedded: []media.Candidate{
				{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: "2019-07-04T15:30:12+02:00"},
				{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: "2019-07-04T13:30:12Z"}}},
			value: "2019-07-04T15:30:12+02:00", source: media.SourceVideo, conf: media.ConfidenceMedium},
		{name: "video confirmed by mtime",
			in: Input{Path: "/x/clip.mp4", ModTime: time.Date(2019, 7, 4, 13, 30, 40, 0, time.UTC), Embedded: []media.Candidate{
				{Kind: media.KindVideoCreation, Source: media.SourceVideo, Value: "2019-07-04T13:30:12Z"}}},
			value: "2019-07-04T13:30:12Z", source: media.SourceVideo, conf: media.ConfidenceHigh},
		{name: "WhatsApp date-only name: LOW, date-only value, mtime flagged",
			in:    Input{Path: "/x/IMG-20180312-WA0007.jpg", ModTime: time.Date(2021, 1, 2, 3, 4, 5, 0, time.UTC)},
			value: "2018-03-12", source: media.SourceFilename, conf: media.ConfidenceLow,
			check: func(t *testing.T, ts media.Timestamp) {
				if c := findKind(ts, media.KindMtime); !strings.Contains(c.Detail, "download time") {
					t.Errorf("mtime detail %q", c.Detail)
				}
				if !ts.Time.Equal(time.Date(2018, 3, 12, 0, 0, 0, 0, time.UTC)) || ts.ZoneKnown {
					t.Errorf("Time %v ZoneKnown %v", ts.Time, ts.ZoneKnown)
				}
			}},
		{name: "WhatsApp full name: messenger copies are graded LOW",
			in:    Input{Path: "/x/WhatsApp Image 2021-05-06 at 14.22.31.jpeg", ModTime: time.Date(2021, 5, 6, 14, 22, 40, 0, time.UTC)},
			value: "2021-05-06T14:22:31", source: media.SourceFilename, conf: media.ConfidenceLow},
		{name: "the name comes from RelPath when Path is empty",
			in:    Input{RelPath: "x/IMG_20190704_153012.jpg"},
			value: "2019-07-04T15:30:12", source: media.SourceFilename, conf: media.ConfidenceMedium},
		{name: "full date-time name alone is MEDIUM",
			in:    Input{Path: "/x/IMG_20190704_153012.jpg"},
			value: "2019-07-04T15:30:12", source: media.SourceFilename, conf: media.ConfidenceMedium},
		{name: "camera clock never set: the name wins",
			in: Input{Path: "/x/IMG_20190704_153012.jpg", Camera: "SONY", Embedded: []media.Candidate{
				exifCand(media.KindEXIFOriginal, "2005-01-01T00:12:40")}},
			value: "2019-07-04T15:30:12", source: media.SourceFilename, conf: media.ConfidenceMedium,
			check: func(t *testing.T, ts media.Timestamp) {
				c := findKind(ts, media.KindEXIFOriginal)
				if !strings.Contains(c.Detail, "camera clock probably never set") || c.Chosen || c.Rejected {
					t.Errorf("EXIF candidate %+v", *c)
				}
			}},
		{name: "New Year's photo with a matching name is not a trap",
			in:    Input{Path: "/x/IMG_20190101_001240.jpg", Camera: "SONY", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2019-01-01T00:12:40")}},
			value: "2019-01-01T00:12:40", source: media.SourceEXIF, conf: media.ConfidenceHigh},
		{name: "factory-default date without other evidence is not HIGH",
			in:    Input{Path: "/x/DSC_0001.JPG", Camera: "SONY", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "2005-01-01T00:00:07")}},
			value: "2005-01-01T00:00:07", source: media.SourceEXIF, conf: media.ConfidenceMedium},
		{name: "folder only",
			in:    Input{Path: "/r/2019/05/21/scan.jpg", RelPath: "2019/05/21/scan.jpg"},
			value: "2019-05-21", source: media.SourceFolder, conf: media.ConfidenceLow},
		{name: "date-only name beats folder",
			in:    Input{Path: "/r/Photos from 2002/Holiday 2002-08-03.jpg", RelPath: "Photos from 2002/Holiday 2002-08-03.jpg"},
			value: "2002-08-03", source: media.SourceFilename, conf: media.ConfidenceLow},
		{name: "EXIF ModifyDate beats only mtime",
			in: Input{Path: "/x/a.jpg", ModTime: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
				Embedded: []media.Candidate{exifCand(media.KindEXIFModify, "2012-11-04T05:42:02")}},
			value: "2012-11-04T05:42:02", source: media.SourceEXIF, conf: media.ConfidenceLow},
		{name: "mtime of last resort, in UTC",
			in:    Input{Path: "/x/a.jpg", ModTime: time.Date(2020, 3, 4, 5, 6, 7, 0, time.FixedZone("X", 9*3600))},
			value: "2020-03-03T20:06:07Z", source: media.SourceMtime, conf: media.ConfidenceLow},
		{name: "nothing valid: NONE, all kept with reasons",
			in: Input{Path: "/x/a.jpg", ModTime: testNow.Add(72 * time.Hour), Embedded: []media.Candidate{
				exifCand(media.KindEXIFOriginal, "1999-12-31T23:00:00"), exifCand(media.KindEXIFDigitized, "2019-02-30T10:00:00"),
				exifCand(media.KindEXIFModify, "2099-01-01T00:00:00")}},
			value: "", source: media.SourceNone, conf: media.ConfidenceNone,
			check: func(t *testing.T, ts media.Timestamp) {
				want := map[media.CandidateKind]string{media.KindEXIFOriginal: "minimum", media.KindEXIFDigitized: "calendar", media.KindEXIFModify: "later", media.KindMtime: "later"}
				for k, w := range want {
					c := findKind(ts, k)
					if c == nil || !c.Rejected || !strings.Contains(c.Reason, w) {
						t.Errorf("%s: %+v, want rejected for %q", k, c, w)
					}
				}
				if !ts.Time.IsZero() {
					t.Errorf("Time %v", ts.Time)
				}
			}},
		{name: "MinYear is a setting",
			in:  Input{Path: "/x/a.jpg", Embedded: []media.Candidate{exifCand(media.KindEXIFOriginal, "1995-06-01T10:00:00")}},
			min: 1990, value: "1995-06-01T10:00:00", source: media.SourceEXIF, conf: media.ConfidenceMedium},
		{name: "EXIF digitized when the original is missing",
			in:    Input{Path: "/x/scan.jpg", Embedded: []media.Candidate{exifCand(media.KindEXIFDigitized, "2010-02-03T04:05:06+01:00"), exifCand(media.KindEXIFModify, "2011-01-01T00:00:00")}},
			value: "2010-02-03T04:05:06+01:00", source: media.SourceEXIF, conf: media.ConfidenceMedium,
			check: func(t *testing.T, ts media.Timestamp) {
				if !ts.ZoneKnown || !ts.Time.Equal(time.Date(2010, 2, 3, 3, 5, 6, 0, time.UTC)) {
					t.Errorf("Time %v ZoneKnown %v", ts.Time, ts.ZoneKnown)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := Determine(tc.in, Options{MinYear: tc.min, Now: testNow})
			if ts.Value != tc.value || ts.Source != tc.source || ts.Confidence != tc.conf || (ts.Conflict != "") != tc.conflict {
				t.Errorf("got %q %q %s conflict=%q; want %q %q %s conflict=%v", ts.Value, ts.Source, ts.Confidence, ts.Conflict, tc.value, tc.source, tc.conf, tc.conflict)
				for _, c := range ts.Candidates {
					t.Logf("  %+v", c)
				}
			}
			chosen := 0
			for _, c := range ts.Candidates {
				if c.Chosen {
					chosen++
					// The value is the candidate's, or the same instant in
					// the local time the other candidates revealed.
					v, _ := datetime.ParseValue(c.Value)
					if (c.Value != ts.Value && !(v.ZoneKnown && ts.ZoneKnown && v.Time().Equal(ts.Time))) || c.Rejected {
						t.Errorf("chosen candidate %+v does not match", c)
					}
				}
			}
			if (ts.Value != "") != (chosen == 1) || chosen > 1 {
				t.Errorf("%d chosen candidates for value %q", chosen, ts.Value)
			}
			if tc.check != nil {
				tc.check(t, ts)
			}
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestTakeoutSidecars(t *testing.T) {
	dir := t.TempDir()
	long := "Screenshot_20190704-153012_Some Long App Name Here.png" // 53 characters
	cases := []struct{ media, json string }{
		{"IMG_1234.jpg", "IMG_1234.jpg.json"},
		{"IMG_2000.jpg", "IMG_2000.jpg.supplemental-metadata.json"},
		{"IMG_1234(1).jpg", "IMG_1234.jpg(1).json"},
		{"IMG_3000(2).jpg", "IMG_3000.jpg.supplemental-metadata(2).json"},
		{"IMG_4000-edited.jpg", "IMG_4000.jpg.json"},
		{long, long[:46] + ".json"},
		{"PXL_20230101_101010123.LONG_EXPOSURE-01.COVER.jpg", "PXL_20230101_101010123.LONG_EXPOSURE-01.COVER..json"},
		{"IMG_5000.HEIC", "IMG_5000.HEIC.supplemental-metadata.json"},
	}
	for i, tc := range cases {
		if got := takeoutSidecarNames(tc.media); !contains(got, tc.json) {
			t.Errorf("%s: sidecar names %q lack %q", tc.media, got, tc.json)
		}
		secs := 1562247012 + int64(i) // 2019-07-04T13:30:12Z + i
		writeFile(t, filepath.Join(dir, tc.json), `{"title":"x","photoTakenTime":{"timestamp":"`+itoa(secs)+`","formatted":"…"}}`)
		ts := Determine(Input{Path: filepath.Join(dir, tc.media)}, Options{Now: testNow})
		c := findKind(ts, media.KindTakeout)
		want := time.Unix(secs, 0).UTC().Format("2006-01-02T15:04:05Z")
		if c == nil || c.Value != want || c.Source != media.SourceSidecar || !strings.Contains(c.Detail, tc.json) {
			t.Errorf("%s: takeout candidate %+v, want %s from %s", tc.media, c, want, tc.json)
			continue
		}
		if !c.Chosen {
			t.Errorf("%s: takeout not chosen: %+v", tc.media, ts)
		}
	}
	// A broken sidecar is evidence too, not an error.
	writeFile(t, filepath.Join(dir, "bad.jpg.json"), `{"photoTakenTime": {"timestamp": "yesterday"}}`)
	ts := Determine(Input{Path: filepath.Join(dir, "bad.jpg")}, Options{Now: testNow})
	if c := findKind(ts, media.KindTakeout); c == nil || !c.Rejected || ts.Confidence != media.ConfidenceNone {
		t.Errorf("broken sidecar: %+v", ts)
	}
}

func TestXMPSidecars(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "DSC_0001.xmp"), `<x:xmpmeta><rdf:RDF><rdf:Description exif:DateTimeOriginal="2019-07-04T15:30:12.50+02:00" xmp:CreateDate="2001-01-01"/></rdf:RDF></x:xmpmeta>`)
	writeFile(t, filepath.Join(dir, "DSC_0002.NEF.xmp"), "<rdf:Description>\n <photoshop:DateCreated>2018-03-12</photoshop:DateCreated>\n</rdf:Description>")
	writeFile(t, filepath.Join(dir, "DSC_0003.xmp"), `<rdf:Description exif:DateTimeOriginal="garbage"/>`)
	for _, tc := range []struct {
		media, want string
		rejected    bool
	}{
		{"DSC_0001.NEF", "2019-07-04T15:30:12.50+02:00", false},
		{"DSC_0002.NEF", "2018-03-12", false},
		{"DSC_0003.NEF", "", true},
	} {
		ts := Determine(Input{Path: filepath.Join(dir, tc.media)}, Options{Now: testNow})
		c := findKind(ts, media.KindXMP)
		if c == nil || c.Value != tc.want || c.Rejected != tc.rejected || c.Source != media.SourceSidecar {
			t.Errorf("%s: %+v, want %q", tc.media, c, tc.want)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestChoiceTable: every kind has a row, strengths never increase down the
// table, and the README text is rendered from it.
func TestChoiceTable(t *testing.T) {
	seen := map[media.CandidateKind]bool{}
	for i, r := range choiceRules {
		if seen[r.Kind] {
			t.Errorf("kind %s twice", r.Kind)
		}
		seen[r.Kind] = true
		if i > 0 && r.Strength > choiceRules[i-1].Strength {
			t.Errorf("row %d (%s) is stronger than the row above", i, r.Kind)
		}
		if kindSource[r.Kind] == "" {
			t.Errorf("kind %s has no report source", r.Kind)
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d kinds in the table", len(seen))
	}
	md := choiceTableMarkdown()
	if strings.Count(md, "\n") != 12 || !strings.Contains(md, "| 1 | exif_original | exif | strong |") {
		t.Errorf("table:\n%s", md)
	}
	if os.Getenv("SHOEBOX_PRINT_TABLE") != "" {
		t.Log("\n" + md)
	}
}

// TestEndToEndHEICWithTakeout: embedded EXIF (with offset) and a Takeout
// sidecar (UTC) are the same instant: HIGH; a sidecar three days off: LOW and
// a recorded conflict.
func TestEndToEndHEICWithTakeout(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(fixtureDir, "sample.heic"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		secs     int64
		conf     media.Confidence
		conflict bool
	}{
		{1562247012, media.ConfidenceHigh, false},         // 2019-07-04T13:30:12Z = 15:30:12+02:00
		{1562247012 + 3*86400, media.ConfidenceLow, true}, // three days later
	} {
		dir := filepath.Join(t.TempDir(), "Photos from 2019")
		os.MkdirAll(dir, 0o755)
		path := filepath.Join(dir, "IMG_0001.HEIC")
		writeFile(t, path, string(src))
		writeFile(t, path+".supplemental-metadata.json", `{"title":"IMG_0001.HEIC","photoTakenTime":{"timestamp":"`+itoa(tc.secs)+`"}}`)
		md := meta.Read(bytes.NewReader(src), int64(len(src)), "image/heic")
		ts := Determine(Input{Path: path, RelPath: "Photos from 2019/IMG_0001.HEIC", ModTime: testNow, Camera: md.Camera(), Embedded: md.Candidates}, Options{Now: testNow})
		if ts.Value != "2019-07-04T15:30:12.123+02:00" || ts.Source != media.SourceEXIF || ts.Confidence != tc.conf || (ts.Conflict != "") != tc.conflict {
			t.Errorf("secs %d: %q %s %s conflict %q", tc.secs, ts.Value, ts.Source, ts.Confidence, ts.Conflict)
		}
		kinds := map[media.CandidateKind]bool{}
		for _, c := range ts.Candidates {
			kinds[c.Kind] = true
		}
		for _, k := range []media.CandidateKind{media.KindEXIFOriginal, media.KindEXIFDigitized, media.KindEXIFModify, media.KindTakeout, media.KindFolder, media.KindMtime} {
			if !kinds[k] {
				t.Errorf("secs %d: no %s candidate in %+v", tc.secs, k, ts.Candidates)
			}
		}
	}
}

// The README's choice table is generated from choiceRules; keep them equal.
func TestREADMEChoiceTableMatchesCode(t *testing.T) {
	readme, err := os.ReadFile("../README.md") // from timestamp/, the module root
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), choiceTableMarkdown()) {
		t.Errorf("README.md lacks the current choice table:\n%s", choiceTableMarkdown())
	}
}
