package exifdate

import (
	"bytes"
	"errors"
	"fmt"
)

// exifHeader starts the payload of an APP1 segment that holds EXIF.
var exifHeader = []byte("Exif\x00\x00")

const (
	markerSOI  = 0xD8
	markerEOI  = 0xD9
	markerSOS  = 0xDA
	markerAPP0 = 0xE0
	markerAPP1 = 0xE1
)

// segment is one marker segment before the image data: b[start:end] holds
// its fill bytes, marker, length and payload.
type segment struct {
	marker     byte
	start, end int
	payload    int // where the payload starts, after the length
}

// jpegFile is a JPEG split at its first SOS: segs cover b[2:sos] without a
// gap, and b[sos:] is the image data.
type jpegFile struct {
	b    []byte
	segs []segment
	sos  int
	exif int // index in segs of the first APP1 Exif segment, -1 when none
}

// parseJPEG splits b into segments up to the first SOS. It refuses a file
// that is truncated (no end-of-image marker after the scan), because
// rewriting a damaged file would hide the damage behind a fresh date.
func parseJPEG(b []byte) (*jpegFile, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != markerSOI {
		return nil, errors.New("not a JPEG: it does not start with FF D8")
	}
	f := &jpegFile{b: b, exif: -1}
	for i := 2; ; {
		start := i
		if i >= len(b) {
			return nil, errors.New("the JPEG ends before its image data (no SOS marker)")
		}
		if b[i] != 0xFF {
			return nil, fmt.Errorf("the JPEG is damaged: byte %d should start a marker but is 0x%02X", i, b[i])
		}
		for i+1 < len(b) && b[i+1] == 0xFF { // fill bytes
			i++
		}
		if i+1 >= len(b) {
			return nil, errors.New("the JPEG ends in the middle of a marker")
		}
		m, mpos := b[i+1], i
		switch {
		case m == markerSOS:
			f.sos = start
			if !bytes.Contains(b[start:], []byte{0xFF, markerEOI}) {
				return nil, errors.New("the JPEG is truncated: its image data has no end-of-image marker")
			}
			return f, nil
		case m == markerEOI || m == markerSOI || m == 0x00:
			return nil, fmt.Errorf("the JPEG is damaged: marker FF %02X at byte %d before any image data", m, i)
		case m == 0x01 || (m >= 0xD0 && m <= 0xD7): // no length
			i += 2
		default:
			if i+4 > len(b) {
				return nil, fmt.Errorf("the JPEG ends inside the header of segment FF %02X at byte %d", m, i)
			}
			n := int(b[i+2])<<8 | int(b[i+3])
			if n < 2 || i+2+n > len(b) {
				return nil, fmt.Errorf("segment FF %02X at byte %d claims %d bytes, past the end of the file", m, i, n)
			}
			i += 2 + n
		}
		seg := segment{marker: m, start: start, end: i, payload: min(mpos+4, i)}
		if m == markerAPP1 && f.exif < 0 && bytes.HasPrefix(b[seg.payload:i], exifHeader) {
			f.exif = len(f.segs)
		}
		f.segs = append(f.segs, seg)
	}
}

// tiffBytes returns the TIFF data of the Exif segment.
func (f *jpegFile) tiffBytes() []byte {
	s := f.segs[f.exif]
	return f.b[s.payload+len(exifHeader) : s.end]
}

// ReadJPEGDate returns the EXIF date fields of a JPEG as stored.
func ReadJPEGDate(src []byte) (Values, error) {
	f, err := parseJPEG(src)
	if err != nil {
		return Values{}, err
	}
	if f.exif < 0 {
		return Values{}, nil
	}
	return readValues(f.tiffBytes())
}

// SetJPEGDate returns src with d written into its EXIF, and the values the
// fields held before (old.HadExif false when src had no Exif segment).
//
// It sets DateTimeOriginal and CreateDate to d's wall-clock time, and
// OffsetTimeOriginal and OffsetTime to d's offset when d.OffsetKnown; when the
// offset is unknown it removes those two tags, since they described the old
// time. It edits the first APP1 Exif segment, or inserts a new one after SOI
// and any APP0 (JFIF) segments when there is none. Every other byte of src is
// kept: other tags, maker notes and the thumbnail do not move, and the other
// segments and the image data are copied unchanged. It never changes src.
//
// Errors name the problem in words: a date out of range (ErrYearOutOfRange),
// a day without a time (ErrNeedsTime), EXIF that would outgrow its segment
// (ErrTooBig), or a damaged JPEG or EXIF structure, which it refuses to edit.
func SetJPEGDate(src []byte, d Date, opt Options) (out []byte, old Values, err error) {
	want, err := Planned(d, opt)
	if err != nil {
		return nil, Values{}, err
	}
	f, err := parseJPEG(src)
	if err != nil {
		return nil, Values{}, err
	}
	fields := []field{
		{tagDateTimeOriginal, want.DateTimeOriginal},
		{tagCreateDate, want.CreateDate},
		{tagOffsetTimeOriginal, want.OffsetTimeOriginal},
		{tagOffsetTime, want.OffsetTime},
	}
	var t *tiffData
	at, end := 2, 2 // where the new segment goes, and where the replaced one ends
	if f.exif >= 0 {
		s := f.segs[f.exif]
		at, end = s.start, s.end
		var ifd0 uint32
		if t, ifd0, err = parseTIFF(bytes.Clone(f.tiffBytes())); err != nil {
			return nil, Values{}, err
		}
		if old, err = t.setFields(ifd0, fields); err != nil {
			return nil, Values{}, err
		}
	} else {
		for _, s := range f.segs {
			if s.marker != markerAPP0 {
				break
			}
			at, end = s.end, s.end
		}
		if t, err = newTIFF(f, fields); err != nil {
			return nil, Values{}, err
		}
	}
	seg := make([]byte, 0, 4+len(exifHeader)+len(t.b))
	n := 2 + len(exifHeader) + len(t.b)
	seg = append(seg, 0xFF, markerAPP1, byte(n>>8), byte(n))
	seg = append(append(seg, exifHeader...), t.b...)
	out = make([]byte, 0, len(src)-(end-at)+len(seg))
	out = append(append(append(out, src[:at]...), seg...), src[end:]...)
	if err := checkWritten(src, out, want); err != nil {
		return nil, Values{}, err
	}
	return out, old, nil
}

