package exifdate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// EXIF tags this package reads or writes.
const (
	tagExifIFD            = 0x8769
	tagExifVersion        = 0x9000
	tagDateTimeOriginal   = 0x9003
	tagCreateDate         = 0x9004
	tagOffsetTime         = 0x9010
	tagOffsetTimeOriginal = 0x9011
)

const (
	typeASCII     = 2
	typeLong      = 4
	typeUndefined = 7
	typeIFD       = 13
)

// maxTIFF is the most TIFF data one APP1 segment can hold: a segment length
// is 16 bits and counts itself (2 bytes) and "Exif\0\0" (6 bytes).
const maxTIFF = 0xFFFF - 2 - 6

// ErrTooBig is returned when the edited EXIF would not fit in one segment.
var ErrTooBig = errors.New("the EXIF data would grow past the 64 KB one JPEG segment can hold")

// tiffData is the TIFF structure inside an APP1 Exif segment. Offsets in it
// count from its first byte, so appending never invalidates one.
type tiffData struct {
	b  []byte
	bo binary.ByteOrder
}

// entry is one 12-byte IFD entry; pos is where it lies in tiffData.b.
type entry struct {
	pos   int
	tag   uint16
	typ   uint16
	count uint32
	raw   [4]byte // the value-or-offset field as stored
}

func parseTIFF(b []byte) (*tiffData, uint32, error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("the EXIF data is %d bytes, shorter than its 8-byte header", len(b))
	}
	t := &tiffData{b: b}
	switch string(b[:2]) {
	case "II":
		t.bo = binary.LittleEndian
	case "MM":
		t.bo = binary.BigEndian
	default:
		return nil, 0, errors.New("the EXIF data does not start with a byte-order mark (II or MM)")
	}
	if t.bo.Uint16(b[2:]) != 42 {
		return nil, 0, errors.New("the EXIF data's header lacks the TIFF number 42")
	}
	return t, t.bo.Uint32(b[4:]), nil
}

// readIFD reads the IFD at off; what names it in errors.
func (t *tiffData) readIFD(off uint32, what string) ([]entry, uint32, error) {
	o := uint64(off)
	if o < 8 || o+2 > uint64(len(t.b)) {
		return nil, 0, fmt.Errorf("the %s starts at offset %d, outside the %d bytes of EXIF data", what, off, len(t.b))
	}
	n := uint64(t.bo.Uint16(t.b[o:]))
	end := o + 2 + 12*n + 4
	if end > uint64(len(t.b)) {
		return nil, 0, fmt.Errorf("the %s (%d entries at offset %d) runs past the end of the EXIF data", what, n, off)
	}
	es := make([]entry, n)
	for i := range es {
		p := int(o) + 2 + 12*i
		e := entry{pos: p, tag: t.bo.Uint16(t.b[p:]), typ: t.bo.Uint16(t.b[p+2:]), count: t.bo.Uint32(t.b[p+4:])}
		copy(e.raw[:], t.b[p+8:p+12])
		es[i] = e
	}
	return es, t.bo.Uint32(t.b[end-4:]), nil
}

func typeSize(typ uint16) uint64 {
	switch typ {
	case 1, 2, 6, 7:
		return 1
	case 3, 8:
		return 2
	case 4, 9, 11, 13:
		return 4
	case 5, 10, 12:
		return 8
	}
	return 0
}

// value returns the bytes of e's value, inline or at its offset.
func (t *tiffData) value(e entry) ([]byte, error) {
	size := typeSize(e.typ) * uint64(e.count)
	if size <= 4 {
		return e.raw[:size], nil
	}
	off := uint64(t.bo.Uint32(e.raw[:]))
	if off+size > uint64(len(t.b)) {
		return nil, fmt.Errorf("the value of tag 0x%04x (%d bytes at offset %d) lies outside the EXIF data", e.tag, size, off)
	}
	return t.b[off : off+size], nil
}

// text reads a value as stored text, up to the first NUL.
func (t *tiffData) text(e entry) (string, error) {
	v, err := t.value(e)
	if err != nil {
		return "", err
	}
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return strings.ToValidUTF8(string(v), "\uFFFD"), nil
}

// appendAligned appends v at the next even offset (TIFF values start on a
// word boundary) and returns that offset.
func (t *tiffData) appendAligned(v []byte) (uint32, error) {
	if len(t.b)%2 == 1 {
		t.b = append(t.b, 0)
	}
	off := len(t.b)
	if off+len(v) > maxTIFF {
		return 0, ErrTooBig
	}
	t.b = append(t.b, v...)
	return uint32(off), nil
}

func (t *tiffData) encodeEntry(dst []byte, e entry) {
	t.bo.PutUint16(dst, e.tag)
	t.bo.PutUint16(dst[2:], e.typ)
	t.bo.PutUint32(dst[4:], e.count)
	copy(dst[8:12], e.raw[:])
}

