package meta

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"shoebox/media"
)

func candValues(md Metadata) map[media.CandidateKind][]string {
	out := map[media.CandidateKind][]string{}
	for _, c := range md.Candidates {
		out[c.Kind] = append(out[c.Kind], c.Value)
	}
	return out
}

var cameraWant = map[media.CandidateKind][]string{
	media.KindEXIFOriginal:  {"2019-07-04T15:30:12.123+02:00"},
	media.KindEXIFDigitized: {"2019-07-04T15:30:12.123+02:00"},
	media.KindEXIFModify:    {"2019-07-05T09:00:00.00+02:00"},
}

func TestReadMetadataFixtures(t *testing.T) {
	cases := []struct {
		file, mime   string
		make, model  string
		orientation  int
		want         map[media.CandidateKind][]string
		problemMatch string
	}{
		{"camera_le.jpg", "image/jpeg", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"camera_be.jpg", "application/octet-stream", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.cr2", "image/x-canon-cr2", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.dng", "image/tiff", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.nef", "image/tiff", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.png", "image/png", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"rawprofile.png", "image/png", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.webp", "image/webp", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.heic", "image/heic", "Apple", "iPhone 12", 6, map[media.CandidateKind][]string{
			media.KindEXIFOriginal: {"2019-07-04T15:30:12.123+02:00"}, media.KindEXIFDigitized: {"2019-07-04T15:30:12"},
			media.KindEXIFModify: {"2019-07-05T09:00:00"}}, ""},
		{"sample.mp4", "video/mp4", "", "", 0, map[media.CandidateKind][]string{media.KindVideoCreation: {"2019-07-04T13:30:12Z"}}, ""},
		{"sample.mov", "video/quicktime", "", "", 0, map[media.CandidateKind][]string{
			media.KindVideoCreation: {"2019-07-04T15:30:12+02:00", "2019-07-04T13:30:12Z"}}, ""},
		{"sample.raf", "image/x-fuji-raf", "Canon", "Canon EOS 5D Mark IV", 6, cameraWant, ""},
		{"sample.cr3", "application/octet-stream", "Canon", "Canon EOS R5", 1, map[media.CandidateKind][]string{
			media.KindEXIFModify: {"2021-09-23T20:45:01"}, media.KindEXIFOriginal: {"2021-09-23T20:45:01.42+02:00"},
			media.KindEXIFDigitized: {"2021-09-23T20:45:01"}}, ""},
		{"zero_dates.jpg", "image/jpeg", "NIKON", "", 0, map[media.CandidateKind][]string{}, "DateTime/ModifyDate (0x0132) is not a date"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			md := readMetaFile(t, filepath.Join(fixtureDir, tc.file), tc.mime)
			if md.Make != tc.make || md.Model != tc.model || md.Orientation != tc.orientation {
				t.Errorf("make/model/orientation = %q %q %d, want %q %q %d", md.Make, md.Model, md.Orientation, tc.make, tc.model, tc.orientation)
			}
			if got := candValues(md); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("candidates = %v, want %v", got, tc.want)
			}
			probs := strings.Join(md.Problems, "\n")
			if tc.problemMatch == "" && probs != "" || !strings.Contains(probs, tc.problemMatch) {
				t.Errorf("problems = %q, want %q", probs, tc.problemMatch)
			}
			for _, c := range md.Candidates {
				if c.Source == "" || c.Detail == "" {
					t.Errorf("candidate without source or detail: %+v", c)
				}
			}
		})
	}
}

// TestPNGRawProfileVariants: iTXt and tEXt forms of ImageMagick's raw profile.
func TestPNGRawProfileVariants(t *testing.T) {
	for _, typ := range []string{"iTXt", "tEXt", "zTXt"} {
		b := pngWithRawProfile(t, cameraTIFF(binary.BigEndian, nil), typ)
		md := Read(bytes.NewReader(b), int64(len(b)), "image/png")
		if got := candValues(md); !reflect.DeepEqual(got, cameraWant) || len(md.Problems) > 0 {
			t.Errorf("%s: candidates = %v, problems %v", typ, got, md.Problems)
		}
	}
}

// TestWebPWithExifPrefix: some writers put "Exif\0\0" before the TIFF in the EXIF chunk.
func TestWebPWithExifPrefix(t *testing.T) {
	b := webpWithEXIF(append([]byte("Exif\x00\x00"), cameraTIFF(binary.LittleEndian, nil)...))
	md := Read(bytes.NewReader(b), int64(len(b)), "image/webp")
	if got := candValues(md); !reflect.DeepEqual(got, cameraWant) {
		t.Errorf("candidates = %v", got)
	}
}