// checkWritten re-reads out as any reader would, so that a bug here shows as
// an error rather than as a wrong file.
func checkWritten(src, out []byte, want Values) error {
	if err := ProveImageUnchanged(src, out); err != nil {
		return fmt.Errorf("the rewritten JPEG failed its own check: %w", err)
	}
	got, err := ReadJPEGDate(out)
	if err != nil {
		return fmt.Errorf("the rewritten EXIF cannot be read back: %w", err)
	}
	got.HadExif = false
	if got != want {
		return fmt.Errorf("the rewritten EXIF reads back as %+v, not %+v", got, want)
	}
	return nil
}

// ProveImageUnchanged returns nil when after differs from before only in its
// APP1 Exif segment: the image data (every byte from the first SOS on) and
// every other segment, in order, are byte-identical, and after's EXIF can be
// read. Otherwise the error names what differs. Run it on the written
// temporary file before replacing the original.
func ProveImageUnchanged(before, after []byte) error {
	fb, err := parseJPEG(before)
	if err != nil {
		return fmt.Errorf("the original: %w", err)
	}
	fa, err := parseJPEG(after)
	if err != nil {
		return fmt.Errorf("the rewritten file: %w", err)
	}
	if fa.exif < 0 {
		return errors.New("the rewritten file has no EXIF segment")
	}
	if _, err := readValues(fa.tiffBytes()); err != nil {
		return fmt.Errorf("the rewritten file's EXIF: %w", err)
	}
	if ib, ia := before[fb.sos:], after[fa.sos:]; !bytes.Equal(ib, ia) {
		return fmt.Errorf("the image data (from the first SOS on) differs: %s", firstDifference(ib, ia))
	}
	sb, sa := fb.others(), fa.others()
	if len(sb) != len(sa) {
		return fmt.Errorf("the original has %d segments besides EXIF, the rewritten file %d", len(sb), len(sa))
	}
	for i := range sb {
		b, a := before[sb[i].start:sb[i].end], after[sa[i].start:sa[i].end]
		if !bytes.Equal(b, a) {
			return fmt.Errorf("segment %d besides EXIF (%s at byte %d) differs: %s",
				i+1, markerName(sb[i].marker), sb[i].start, firstDifference(b, a))
		}
	}
	return nil
}

// others lists the segments other than the Exif one.
func (f *jpegFile) others() []segment {
	var s []segment
	for i, seg := range f.segs {
		if i != f.exif {
			s = append(s, seg)
		}
	}
	return s
}

func firstDifference(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("first at byte %d of %d", i, len(a))
		}
	}
	return fmt.Sprintf("%d bytes before, %d after", len(a), len(b))
}

func markerName(m byte) string {
	switch {
	case m >= 0xE0 && m <= 0xEF:
		return fmt.Sprintf("APP%d", m-0xE0)
	case m == 0xDB:
		return "DQT"
	case m == 0xC4:
		return "DHT"
	case m == 0xFE:
		return "COM"
	case m >= 0xC0 && m <= 0xCF:
		return fmt.Sprintf("SOF%d", m-0xC0)
	}
	return fmt.Sprintf("FF %02X", m)
}

// frameSize reads the image's width and height from its SOF segment; ok is
// false when there is none or the height is deferred to a DNL marker.
func (f *jpegFile) frameSize() (w, h uint32, ok bool) {
	for _, s := range f.segs {
		if s.marker < 0xC0 || s.marker > 0xCF || s.marker == 0xC4 || s.marker == 0xC8 || s.marker == 0xCC {
			continue
		}
		p := f.b[s.payload:s.end]
		if len(p) < 5 {
			return 0, 0, false
		}
		h, w = uint32(p[1])<<8|uint32(p[2]), uint32(p[3])<<8|uint32(p[4])
		return w, h, h > 0 && w > 0
	}
	return 0, 0, false
}