// appendIFD writes es (sorted by tag, as TIFF requires) and next as a new
// IFD at the end of the data.
func (t *tiffData) appendIFD(es []entry, next uint32) (uint32, error) {
	slices.SortStableFunc(es, func(a, b entry) int { return int(a.tag) - int(b.tag) })
	buf := make([]byte, 2+12*len(es)+4)
	t.bo.PutUint16(buf, uint16(len(es)))
	for i, e := range es {
		t.encodeEntry(buf[2+12*i:], e)
	}
	t.bo.PutUint32(buf[2+12*len(es):], next)
	return t.appendAligned(buf)
}

// asciiEntry makes e hold text (NUL-terminated) as ASCII: over the old
// value where it is ASCII of the same length, appended otherwise. It keeps
// e.pos so the entry can be rewritten where it lies.
func (t *tiffData) asciiEntry(e entry, text string) (entry, error) {
	val := append([]byte(text), 0)
	if e.typ == typeASCII && uint64(e.count) == uint64(len(val)) && len(val) > 4 {
		old, err := t.value(e)
		if err != nil {
			return entry{}, err
		}
		copy(old, val)
		return e, nil
	}
	e.typ, e.count, e.raw = typeASCII, uint32(len(val)), [4]byte{}
	if len(val) <= 4 {
		copy(e.raw[:], val)
		return e, nil
	}
	off, err := t.appendAligned(val)
	if err != nil {
		return entry{}, err
	}
	t.bo.PutUint32(e.raw[:], off)
	return e, nil
}

// field is one tag to set; text "" removes the tag.
type field struct {
	tag  uint16
	text string
}

// editEntries applies fields to es. It reports whether the set of tags
// changed (then the IFD must be written anew) or only values did (then the
// changed entries can be rewritten where they lie).
func (t *tiffData) editEntries(es []entry, fields []field) ([]entry, bool, error) {
	layout := false
	for _, f := range fields {
		found := false
		for i := 0; i < len(es); i++ {
			if es[i].tag != f.tag {
				continue
			}
			found = true
			if f.text == "" {
				es = slices.Delete(es, i, i+1)
				i--
				layout = true
				continue
			}
			e, err := t.asciiEntry(es[i], f.text)
			if err != nil {
				return nil, false, err
			}
			es[i] = e
		}
		if !found && f.text != "" {
			e, err := t.asciiEntry(entry{pos: -1, tag: f.tag}, f.text)
			if err != nil {
				return nil, false, err
			}
			es = append(es, e)
			layout = true
		}
	}
	return es, layout, nil
}

// setFields applies fields to the Exif IFD, creating it when IFD0 has no
// pointer to one, and returns the old values of the date fields.
func (t *tiffData) setFields(ifd0 uint32, fields []field) (Values, error) {
	old := Values{HadExif: true}
	es0, next0, err := t.readIFD(ifd0, "IFD0")
	if err != nil {
		return old, err
	}
	ptr := slices.IndexFunc(es0, func(e entry) bool { return e.tag == tagExifIFD })
	if ptr < 0 {
		return old, t.addExifIFD(es0, next0, fields)
	}
	p := es0[ptr]
	if (p.typ != typeLong && p.typ != typeIFD) || p.count != 1 {
		return old, fmt.Errorf("the Exif IFD pointer has type %d and count %d, not one offset", p.typ, p.count)
	}
	es, next, err := t.readIFD(t.bo.Uint32(p.raw[:]), "Exif IFD")
	if err != nil {
		return old, err
	}
	if old, err = t.oldValues(es); err != nil {
		return old, err
	}
	es, layout, err := t.editEntries(es, fields)
	if err != nil {
		return old, err
	}
	if !layout {
		for _, e := range es {
			t.encodeEntry(t.b[e.pos:], e)
		}
		return old, nil
	}
	off, err := t.appendIFD(es, next)
	if err != nil {
		return old, err
	}
	t.bo.PutUint32(t.b[p.pos+8:], off)
	return old, nil
}

// addExifIFD writes a new Exif IFD holding ExifVersion 0232 (the version that
// added the offset tags) and fields, then a copy of IFD0 with a pointer to it.
func (t *tiffData) addExifIFD(es0 []entry, next0 uint32, fields []field) error {
	version := entry{pos: -1, tag: tagExifVersion, typ: typeUndefined, count: 4, raw: [4]byte{'0', '2', '3', '2'}}
	es, _, err := t.editEntries([]entry{version}, fields)
	if err != nil {
		return err
	}
	off, err := t.appendIFD(es, 0)
	if err != nil {
		return err
	}
	p := entry{pos: -1, tag: tagExifIFD, typ: typeLong, count: 1}
	t.bo.PutUint32(p.raw[:], off)
	off0, err := t.appendIFD(append(es0, p), next0)
	if err != nil {
		return err
	}
	t.bo.PutUint32(t.b[4:], off0)
	return nil
}

