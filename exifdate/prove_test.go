package exifdate

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"
)

func decodePixels(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestImageUnchangedOnCameraJPEGs: on real camera files (maker notes,
// thumbnails, several APP segments) the scan data and the decoded pixels
// are identical before and after, and the proof agrees.
func TestImageUnchangedOnCameraJPEGs(t *testing.T) {
	w := dates()[3]
	for _, f := range fixtures(t) {
		out, _, err := SetJPEGDate(f.b, w.d, w.opt)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if err := ProveImageUnchanged(f.b, out); err != nil {
			t.Errorf("%s: %v", f.name, err)
		}
		fb, err1 := parseJPEG(f.b)
		fa, err2 := parseJPEG(out)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.b[fb.sos:], out[fa.sos:]) {
			t.Errorf("%s: the scan data changed", f.name)
		}
		if !samePixels(decodePixels(t, f.b), decodePixels(t, out)) {
			t.Errorf("%s: the decoded pixels changed", f.name)
		}
	}
}

// TestProofNamesWhatDiffers tampers with a written file in each place the
// proof covers.
func TestProofNamesWhatDiffers(t *testing.T) {
	src := readFixture(t, iphoneFixture)
	out, _, err := SetJPEGDate(src, dates()[0].d, dates()[0].opt)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseJPEG(out)
	if err != nil {
		t.Fatal(err)
	}
	segOf := func(marker byte) segment {
		for _, s := range f.segs {
			if s.marker == marker {
				return s
			}
		}
		t.Fatalf("no segment FF %02X", marker)
		return segment{}
	}
	flip := func(i int) []byte {
		b := bytes.Clone(out)
		b[i] ^= 0x01
		return b
	}
	dqt := segOf(0xDB)
	noXMP := bytes.Clone(out[:f.segs[f.exif+1].start])
	noXMP = append(noXMP, out[f.segs[f.exif+1].end:]...)
	noExif := append(bytes.Clone(out[:f.segs[f.exif].start]), out[f.segs[f.exif].end:]...)
	cases := []struct {
		name  string
		after []byte
		says  string
	}{
		{"a scan byte", flip(f.sos + 200), "image data (from the first SOS on) differs: first at byte 200"},
		{"a trailing byte", append(bytes.Clone(out), 0), "image data"},
		{"a quantisation table", flip(dqt.end - 3), "(DQT at byte"},
		{"the XMP segment dropped", noXMP, "segments besides EXIF"},
		{"the EXIF segment dropped", noExif, "no EXIF segment"},
		{"truncated", out[:len(out)-2], "truncated"},
	}
	for _, c := range cases {
		err := ProveImageUnchanged(src, c.after)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.says)
		}
	}
	if err := ProveImageUnchanged(src, src); err != nil {
		t.Errorf("the original against itself: %v", err)
	}
}

// TestDamagedInputsGiveErrors: every truncation of a camera JPEG, and EXIF
// with broken offsets, is refused in words, never a panic, and never yields
// output.
func TestDamagedInputsGiveErrors(t *testing.T) {
	src := readFixture(t, iphoneFixture)
	d, opt := dates()[0].d, dates()[0].opt
	for n := 0; n < len(src)-2; n += 1 + n/64 { // every length in the headers, sparser in the scan
		out, _, err := SetJPEGDate(src[:n], d, opt)
		if err == nil || out != nil || err.Error() == "" {
			t.Fatalf("truncated at %d: no error", n)
		}
	}
	f, err := parseJPEG(src)
	if err != nil {
		t.Fatal(err)
	}
	tiffAt := f.segs[f.exif].payload + len(exifHeader)
	tb, err := readValues(src[tiffAt:f.segs[f.exif].end])
	if err != nil || tb.DateTimeOriginal == "" {
		t.Fatalf("fixture: %v %+v", err, tb)
	}
	ifd0 := tiffAt + int(src[tiffAt+7]) // big-endian, offset < 256
	put32 := func(b []byte, at int, v uint32) {
		b[at], b[at+1], b[at+2], b[at+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	cases := []struct {
		name   string
		damage func(b []byte)
		says   string
	}{
		{"byte-order mark", func(b []byte) { b[tiffAt] = 'X' }, "byte-order mark"},
		{"TIFF number", func(b []byte) { b[tiffAt+3] = 43 }, "42"},
		{"IFD0 offset", func(b []byte) { put32(b, tiffAt+4, 0xFFFFFFF0) }, "IFD0 starts at offset"},
		{"IFD0 entry count", func(b []byte) { b[ifd0], b[ifd0+1] = 0xFF, 0xFF }, "runs past the end"},
		{"Exif IFD pointer", func(b []byte) { damageTag(b, ifd0, tagExifIFD, 0x7FFFFFFF) }, "Exif IFD starts at offset"},
		{"DateTimeOriginal offset", func(b []byte) { damageExifTag(b, tiffAt, ifd0, tagDateTimeOriginal, 0xFFFFFFFF) }, "lies outside the EXIF data"},
		{"segment length", func(b []byte) { b[f.segs[f.exif].payload-2] = 0xFF }, "past the end of the file"},
		{"not a JPEG", func(b []byte) { b[1] = 0xD9 }, "not a JPEG"},
	}
	for _, c := range cases {
		b := bytes.Clone(src)
		c.damage(b)
		out, _, err := SetJPEGDate(b, d, opt)
		if err == nil || out != nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.says)
		}
		if _, err := ReadJPEGDate(b); err == nil && c.name != "DateTimeOriginal offset" {
			t.Errorf("%s: ReadJPEGDate found no fault", c.name)
		}
	}
}

// damageTag sets the value field of tag in the big-endian IFD at ifd.
func damageTag(b []byte, ifd int, tag uint16, v uint32) {
	n := int(b[ifd])<<8 | int(b[ifd+1])
	for i := range n {
		p := ifd + 2 + 12*i
		if uint16(b[p])<<8|uint16(b[p+1]) == tag {
			b[p+8], b[p+9], b[p+10], b[p+11] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		}
	}
}

// damageExifTag sets the value field of tag in the Exif IFD.
func damageExifTag(b []byte, tiffAt, ifd0 int, tag uint16, v uint32) {
	n := int(b[ifd0])<<8 | int(b[ifd0+1])
	for i := range n {
		p := ifd0 + 2 + 12*i
		if uint16(b[p])<<8|uint16(b[p+1]) == tagExifIFD {
			off := int(b[p+8])<<24 | int(b[p+9])<<16 | int(b[p+10])<<8 | int(b[p+11])
			damageTag(b, tiffAt+off, tag, v)
		}
	}
}

// TestTooBig: EXIF that cannot grow within one segment is refused.
func TestTooBig(t *testing.T) {
	plain := plainJPEG(t)
	pf, err := parseJPEG(plain)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := newTIFF(pf, []field{{tagDateTimeOriginal, "2001:01:01 00:00:00"}})
	if err != nil {
		t.Fatal(err)
	}
	tf.b = append(tf.b, make([]byte, maxTIFF-len(tf.b)-10)...)
	n := 2 + len(exifHeader) + len(tf.b)
	src := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte(n >> 8), byte(n)}, exifHeader...)
	src = append(append(src, tf.b...), plain[2:]...)
	if _, err := ReadJPEGDate(src); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	_, _, err = SetJPEGDate(src, dates()[0].d, dates()[0].opt)
	if !errors.Is(err, ErrTooBig) {
		t.Errorf("got %v, want ErrTooBig", err)
	}
}