// TestGoexifSamples: the photographs shipped with goexif are named after their
// DateTimeOriginal ("2006-08-03-16-29-38-sep-…").
func TestGoexifSamples(t *testing.T) {
	dir := goexifSamples(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jpg"))
	checked := 0
	for _, f := range files {
		base := filepath.Base(f)
		md := readMetaFile(t, f, "image/jpeg")
		var y, mo, d, h, mi, s int
		if n, _ := fmt.Sscanf(base, "%4d-%2d-%2d-%2d-%2d-%2d-sep-", &y, &mo, &d, &h, &mi, &s); n != 6 {
			continue
		}
		want := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s)
		c, ok := candidate(md, media.KindEXIFOriginal)
		if !ok {
			c, ok = candidate(md, media.KindEXIFModify)
		}
		if !ok || !strings.HasPrefix(c.Value, want) {
			t.Errorf("%s: %+v, want %s", base, c, want)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d samples checked", checked)
	}
	md := readMetaFile(t, filepath.Join(dir, "has-lens-info.jpg"), "image/jpeg")
	if c, _ := candidate(md, media.KindEXIFOriginal); c.Value != "2014-09-01T15:03:47.880" || md.Make != "Apple" || md.Model != "iPhone 4S" || md.Orientation != 6 {
		t.Errorf("has-lens-info.jpg: %+v", md)
	}
}

// TestVideoReadsOnlyTheBoxesItNeeds: a 4 GiB mdat before moov is skipped, not read.
func TestVideoReadsOnlyTheBoxesItNeeds(t *testing.T) {
	ftyp := box("ftyp", []byte("qt  "), make([]byte, 4), []byte("qt  "))
	const mdatSize = 4 << 30
	mdat := binary.BigEndian.AppendUint32(nil, 1)
	mdat = append(mdat, "mdat"...)
	mdat = binary.BigEndian.AppendUint64(mdat, mdatSize)
	moov := box("moov", mvhdBox(1, mp4EpochOffset+1562247012), appleMeta("2019-07-04T15:30:12+0200"))
	head := append(ftyp, mdat...)
	// place moov after the (virtual) mdat
	data := make([]byte, len(head))
	copy(data, head)
	moovOff := int64(len(ftyp)) + mdatSize
	r := &sparseReader{parts: map[int64][]byte{0: data, moovOff: moov}, size: moovOff + int64(len(moov))}
	md := Read(r, r.size, "video/quicktime")
	if got := candValues(md)[media.KindVideoCreation]; len(got) != 2 {
		t.Fatalf("candidates %v problems %v", md.Candidates, md.Problems)
	}
	if r.read > 8<<10 {
		t.Errorf("read %d bytes of a %d-byte file", r.read, r.size)
	}
}

// sparseReader serves byte ranges from parts and zeros elsewhere.
type sparseReader struct {
	parts map[int64][]byte
	size  int64
	read  int64
}

func (s *sparseReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= s.size {
		return 0, io.EOF
	}
	n := len(p)
	if int64(n) > s.size-off {
		n = int(s.size - off)
	}
	for i := range p[:n] {
		p[i] = 0
	}
	for start, b := range s.parts {
		for i := 0; i < n; i++ {
			if k := off + int64(i) - start; k >= 0 && k < int64(len(b)) {
				p[i] = b[k]
			}
		}
	}
	s.read += int64(n)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestCameraSerial reads the body serial number, which tells two cameras of
// one model apart: EXIF BodySerialNumber in the Exif IFD, else IFD0's
// CameraSerialNumber; none when neither is there.
func TestCameraSerial(t *testing.T) {
	var bo order = binary.LittleEndian
	body := buildTIFF(bo, nil, []tEnt{asciiEnt(tagMake, "Canon"), asciiEnt(tagModel, "Canon EOS 5D")},
		[]tEnt{asciiEnt(tagDateTimeOriginal, "2016:03:01 12:00:00"), asciiEnt(tagBodySerial, " 012345678901 ")})
	ifd0 := buildTIFF(binary.BigEndian, nil, []tEnt{asciiEnt(tagMake, "Adobe"), asciiEnt(tagModel, "DNG"),
		asciiEnt(tagCameraSerial, "CS-42")}, nil)
	both := buildTIFF(bo, nil, []tEnt{asciiEnt(tagMake, "Nikon"), asciiEnt(tagCameraSerial, "ignored")},
		[]tEnt{asciiEnt(tagBodySerial, "BODY-1")})
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"jpeg body serial":   {jpegWithEXIF(t, body), "012345678901"},
		"tiff camera serial": {ifd0, "CS-42"},
		"body serial first":  {jpegWithEXIF(t, both), "BODY-1"},
		"none":               {jpegWithEXIF(t, cameraTIFF(bo, nil)), ""},
	} {
		md := Read(bytes.NewReader(c.data), int64(len(c.data)), "")
		if md.Serial != c.want {
			t.Errorf("%s: serial %q, want %q (problems %v)", name, md.Serial, c.want, md.Problems)
		}
	}
}