// oldValues reads the date fields from Exif IFD entries.
func (t *tiffData) oldValues(es []entry) (Values, error) {
	v := Values{HadExif: true}
	for _, e := range es {
		var dst *string
		switch e.tag {
		case tagDateTimeOriginal:
			dst = &v.DateTimeOriginal
		case tagCreateDate:
			dst = &v.CreateDate
		case tagOffsetTimeOriginal:
			dst = &v.OffsetTimeOriginal
		case tagOffsetTime:
			dst = &v.OffsetTime
		default:
			continue
		}
		s, err := t.text(e)
		if err != nil {
			return v, err
		}
		if *dst == "" {
			*dst = s
		}
	}
	return v, nil
}

// readValues reads the date fields of the TIFF data b.
func readValues(b []byte) (Values, error) {
	t, ifd0, err := parseTIFF(b)
	if err != nil {
		return Values{}, err
	}
	es0, _, err := t.readIFD(ifd0, "IFD0")
	if err != nil {
		return Values{}, err
	}
	ptr := slices.IndexFunc(es0, func(e entry) bool { return e.tag == tagExifIFD })
	if ptr < 0 {
		return Values{HadExif: true}, nil
	}
	es, _, err := t.readIFD(t.bo.Uint32(es0[ptr].raw[:]), "Exif IFD")
	if err != nil {
		return Values{}, err
	}
	return t.oldValues(es)
}

// More tags of a new EXIF block: those the EXIF standard requires of a JPEG.
const (
	tagXResolution             = 0x011A
	tagYResolution             = 0x011B
	tagResolutionUnit          = 0x0128
	tagYCbCrPositioning        = 0x0213
	tagComponentsConfiguration = 0x9101
	tagFlashpixVersion         = 0xA000
	tagColorSpace              = 0xA001
	tagExifImageWidth          = 0xA002
	tagExifImageHeight         = 0xA003
	typeShort                  = 3
	typeRational               = 5
)

// newTIFF builds the EXIF block for a JPEG that has none: big-endian, IFD0
// and an Exif IFD with the tags the standard requires of a JPEG (so that
// validators accept it) and fields. The required values claim nothing about
// the photo: 72 dpi, centred chroma, Y Cb Cr order, colour space
// "uncalibrated", and the size from the frame header. The IFDs come after
// their values, so nothing is left unreferenced.
func newTIFF(f *jpegFile, fields []field) (*tiffData, error) {
	t := &tiffData{b: []byte{'M', 'M', 0, 42, 0, 0, 0, 0}, bo: binary.BigEndian}
	short := func(tag, v uint16) entry {
		e := entry{pos: -1, tag: tag, typ: typeShort, count: 1}
		t.bo.PutUint16(e.raw[:], v)
		return e
	}
	undef := func(tag uint16, v [4]byte) entry {
		return entry{pos: -1, tag: tag, typ: typeUndefined, count: 4, raw: v}
	}
	exif := []entry{
		undef(tagExifVersion, [4]byte{'0', '2', '3', '2'}),
		undef(tagComponentsConfiguration, [4]byte{1, 2, 3, 0}),
		undef(tagFlashpixVersion, [4]byte{'0', '1', '0', '0'}),
		short(tagColorSpace, 0xFFFF),
	}
	if w, h, ok := f.frameSize(); ok {
		exif = append(exif, short(tagExifImageWidth, uint16(w)), short(tagExifImageHeight, uint16(h)))
	}
	exif, _, err := t.editEntries(exif, fields)
	if err != nil {
		return nil, err
	}
	exifOff, err := t.appendIFD(exif, 0)
	if err != nil {
		return nil, err
	}
	ifd0 := []entry{short(tagResolutionUnit, 2), short(tagYCbCrPositioning, 1), {pos: -1, tag: tagExifIFD, typ: typeLong, count: 1}}
	t.bo.PutUint32(ifd0[2].raw[:], exifOff)
	for _, tag := range []uint16{tagXResolution, tagYResolution} {
		off, err := t.appendAligned([]byte{0, 0, 0, 72, 0, 0, 0, 1})
		if err != nil {
			return nil, err
		}
		e := entry{pos: -1, tag: tag, typ: typeRational, count: 1}
		t.bo.PutUint32(e.raw[:], off)
		ifd0 = append(ifd0, e)
	}
	ifd0Off, err := t.appendIFD(ifd0, 0)
	if err != nil {
		return nil, err
	}
	t.bo.PutUint32(t.b[4:], ifd0Off)
	return t, nil
}
